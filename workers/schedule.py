"""Periodic tasks run by `article-ingest beat` (or `worker --beat`): add an entry to schedule one.

An entry with work to check fires only while the database holds such work: beat asks with one EXISTS query
per interval, so an idle deployment sends no periodic messages (with one worker process, as in
`article-ingest dev`, a tick every second would keep it busy and delay live jobs by seconds). A failed check
counts as work: the task itself copes with an outage."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery.schedules import schedstate, schedule
from sqlalchemy import text

from service.backfills.priority import tick_priority
from service.backfills.upload_lease import LAPSED
from service.queue.names import RECONCILE_TASK, RELEASE_TASK
from service.settings import Settings

log = logging.getLogger(__name__)

# work -> a query that is true while a task of that kind has something to do.
WORK = {
    # Backfills the releaser prepares, releases or closes, and uploads whose lease lapsed (see releaser._pass).
    "backfills": "SELECT EXISTS (SELECT 1 FROM backfills WHERE status IN ('preparing', 'running', 'paused') "
    f"OR {LAPSED})",
    # Jobs whose message may be lost or whose lease may expire, and webhook deliveries still to make
    # (served by ix_jobs_status_updated_at and ix_webhook_deliveries_status_next_attempt_at).
    "reconcile": "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running')) "
    "OR EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 'pending')",
}


class while_work(schedule):
    """Every `run_every`, but only while the WORK[work] query finds something to do."""

    def __init__(self, run_every: float | timedelta, work: str, **kwargs) -> None:
        super().__init__(run_every, **kwargs)
        self.work = work

    def is_due(self, last_run_at) -> schedstate:
        due, next_check = super().is_due(last_run_at)
        if due and not _has_work(self.work):
            return schedstate(is_due=False, next=self.seconds)  # ask again after one interval
        return schedstate(due, next_check)

    def __reduce__(self):
        return self.__class__, (self.run_every, self.work)

    def __eq__(self, other) -> bool:
        return isinstance(other, while_work) and (self.run_every, self.work) == (other.run_every, other.work)


def _has_work(work: str) -> bool:
    from workers import process

    try:
        with process.session_factory()() as session:
            lease = process.settings().backfill_upload_lease_seconds
            return bool(session.execute(text(WORK[work]), {"lease": lease}).scalar_one())
    except Exception:
        log.warning("beat could not check for %s work; sending the task anyway", work, exc_info=True)
        return True


def beat_schedule(settings: Settings) -> dict:
    return {
        # Stale passes are dropped, not piled up behind an outage (the next pass does the same work).
        "reconcile": {
            "task": RECONCILE_TASK,
            "schedule": while_work(settings.reconcile_interval_seconds, "reconcile"),
            "options": {"expires": max(5.0, settings.reconcile_interval_seconds * 2)},
        },
        # Ahead of queued jobs (a late tick slows the release), and dropped when stale rather than piled up.
        "backfills-release": {
            "task": RELEASE_TASK,
            "schedule": while_work(settings.backfill_tick_seconds, "backfills"),
            "options": {"priority": tick_priority(settings), "expires": max(10.0, settings.backfill_tick_seconds * 5)},
        },
    }
