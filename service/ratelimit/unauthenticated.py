"""Cheap refusals for requests that do not authenticate, per API process.

- A negative cache: the hash of a key the database did not know is answered 401 from memory for
  `unknown_key_cache_seconds` (a revoked key stays revoked; a new or rotated key has a hash never seen before).
- A limit per client address on failed authentications (GCRA in Redis, shared by every API process, class
  "unauthenticated"): past it the address is blocked until the limiter's Retry-After, and its requests are
  answered 429 before any database lookup. Keys this process authenticated in the last `KNOWN_KEY_SECONDS` still
  pass from a blocked address (each authentication renews that), so a tenant behind the same NAT as a flood keeps
  working.
"""

from __future__ import annotations

import threading
import time

from cachetools import TTLCache

from service.api_keys.service import Principal
from service.errors import ServiceError, Unauthorized
from service.settings import Settings

from .limiter import RateLimiter

KNOWN_KEY_SECONDS = 30.0  # how long a blocked address may still use a key seen valid (revocation takes this long there)
_MAX_ENTRIES = 100_000  # per cache: bounds the memory a flood of random keys or addresses can take


class AddressRateLimited(ServiceError):
    status, type, title = 429, "rate_limited", "Too many failed authentications from this address"


class AuthFailures:
    def __init__(self, settings: Settings, limiter: RateLimiter) -> None:
        self._limiter = limiter
        self._lock = threading.Lock()  # cachetools caches are not thread-safe
        self._unknown: TTLCache = TTLCache(_MAX_ENTRIES, settings.unknown_key_cache_seconds)
        self._known: TTLCache = TTLCache(_MAX_ENTRIES, KNOWN_KEY_SECONDS)
        self._blocked: dict[str, float] = {}  # address -> monotonic time it is let through again

    def is_unknown(self, key_hash: str) -> bool:
        with self._lock:
            return key_hash in self._unknown

    def check_address(self, address: str, key_hash: str) -> None:
        """Raise AddressRateLimited when `address` is blocked, unless `key_hash` is a key seen valid lately: that
        request goes on to the usual authentication (the key cache, else a lookup, which `remember`s it again), so
        a tenant behind a flooding address keeps working however long the flood lasts, and a revocation still takes
        effect within the key cache's lifetime."""
        with self._lock:
            until = self._blocked.get(address)
            if until is None:
                return
            if until <= time.monotonic():
                del self._blocked[address]
                return
            if key_hash in self._known:
                return
        raise _limited(until - time.monotonic())

    def remember(self, key_hash: str, principal: Principal | None) -> None:
        with self._lock:
            if principal is None:
                self._unknown[key_hash] = True
            else:
                self._known[key_hash] = principal

    async def refuse(self, address: str, reason: str) -> ServiceError:
        """The error for a failed authentication from `address`, counting it against the address's allowance."""
        decision = await self._limiter.hit(address, "unauthenticated")
        if decision.allowed:
            return Unauthorized(reason)
        with self._lock:
            if len(self._blocked) >= _MAX_ENTRIES:
                self._blocked.clear()
            self._blocked[address] = time.monotonic() + decision.retry_after
        return _limited(decision.retry_after)


def _limited(retry_after: float) -> AddressRateLimited:
    seconds = max(1, int(retry_after + 0.999))
    return AddressRateLimited(
        "too many requests without a valid API key from this address; retry later", extra={"retry_after": seconds}
    )
