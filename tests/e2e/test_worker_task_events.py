"""Celery task events are opt-in (INGEST_WORKER_TASK_EVENTS, for Flower): by default a worker publishes none,
since each task would cost three more confirmed publishes from the consumer, two of them between one task and
the next (issue 16). Read from the worker's own start banner and from the broker: an event consumer bound to
the worker's event exchange receives no task event by default, and all three with the setting on."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from celery import Celery

from service.queue.celery_config import celery_config
from service.settings import Settings
from tests.support.brokers import BROKERS
from tests.support.processes import api_process, service_env, worker_process
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


def _task_events_during_one_job(env: dict[str, str], api: str, auth: dict, log_path) -> tuple[str, set[str]]:
    """The worker's banner line on task events, and the task event types seen while it ingests one article."""
    settings = Settings(
        database_url=env["INGEST_DATABASE_URL"],
        broker_url=env["INGEST_BROKER_URL"],
        queue_prefix=env["INGEST_QUEUE_PREFIX"],
    )
    app = Celery("events-probe")
    app.conf.update(celery_config(settings))
    seen: set[tuple[str, str]] = set()  # (type, hostname): other workers on the shared broker publish events too
    with app.connection_for_read() as connection:
        receiver = app.events.Receiver(
            connection, handlers={"*": lambda event: seen.add((event["type"], event.get("hostname", "")))}
        )
        # No timeout: kombu's consume loop waits in 1 s slices until should_stop, through quiet spells.
        listener = threading.Thread(target=lambda: receiver.capture(limit=None, timeout=None, wakeup=False))
        listener.start()
        try:
            with worker_process(env, log_path, concurrency=1, queues="ingest") as worker:
                body = {"text": "A headline\nThe body of a short story, with a few words in it."}
                article = httpx.post(f"{api}/v1/articles", json=body, headers=auth, timeout=10).json()
                wait_for(
                    lambda: httpx.get(f"{api}/v1/articles/{article['id']}", headers=auth).json()["status"] == "done",
                    60,
                    "the article done",
                )
                wait_for(lambda: "succeeded in" in log_path.read_text(), 10, "the task's end")
                time.sleep(1.0)  # events are published right after the task's end
        finally:
            receiver.should_stop = True
            listener.join(timeout=5)
    assert not listener.is_alive()
    banner = next(line for line in log_path.read_text().splitlines() if "task events:" in line)
    # The CLI names its node ingest-<queues>-<pid>@<host>.
    return banner, {kind for kind, host in seen if kind.startswith("task-") and f"-{worker.pid}@" in host}


def test_task_events_are_off_by_default_and_on_when_asked(e2e_database, issued_key, queue_prefix, tmp_path):
    env = service_env(database_url=e2e_database, broker_url=BROKERS["rabbitmq"], queue_prefix=queue_prefix)
    auth = {"Authorization": f"Bearer {issued_key.key}"}
    with api_process(env, tmp_path / "api.log") as api:
        banner, events = _task_events_during_one_job(env, api, auth, tmp_path / "default.log")
        assert "OFF" in banner, banner
        assert events == set()
        banner, events = _task_events_during_one_job(
            {**env, "INGEST_WORKER_TASK_EVENTS": "true"}, api, auth, tmp_path / "on.log"
        )
        assert "ON" in banner, banner
        assert {"task-received", "task-started", "task-succeeded"} <= events
