"""Request bodies that stall: a client that stops sending its body (short of its Content-Length, mid-chunk, or a
byte now and then) is answered 408 problem+json and its connection closed. Without this, such a client held a
coroutine, an API thread (JSON routes read the body before the handler) and, for a backfill upload, a lease and
an `uploading` row, for as long as it kept the socket open (issue 14).

The rule is Apache's mod_reqtimeout (`RequestReadTimeout body=T,MinRate=R`, https://httpd.apache.org/docs/2.4/
mod/mod_reqtimeout.html): the body must arrive within T seconds, extended by one second for every R bytes
received; and, as nginx's `client_body_timeout` (default 60 s), no wait for the next piece of the body may
exceed T. T is `body_read_timeout_seconds`, R `body_min_rate_bytes_per_second` (mod_reqtimeout's default
MinRate, 500 bytes/s). Once the body is complete nothing is timed: a response that streams may still wait on
the client's disconnect.
"""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.exceptions import HTTPException


class RequestBodyTimeout(HTTPException):
    """408 Request Timeout (RFC 9110 section 15.5.9): the body did not arrive in time; the connection closes."""

    status_code = 408


def bound_body_reads(app):
    """ASGI middleware: each `receive()` of an HTTP request's body waits at most the time the rule above leaves
    (the smaller of T and what remains of the body's deadline), else raises RequestBodyTimeout (problems.py
    answers it as 408 `request_timeout` with `Connection: close`). The deadline starts at the first `receive()`,
    when reading begins (as in mod_reqtimeout), so time the server takes before it reads (a lock, a busy thread
    pool, `Expect: 100-continue`) is not counted against the client. Once the body is complete, or the response
    has started (a route that never reads its body, whose streaming response then waits on the client's
    disconnect), `receive()` is passed through untimed: a 408 can no longer be sent then."""

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        settings = Litestar.from_scope(scope).state.settings
        gap, rate = settings.body_read_timeout_seconds, settings.body_min_rate_bytes_per_second
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        untimed = False  # the body is complete, or the response has started

        async def receive_in_time():
            nonlocal deadline, untimed
            if untimed:
                return await receive()
            now = loop.time()
            if deadline is None:
                deadline = now + gap
            try:
                async with asyncio.timeout(max(min(gap, deadline - now), 0.0)):
                    message = await receive()
            except TimeoutError:
                if untimed:  # the response started while this receive waited: too late for a 408
                    return await receive()
                raise RequestBodyTimeout(
                    detail=f"the request body stalled: send it within {gap:g} s, then at {rate:g} bytes/s or more, "
                    "with no pause longer than that",
                    headers={"Connection": "close"},
                ) from None
            if message["type"] == "http.request":
                deadline += len(message.get("body", b"")) / rate
                untimed = not message.get("more_body", False)
            else:  # http.disconnect
                untimed = True
            return message

        async def send_noting_start(message):
            nonlocal untimed
            if message["type"] == "http.response.start":
                untimed = True
            await send(message)

        await app(scope, receive_in_time, send_noting_start)

    return middleware
