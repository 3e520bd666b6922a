"""Submit → broker → Celery worker → Postgres → signed webhook, with real processes, over RabbitMQ and Redis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.brokers import BROKERS
from tests.support.paths import FIXTURES
from tests.support.processes import REPO, api_process, service_env, worker_process
from tests.support.servers import page_server, webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
TITLE = "Moscow Weighs in on Armenia Seeking to Expand US and EU Ties"


def _assert_seed_record(record: dict) -> None:
    assert record["status"] == "done", record.get("error")
    assert record["title"] == TITLE
    assert record["language"] == "en"
    assert record["body_text"].startswith("Russian officials have responded")
    assert record["body_text"].rstrip().endswith("against a third country, he noted.") or record[
        "body_text"
    ].rstrip().endswith("against a third country, he noted")
    assert "Latest news" not in record["body_text"]


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_submissions_arrive_by_webhook_and_read_back_the_same(
    broker, e2e_database, issued_key, queue_prefix, tmp_path: Path
):
    html = (FIXTURES / "seed-article-in-article.html").read_bytes()
    text = (FIXTURES / "seed-article.txt").read_text()
    with page_server({"/story": ("text/html; charset=utf-8", html)}) as pages, webhook_receiver() as receiver:
        ports = [int(pages.rsplit(":", 1)[1]), int(receiver.url.rsplit(":", 1)[1])]
        env = service_env(
            database_url=e2e_database,
            broker_url=BROKERS[broker],
            queue_prefix=queue_prefix,
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, *ports]),
            webhook_retry_scale="0.01",
        )
        with worker_process(env, tmp_path / "worker.log"), api_process(env, tmp_path / "api.log") as api:
            auth = {"Authorization": f"Bearer {issued_key.key}"}
            submissions = {
                "text": {"text": text, "external_id": "seed-text"},
                "html": {"html": html.decode(), "source_url": "https://example.org/seed", "external_id": "seed-html"},
                "url": {"url": f"{pages}/story", "external_id": "seed-url"},
            }
            ids = {}
            for name, body in submissions.items():
                response = httpx.post(
                    f"{api}/v1/articles",
                    json={**body, "callback_url": f"{receiver.url}/hook"},
                    headers=auth,
                    timeout=10,
                )
                assert response.status_code == 202, response.text
                ids[name] = response.json()["id"]

            wait_for(lambda: len(receiver.requests) >= 3, 90, "three webhooks")
            verifier = Webhook(issued_key.webhook_secret)
            events = {}
            for request in receiver.requests:
                event = verifier.verify(request.body, request.headers)  # raises on a bad signature
                assert event["type"] == "article.completed"
                events[event["data"]["id"]] = event["data"]
            assert set(events) == set(ids.values())

            for name, article_id in ids.items():
                record = httpx.get(f"{api}/v1/articles/{article_id}", headers=auth, timeout=10).json()
                _assert_seed_record(record)
                assert record == events[article_id], f"{name}: the webhook and GET disagree"
                assert record["external_id"] == f"seed-{name}"

            cli = subprocess.run(
                [sys.executable, "-m", "service.cli", "extract", str(FIXTURES / "seed-article.txt")],
                capture_output=True,
                text=True,
                env=env,
                cwd=REPO,
                timeout=120,
            )
            assert cli.returncode == 0, cli.stderr
            from_cli = json.loads(cli.stdout)
            stored = httpx.get(f"{api}/v1/articles/{ids['text']}", headers=auth, timeout=10).json()
            for field in (
                "title",
                "body_text",
                "sidebars",
                "language",
                "word_count",
                "content_hash",
                "extractor_version",
            ):
                assert from_cli[field] == stored[field], field
