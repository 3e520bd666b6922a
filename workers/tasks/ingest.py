from __future__ import annotations

from celery import shared_task

from service.articles.ingest import ingest
from service.queue.names import INGEST_TASK
from workers import process


@shared_task(name=INGEST_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def ingest_article(job_id: str) -> str:
    result = ingest(process.session_factory(), job_id, process.settings(), fetch=process.fetch())
    send = process.dispatcher()
    if result.status == "retry":
        send.send_ingest(job_id, countdown=result.retry_in)
    if result.delivery_id:
        send.send_webhook(result.delivery_id)
    return result.status
