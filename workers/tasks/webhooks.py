from __future__ import annotations

from celery import shared_task

from service.queue.names import DELIVER_WEBHOOK_TASK
from service.webhooks.delivery import deliver
from workers import process


@shared_task(name=DELIVER_WEBHOOK_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: str) -> str:
    outcome = deliver(process.session_factory(), delivery_id, process.settings(), process.webhook_client())
    if outcome.status == "pending" and outcome.retry_in is not None:
        process.dispatcher().send_webhook(delivery_id, countdown=outcome.retry_in)
    return outcome.status
