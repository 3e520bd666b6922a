"""End to end with real processes (API, Celery worker on Redis, Postgres): input without a story ends `failed`
with error.type `no_content` and a signed article.failed webhook, and a real story beside it still ends `done`.
Before, a navigation-only page was `done` with body "News Sport" and a one-line text `done` with an empty body."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.brokers import REDIS
from tests.support.processes import api_process, service_env, worker_process
from tests.support.servers import webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
SUBMISSIONS = {
    "nav_only_html": {
        "html": "<html><body><nav><a href='/news'>News</a> <a href='/sport'>Sport</a></nav></body></html>"
    },
    "headline_only_text": {"text": "Bridge opens over the river\n"},
    "story_text": {"text": "Bridge opens\n\nThe 84-metre bridge joins two housing estates, the mayor said."},
}


def test_input_without_a_story_ends_failed_with_a_typed_reason(e2e_database, issued_key, queue_prefix, tmp_path: Path):
    with webhook_receiver() as receiver:
        env = service_env(
            database_url=e2e_database,
            broker_url=REDIS,
            queue_prefix=queue_prefix,
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, int(receiver.url.rsplit(":", 1)[1])]),
        )
        with (
            worker_process(env, tmp_path / "worker.log"),
            api_process(env, tmp_path / "api.log") as api,
            httpx.Client(base_url=api, headers={"Authorization": f"Bearer {issued_key.key}"}, timeout=10) as client,
        ):
            hook = {"callback_url": f"{receiver.url}/hook"}
            accepted = {name: client.post("/v1/articles", json={**body, **hook}) for name, body in SUBMISSIONS.items()}
            assert {r.status_code for r in accepted.values()} == {202}, [r.text for r in accepted.values()]
            ids = {name: r.json()["id"] for name, r in accepted.items()}
            wait_for(lambda: len(receiver.requests) >= len(ids), 90, "a webhook per submission")
            verifier = Webhook(issued_key.webhook_secret)
            events = {e["data"]["id"]: e for e in (verifier.verify(r.body, r.headers) for r in receiver.requests)}
            records = {name: client.get(f"/v1/articles/{i}").json() for name, i in ids.items()}

    for name in ("nav_only_html", "headline_only_text"):
        record = records[name]
        assert record["status"] == "failed", record
        assert record["error"]["type"] == "no_content" and record["error"]["detail"], record
        assert not record["body_text"]
        assert events[ids[name]]["type"] == "article.failed"
    story = records["story_text"]
    assert story["status"] == "done" and story["body_text"].startswith("The 84-metre bridge"), story
    assert events[ids["story_text"]]["type"] == "article.completed"
