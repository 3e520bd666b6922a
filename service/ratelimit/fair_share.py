"""A fair share of the extraction queue per API key: the priority a live submission is sent with.

Queue order is first in, first out, so a key that submits a burst inside its rate limit puts every other key's
work behind all of it. Each API key's live submissions are counted in Redis per window of
`fair_share_window_seconds` (shared by all API processes); past `fair_share_submissions_per_window` in the
current window, the key's further submissions go at the "busy" priority: after other keys' live work, still
before backfills (`backfills.priority`). Work is only reordered, never refused or delayed when the queue is
empty. If Redis is unreachable every submission keeps the live priority (fail open, like the rate limits).

Priorities per broker (as in `backfills.priority`): RabbitMQ sends a larger number first (live 5, busy 3,
backfill 1); kombu's Redis emulation sends a smaller number first in steps [0, 3, 6, 9] (live 5 in step 3,
busy 6 in step 6, backfill 9 in step 9).
"""

from __future__ import annotations

import logging
import time

import redis

from service.kit.redis_clients import process_client
from service.queue.transport import is_redis
from service.settings import Settings

LIVE_PRIORITY = 5  # backfills use a lower priority so live traffic goes first
REDIS_TIMEOUT = 0.25  # seconds: the answer only orders the queue, it must never hold a submission up
REDIS_RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)


def busy_priority(settings: Settings) -> int:
    """The wire priority of a key's submissions past its fair share (see the module docstring)."""
    return 6 if is_redis(settings.broker_url) else 3


class FairShare:
    def __init__(self, settings: Settings, client: redis.Redis | None = None) -> None:
        self._window = settings.fair_share_window_seconds
        self._share = settings.fair_share_submissions_per_window
        self._busy = busy_priority(settings)
        self._prefix = settings.rate_limit_key_prefix + "share:"
        self._redis = client or process_client(settings.redis_url, timeout=REDIS_TIMEOUT)
        self._skip_until = 0.0

    def priority(self, key_id: object) -> int:
        """Count one live submission of `key_id` and return the priority to send it with."""
        if self._share <= 0 or time.monotonic() < self._skip_until:
            return LIVE_PRIORITY
        window = int(time.time() // self._window)
        name = f"{self._prefix}{window}:{key_id}"  # ends with the key id, like every rate-limit key
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.incr(name)
            pipe.expire(name, int(self._window * 2) + 1)
            count = pipe.execute()[0]
        except redis.RedisError as exc:
            self._skip_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.warning("fair share is off while Redis is unreachable: %s", exc.__class__.__name__)
            return LIVE_PRIORITY
        return LIVE_PRIORITY if count <= self._share else self._busy
