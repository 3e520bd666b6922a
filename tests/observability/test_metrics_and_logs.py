"""/metrics on the API and on a real worker process; JSON logs carry the job id."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.support.brokers import BROKERS
from tests.support.processes import api_process, free_port, service_env, worker_process


def test_api_metrics_report_jobs_by_state(client, auth):
    client.post("/v1/articles", json={"text": "Title\nBody."}, headers=auth)
    body = client.get("/metrics").text
    assert 'ingest_jobs{state="queued"} 1.0' in body
    assert "ingest_queue_lag_seconds" in body


@pytest.mark.e2e
def test_worker_serves_metrics_and_logs_json_with_job_id(e2e_database, issued_key, queue_prefix, tmp_path):
    port = free_port()
    env = service_env(
        database_url=e2e_database,
        broker_url=BROKERS["redis"],
        queue_prefix=queue_prefix,
        metrics_port=str(port),
        log_format="json",
    )
    with worker_process(env, tmp_path / "worker.log", concurrency=1), api_process(env, tmp_path / "api.log") as api:
        auth = {"Authorization": f"Bearer {issued_key.key}"}
        created = httpx.post(f"{api}/v1/articles", json={"text": "A Title\nA body of news."}, headers=auth).json()
        deadline = time.monotonic() + 60
        while httpx.get(f"{api}/v1/articles/{created['id']}", headers=auth).json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert "ingest_extraction_seconds_count 1.0" in scraped, scraped[-2000:]
        api_metrics = httpx.get(f"{api}/metrics").text
        assert 'ingest_jobs{state="done"} 1.0' in api_metrics
    lines = [json.loads(line) for line in (tmp_path / "worker.log").read_text().splitlines() if line.startswith("{")]
    job_lines = [line for line in lines if line.get("job_id")]
    assert job_lines, "no log line carried a job id"
    assert any("claimed" in line["message"] for line in job_lines)
