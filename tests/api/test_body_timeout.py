"""body_timeout.bound_body_reads at the ASGI level: the body's deadline starts when reading begins, not when the
request arrives; once the response has started, a receive() (a streaming response waiting on the client's
disconnect) is never cut by the body timeout. (Stalled bodies against a real API process:
tests/abuse/test_stalled_request_body.py.)"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from service.api.body_timeout import RequestBodyTimeout, bound_body_reads

GAP = 0.2


def _scope() -> dict:
    settings = SimpleNamespace(body_read_timeout_seconds=GAP, body_min_rate_bytes_per_second=100.0)
    return {"type": "http", "litestar_app": SimpleNamespace(state=SimpleNamespace(settings=settings))}


async def _sent_later(message: dict, delay: float) -> dict:
    await asyncio.sleep(delay)  # the bytes come off the socket a moment after the read starts
    return message


async def _never() -> dict:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


def test_time_before_the_first_read_is_not_counted_against_the_client():
    """A server that starts reading late (a lock, busy threads, Expect: 100-continue) still gets the body."""

    read = []

    async def app(scope, receive, send):
        await asyncio.sleep(3 * GAP)  # the handler is slow to start reading
        read.append(await receive())

    async def receive():
        return await _sent_later({"type": "http.request", "body": b"{}", "more_body": False}, GAP / 4)

    asyncio.run(bound_body_reads(app)(_scope(), receive, _ignore_send()))
    assert read == [{"type": "http.request", "body": b"{}", "more_body": False}]


def test_a_receive_after_the_response_started_is_not_timed():
    """A route that never reads its declared body: its streaming response waits on receive() for a disconnect."""
    outcome = {}

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            await asyncio.wait_for(receive(), 3 * GAP)
        except TimeoutError:
            outcome["waited"] = "until the app's own timeout"
        await send({"type": "http.response.body", "body": b"done", "more_body": False})

    asyncio.run(bound_body_reads(app)(_scope(), _never, _ignore_send()))
    assert outcome == {"waited": "until the app's own timeout"}


def test_a_read_waiting_when_the_response_starts_is_not_cut_later():
    """A receive() already waiting under the body timeout when the response starts: a 408 can no longer be sent,
    so the read goes on waiting (for the client's disconnect) instead of raising into a started response."""
    outcome = {}

    async def app(scope, receive, send):
        read = asyncio.ensure_future(receive())
        await asyncio.sleep(GAP / 4)  # the read is waiting, timed
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(3 * GAP)  # well past the body timeout
        outcome["read"] = "still waiting" if not read.done() else repr(read.exception())
        read.cancel()
        await send({"type": "http.response.body", "body": b"done", "more_body": False})

    asyncio.run(bound_body_reads(app)(_scope(), _never, _ignore_send()))
    assert outcome == {"read": "still waiting"}


def test_a_body_that_stalls_after_reading_began_is_refused():
    async def app(scope, receive, send):
        await receive()

    with pytest.raises(RequestBodyTimeout):
        asyncio.run(bound_body_reads(app)(_scope(), _never, _ignore_send()))


def _ignore_send():
    async def send(message):
        pass

    return send
