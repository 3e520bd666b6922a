"""Fault 1: SIGKILL a worker's main process with 200 jobs in flight, on RabbitMQ and on Redis (short
visibility timeout). After a restart every submission is stored exactly once."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.faults import harness
from tests.faults.report import report
from tests.support.brokers import FAULT_BROKERS as BROKERS
from tests.support.processes import service_env

pytestmark = pytest.mark.e2e
SUBMISSIONS = 200


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_worker_sigkill_loses_and_duplicates_nothing(broker, fault_database, api_key, ledger, queue_prefix, tmp_path):
    env = service_env(
        database_url=fault_database, broker_url=BROKERS[broker], queue_prefix=queue_prefix, **harness.FAST_CLOCKS
    )
    worker_log = tmp_path / "worker.log"
    label = f"kill-{broker}"
    try:
        with harness.beat(env, tmp_path / "beat.log"), harness.api(env, tmp_path / "api.log") as api:
            first = harness.start_worker(env, worker_log)
            submitted: list[dict] = []
            sender = threading.Thread(
                target=lambda: submitted.extend(harness.submit_texts(api, api_key, SUBMISSIONS, label=label))
            )
            sender.start()
            harness.wait_for(lambda: ledger.done() >= 10, 60, "the first jobs to finish", interval=0.05)
            os.kill(first.pid, signal.SIGKILL)  # the main process only: its pool children are orphaned
            done_at_kill = ledger.done()
            sender.join(120)
            assert [r["status"] for r in submitted] == [202] * SUBMISSIONS, submitted[:3]
            time.sleep(1)  # let orphaned children finish or die, as they would
            orphans = harness.group_members(first.pid)  # pool children outliving their killed parent
            in_flight = SUBMISSIONS - ledger.done()
            assert in_flight > 0, "the worker finished everything before it was killed: nothing was tested"

            restarted_at = time.monotonic()
            with harness.worker(env, worker_log):
                harness.wait_for(lambda: ledger.done() == SUBMISSIONS, 90, "every job to be done")
                recovered = time.monotonic() - restarted_at
            harness.end(first)  # the killed worker's group, should an orphan still be alive
    finally:
        harness.delete_queues(BROKERS[broker], harness.queue_names_for(queue_prefix))

    rows = ledger.rows()
    by_external = {row.external_id: row for row in rows}
    assert len(rows) == len(by_external) == SUBMISSIONS, "one article and one job per submission"
    for i in range(SUBMISSIONS):
        row = by_external[f"{label}-{i}"]
        assert (row.status, row.job_status) == ("done", "done"), row
        assert row.title == f"Dispatch {label} number {i}"
        assert row.attempts >= 1
    seen = harness.outcomes(worker_log)
    stored_twice = [job for job, counts in seen.items() if counts["done"] > 1]
    assert not stored_twice, stored_twice
    redelivered = sum(counts["skipped"] for counts in seen.values())
    extra_attempts = sum(row.attempts for row in rows) - SUBMISSIONS
    report(
        "worker_sigkill",
        broker=broker,
        submitted=SUBMISSIONS,
        stored=len(rows),
        duplicated=len(stored_twice),
        lost=SUBMISSIONS - ledger.done(),
        in_flight_at_kill=SUBMISSIONS - done_at_kill,
        not_done_after_kill=in_flight,
        orphans_after_1s=orphans,
        duplicate_messages_dropped=redelivered,
        extra_attempts=extra_attempts,
        recovery_seconds=round(recovered, 1),
    )
