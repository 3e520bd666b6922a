"""A share of webhook delivery slots per API key, so one tenant's slow receivers cannot take them all.

Every attempt holds a worker slot for up to `webhook_timeout` seconds. An API key may have at most
`webhook_max_in_flight_per_key` attempts in flight at once, across every worker (a Redis sorted set per key:
member = delivery id, score = when the hold lapses, so a killed worker's hold ends by itself). A delivery over
the share is deferred by `webhook_defer_seconds` without using an attempt of its retry schedule.
If Redis is unreachable the share is not enforced (fail open, as the API's rate limits do).
"""

from __future__ import annotations

import contextlib
import logging

import redis

from service.kit.redis_clients import process_client
from service.settings import Settings

log = logging.getLogger(__name__)

# KEYS[1] the key's set; ARGV: share, member, hold (ms). Returns 1 when a slot was taken.
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 1000)
return 1
"""


class DeliverySlots:
    def __init__(self, settings: Settings, client: redis.Redis | None = None) -> None:
        self._share = settings.webhook_max_in_flight_per_key
        self._hold_ms = (settings.webhook_timeout + 5) * 1000  # an attempt ends within its deadline
        self._prefix = settings.rate_limit_key_prefix + "webhook-slots:"
        self._redis = client or process_client(settings.redis_url, timeout=1.0)
        self._acquire = self._redis.register_script(_ACQUIRE)

    def acquire(self, api_key_id, delivery_id: str) -> bool:
        """Take one of the key's slots for this delivery; False when the key already uses its whole share."""
        if self._share <= 0:
            return True
        try:
            return bool(
                self._acquire(keys=[f"{self._prefix}{api_key_id}"], args=[self._share, str(delivery_id), self._hold_ms])
            )
        except redis.RedisError as exc:
            log.warning("webhook slot shares are off while Redis is unreachable: %s", type(exc).__name__)
            return True

    def release(self, api_key_id, delivery_id: str) -> None:
        if self._share <= 0:
            return
        with contextlib.suppress(redis.RedisError):  # the hold lapses by itself
            self._redis.zrem(f"{self._prefix}{api_key_id}", str(delivery_id))
