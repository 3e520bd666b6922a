"""JSON request bodies: bounded nesting, a JSON media type, a body without Content-Length counted as it is read,
and a large body's binary document refused before it is decoded.

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

from service.api.document_probe import is_document_route, refuse_binary_documents
from service.ratelimit.guard import BodyMeter

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
    otherwise be parsed as JSON, so a mislabelled request worked by accident), and on a document route (opt
    `document_probe.DOCUMENT_ROUTE`) refuses a large body's binary `html` or `text` before decoding it.

    Its `stream()` feeds a body sent without Content-Length to the `BodyMeter` the auth guard left for it, chunk by
    chunk as it arrives: past the key's allowance of large bodies the meter raises RateLimited (429
    problem+json, Retry-After) and nothing more is read or parsed. A declared body streams as Litestar's does (the
    guard counted it from its Content-Length)."""

    def stream(self) -> AsyncGenerator[bytes, None]:
        meter = self.state.get("body_meter") if self._body is Empty else None
        return self._metered(meter) if meter is not None else super().stream()

    async def _metered(self, meter: BodyMeter) -> AsyncGenerator[bytes, None]:
        async for chunk in super().stream():
            if chunk:
                await meter.add(len(chunk))
            yield chunk
        await meter.finish()

    async def json(self) -> Any:
        media_type = self.content_type[0].lower()
        if not is_json_media_type(media_type):
            raise UnsupportedMediaType(detail=WRONG_MEDIA_TYPE.format(media_type=media_type))
        if is_document_route(self.route_handler.opt):  # before decoding: binary data is refused from its raw bytes
            refuse_binary_documents(await self.body())
        try:
            return await super().json()
        except RecursionError:
            raise ClientException(detail=TOO_DEEP) from None
