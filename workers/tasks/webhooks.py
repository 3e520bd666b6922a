from __future__ import annotations

from celery import shared_task

from service.queue.names import DELIVER_WEBHOOK_TASK
from service.webhooks.delivery import deliver
from workers import process


@shared_task(name=DELIVER_WEBHOOK_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: str) -> str:
    settings = process.settings()
    outcome = deliver(process.session_factory(), delivery_id, settings, process.webhook_client())
    # The next attempt is already scheduled in Postgres. A near one also gets a delayed message, for
    # punctuality; a far one is left to the reconciler, since brokers hold hours-long ETAs badly.
    if outcome.retry_in is not None and outcome.retry_in <= settings.webhook_max_countdown_seconds:
        process.dispatcher().send_webhook(delivery_id, countdown=outcome.retry_in)
    return outcome.status
