from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import select

from service.articles.ingest import ingest
from service.jobs.models import Job
from service.jobs.service import requeue_job, retry_delay
from service.queue.names import INGEST_TASK
from workers import process

log = logging.getLogger(__name__)


@shared_task(name=INGEST_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def ingest_article(job_id: str) -> str:
    send = process.dispatcher()
    try:
        result = ingest(process.session_factory(), job_id, process.settings(), fetch=process.fetch())
    except SoftTimeLimitExceeded:
        return _timed_out(job_id, send)
    # One line per outcome: the fault tests count them ("skipped" = a duplicate message, harmlessly dropped).
    log.info("ingest job %s: %s", job_id, result.status)
    if result.status == "retry":
        send.send_ingest(job_id, countdown=result.retry_in)
    if result.delivery_id:  # committed with the record: the wake-up is a hint, sent off this task's path
        process.background_dispatcher().send_webhook(result.delivery_id)
    return result.status


def _timed_out(job_id: str, send) -> str:
    """The attempt ran past the soft time limit: record it as the job's last error and queue the next attempt;
    once every attempt is used, the next delivery buries the job as `dead` (so a poison message ends)."""
    limit = process.settings().task_soft_time_limit
    process.discard_connections()
    with process.session_factory().begin() as session:
        attempts = session.scalar(select(Job.attempts).where(Job.id == job_id)) or 1
        delay = retry_delay(attempts)
        if (
            requeue_job(
                session,
                job_id,
                delay_seconds=delay,
                error_type="time_limit_exceeded",
                error_detail=f"the attempt ran past the {limit} s soft time limit",
            )
            is None
        ):
            return "skipped"  # finished meanwhile
    log.warning("ingest job %s: time limit exceeded on attempt %d, next in %.0f s", job_id, attempts, delay)
    send.send_ingest(job_id, countdown=delay)
    return "retry"
