"""`article-ingest worker` by default supervises two Celery workers (extraction and webhook delivery): they stop
together on SIGTERM, and when one dies the other is stopped and the command exits non-zero (so a process
supervisor restarts the pair), leaving no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from tests.support.processes import REPO, _wait_for_log_line, service_env

pytestmark = pytest.mark.e2e


@contextmanager
def _worker(tmp_path: Path):
    env = service_env(
        broker_url="amqp://guest:guest@127.0.0.1:5672//",
        queue_prefix=f"pools{uuid.uuid4().hex[:8]}.",
        database_url="postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker", "--concurrency", "1", "--loglevel", "INFO"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_log_line(proc, log_path, "pools ready", "worker")
        yield proc, log_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _pools(proc: subprocess.Popen) -> dict[str, psutil.Process]:
    children = psutil.Process(proc.pid).children()
    return {("webhooks" if "webhooks" in " ".join(c.cmdline()) else "ingest"): c for c in children}


def test_the_pools_stop_together_on_sigterm(tmp_path):
    with _worker(tmp_path) as (proc, _):
        pools = _pools(proc)
        assert set(pools) == {"ingest", "webhooks"}
        family = [p for pool in pools.values() for p in [pool, *pool.children(recursive=True)]]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        _, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, alive


def test_when_one_pool_dies_the_other_is_stopped_and_the_command_fails(tmp_path):
    with _worker(tmp_path) as (proc, log_path):
        pools = _pools(proc)
        family = [p for pool in pools.values() for p in [pool, *pool.children(recursive=True)]]
        pools["webhooks"].kill()
        assert proc.wait(timeout=60) != 0
        _, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, alive
        assert "the webhooks pool exited" in log_path.read_text()
