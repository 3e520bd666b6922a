"""Periodic tasks run by `article-ingest beat` (or `worker --beat`): add an entry to schedule one."""
from __future__ import annotations

from service.backfills.priority import tick_priority
from service.queue.names import RELEASE_TASK
from service.queue.names import RECONCILE_TASK
from service.settings import Settings


def beat_schedule(settings: Settings) -> dict:
    return {
        # Stale passes are dropped, not piled up behind an outage (the next pass does the same work).
        "reconcile": {"task": RECONCILE_TASK, "schedule": settings.reconcile_interval_seconds,
                      "options": {"expires": max(5.0, settings.reconcile_interval_seconds * 2)}},
        # Ahead of queued jobs (a late tick slows the release), and dropped when stale rather than piled up.
        "backfills-release": {"task": RELEASE_TASK, "schedule": settings.backfill_tick_seconds,
                              "options": {"priority": tick_priority(settings),
                                          "expires": max(10.0, settings.backfill_tick_seconds * 5)}},
    }
