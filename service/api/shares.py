"""Per-key shares of a process's scarce capacity (preview processes, export streams).

One API key may hold at most `per_key` of them at once in this process; a request over its key's share is the
key's own doing and is answered 429 (RFC 9457, Retry-After), while the capacity being full for everyone is the
caller's 503. Another key therefore always finds capacity that one busy key cannot take."""

from __future__ import annotations

import threading
from collections import Counter

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
