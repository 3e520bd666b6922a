"""Helpers for the backfill tests that run real processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager

from service.queue.celery_config import queue_names
from service.settings import Settings
from tests.support.processes import REPO, STARTUP_TIMEOUT, _stop, service_env
from tests.support.waiting import wait_for


class CountingPages(dict):
    """The page server's table, counting each page served (to prove no job is fetched more than needed);
    `delay` makes every page slow, like a distant site."""

    def __init__(self, pages, delay: float = 0.0):
        super().__init__(pages)
        self.served, self._lock, self.delay = Counter(), threading.Lock(), delay

    def __getitem__(self, path):
        with self._lock:
            self.served[path] += 1
        time.sleep(self.delay)
        return super().__getitem__(path)


def article_html(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {k} of story {n}: the council met on Tuesday and debated the budget for the "
        f"harbour district, the schools and the new tram line at some length.</p>"
        for k in range(6)
    )
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>{paragraphs}"
        f"</article></body></html>"
    ).encode()


@contextmanager
def worker(env: dict, log_path, name: str):
    """`article-ingest worker --beat` as the celery command it runs, plus a node name of its own: RabbitMQ
    keeps one remote-control queue per node name, and other test runs on this machine start workers too."""
    queues = ",".join(queue_names(Settings(queue_prefix=env["INGEST_QUEUE_PREFIX"])))
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app",
        "worker",
        "-n",
        f"{name}@%h",
        f"--queues={queues}",
        "--concurrency=2",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--beat",
        f"--schedule={log_path}.beat",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            args,
            env={**env, "PROMETHEUS_MULTIPROC_DIR": str(log_path.parent)},
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "ready." in log_path.read_text(errors="replace") or proc.poll() is not None,
            STARTUP_TIMEOUT,
            "the worker",
        )
        assert proc.poll() is None, log_path.read_text()[-3000:]
        yield proc
    finally:
        _stop(proc)


def backfill_env(database_url: str, site: str, **settings) -> dict[str, str]:
    """Settings for API and worker processes over RabbitMQ, with private queues and politeness keys, the local
    page server allowed, and no API rate limits; `settings` adds or overrides."""
    return service_env(
        **{
            "database_url": database_url,
            "broker_url": "amqp://guest:guest@127.0.0.1:5672//",
            "queue_prefix": f"t{uuid.uuid4().hex[:8]}.",
            "allow_private_networks": "true",
            "allowed_ports": json.dumps([80, 443, int(site.rsplit(":", 1)[1])]),
            "politeness_key_prefix": f"test:{uuid.uuid4().hex[:8]}:",
            "per_host_rate_per_second": "1000",
            "per_host_concurrency": "8",
            "backfill_tick_seconds": "0.5",
            "rate_limit_admin_per_minute": "0",
            "rate_limit_ingest_writes_per_minute": "0",
            "rate_limit_ingest_reads_per_minute": "0",
            **settings,
        }
    )


def backfill_settings(database_url: str) -> Settings:
    """Unit tests drive the releaser by hand: no rate or in-flight limit unless a test sets one."""
    return Settings(
        database_url=database_url,
        broker_url="memory://",
        allow_private_networks=True,
        backfill_rate_per_second=1000,
        backfill_max_in_flight=100_000,
        backfill_per_host_in_flight=1000,
        backfill_prepare_seconds=30,
        rate_limit_admin_per_minute=0,
    )
