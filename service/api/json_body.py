"""JSON request bodies with bounded nesting.

Litestar decodes a body with msgspec into plain values before converting it to the route's struct, and msgspec
guards its recursion with Python's own limit (`sys.getrecursionlimit()`, 1,000 by default): a body nested
deeper raises RecursionError, which without this class leaves the API as a 500. No request schema here nests
deeper than a few levels, so the decoder's limit is the cap, and passing it is the client's fault: a 400.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

TOO_DEEP = "the JSON body is nested too deeply (more levels than the decoder's recursion limit)"


class BoundedJsonRequest(Request):
    """`Request` whose `json()` answers 400 malformed_request (RFC 9457) for over-nested JSON."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException(detail=TOO_DEEP) from None
