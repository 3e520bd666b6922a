"""A total deadline for an outbound HTTP exchange (connect + TLS + send + the whole response).

httpx's timeouts bound each socket operation, so a peer that sends one byte just inside the read timeout keeps
an exchange going for as long as it likes. Inside `total_deadline(seconds)`, every connect, read and write of
a `DeadlineStream` gets at most the time left, and raises httpcore's timeout (ConnectTimeout, ReadTimeout,
WriteTimeout; httpx re-raises them as httpx.TimeoutException) once it is gone. The deadline lives in a
ContextVar, read at each operation, so a pooled keep-alive connection obeys the deadline of the exchange that
is using it now.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

_deadline: ContextVar[float | None] = ContextVar("outbound_deadline", default=None)


@contextmanager
def total_deadline(seconds: float) -> Iterator[None]:
    """Every guarded-stream operation inside the block ends by `seconds` (monotonic clock) from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` shortened to the time left before the deadline, if one is set; raises `expired` once it passed."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the exchange's total deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """Wraps a network stream so each operation respects the current `total_deadline`."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, time_left(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
