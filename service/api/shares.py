"""Per-key shares of a process's scarce capacity (preview processes, export streams, backfill uploads).

One API key may hold at most `per_key` of them at once in this process; a request over its key's share is the
key's own doing and is answered 429 (RFC 9457, Retry-After), while the capacity being full for everyone is the
caller's 503. Another key therefore always finds capacity that one busy key cannot take."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from service.errors import ServiceError


class TooManyConcurrent(ServiceError):
    status, type, title = 429, "too_many_concurrent", "This API key already runs its share of these requests"


class KeyShares:
    def __init__(self, per_key: int, what: str) -> None:
        self._per_key, self._what = max(1, per_key), what
        self._lock = threading.Lock()
        self._held: Counter = Counter()

    def take(self, key) -> None:
        """Count one more for `key`, or raise TooManyConcurrent (429, retry_after 1 s) past its share."""
        with self._lock:
            if self._held[key] >= self._per_key:
                raise TooManyConcurrent(
                    f"this API key already has {self._per_key} {self._what} running here; retry when one has ended",
                    extra={"retry_after": 1},
                )
            self._held[key] += 1

    def give_back(self, key) -> None:
        with self._lock:
            self._held[key] -= 1
            if self._held[key] <= 0:
                del self._held[key]


class ProcessSlots:
    """At most `most` requests of one long-running kind at once in this API process (export streams, backfill
    uploads), each API key at most `most - 1` of them (KeyShares), so another key always finds one free.

    `take(key)` returns the function that gives the slot back (call it exactly once, when the request ends);
    it raises TooManyConcurrent (429) past the key's share and `busy()` (a 503 ServiceError with retry_after)
    when every slot of the process is taken. Thread-safe."""

    def __init__(self, most: int, what: str, busy: Callable[[], ServiceError]) -> None:
        most = max(1, most)
        self._slots = threading.BoundedSemaphore(most)
        self._shares = KeyShares(most - 1, what)
        self._busy = busy

    def take(self, key) -> Callable[[], None]:
        self._shares.take(key)
        if not self._slots.acquire(blocking=False):
            self._shares.give_back(key)
            raise self._busy()

        def release() -> None:
            self._slots.release()
            self._shares.give_back(key)

        return release


def take_slot(state, key, setting: str, what: str, busy: type[ServiceError], detail: str) -> Callable[[], None]:
    """Take one of this API process's ProcessSlots for `what`, sized by the setting named `setting` and kept in
    the app's `state` under that name (made on first use), for API key `key`: returns the release function;
    raises TooManyConcurrent (429) past the key's share, `busy(detail)` with retry_after 5 s (503) when full."""
    if state.get(setting) is None:
        state[setting] = ProcessSlots(
            getattr(state.settings, setting), what, lambda: busy(detail, extra={"retry_after": 5})
        )
    slots: ProcessSlots = state[setting]
    return slots.take(key)
