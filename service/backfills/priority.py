"""Message priorities for backfill work, per broker.

RabbitMQ (x-max-priority 10 on the ingest queue): a larger number goes first; live traffic sends 5.
Redis (kombu emulation): the opposite, 0 goes first, and priorities fall into steps [0, 3, 6, 9], so live 5
lands in step 3. Backfill jobs must sort after live ones on both, and the releaser's own tick before both
(it is tiny, and late ticks would slow the release). The stored job priority is the wire value, so the
reconciler re-sends a job with the priority it was first sent with.
"""

from __future__ import annotations

from service.queue.transport import is_redis
from service.settings import Settings


def backfill_priority(settings: Settings) -> int:
    return 9 if is_redis(settings.broker_url) else 1


def tick_priority(settings: Settings) -> int:
    return 0 if is_redis(settings.broker_url) else 9
