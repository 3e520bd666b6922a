"""One HTTP exchange with hard limits: deadlines, raw and decoded size caps, content-type gate."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from ..settings import Settings
from .decoding import decode_stream
from .errors import FetchError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class RawResponse:
    url: str
    status_code: int
    headers: httpx.Headers
    body: bytes  # decoded (Content-Encoding removed), empty for redirects and errors
    raw_bytes_len: int

    @property
    def media_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None


def _timeout(settings: Settings, deadline: float) -> httpx.Timeout:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("fetch_timeout", "total deadline reached")
    read = min(settings.fetch_read_timeout, remaining)
    return httpx.Timeout(connect=min(settings.fetch_connect_timeout, remaining), read=read, write=read, pool=read)


@contextlib.contextmanager
def mapped_errors(url: str) -> Iterator[None]:
    """httpx failures as typed FetchErrors."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError("fetch_timeout", f"{type(exc).__name__} for {url}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError("invalid_url", str(exc)) from None
    except UnicodeError as exc:  # a host that is not valid IDNA ("xn--zz"): httpx's idna codec raises IDNAError
        raise FetchError("invalid_url", f"the host is not a valid internationalised domain name: {exc}") from None
    except httpx.TransportError as exc:
        raise FetchError("connection_error", f"{type(exc).__name__}: {exc}") from None


def request_once(
    client: httpx.Client,
    url: str,
    settings: Settings,
    *,
    headers: dict[str, str],
    deadline: float,
    max_bytes: int,
    accept_types: frozenset[str] | None,
) -> RawResponse:
    """GETs `url` once. The body is read only for 2xx answers, and only if its type is accepted."""
    with (
        mapped_errors(url),
        client.stream("GET", url, headers=headers, timeout=_timeout(settings, deadline)) as response,
    ):
        result = RawResponse(url, response.status_code, response.headers, b"", 0)
        if not 200 <= response.status_code < 300:
            return result
        media_type = result.media_type
        if accept_types is not None and media_type is not None and media_type not in accept_types:
            raise FetchError("not_html", f"content type {result.media_type!r}")
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError("too_large", f"Content-Length {length} is over the limit of {max_bytes} bytes")
        result.body, result.raw_bytes_len = _read_capped(response, deadline, max_bytes)
        return result


def _read_capped(response: httpx.Response, deadline: float, max_bytes: int) -> tuple[bytes, int]:
    raw_len = 0

    def raw_chunks() -> Iterator[bytes]:
        nonlocal raw_len
        # raw: httpx would inflate without an output limit. No chunk size: httpx would buffer up to it,
        # and the deadline must be checked as each network read returns.
        for chunk in response.iter_raw():
            raw_len += len(chunk)
            if raw_len > max_bytes:
                raise FetchError("too_large", f"body is over the limit of {max_bytes} bytes")
            if time.monotonic() > deadline:  # a trickling server never trips the per-read timeout
                raise FetchError("fetch_timeout", "total deadline reached while reading the body")
            yield chunk

    parts: list[bytes] = []
    size = 0
    for piece in decode_stream(raw_chunks(), response.headers.get("content-encoding"), max_bytes):
        size += len(piece)
        if size > max_bytes:
            raise FetchError("too_large", f"decoded body is over the limit of {max_bytes} bytes")
        parts.append(piece)
    return b"".join(parts), raw_len
