"""A time bound on the system resolver, for lookups made while a client waits (callback_url at submission).

`socket.getaddrinfo` cannot be interrupted: a stalled DNS server holds the calling thread for the C library's
own timeouts (glibc: 5 s x attempts x nameservers, often 30 s or more). `deadline_resolver` runs the lookup in a
small per-process pool of threads and waits at most `timeout` seconds for it; a lookup that takes longer goes on
in its thread (and frees it when the C library gives up), and the caller gets `FetchError("dns_error_temporary")`
at once. When every thread of the pool is taken by such lookups, a new lookup is refused the same way without
waiting, so stalled lookups can never hold more than `max_pending` threads of a process.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from .errors import FetchError
from .guard import Resolver, system_resolver

MAX_PENDING_LOOKUPS = 8  # threads per process that lookups may hold (a stalled resolver holds each ~30 s)


class _BoundedLookups:
    def __init__(self, max_pending: int) -> None:
        self.pid = os.getpid()  # a pool is not inherited across fork: its threads do not exist in the child
        self._pool = ThreadPoolExecutor(max_pending, thread_name_prefix="dns-lookup")
        self._slots = threading.BoundedSemaphore(max_pending)

    def resolve(self, resolver: Resolver, host: str, timeout: float) -> list[str]:
        if not self._slots.acquire(blocking=False):
            raise FetchError("dns_error_temporary", f"{host}: too many DNS lookups in progress")
        try:
            future = self._pool.submit(resolver, host)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return future.result(timeout)
        except FutureTimeout:
            raise FetchError("dns_error_temporary", f"{host}: no DNS answer within {timeout:g} s") from None


_lookups: _BoundedLookups | None = None
_lock = threading.Lock()


def _shared() -> _BoundedLookups:
    global _lookups
    with _lock:
        if _lookups is None or _lookups.pid != os.getpid():
            _lookups = _BoundedLookups(MAX_PENDING_LOOKUPS)
        return _lookups


def deadline_resolver(timeout: float, resolver: Resolver | None = None) -> Resolver:
    """A resolver (`host -> list[str]` of IP addresses) that answers within `timeout` seconds or raises
    FetchError("dns_error_temporary"); the lookup itself is `resolver` (default: the system resolver), run in a
    per-process pool of at most MAX_PENDING_LOOKUPS threads. Errors of `resolver` (FetchError dns_error...) pass
    through unchanged."""
    lookup = resolver or system_resolver

    def resolve(host: str) -> list[str]:
        return _shared().resolve(lookup, host, timeout)

    return resolve
