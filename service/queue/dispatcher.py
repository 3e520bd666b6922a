"""Sends task messages. Only ids travel; the database holds the state."""

from __future__ import annotations

from typing import Protocol

from celery import Celery

from .names import DELIVER_WEBHOOK_TASK, INGEST_TASK


class Dispatcher(Protocol):
    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None: ...

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None: ...


class CeleryDispatcher:
    """Queues come from the app's task_routes, so a queue prefix applies to every message.

    Every send is bounded (connect timeout, publish retry policy, confirm timeout: see celery_config): a dead
    broker makes it raise within seconds instead of hanging the caller."""

    def __init__(self, app: Celery) -> None:
        self._app = app
        self._timeout = app.conf.get("article_ingest_publish_timeout") or 5.0

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        self._app.send_task(
            INGEST_TASK,
            args=[str(job_id)],
            priority=priority,
            countdown=countdown,
            timeout=self._timeout,
            confirm_timeout=self._timeout,
        )

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        self._app.send_task(
            DELIVER_WEBHOOK_TASK,
            args=[delivery_id],
            countdown=countdown,
            timeout=self._timeout,
            confirm_timeout=self._timeout,
        )


def waiting_messages(app: Celery, queue: str) -> int | None:
    """Messages ready in a queue (not those a worker holds), or None when the broker cannot be reached."""
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            try:
                _, count, _ = conn.default_channel.queue_declare(queue=queue, passive=True)
            except conn.channel_errors:  # no such queue (Redis drops empty ones): nothing waits in it
                return 0
            return int(count)
    except Exception:
        return None
