"""A backfill upload that stalls: the raw-socket client several abuse tests need (httpx cannot stop mid-body)."""

from __future__ import annotations

import socket

STALLED_LINE = b'{"url": "https://example.org/news/1"}\n'


def stalled_upload(base: str, key: str, timeout: float | None = None) -> socket.socket:
    """Open POST /v1/admin/backfills on the API at `base` (http://host:port) with admin `key`: a chunked NDJSON
    body whose first chunk is one line, then silence. Returns the open socket (`timeout`: its read timeout)."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sock.sendall(
        f"POST /v1/admin/backfills HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        + f"{len(STALLED_LINE):x}\r\n".encode()
        + STALLED_LINE
        + b"\r\n"
    )
    return sock
