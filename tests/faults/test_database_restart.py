"""Fault 4: Postgres "restarts" (the proxy in front of it cuts every connection for 5 s) while clients submit.
The API answers 503 problem+json, never 500; /readyz fails during the outage and recovers without a restart of
any process; every accepted (202) submission finishes."""

from __future__ import annotations

import itertools
import threading
import time

import httpx
import pytest

from tests.faults import harness
from tests.faults.proxy import fault_proxy
from tests.faults.report import report
from tests.support.brokers import FAULT_BROKERS as BROKERS
from tests.support.processes import service_env

pytestmark = pytest.mark.e2e
POSTGRES_PORT = 5432
CUT_AFTER, OUTAGE_SECONDS, SUBMIT_SECONDS = 3.0, 5.0, 12.0


def test_postgres_restart_gives_503s_then_recovers_and_loses_nothing(
    fault_database, api_key, ledger, queue_prefix, tmp_path
):
    with fault_proxy(POSTGRES_PORT) as postgres:
        env = service_env(
            database_url=postgres.url_for(fault_database),
            broker_url=BROKERS["rabbitmq"],
            queue_prefix=queue_prefix,
            **harness.FAST_CLOCKS,
        )
        try:
            with (
                harness.beat(env, tmp_path / "beat.log"),
                harness.worker(env, tmp_path / "worker.log"),
                harness.api(env, tmp_path / "api.log") as api,
            ):
                answers, probes = [], []
                started = time.monotonic()
                stop = threading.Event()
                numbers = itertools.count()

                def submit_until_stopped():
                    with httpx.Client() as client:
                        while not stop.is_set():
                            i = next(numbers)
                            answers.append(_submit(client, api, api_key, i))

                def probe_readiness():
                    while not stop.is_set():
                        try:
                            status = httpx.get(f"{api}/readyz", timeout=10).status_code
                        except httpx.HTTPError:
                            status = None
                        probes.append((time.monotonic(), status))
                        time.sleep(0.25)

                threads = [threading.Thread(target=submit_until_stopped) for _ in range(4)]
                threads.append(threading.Thread(target=probe_readiness))
                for thread in threads:
                    thread.start()
                time.sleep(CUT_AFTER)
                postgres.cut()
                cut_at = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                postgres.heal()
                healed = time.monotonic()
                time.sleep(max(0.0, SUBMIT_SECONDS - (healed - started)))
                stop.set()
                for thread in threads:
                    thread.join(60)
                accepted = [a for a in answers if a["status"] == 202]
                done_ids = lambda: {str(r.id) for r in ledger.rows() if r.job_status == "done"}  # noqa: E731
                harness.wait_for(lambda: {a["id"] for a in accepted} <= done_ids(), 90, "every accepted job")
                all_done = time.monotonic() - healed
        finally:
            harness.delete_queues(BROKERS["rabbitmq"], harness.queue_names_for(queue_prefix))

    statuses = sorted({a["status"] for a in answers}, key=str)
    assert statuses and set(statuses) <= {202, 503}, statuses
    unavailable = [a for a in answers if a["status"] == 503]
    assert unavailable, "no submission met the outage: nothing was tested"
    assert all(a["content_type"].startswith("application/problem+json") for a in unavailable)
    not_ready = [t for t, status in probes if cut_at + 0.5 < t < healed and status != 503]
    assert not not_ready, "/readyz should fail while the database is down"
    ready_again = min(t for t, status in probes if t > healed and status == 200) - healed
    first_accepted = min(a["at"] for a in accepted if a["at"] > healed) - healed
    rows = ledger.rows()
    seen = harness.outcomes(tmp_path / "worker.log")
    stored_twice = [job for job, counts in seen.items() if counts["done"] > 1]
    assert not stored_twice
    assert all(row.job_status == "done" for row in rows), "a job committed before a 503 must also finish"
    report(
        "postgres_restart",
        submitted=len(answers),
        accepted=len(accepted),
        answered_503=len(unavailable),
        answered_500=0,
        stored=len(rows),
        duplicated=len(stored_twice),
        lost=0,
        outage_seconds=OUTAGE_SECONDS,
        readyz_ok_seconds_after_heal=round(ready_again, 2),
        first_202_seconds_after_heal=round(first_accepted, 2),
        all_done_seconds_after_heal=round(all_done, 1),
        extra_attempts=sum(row.attempts for row in rows) - len(rows),
    )


def _submit(client: httpx.Client, api: str, key: str, i: int) -> dict:
    body = {"text": harness.article_text("pg", i), "external_id": f"pg-{i}"}
    try:
        response = client.post(f"{api}/v1/articles", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    except httpx.HTTPError as exc:
        return {"i": i, "status": None, "error": repr(exc), "at": time.monotonic()}
    payload = response.json() if response.content else {}
    return {
        "i": i,
        "status": response.status_code,
        "content_type": response.headers.get("content-type", ""),
        "id": payload.get("id"),
        "at": time.monotonic(),
    }
