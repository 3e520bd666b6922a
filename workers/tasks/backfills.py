"""The backfill releaser, run by beat: prepare lines, release jobs, close finished backfills."""

from __future__ import annotations

import logging

from celery import shared_task

from service.backfills.releaser import run_tick
from service.queue.names import RELEASE_TASK
from workers import process

log = logging.getLogger(__name__)


@shared_task(name=RELEASE_TASK, ignore_result=True)
def release_backfills() -> dict:
    result = run_tick(process.session_factory(), process.settings())
    send = process.dispatcher()
    try:
        for job_id, priority in result.jobs:
            send.send_ingest(job_id, priority=priority)
        for delivery_id in result.deliveries:
            send.send_webhook(delivery_id)
    except Exception:  # committed rows are safe: the reconciler re-sends what did not go out
        log.warning("backfill release: sending failed; the reconciler will re-send", exc_info=True)
    if result.jobs or result.prepared_lines or result.finished:
        log.info(
            "backfills: prepared %d lines, released %d jobs, finished %s",
            result.prepared_lines,
            len(result.jobs),
            result.finished or "none",
        )
    return {"prepared": result.prepared_lines, "released": len(result.jobs), "finished": len(result.finished)}
