"""Refuses NUL characters in the URL before any handler runs: Postgres text cannot hold them, and a filter that
fails inside a streamed response (the NDJSON export) can no longer become a clean problem response."""

from __future__ import annotations

import msgspec

from .problems import MALFORMED_TITLE, PROBLEM_JSON, TYPE_BASE

_NUL = (b"%00", b"\x00")


def reject_nul_in_url(app):
    async def middleware(scope, receive, send):
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
            query = scope.get("query_string", b"")
            if any(marker in part for part in (raw, query.lower()) for marker in _NUL):
                await _bad_request(send, scope.get("path", ""))
                return
        await app(scope, receive, send)

    return middleware


async def _bad_request(send, path: str) -> None:
    body = msgspec.json.encode(
        {
            "type": TYPE_BASE + "malformed_request",
            "title": MALFORMED_TITLE,
            "status": 400,
            "detail": "the URL contains a NUL character",
            "instance": path,
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
