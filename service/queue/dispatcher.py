"""Sends task messages. Only ids travel; the database holds the state."""
from __future__ import annotations

from typing import Protocol

from celery import Celery

from .names import DELIVER_WEBHOOK_TASK, INGEST_TASK


class Dispatcher(Protocol):
    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None: ...

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None: ...


class CeleryDispatcher:
    """Queues come from the app's task_routes, so a queue prefix applies to every message."""

    def __init__(self, app: Celery) -> None:
        self._app = app

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        self._app.send_task(
            INGEST_TASK, args=[str(job_id)], priority=priority, countdown=countdown
        )

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        self._app.send_task(DELIVER_WEBHOOK_TASK, args=[delivery_id], countdown=countdown)
