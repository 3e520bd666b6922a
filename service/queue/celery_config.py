"""Celery configuration shared by producers (API) and consumers (workers)."""

from __future__ import annotations

from celery import Celery
from kombu import Exchange, Queue

from service.settings import Settings

from .names import DELIVER_WEBHOOK_TASK, INGEST_QUEUE, INGEST_TASK, RECONCILE_TASK, WEBHOOK_QUEUE
from .transport import is_amqp, is_redis


def queue_names(settings: Settings) -> tuple[str, str]:
    return settings.queue_prefix + INGEST_QUEUE, settings.queue_prefix + WEBHOOK_QUEUE


def transport_options(settings: Settings) -> dict:
    """Options differ per transport, and the SQLAlchemy one hands unknown options to create_engine()."""
    if is_redis(settings.broker_url):
        visibility = settings.redis_visibility_timeout
        return {
            # An unacked message is redelivered after this. Kombu's default (1 h) would delay the recovery of a
            # killed worker's messages; it stays above the hard time limit (Settings checks) so that no live
            # attempt is handed out twice, and the claim in Postgres makes a duplicate harmless anyway.
            "visibility_timeout": visibility,
            # Look for such messages often enough to matter: kombu sweeps every interval x throttle (100 s).
            "unacked_restore_interval": max(1, min(10, visibility // 10)),
            "unacked_restore_throttle": 1,
            # Without these a publish to a broker that accepts TCP but never answers blocks forever.
            "socket_connect_timeout": settings.broker_connect_timeout,
            "socket_timeout": settings.publish_timeout,
            # Kombu keeps unacked messages under one key per Redis database: deployments (and test runs) with
            # their own queue prefix must not restore each other's messages with their own visibility timeout.
            "unacked_key": f"{settings.queue_prefix}unacked",
            "unacked_index_key": f"{settings.queue_prefix}unacked_index",
            "unacked_mutex_key": f"{settings.queue_prefix}unacked_mutex",
        }
    if is_amqp(settings.broker_url):
        # Publisher confirms: a send returns once the broker has the message (its queues are durable). The
        # dispatcher bounds the wait for the confirm (confirm_timeout); connect_timeout bounds the handshake.
        return {"confirm_publish": True}
    return {}


def publish_retry_policy(settings: Settings) -> dict:
    """A send to a dead broker fails within about connect_timeout x (retries + 1) + 0.75 s, never hangs: the
    API logs it and the reconciler re-sends the committed job later."""
    return {
        "max_retries": settings.publish_max_retries,
        "interval_start": 0,
        "interval_step": 0.25,
        "interval_max": 0.5,
    }


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
        # Prefetch 2 was tried (issue 16): the gap between two tasks did not shrink measurably on the shared
        # machine, and a live job would wait behind a prefetched backfill job. One message per pool process.
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        # The reconciler holds no lease; a pass that re-sends a batch through a recovering broker needs longer.
        "task_annotations": {
            RECONCILE_TASK: {
                "soft_time_limit": max(60, settings.task_soft_time_limit),
                "time_limit": max(90, settings.task_time_limit),
            }
        },
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_kib,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": settings.broker_connect_timeout,
        "broker_transport_options": transport_options(settings),
        "task_publish_retry": True,
        "task_publish_retry_policy": publish_retry_policy(settings),
        "article_ingest_publish_timeout": settings.publish_timeout,
        # A worker's remote-control queue is exclusive and named "<node>.<exchange>.pidbox": without the prefix,
        # two workers with the default node name (celery@<host>) on one broker lock each other out, and the second
        # dies with RESOURCE_LOCKED when it reconnects. (Point Flower at the same control exchange.)
        "control_exchange": f"{settings.queue_prefix}celery",
        # Off unless INGEST_WORKER_TASK_EVENTS (Flower): three confirmed publishes per task (see Settings).
        "worker_send_task_events": settings.worker_task_events,
        "task_send_sent_event": False,  # a second publish per task on the API's hot path; Flower needs no more
        "worker_hijack_root_logger": False,
    }


def make_producer_app(settings: Settings) -> Celery:
    app = Celery("article-ingest-producer")
    app.conf.update(celery_config(settings))
    return app
