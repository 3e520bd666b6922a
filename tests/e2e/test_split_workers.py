"""The split layout from the scaling guide: prefork workers take only ingest work, a thread-pool worker takes
only webhooks. Every event must arrive (the thread pool shares the process's engine and client)."""

from __future__ import annotations

import json

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.brokers import BROKERS
from tests.support.processes import api_process, service_env, worker_process
from tests.support.servers import webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


def test_ingest_and_webhook_workers_split(e2e_database, issued_key, queue_prefix, tmp_path):
    with webhook_receiver() as receiver:
        port = int(receiver.url.rsplit(":", 1)[1])
        env = service_env(
            database_url=e2e_database,
            broker_url=BROKERS["rabbitmq"],
            queue_prefix=queue_prefix,
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, port]),
        )
        with (
            worker_process(env, tmp_path / "webhooks.log", concurrency=8, queues="webhooks", pool="threads"),
            worker_process(env, tmp_path / "ingest.log", concurrency=1, queues="ingest"),
            api_process(env, tmp_path / "api.log") as api,
        ):
            auth = {"Authorization": f"Bearer {issued_key.key}"}
            ids = set()
            for i in range(40):
                body = {
                    "text": f"Headline number {i}\nThe body of story {i}, with a few words.",
                    "callback_url": f"{receiver.url}/hook",
                }
                ids.add(httpx.post(f"{api}/v1/articles", json=body, headers=auth, timeout=10).json()["id"])
            wait_for(lambda: len(receiver.requests) >= 40, 90, "40 webhooks")
        assert "Traceback" not in (tmp_path / "webhooks.log").read_text()
    verifier = Webhook(issued_key.webhook_secret)
    delivered = {verifier.verify(r.body, r.headers)["data"]["id"] for r in receiver.requests}
    assert delivered == ids
