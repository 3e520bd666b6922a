"""Periodic reconciler: re-sends work whose message was lost (a crash between commit and publish, a broker
that dropped it, a killed worker). Claims in the database make the occasional duplicate harmless.

It must not flood the broker with copies of messages that are merely waiting behind a backlog: a queued job is
re-sent only after the grace period, at most once per grace period, and only while the queue holds fewer
messages than one batch (a lost message in a long backlog is re-sent when the backlog drains)."""

from __future__ import annotations

import logging

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from service.jobs.service import mark_unsent_jobs, release_expired_leases
from service.queue.celery_config import queue_names
from service.queue.dispatcher import waiting_messages
from service.queue.names import RECONCILE_TASK
from service.webhooks.service import list_due_deliveries
from workers import process

log = logging.getLogger(__name__)


@shared_task(name=RECONCILE_TASK, ignore_result=True)
def reconcile() -> dict:
    try:
        return _reconcile()
    except SoftTimeLimitExceeded:  # an outage made the pass slow; the rows stay due for the next one
        process.discard_connections()
        log.warning("reconciler pass cut short by its time limit")
        return {"cut_short": True}


def _reconcile() -> dict:
    settings, send = process.settings(), process.dispatcher()
    ingest_queue, webhook_queue = queue_names(settings)
    batch = settings.reconcile_batch_size
    waiting = waiting_messages(current_app, ingest_queue)
    if waiting is None:  # the broker is unreachable: nothing could be sent anyway
        log.warning("reconciler skipped a pass: the broker is unreachable")
        return {"jobs": 0, "deliveries": 0, "waiting": None}
    with process.session_factory().begin() as session:
        released = release_expired_leases(session, limit=batch)
        unsent = mark_unsent_jobs(
            session, grace_seconds=settings.reconcile_grace_seconds, limit=batch - len(released) - waiting
        )
    webhook_waiting = waiting_messages(current_app, webhook_queue) or 0
    with process.session_factory().begin() as session:
        deliveries = list_due_deliveries(session, limit=max(0, batch - webhook_waiting))
    sent = _send_all([(lambda r=r: send.send_ingest(str(r.job_id), priority=r.priority)) for r in released + unsent])
    sent_deliveries = _send_all([(lambda d=d: send.send_webhook(d)) for d in deliveries])
    if released or unsent or deliveries:
        log.info(
            "reconciler: %d expired leases, %d unsent jobs, %d due deliveries re-sent (%d/%d sent, "
            "%d messages waiting)",
            len(released),
            len(unsent),
            len(deliveries),
            sent,
            sent_deliveries,
            waiting,
        )
    return {
        "released": len(released),
        "unsent": len(unsent),
        "jobs": sent,
        "deliveries": sent_deliveries,
        "waiting": waiting,
    }


def _send_all(sends) -> int:
    """Stop at the first failure: the broker is gone, and the rows stay due for the next pass."""
    for count, send in enumerate(sends):
        try:
            send()
        except Exception as exc:
            log.warning("reconciler: publish failed (%s); the rest waits for the next pass", exc.__class__.__name__)
            return count
    return len(sends)
