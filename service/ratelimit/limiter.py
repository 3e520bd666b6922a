"""GCRA (generic cell rate algorithm) per API key and limit class, in Redis so all API processes share it.

One key per (api key id, class) holds the "theoretical arrival time" (TAT) in ms of Redis server time. A request
is allowed when TAT - now <= the tolerance (the full minute), and then moves TAT on by one emission interval
(60 s / limit). That admits a burst of `limit` requests and then one per interval: never more than `limit` in
the first minute, and `limit + t/interval` over any longer span t. One atomic script, O(1) memory per key, and
the Redis clock only, so skewed API hosts agree.

The check is one round trip (EVALSHA of the script) on an asyncio Redis client, awaited by the auth guard on the
event loop: no request thread waits on Redis. The same script applies several classes at once (`hit_all`: a
submission's request and, for a large declared body, its MiB; in order, stopping at the first refused) and, when
all are allowed, counts the request in a window counter (`Counter`: the fair share of the queue,
ratelimit.fair_share), so a submission costs one Redis round trip whatever it is counted against.

If Redis is unreachable the limiter fails open with a (throttled) warning and leaves Redis alone for a few seconds,
so a hung Redis does not add its timeout to every request: losing abuse limits for the length of a Redis outage is
better than refusing or stalling every client.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis
import redis.asyncio

from service.api_keys.scopes import Scope
from service.settings import Settings

REDIS_TIMEOUT = 1.0  # seconds: a request must not wait long on a slow Redis (limits fail open)

log = logging.getLogger(__name__)

# KEYS[1..n]: GCRA keys, each with ARGV[2i] (emission interval x cost, ms) and ARGV[2i+1] (tolerance, ms), n =
# ARGV[1]; KEYS[n+1], when given: a counter incremented (expiring after ARGV[2n+2] s) once every class allows.
# Returns {allowed (1/0), ms until the refused class would allow it, the refused class's index (0), the count (0)}.
# A class applied before a refused one stays counted, as when each was a call of its own.
_GCRA = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local n = tonumber(ARGV[1])
for i = 1, n do
  local interval = tonumber(ARGV[2 * i])
  local tolerance = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or 0)
  if tat < now then tat = now end
  local new_tat = tat + interval
  if new_tat - now > tolerance then
    return {0, math.ceil(new_tat - tolerance - now), i, 0}
  end
  redis.call('SET', KEYS[i], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now) + 1000)
end
local count = 0
if #KEYS > n then
  count = redis.call('INCR', KEYS[n + 1])
  redis.call('EXPIRE', KEYS[n + 1], tonumber(ARGV[2 * n + 2]))
end
return {1, 0, 0, count}
"""

REDIS_RETRY_SECONDS = 5.0
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def limit_class(scope: str, method: str) -> str:
    """admin routes share one allowance; ingest routes are split into writes and reads."""
    if scope == Scope.ADMIN:
        return "admin"
    return "write" if method.upper() in WRITE_METHODS else "read"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until a retry can succeed
    limit: int = 0  # the per-minute allowance of the class decided on (the refused one, when refused)
    klass: str = ""  # that class


@dataclass(frozen=True, slots=True)
class Counter:
    """A Redis counter `hit_all` increments when the request is allowed: `name` (a full key) expires `ttl_seconds`
    after its last increment."""

    name: str
    ttl_seconds: int


class RateLimiter:
    """One per API app, created in the serving process's event loop (an asyncio client is bound to its loop)."""

    def __init__(self, settings: Settings, client: redis.asyncio.Redis | None = None) -> None:
        self._per_minute = {
            "write": settings.rate_limit_ingest_writes_per_minute,
            "read": settings.rate_limit_ingest_reads_per_minute,
            "admin": settings.rate_limit_admin_per_minute,
            "unauthenticated": settings.rate_limit_unauthenticated_per_minute,  # keyed by client address
            "body": settings.rate_limit_ingest_body_mib_per_minute,  # MiB of large request bodies (cost = MiB)
        }
        self._prefix = settings.rate_limit_key_prefix
        self._redis = client or redis.asyncio.Redis.from_url(
            settings.redis_url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self._script = self._redis.register_script(_GCRA)
        self._last_warning = 0.0
        self._skip_until = 0.0  # after a Redis failure, skip it for a while instead of paying its timeout per request

    async def hit(self, key_id, klass: str, cost: float = 1.0) -> Decision:
        """Count one request of `klass` for `key_id` (an API key id, or a client address for "unauthenticated"),
        weighing `cost` units of the class's per-minute allowance (1 request; for "body", its size in MiB).

        One Redis round trip; fails open (allowed) while Redis is unreachable, see the module docstring."""
        decision, _ = await self.hit_all(key_id, ((klass, cost),))
        return decision

    async def hit_all(
        self, key_id, charges: Sequence[tuple[str, float]], counter: Counter | None = None
    ) -> tuple[Decision, int | None]:
        """`hit` for each (class, cost) of `charges` in order, stopping at the first refused (the refusal is the
        decision; classes before it stay counted), then, when all are allowed, one increment of `counter`. Returns
        the decision and the counter's new value (None without a counter, or while Redis is unreachable).

        One Redis round trip (none when no class has an allowance and there is no counter); fails open like `hit`."""
        applied = [(klass, cost, self._per_minute[klass]) for klass, cost in charges if self._per_minute[klass] > 0]
        limit = applied[0][2] if applied else 0
        if not applied and counter is None:
            return Decision(True), None
        if time.monotonic() < self._skip_until:
            return Decision(True, limit=limit), None
        keys = [f"{self._prefix}{klass}:{key_id}" for klass, _, _ in applied]
        args: list[object] = [len(applied)]
        for _, cost, per_minute in applied:
            args += [repr(60_000 / per_minute * cost), repr(60_000.0)]
        if counter is not None:
            keys.append(counter.name)
            args.append(counter.ttl_seconds)
        try:
            allowed, wait_ms, refused, count = await self._script(keys=keys, args=args)
        except (redis.RedisError, OSError) as exc:
            self._skip_until = time.monotonic() + REDIS_RETRY_SECONDS
            self._warn(exc)
            return Decision(True, limit=limit), None
        if not allowed:
            klass, _, per_minute = applied[int(refused) - 1]
            retry_after = max(1, math.ceil(int(wait_ms) / 1000))
            return Decision(False, retry_after=retry_after, limit=per_minute, klass=klass), None
        return Decision(True, limit=limit), int(count) if counter is not None else None

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > 30:
            self._last_warning = now
            log.warning("rate limits are off while Redis is unreachable: %s", exc.__class__.__name__)
