"""Deeply nested JSON is refused as 400 problem+json by a real API process, never a 500 RecursionError."""

from __future__ import annotations

import httpx
import pytest

from service.backfills.parsing import parse_json_array

pytestmark = pytest.mark.e2e
DEEP = 100_000


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/extract"])
@pytest.mark.parametrize("body", [b"[" * DEEP, b'{"html":' + b"[" * DEEP, b'{"a":' * DEEP])
def test_deeply_nested_json_is_a_typed_400(api, path, body):
    r = httpx.post(
        api.base + path, content=body, timeout=30, headers={**api.auth("a"), "Content-Type": "application/json"}
    )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"].endswith("/malformed_request")
    assert "nest" in problem["detail"]
    # The process is still serving.
    assert httpx.get(api.base + "/healthz", timeout=5).status_code == 200


def test_a_deeply_nested_backfill_element_is_reported_not_raised():
    body = b'[{"url": "https://example.org/a"}, ' + b"[" * DEEP + b"]" * DEEP + b"]"
    rows = list(parse_json_array([body], max_item_bytes=1 << 30))
    assert rows[0][1] == "https://example.org/a"
    assert rows[1][4] == "invalid_json" and "nest" in rows[1][5]


def test_every_malformed_request_has_the_same_title(client, auth):
    """One problem type, one title (RFC 9457 §3.1.3): JSON syntax, over-nesting and bad parameters alike."""
    import json as _json

    answers = [
        client.post("/v1/articles", content=b"{not json", headers={**auth, "Content-Type": "application/json"}),
        client.post("/v1/articles", content=b"[" * 100_000, headers={**auth, "Content-Type": "application/json"}),
        client.get("/v1/articles", params={"limit": "0"}, headers=auth),
    ]
    bodies = [_json.loads(a.text) for a in answers]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert {b["type"].rsplit("/", 1)[1] for b in bodies} == {"malformed_request"}
    assert len({b["title"] for b in bodies}) == 1, [b["title"] for b in bodies]
