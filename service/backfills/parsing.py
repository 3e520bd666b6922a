"""Streaming parsers for a backfill body: NDJSON (one object a line) or one JSON array of objects.

Both read an iterable of byte chunks and yield one row per line/element, in constant memory:
    (line, url, external_id, callback_url, error_type, error_detail)
A bad line becomes a row with an error (it is reported, not fatal). Only shape is checked here, with msgspec;
URL rules and normalisation run later in the workers, so the request does no per-line URL work.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from typing import Annotated

import msgspec
from msgspec import Meta

Row = tuple[int, "str | None", "str | None", "str | None", "str | None", "str | None"]
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DETAIL_CHARS = 300


class BackfillLineIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, Meta(min_length=1, max_length=2048)]
    external_id: Annotated[str, Meta(min_length=1, max_length=500)] | None = None
    callback_url: Annotated[str, Meta(min_length=1, max_length=2048)] | None = None


def parse_body(chunks: Iterable[bytes], *, max_line_bytes: int) -> Iterator[Row]:
    """Sniff the first non-blank byte: `[` is a JSON array, anything else NDJSON."""
    chunks = iter(chunks)
    head, bom_checked = b"", False
    for chunk in chunks:
        head += chunk
        if not bom_checked:
            if len(head) < len(_BOM) and _BOM.startswith(head):
                continue  # a byte-order mark may be split across chunks
            head, bom_checked = head.removeprefix(_BOM), True
        stripped = head.lstrip()
        if stripped:
            break
    else:
        return
    body = _prepend(head, chunks)
    if stripped[:1] == b"[":
        yield from parse_json_array(body, max_item_bytes=max_line_bytes)
    else:
        yield from parse_ndjson(body, max_line_bytes=max_line_bytes)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _bad(line: int, error_type: str, detail: str) -> Row:
    return (line, None, None, None, error_type, detail[:_DETAIL_CHARS])


def _row(line: int, item: BackfillLineIn) -> Row:
    for value in (item.url, item.external_id, item.callback_url):
        if value is not None and "\x00" in value:  # Postgres text cannot hold NUL
            return _bad(line, "invalid_line", "a value contains a NUL character")
    return (line, item.url, item.external_id, item.callback_url, None, None)


def parse_ndjson(chunks: Iterable[bytes], *, max_line_bytes: int) -> Iterator[Row]:
    decode = msgspec.json.Decoder(BackfillLineIn).decode
    number, tail, skipping = 0, b"", False

    def one(raw: bytes) -> Row | None:
        if len(raw) > max_line_bytes:
            return _bad(number, "line_too_long", f"longer than {max_line_bytes} bytes")
        if not raw.strip():
            return None  # blank lines keep their number but are not items
        try:
            return _row(number, decode(raw))
        except msgspec.ValidationError as exc:
            return _bad(number, "invalid_line", str(exc))
        except msgspec.DecodeError as exc:
            return _bad(number, "invalid_json", str(exc))

    for chunk in chunks:
        pieces = chunk.split(b"\n")
        if skipping:  # inside an over-long line, already reported: drop it up to its newline
            if len(pieces) == 1:
                continue
            skipping, pieces = False, pieces[1:]
        else:
            pieces[0] = tail + pieces[0]
        tail = pieces.pop()
        for raw in pieces:
            number += 1
            row = one(raw)
            if row is not None:
                yield row
        if len(tail) > max_line_bytes:
            number += 1
            yield _bad(number, "line_too_long", f"longer than {max_line_bytes} bytes")
            tail, skipping = b"", True
    if tail and not skipping:
        number += 1
        row = one(tail)
        if row is not None:
            yield row


def parse_json_array(chunks: Iterable[bytes], *, max_item_bytes: int) -> Iterator[Row]:
    """Elements are numbered from 1. A syntax error ends the read (the rest has no reliable structure):
    it is reported as the element where it happened, and what was read before it is kept."""
    chunks = iter(chunks)
    text_of = codecs.getincrementaldecoder("utf-8")("replace")
    raw_decode = json.JSONDecoder().raw_decode
    buf, pos, eof, index, state = "", 0, False, 0, "open"
    # An over-long element is still read to its end (and reported) up to this size: memory stays bounded.
    give_up_at = max(1 << 20, 4 * max_item_bytes)

    def fill() -> None:
        nonlocal buf, pos, eof
        chunk = next(chunks, None)
        if chunk is None:
            eof = True
            buf = buf[pos:] + text_of.decode(b"", final=True)
        else:
            buf = buf[pos:] + text_of.decode(chunk)
        pos = 0

    while True:
        pos = _WHITESPACE.match(buf, pos).end()
        if pos >= len(buf):
            if eof:
                if state != "closed":
                    yield _bad(index + 1, "invalid_json", "the array is not closed")
                return
            fill()
            continue
        char = buf[pos]
        if state == "closed":
            yield _bad(index + 1, "invalid_json", "data after the closing bracket was ignored")
            return
        if state == "open":
            if char != "[":
                yield _bad(1, "invalid_json", "expected a JSON array")
                return
            pos, state = pos + 1, "first"
            continue
        if state in ("first", "after") and char == "]":
            pos, state = pos + 1, "closed"
            continue
        if state == "after":
            if char != ",":
                yield _bad(index + 1, "invalid_json", f"expected ',' or ']' at {char!r}; the rest was not read")
                return
            pos, state = pos + 1, "value"
            continue
        try:  # state "first" or "value": one element
            value, end = raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            # At the very end of the buffer (a literal or an escape cut short) or inside an open string.
            cut = exc.pos >= len(buf) - 8 or exc.msg.startswith("Unterminated string")
            if cut and not eof and len(buf) - pos <= give_up_at:
                fill()  # cut at a chunk boundary: read on
                continue
            if cut and not eof:
                yield _bad(index + 1, "line_too_long", f"longer than {give_up_at} bytes; the rest was not read")
            else:
                yield _bad(index + 1, "invalid_json", f"{exc.msg}; the rest was not read")
            return
        except RecursionError:  # nested deeper than the decoder's recursion limit
            yield _bad(index + 1, "invalid_json", "nested too deeply; the rest was not read")
            return
        if end >= len(buf) and not eof and not isinstance(value, dict | list):
            fill()  # a scalar at the buffer's end may continue in the next chunk
            continue
        index += 1
        size, pos, state = end - pos, end, "after"
        if size > max_item_bytes:
            yield _bad(index, "line_too_long", f"longer than {max_item_bytes} bytes")
            continue
        try:
            yield _row(index, msgspec.convert(value, BackfillLineIn))
        except msgspec.ValidationError as exc:
            yield _bad(index, "invalid_line", str(exc))
