"""A fair share of the extraction queue per API key: the priority a live submission is sent with.

Queue order is first in, first out, so a key that submits a burst inside its rate limit puts every other key's
work behind all of it. Each API key's live submissions are counted in Redis per window of
`fair_share_window_seconds` (shared by all API processes); past `fair_share_submissions_per_window` in the
current window, the key's further submissions go at the "busy" priority: after other keys' live work, still
before backfills (`backfills.priority`). Work is only reordered, never refused or delayed when the queue is
empty. If Redis is unreachable every submission keeps the live priority (fail open, like the rate limits).
A submission is counted when the auth guard's rate limit admits it, in the limiter's script (one Redis round trip
per submission): one refused 429 by its request or declared-body allowance is not counted; one refused after that
(a malformed body, a chunked body past its allowance, an invalid submission) is.

Priorities per broker (as in `backfills.priority`): RabbitMQ sends a larger number first (live 5, busy 3,
backfill 1); kombu's Redis emulation sends a smaller number first in steps [0, 3, 6, 9] (live 5 in step 3,
busy 6 in step 6, backfill 9 in step 9).
"""

from __future__ import annotations

import time

from service.queue.transport import is_redis
from service.settings import Settings

from .limiter import Counter

LIVE_PRIORITY = 5  # backfills use a lower priority so live traffic goes first


def busy_priority(settings: Settings) -> int:
    """The wire priority of a key's submissions past its fair share (see the module docstring)."""
    return 6 if is_redis(settings.broker_url) else 3


class FairShare:
    """The rule; the count itself is one increment in the rate limiter's script (`RateLimiter.hit_all`), made by
    the auth guard when the submission's rate limit admits it, so a submission costs one Redis round trip."""

    def __init__(self, settings: Settings) -> None:
        self._window = settings.fair_share_window_seconds
        self._share = settings.fair_share_submissions_per_window
        self._busy = busy_priority(settings)
        self._prefix = settings.rate_limit_key_prefix + "share:"

    def counter(self, key_id: object) -> Counter | None:
        """The counter of `key_id`'s live submissions in the current window (None when the fair share is off)."""
        if self._share <= 0:
            return None
        window = int(time.time() // self._window)
        name = f"{self._prefix}{window}:{key_id}"  # ends with the key id, like every rate-limit key
        return Counter(name, int(self._window * 2) + 1)

    def priority(self, count: int | None) -> int:
        """The priority to send a submission with, `count` being its key's count in the window including it (None
        when it was not counted: the fair share is off, or Redis unreachable)."""
        return self._busy if count is not None and count > self._share else LIVE_PRIORITY
