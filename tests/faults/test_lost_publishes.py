"""Fault 3: 10% of 1,000 publishes are dropped after the commit, and the broker is down for 30 s in the middle
of the submissions. The API keeps accepting (rows first, publish after commit); the reconciler re-sends what was
never published; all 1,000 finish."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tests.faults import harness
from tests.faults.proxy import fault_proxy
from tests.faults.report import report
from tests.support.brokers import FAULT_BROKERS as BROKERS
from tests.support.processes import service_env

pytestmark = pytest.mark.e2e
SUBMISSIONS = int(os.environ.get("FAULT_N", 1000))
OUTAGE_SECONDS = int(os.environ.get("FAULT_OUTAGE", 30))
AMQP_PORT = 5672


def test_dropped_publishes_and_a_broker_outage_lose_nothing(fault_database, api_key, ledger, queue_prefix, tmp_path):
    with fault_proxy(AMQP_PORT) as broker:
        env = service_env(
            database_url=fault_database,
            broker_url=broker.url_for(BROKERS["rabbitmq"]),
            queue_prefix=queue_prefix,
            test_drop_publish_ratio="0.1",
            **harness.FAST_CLOCKS,
        )
        logs = {name: tmp_path / f"{name}.log" for name in ("api", "worker", "beat")}
        try:
            with (
                harness.beat(env, logs["beat"]),
                harness.worker(env, logs["worker"]),
                harness.api(env, logs["api"], "tests.faults.app_with_lossy_dispatcher:make_app") as api,
            ):
                accepted, answered = [], []  # answered: filled as responses arrive
                started = time.monotonic()
                submitting = threading.Thread(
                    target=lambda: accepted.extend(
                        harness.submit_texts(api, api_key, SUBMISSIONS, label="lossy", on_each=answered.append)
                    )
                )
                submitting.start()
                # The outage starts once a tenth is answered, not at a fixed time: a faster API answered all
                # 1,000 within the first 3 s, and the outage then met no submission.
                while len(answered) < SUBMISSIONS // 10 and submitting.is_alive():
                    time.sleep(0.005)
                broker.cut()
                cut_at = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                broker.heal()
                during_outage = sum(1 for r in answered if r["status"] == 202 and r["at"] > cut_at)
                healed = time.monotonic()
                submitting.join(120)
                assert not submitting.is_alive(), "submissions hung"
                statuses = [r["status"] for r in accepted]
                assert statuses == [202] * SUBMISSIONS, [r for r in accepted if r["status"] != 202][:3]
                submit_seconds = max(r["at"] for r in accepted) - started
                ledger.wait_all_done(SUBMISSIONS, 150)
                finished = time.monotonic() - healed
        finally:
            harness.delete_queues(BROKERS["rabbitmq"], harness.queue_names_for(queue_prefix))

    dropped = logs["api"].read_text(errors="replace").count("LOSSY: dropped")
    failed_publishes = logs["api"].read_text(errors="replace").count("after-commit callback failed")
    assert dropped >= SUBMISSIONS * 0.05, "the lossy dispatcher dropped too little to test anything"
    # The outage must have met the submissions, or this proves nothing about it.
    assert during_outage > 0, "no submission was answered during the outage"
    assert failed_publishes > 0, "no publish met the outage"
    rows = ledger.rows()
    assert len(rows) == len({row.external_id for row in rows}) == SUBMISSIONS
    assert all((row.status, row.job_status) == ("done", "done") for row in rows)
    seen = harness.outcomes(logs["worker"])
    stored_twice = [job for job, counts in seen.items() if counts["done"] > 1]
    assert not stored_twice
    report(
        "lost_publishes_and_broker_outage",
        submitted=SUBMISSIONS,
        stored=len(rows),
        duplicated=len(stored_twice),
        lost=SUBMISSIONS - ledger.done(),
        publishes_dropped=dropped,
        publishes_failed_in_outage=failed_publishes,
        accepted_during_outage=during_outage,
        outage_seconds=OUTAGE_SECONDS,
        submit_seconds=round(submit_seconds, 1),
        all_done_seconds_after_heal=round(finished, 1),
        duplicate_messages_dropped=sum(c["skipped"] for c in seen.values()),
        extra_attempts=sum(row.attempts for row in rows) - SUBMISSIONS,
    )
