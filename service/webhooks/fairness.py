"""A share of webhook delivery slots per API key, so one tenant's slow receivers cannot take them all, and a line
for the key's deliveries over that share.

Every attempt holds a worker slot for up to `webhook_timeout` seconds. An API key may have at most
`webhook_max_in_flight_per_key` attempts in flight at once, across every worker (a Redis sorted set per key:
member = delivery id, score = when the hold lapses, so a killed worker's hold ends by itself). A delivery over
the share joins the key's line (a second sorted set, score = when it first joined: oldest first) without using
an attempt of its retry schedule; each attempt of the key that ends takes the oldest one out of the line to be
woken (`release`). Polling for a slot instead cost one claim per waiting delivery every few seconds, so one
tenant's backlog behind a slow receiver took the webhook workers from every tenant (issue 14).
If Redis is unreachable the share is not enforced (fail open, as the API's rate limits do).
"""

from __future__ import annotations

import logging

import redis

from service.kit.redis_clients import process_client
from service.settings import Settings

log = logging.getLogger(__name__)

# KEYS: the key's slots, its line, and the places of members taken out of the line to be woken (a woken delivery
# that finds the share taken again, by a newcomer, rejoins at its old place: it is not sent to the back each time).
# ARGV: share, member, hold (ms). Returns -1 when a slot was taken, else the member's place in the line (0: next).
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local since = redis.call('HGET', KEYS[3], ARGV[2]) or now
  redis.call('ZADD', KEYS[2], 'NX', since, ARGV[2])
  redis.call('PEXPIRE', KEYS[2], 86400000)
  return redis.call('ZRANK', KEYS[2], ARGV[2])
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 1000)
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
return -1
"""
# KEYS as above; ARGV: the member whose attempt ended ("" for none). Returns the oldest member of the line, taken
# out of it (its place kept aside until it takes a slot), or false when the line is empty.
_RELEASE = """
if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
local oldest = redis.call('ZPOPMIN', KEYS[2])
if oldest[1] == nil then return false end
redis.call('HSET', KEYS[3], oldest[1], oldest[2])
redis.call('PEXPIRE', KEYS[3], 86400000)
return oldest[1]
"""
# KEYS: the places kept aside; ARGV: a member that will not run again (delivered meanwhile, or disabled).
_FORGET = "return redis.call('HDEL', KEYS[1], ARGV[1])"


class DeliverySlots:
    """One process's handle on the slot shares and lines in Redis (see the module docstring)."""

    def __init__(self, settings: Settings, client: redis.Redis | None = None) -> None:
        self._share = settings.webhook_max_in_flight_per_key
        self.hold_seconds = settings.webhook_timeout + 5  # an attempt ends within its deadline
        self._prefix = settings.rate_limit_key_prefix + "webhook-slots:"
        self._redis = client or process_client(settings.redis_url, timeout=1.0)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._forget = self._redis.register_script(_FORGET)

    @property
    def share(self) -> int:
        """Attempts of one key in flight at once (`webhook_max_in_flight_per_key`; 0 or less: no limit)."""
        return self._share

    def take(self, api_key_id, delivery_id: str) -> int | None:
        """Take one of the key's slots for this delivery: None when taken, else the delivery's place in the
        key's line (0: next to be woken), which it joins unless it is in it already (then it keeps its place)."""
        if self._share <= 0:
            return None
        try:
            place = int(
                self._acquire(
                    keys=self._keys(api_key_id), args=[self._share, str(delivery_id), int(self.hold_seconds * 1000)]
                )
            )
        except redis.RedisError as exc:
            log.warning("webhook slot shares are off while Redis is unreachable: %s", type(exc).__name__)
            return None
        return None if place < 0 else place

    def release(self, api_key_id, delivery_id: str | None) -> str | None:
        """End `delivery_id`'s hold (None: none, just take the next in line) and take the oldest delivery out of
        the key's line: its id, to be woken, or None when no delivery waits (or Redis is unreachable: the
        waiting ones are then tried at their fallback time)."""
        if self._share <= 0:
            return None
        try:
            woken = self._release(keys=self._keys(api_key_id), args=[str(delivery_id or "")])
        except redis.RedisError:
            return None  # the hold lapses by itself; the line's members have their fallback time
        return woken.decode() if isinstance(woken, bytes) else woken

    def forget(self, api_key_id, delivery_id: str) -> bool:
        """Drop the kept place of a delivery taken out of the line that will not run again; True when it had
        one (it had been woken), False otherwise or when Redis is unreachable."""
        if self._share <= 0:
            return False
        try:
            return bool(self._forget(keys=self._keys(api_key_id)[2:], args=[str(delivery_id)]))
        except redis.RedisError:  # the places expire with the key's quiet day
            return False

    def _keys(self, api_key_id) -> list[str]:
        key = f"{self._prefix}{api_key_id}"
        return [key, f"{key}:line", f"{key}:woken"]
