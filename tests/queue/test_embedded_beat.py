"""The scheduler a worker runs with `--beat` is a child process: it must end with its worker.

A worker killed without a chance to stop it (SIGKILL, the OOM killer) left its embedded beat running: it went on
sending ticks (reconciler, releaser) for a worker that was gone, and a restarted worker started a second one.
Found as a leftover of the test suite, a beat child of a killed test worker still publishing 27 minutes later.
Real worker processes, RabbitMQ.
"""

from __future__ import annotations

import os
import signal
import time
import uuid

import psutil
import pytest

from tests.support.database import fresh_database
from tests.support.processes import service_env, worker_process

pytestmark = pytest.mark.e2e
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


def test_the_embedded_scheduler_ends_when_its_worker_is_killed(tmp_path):
    with fresh_database("beat") as database_url:
        env = service_env(database_url=database_url, broker_url=RABBITMQ, queue_prefix=f"b{uuid.uuid4().hex[:8]}.")
        with worker_process(env, tmp_path / "worker.log", concurrency=1, beat=True) as worker:
            children = psutil.Process(worker.pid).children(recursive=True)
            assert len(children) == 2  # the pool process and the scheduler
            os.kill(worker.pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(_running(c) for c in children):
                time.sleep(0.2)
            left = [c.pid for c in children if _running(c)]
            for pid in left:  # leave nothing behind even when the test fails
                os.kill(pid, signal.SIGKILL)
            assert not left, f"children of the killed worker still running: {left}"


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
