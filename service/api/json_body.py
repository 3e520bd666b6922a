"""JSON request bodies: bounded nesting, a JSON media type, and chunked bodies counted like declared ones.

Litestar decodes a body with msgspec into plain values before converting it to the route's struct, and msgspec
guards its recursion with Python's own limit (`sys.getrecursionlimit()`, 1,000 by default): a body nested
deeper raises RecursionError, which without this class leaves the API as a 500. No request schema here nests
deeper than a few levels, so the decoder's limit is the cap, and passing it is the client's fault: a 400.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, HTTPException
from litestar.types import Empty

from service.api_keys.service import hash_key
from service.ratelimit.guard import LARGE_BODY_BYTES, charge_body, counts_body, recent_refusals

TOO_DEEP = "the JSON body is nested too deeply (more levels than the decoder's recursion limit)"
WRONG_MEDIA_TYPE = "send the body as application/json (it was sent as {media_type})"


class UnsupportedMediaType(HTTPException):
    """415: a JSON route's body declared as another media type (RFC 9110 section 15.5.16)."""

    status_code = 415


def is_json_media_type(media_type: str) -> bool:
    """True for ``application/json`` and structured-syntax ``+json`` types (RFC 6839), or no type at all (an
    empty string: a client that names none is read as JSON, as Litestar does)."""
    return not media_type or media_type == "application/json" or media_type.endswith("+json")


class BoundedJsonRequest(Request):
    """`Request` whose `json()` answers 400 malformed_request (RFC 9457) for over-nested JSON and 415
    unsupported_media_type for a body declared as something other than JSON (a form or text/plain body would
    otherwise be parsed as JSON, so a mislabelled request worked by accident).

    Its `stream()` counts a body sent without Content-Length (chunked) against the key's allowance of large bodies
    as the auth guard counts a declared one (`ratelimit.guard.counts_body`): once it passes LARGE_BODY_BYTES a key
    already refused is answered 429 from memory without reading the rest, and a body read whole is charged its
    size (a 429 past the allowance, remembered for the key's next large bodies, chunked or declared)."""

    async def stream(self) -> AsyncGenerator[bytes, None]:
        key_hash = self._undeclared_large_body_key()
        if not key_hash:
            async for chunk in super().stream():
                yield chunk
            return
        state, principal, read = self.app.state, self.state.principal, 0
        async for chunk in super().stream():
            if read < LARGE_BODY_BYTES <= read + len(chunk):
                recent_refusals(state).check(key_hash, "body")
            read += len(chunk)
            yield chunk
        if read >= LARGE_BODY_BYTES:
            await charge_body(state, principal, key_hash, read)

    def _undeclared_large_body_key(self) -> str:
        """The key's hash when this body must be counted as it is read: no Content-Length (the guard counted a
        declared one), a body not read yet, an authenticated route whose writes count (`counts_body`)."""
        if self.headers.get("content-length") is not None or "principal" not in self.state:
            return ""
        if self._body is not Empty or self._connection_state.body is not Empty:  # read (and counted) already
            return ""
        if not counts_body(self.route_handler.opt.get("scope", ""), self.method, LARGE_BODY_BYTES):
            return ""
        kind, _, key = self.headers.get("authorization", "").partition(" ")
        return hash_key(key.strip()) if kind.lower() == "bearer" and key.strip() else ""

    async def json(self) -> Any:
        media_type = self.content_type[0].lower()
        if not is_json_media_type(media_type):
            raise UnsupportedMediaType(detail=WRONG_MEDIA_TYPE.format(media_type=media_type))
        try:
            return await super().json()
        except RecursionError:
            raise ClientException(detail=TOO_DEEP) from None
