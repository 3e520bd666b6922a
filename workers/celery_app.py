"""The Celery application. `make_celery(settings)` builds it; `app` is the one module-level instance for the
celery CLI (`celery -A workers.celery_app worker`), configured from the environment."""
from __future__ import annotations

from celery import Celery

from service.queue.celery_config import celery_config
from service.queue.names import RECONCILE_TASK
from service.settings import Settings


def make_celery(settings: Settings) -> Celery:
    celery = Celery("article-ingest", include=["workers.tasks.ingest", "workers.tasks.webhooks", "workers.tasks.reconcile"])
    celery.conf.update(celery_config(settings))
    celery.conf.beat_schedule = {
        "reconcile": {"task": RECONCILE_TASK, "schedule": settings.reconcile_interval_seconds},
    }
    celery.conf.article_ingest_settings = settings
    return celery


app = make_celery(Settings())
