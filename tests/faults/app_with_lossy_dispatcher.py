"""Uvicorn factory for fault 3: the real app, whose dispatcher silently drops a share of the ingest publishes
after the commit (as a crash between commit and publish would). Test-only: production code has no such hook.

    INGEST_TEST_DROP_PUBLISH_RATIO=0.1 uvicorn tests.faults.app_with_lossy_dispatcher:make_app --factory
"""

from __future__ import annotations

import logging
import os
import random

from service.app import create_app
from service.queue.celery_config import make_producer_app
from service.queue.dispatcher import CeleryDispatcher
from service.settings import Settings

log = logging.getLogger("tests.faults.lossy")


class LossyDispatcher:
    def __init__(self, inner: CeleryDispatcher, ratio: float, seed: int = 6) -> None:
        self._inner, self._ratio, self._random = inner, ratio, random.Random(seed)

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        if self._random.random() < self._ratio:
            log.warning("LOSSY: dropped the publish of job %s", job_id)
            return
        self._inner.send_ingest(job_id, priority=priority, countdown=countdown)

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        self._inner.send_webhook(delivery_id, countdown=countdown)


def make_app():
    logging.basicConfig(level=logging.INFO)
    settings = Settings()
    producer = make_producer_app(settings)
    ratio = float(os.environ.get("INGEST_TEST_DROP_PUBLISH_RATIO", "0.1"))
    return create_app(
        settings,
        dispatcher=LossyDispatcher(CeleryDispatcher(producer), ratio),
        broker_check=lambda: producer.connection_for_write().ensure_connection(max_retries=1, timeout=2),
    )
