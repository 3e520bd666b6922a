"""Periodic reconciler: re-sends work whose message was lost (a crash between commit and publish, a broker
that dropped it, a killed worker). Claims in the database make the occasional duplicate harmless."""
from __future__ import annotations

import logging

from celery import shared_task

from service.jobs.service import list_stale_jobs, touch_job
from service.queue.names import RECONCILE_TASK
from service.webhooks.service import list_due_deliveries
from workers import process

log = logging.getLogger(__name__)


@shared_task(name=RECONCILE_TASK, ignore_result=True)
def reconcile() -> dict:
    settings, send = process.settings(), process.dispatcher()
    with process.session_factory().begin() as session:
        jobs = list_stale_jobs(session, queued_grace_seconds=settings.reconcile_grace_seconds)
        for job in jobs:
            touch_job(session, job.id)
        deliveries = list_due_deliveries(session)
    for job in jobs:
        send.send_ingest(str(job.id), priority=job.priority)
    for delivery_id in deliveries:
        send.send_webhook(delivery_id)
    if jobs or deliveries:
        log.info("reconciler re-sent %d jobs and %d webhook deliveries", len(jobs), len(deliveries))
    return {"jobs": len(jobs), "deliveries": len(deliveries)}
