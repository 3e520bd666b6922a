from __future__ import annotations

import os

from celery import shared_task

from service.queue.names import DELIVER_WEBHOOK_TASK
from service.webhooks.delivery import deliver
from service.webhooks.fairness import DeliverySlots
from workers import process

_slots: dict[int, DeliverySlots] = {}  # per process (pool children included)


def _delivery_slots() -> DeliverySlots:
    pid = os.getpid()
    if pid not in _slots:  # two threads may both build one: the same Redis state, so harmless
        _slots[pid] = DeliverySlots(process.settings())
    return _slots[pid]


@shared_task(name=DELIVER_WEBHOOK_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: str) -> str:
    settings = process.settings()
    outcome = deliver(
        process.session_factory(), delivery_id, settings, process.webhook_client(), slots=_delivery_slots()
    )
    # The next attempt is already scheduled in Postgres. A near one also gets a delayed message, for
    # punctuality; a far one is left to the reconciler, since brokers hold hours-long ETAs badly.
    if outcome.retry_in is not None and outcome.retry_in <= settings.webhook_max_countdown_seconds:
        process.dispatcher().send_webhook(delivery_id, countdown=outcome.retry_in)
    for woken in outcome.woken:  # due now in Postgres: a lost wake-up is sent by the reconciler
        process.dispatcher().send_webhook(woken)
    return outcome.status
