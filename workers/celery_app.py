"""The Celery application. `make_celery(settings)` builds it; `app` is the one module-level instance for the
celery CLI (`celery -A workers.celery_app worker`), configured from the environment."""

from __future__ import annotations

from celery import Celery

import workers.observability  # noqa: F401 - connects the logging and metrics signal handlers
from service.extraction.language import use_detector
from service.queue.celery_config import celery_config
from service.settings import Settings
from workers.schedule import beat_schedule


def task_modules() -> list[str]:
    """Every module in workers/tasks registers its tasks: adding a module is enough."""
    import pkgutil

    import workers.tasks

    return [f"workers.tasks.{m.name}" for m in pkgutil.iter_modules(workers.tasks.__path__)]


def make_celery(settings: Settings) -> Celery:
    use_detector(settings.language_detector)
    celery = Celery("article-ingest", include=task_modules())
    celery.conf.update(celery_config(settings))
    celery.conf.beat_schedule = beat_schedule(settings)
    celery.conf.article_ingest_settings = settings
    return celery


app = make_celery(Settings())
