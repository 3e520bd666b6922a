"""Celery configuration shared by producers (API) and consumers (workers)."""
from __future__ import annotations

from celery import Celery
from kombu import Exchange, Queue

from service.settings import Settings

from .names import DELIVER_WEBHOOK_TASK, INGEST_QUEUE, INGEST_TASK, WEBHOOK_QUEUE


def queue_names(settings: Settings) -> tuple[str, str]:
    return settings.queue_prefix + INGEST_QUEUE, settings.queue_prefix + WEBHOOK_QUEUE


def transport_options(settings: Settings) -> dict:
    """Options differ per transport, and the SQLAlchemy one hands unknown options to create_engine()."""
    scheme = settings.broker_url.split("://", 1)[0]
    if scheme.startswith(("redis", "rediss")):
        # A message unacked this long is redelivered. The default (1 h) would delay the recovery of a killed
        # worker's jobs; it must stay above the hard time limit so that no live task is redelivered.
        return {"visibility_timeout": max(settings.task_time_limit * 2, 300)}
    if scheme.startswith(("amqp", "pyamqp")):
        return {"confirm_publish": True}  # publisher confirms: a send returns once the broker has the message
    return {}


def celery_config(settings: Settings) -> dict:
    ingest, webhooks = queue_names(settings)
    return {
        "broker_url": settings.broker_url,
        "task_default_queue": ingest,
        "task_queues": [
            Queue(ingest, Exchange(ingest), routing_key=ingest, queue_arguments={"x-max-priority": 10}),
            Queue(webhooks, Exchange(webhooks), routing_key=webhooks),
        ],
        "task_routes": {INGEST_TASK: {"queue": ingest}, DELIVER_WEBHOOK_TASK: {"queue": webhooks}},
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,  # results live in Postgres
        # At-least-once: ack after the task ran, requeue when a worker dies mid-task.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        "worker_max_tasks_per_child": 1000,
        "worker_max_memory_per_child": 400_000,  # KiB: trafilatura keeps process-wide caches
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport_options(settings),
        "task_publish_retry": True,
        "task_publish_retry_policy": {"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 2},
        "worker_send_task_events": True,  # Flower works unchanged
        "task_send_sent_event": True,
        "worker_hijack_root_logger": False,
    }


def make_producer_app(settings: Settings) -> Celery:
    app = Celery("article-ingest-producer")
    app.conf.update(celery_config(settings))
    return app
