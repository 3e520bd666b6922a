"""A prefork worker warms the extraction pipeline in its main process before it forks the pool and says it is
ready (workers/process.py): the pool children inherit the warm state, so a job waiting when the worker starts
is claimed at once, not after the child's own ~1 s warm-up (which the end-to-end benchmark counted against
the worker, and which every child replaced after worker_max_tasks_per_child paid again)."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
import pytest

from tests.support.brokers import BROKERS
from tests.support.processes import api_process, service_env, worker_process
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ", re.MULTILINE)


def _when(log: str, marker: str) -> datetime:
    line = next(line for line in log.splitlines() if marker in line)
    match = _STAMP.match(line)
    assert match, line
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")


def test_a_job_waiting_at_start_is_claimed_without_a_warm_up_in_the_pool(
    e2e_database, issued_key, queue_prefix, tmp_path
):
    env = service_env(database_url=e2e_database, broker_url=BROKERS["rabbitmq"], queue_prefix=queue_prefix)
    with api_process(env, tmp_path / "api.log") as api:
        auth = {"Authorization": f"Bearer {issued_key.key}"}
        body = {"text": "A headline\nThe body of a story that waits for the worker, with a few words."}
        article = httpx.post(f"{api}/v1/articles", json=body, headers=auth, timeout=10).json()
        log_path = tmp_path / "worker.log"
        with worker_process(env, log_path, concurrency=1, queues="ingest"):
            wait_for(lambda: " claimed (attempt" in log_path.read_text(), 60, "the waiting job's claim")
            wait_for(
                lambda: httpx.get(f"{api}/v1/articles/{article['id']}", headers=auth).json()["status"] == "done",
                60,
                "the article done",
            )
    log = log_path.read_text()
    # The child's own warm-up takes ~1 s of CPU (more on a loaded machine); a warm child claims in milliseconds.
    waited = (_when(log, " claimed (attempt") - _when(log, " ready.")).total_seconds()
    assert waited < 0.5, f"the first job was claimed {waited:.2f} s after ready"
    assert "extraction warmed before the pool starts" in log
    assert "warmed its extraction itself" not in log
