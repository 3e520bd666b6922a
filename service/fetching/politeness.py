"""Per-host limits shared by every worker on every machine, kept in Redis.

- Concurrency: a sorted set of leases per host (member = token, score = expiry in Redis time). A holder
  that crashes frees its slot when its lease expires; no cleanup job needed.
- Rate: a reservation per host ("next free slot" time), so N workers together send at most `rate`/s.
- Pause: after 429/503 + Retry-After, every worker waits until the host's pause ends.
All timing uses the Redis server clock (TIME), so machines with skewed clocks agree.
If Redis is unreachable the limits fail open with a warning: each Celery process fetches one page at a time,
so the damage is bounded, and an outage of Redis should not stop ingestion.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
import uuid
from collections.abc import Iterator

import redis

from service.kit.redis_clients import process_client

from ..settings import Settings
from .errors import FetchError

REDIS_TIMEOUT = 2.0  # seconds: a fetch may wait a little longer for its per-host slot

log = logging.getLogger(__name__)

_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""

# Returns the wait in ms before the reserved slot, or -wait if the slot is further away than max_wait
# (then nothing is reserved). Also honours a pause set by Retry-After.
_RESERVE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0),
                      tonumber(redis.call('GET', KEYS[2]) or 0))
local wait = slot - now
if wait > tonumber(ARGV[2]) then return -wait - 1 end
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + wait + 1000)
return wait
"""

_PAUSE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or 0) then
  redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 1000)
end
return 1
"""


class HostLimiter:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._redis = process_client(settings.redis_url, timeout=REDIS_TIMEOUT)
        self._prefix = settings.politeness_key_prefix
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._reserve = self._redis.register_script(_RESERVE)
        self._pause = self._redis.register_script(_PAUSE)

    def _key(self, kind: str, host: str) -> str:
        return f"{self._prefix}{kind}:{host.lower()}"

    @contextlib.contextmanager
    def slot(self, host: str, deadline: float) -> Iterator[None]:
        """Holds one of the host's concurrency slots and one rate-limit reservation."""
        token = uuid.uuid4().hex
        lease_ms = int((self._settings.fetch_total_timeout + 10) * 1000)
        key = self._key("conc", host)
        try:
            while not self._acquire(keys=[key], args=[self._settings.per_host_concurrency, lease_ms, token]):
                if time.monotonic() + 0.05 >= deadline:
                    raise FetchError("host_busy", f"no free slot for {host}", retry_after=1.0)
                time.sleep(random.uniform(0.02, 0.08))  # jitter: waiting workers do not poll in lockstep
        except redis.RedisError as exc:
            log.warning("per-host limiter unavailable, fetching without it: %s", exc)
            yield
            return
        try:
            self._wait_for_rate(host, deadline)
            yield
        finally:
            with contextlib.suppress(redis.RedisError):
                self._redis.zrem(key, token)

    def _wait_for_rate(self, host: str, deadline: float) -> None:
        rate = self._settings.per_host_rate_per_second
        interval_ms = int(1000 / rate) if rate > 0 else 0
        max_wait_ms = max(0, int((deadline - time.monotonic()) * 1000))
        try:
            wait = int(
                self._reserve(keys=[self._key("next", host), self._key("pause", host)], args=[interval_ms, max_wait_ms])
            )
        except redis.RedisError as exc:
            log.warning("per-host rate limiter unavailable: %s", exc)
            return
        if wait < 0:
            raise FetchError("host_busy", f"{host} is rate limited or paused", retry_after=(-wait - 1) / 1000)
        if wait:
            time.sleep(wait / 1000)

    def pause(self, host: str, seconds: float) -> None:
        """Every worker holds off `host` for `seconds` (from Retry-After)."""
        with contextlib.suppress(redis.RedisError):
            self._pause(keys=[self._key("pause", host)], args=[max(1, int(seconds * 1000))])
