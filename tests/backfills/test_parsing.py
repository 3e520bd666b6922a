"""The streaming body parsers: the same rows whatever the chunking, bad lines numbered, never fatal."""

from __future__ import annotations

import json
import random

import pytest

from service.backfills.parsing import parse_body

NDJSON = (
    b'\xef\xbb\xbf{"url": "https://a.example/1", "external_id": "x"}\r\n'
    b"\n"
    b'{"url": "https://a.example/\\u00e9t\\u00e9"}\n'
    b"[1, 2]\n"
    b'{"url": "https://a.example/' + b"y" * 200 + b'"}\n'
    b'{"url": "https://a.example/nul\\u0000"}\n'
    b'\xff\xfe{"url": "https://a.example/bad-utf8"}\n'
    b'{"url": "https://a.example/last"}'
)
ARRAY = json.dumps(
    [
        {"url": "https://a.example/1"},
        {"url": "https://a.example/é", "callback_url": "https://h/"},
        {"url": ""},
        {"url": "https://a.example/3", "extra": 1},
        {"url": "https://a.example/" + "y" * 200},
        {"url": "https://a.example/4"},
    ],
    indent=1,
).encode()


def _parse(body: bytes, sizes) -> list:
    chunks, at = [], 0
    while at < len(body):
        size = next(sizes)
        chunks.append(body[at : at + size])
        at += size
    return list(parse_body(iter(chunks), max_line_bytes=120))


@pytest.mark.parametrize("body", [NDJSON, ARRAY], ids=["ndjson", "array"])
def test_rows_do_not_depend_on_chunk_boundaries(body):
    whole = _parse(body, iter([len(body)]))
    rng = random.Random(7)
    for _ in range(200):
        assert _parse(body, iter(lambda: rng.randint(1, 40), None)) == whole


def test_ndjson_rows_and_errors():
    rows = _parse(NDJSON, iter([len(NDJSON)]))
    good = [(r[0], r[1]) for r in rows if r[4] is None]
    bad = [(r[0], r[4]) for r in rows if r[4] is not None]
    assert good == [(1, "https://a.example/1"), (3, "https://a.example/été"), (8, "https://a.example/last")]
    assert bad == [(4, "invalid_line"), (5, "line_too_long"), (6, "invalid_line"), (7, "invalid_json")]
    assert rows[0][2] == "x"


def test_json_array_rows_and_errors():
    rows = _parse(ARRAY, iter([len(ARRAY)]))
    assert [(r[0], r[4]) for r in rows] == [
        (1, None),
        (2, None),
        (3, "invalid_line"),
        (4, "invalid_line"),
        (5, "line_too_long"),
        (6, None),
    ]
    assert rows[1][1:4] == ("https://a.example/é", None, "https://h/")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'[{"url": "https://a/1"}, {"url": "https:/', [(1, None), (2, "invalid_json")]),
        (b'[{"url": "https://a/1"} {"url": "https://a/2"}]', [(1, None), (2, "invalid_json")]),
        (b'[{"url": "https://a/1"}] trailing', [(1, None), (2, "invalid_json")]),
        (b"[]", []),
        (b"  ", []),
    ],
)
def test_a_broken_array_keeps_what_came_before(body, expected):
    assert [(r[0], r[4]) for r in _parse(body, iter(lambda: 5, None))] == expected
