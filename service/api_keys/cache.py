"""A short-lived cache of successful key lookups, so the API's hot path does not ask Postgres who a key is on
every request.

An entry lives `key_cache_seconds` (settings; 2 s by default): a key revoked or rotated by another process (the
CLI, another API process) stops working here within that time. Revoking or rotating through this process's own
admin routes drops the key's entries at once (`forget`). Unknown keys are not kept here: that negative cache,
with its own lifetime, is the unauthenticated-abuse defence's (service/ratelimit/unauthenticated.py).
"""

from __future__ import annotations

import threading

from cachetools import TTLCache

from .service import Principal

MAX_KEYS = 10_000  # bounds memory; a deployment has far fewer live keys


class KeyCache:
    """{SHA-256 hex of a key: its Principal}, each entry kept `ttl_seconds` (seconds, > 0) after it was looked up."""

    def __init__(self, ttl_seconds: float, maxsize: int = MAX_KEYS) -> None:
        self._lock = threading.Lock()  # cachetools caches are not thread-safe; sync handlers run in threads
        self._entries: TTLCache[str, Principal] = TTLCache(maxsize, ttl_seconds)

    def get(self, key_hash: str) -> Principal | None:
        with self._lock:
            return self._entries.get(key_hash)

    def put(self, key_hash: str, principal: Principal) -> None:
        with self._lock:
            self._entries[key_hash] = principal

    def forget(self, key_id: object) -> None:
        """Drop every entry of the key `key_id` (after it was revoked or rotated)."""
        with self._lock:
            for key_hash in [h for h, p in self._entries.items() if p.key_id == key_id]:
                self._entries.pop(key_hash, None)
