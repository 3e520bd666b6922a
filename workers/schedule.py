"""Periodic tasks run by `article-ingest beat` (or `worker --beat`): add an entry to schedule one."""
from __future__ import annotations

from service.backfills.priority import tick_priority
from service.backfills.releaser import RELEASE_TASK
from service.queue.names import RECONCILE_TASK
from service.settings import Settings


def beat_schedule(settings: Settings) -> dict:
    return {
        "reconcile": {"task": RECONCILE_TASK, "schedule": settings.reconcile_interval_seconds},
        # Ahead of queued jobs (a late tick slows the release), and dropped when stale rather than piled up.
        "backfills-release": {"task": RELEASE_TASK, "schedule": settings.backfill_tick_seconds,
                              "options": {"priority": tick_priority(settings),
                                          "expires": max(10.0, settings.backfill_tick_seconds * 5)}},
    }
