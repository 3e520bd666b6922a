"""Periodic tasks run by `article-ingest beat` (or `worker --beat`): add an entry to schedule one."""
from __future__ import annotations

from service.queue.names import RECONCILE_TASK
from service.settings import Settings


def beat_schedule(settings: Settings) -> dict:
    return {
        "reconcile": {"task": RECONCILE_TASK, "schedule": settings.reconcile_interval_seconds},
    }
