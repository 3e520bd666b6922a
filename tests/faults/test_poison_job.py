"""Fault 2: pool children are killed again and again while a job that always runs past its time limit (a page
that never answers) sits in the queue, on Redis, whose requeue has no delivery counter. Every other job
completes; the poison job ends `dead` after max_attempts, with its last error."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import threading
import time
import uuid
from contextlib import contextmanager

import httpx
import pytest

from tests.faults import harness
from tests.faults.report import report
from tests.support.brokers import FAULT_BROKERS as BROKERS
from tests.support.processes import service_env

pytestmark = pytest.mark.e2e
TEXTS, MAX_ATTEMPTS, KILLS, KILL_EVERY = 100, 3, 8, 2.0


@contextmanager
def page_that_never_answers():
    """Accepts connections and reads the request, then says nothing until the test ends."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for conn in held:
            conn.close()


def test_poison_job_ends_dead_while_children_are_killed(fault_database, api_key, ledger, queue_prefix, tmp_path):
    broker = BROKERS["redis"]
    with page_that_never_answers() as port:
        env = service_env(
            database_url=fault_database,
            broker_url=broker,
            queue_prefix=queue_prefix,
            **{
                **harness.FAST_CLOCKS,
                "task_soft_time_limit": 2,
                "task_time_limit": 4,
                "job_lease_seconds": 6,
                "redis_visibility_timeout": 6,
                "max_attempts": MAX_ATTEMPTS,
            },
            allow_private_networks="true",
            allowed_ports=json.dumps([port]),
            respect_robots="false",
            fetch_connect_timeout=60,
            fetch_read_timeout=60,
            fetch_total_timeout=60,
            fetch_max_retries=0,
            politeness_key_prefix=f"ingest:fault:{uuid.uuid4().hex[:8]}:",
        )
        worker_log = tmp_path / "worker.log"
        try:
            with (
                harness.beat(env, tmp_path / "beat.log"),
                harness.worker(env, worker_log) as worker,
                harness.api(env, tmp_path / "api.log") as api,
            ):
                started = time.monotonic()
                poison = httpx.post(
                    f"{api}/v1/articles",
                    json={"url": f"http://127.0.0.1:{port}/never"},
                    headers={"Authorization": f"Bearer {api_key}"},
                    timeout=10,
                )
                assert poison.status_code == 202, poison.text
                answers = harness.submit_texts(api, api_key, TEXTS, label="poison", threads=4)
                assert [a["status"] for a in answers] == [202] * TEXTS
                killed = _kill_children(worker.pid, KILLS, KILL_EVERY)
                poison_row = lambda: next(r for r in ledger.rows() if str(r.id) == poison.json()["id"])  # noqa: E731
                harness.wait_for(
                    lambda: poison_row().job_status == "dead" and ledger.done() == TEXTS,
                    120,
                    "the poison job to die and every other job to finish",
                    interval=0.5,
                )
                settled = time.monotonic() - started
        finally:
            harness.delete_queues(broker, harness.queue_names_for(queue_prefix))

    rows = ledger.rows()
    dead = poison_row()
    assert (dead.status, dead.job_status, dead.attempts) == ("failed", "dead", MAX_ATTEMPTS), dead
    assert dead.error_type == "max_attempts_exceeded"
    assert "time_limit_exceeded" in dead.error_detail or "worker_lost" in dead.error_detail, dead.error_detail
    others = [r for r in rows if r.id != dead.id]
    assert len(others) == TEXTS and all((r.status, r.job_status) == ("done", "done") for r in others)
    seen = harness.outcomes(worker_log)
    stored_twice = [job for job, counts in seen.items() if counts["done"] > 1]
    assert not stored_twice
    log = worker_log.read_text(errors="replace")
    report(
        "poison_job_and_killed_children",
        broker="redis",
        submitted=TEXTS + 1,
        stored=len(others),
        duplicated=len(stored_twice),
        lost=TEXTS - len(others),
        children_killed=killed,
        poison_attempts=dead.attempts,
        poison_last_error=dead.error_detail,
        soft_time_limits_hit=log.count("time limit exceeded on attempt"),
        duplicate_messages_dropped=sum(c["skipped"] for c in seen.values()),
        extra_attempts_other_jobs=sum(r.attempts for r in others) - TEXTS,
        settled_seconds=round(settled, 1),
    )


def _kill_children(worker_pid: int, times: int, every: float) -> int:
    """SIGKILL a random pool child `times` times, `every` seconds apart; Celery forks replacements."""
    killed = 0
    for _ in range(times):
        time.sleep(every)
        children = harness.pool_children(worker_pid)
        if children:
            try:
                os.kill(random.choice(children), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed
