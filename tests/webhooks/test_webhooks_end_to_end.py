"""Webhooks with real processes: API (uvicorn), Celery worker with the reconciler, RabbitMQ, Postgres, and a
scripted receiver on 127.0.0.1. The retry clock is compressed (webhook_retry_scale) to keep this quick."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker
from standardwebhooks.webhooks import Webhook

from service.queue.celery_config import make_producer_app
from service.settings import Settings
from service.webhooks.events import new_message_id
from service.webhooks.models import WebhookDelivery
from tests.support.brokers import BROKERS
from tests.support.paths import FIXTURES
from tests.support.processes import REPO, api_process, service_env, worker_process
from tests.support.waiting import wait_for
from tests.webhooks.receiver import Reply, scripted_receiver

pytestmark = pytest.mark.e2e
TEXT = (FIXTURES / "seed-article.txt").read_text()


def _env(database, prefix, receiver, **extra):
    return service_env(
        database_url=database,
        broker_url=BROKERS["rabbitmq"],
        queue_prefix=prefix,
        allow_private_networks="true",
        allowed_ports=json.dumps([80, 443, int(receiver.url.rsplit(":", 1)[1])]),
        reconcile_interval_seconds="0.5",
        webhook_claim_lease_seconds="3",
        webhook_timeout="3",
        **extra,
    )


def test_retries_gone_redirects_retry_after_and_replays(e2e_database, issued_key, queue_prefix, tmp_path: Path):
    script = {
        "/flaky": [Reply(500), Reply(500), Reply(500), Reply(200)],
        "/gone": [Reply(410), Reply(200)],
        "/moved": [Reply(307, {"Location": "/target"}), Reply(200)],
        "/busy": [Reply(503, {"Retry-After": "2"}), Reply(200)],
        "/target": [Reply(200)],
    }
    with scripted_receiver(script) as receiver:
        env = _env(e2e_database, queue_prefix, receiver, webhook_retry_scale="0.001")
        with worker_process(env, tmp_path / "worker.log", beat=True), api_process(env, tmp_path / "api.log") as api:
            auth = {"Authorization": f"Bearer {issued_key.key}"}

            def submit(path: str) -> None:
                response = httpx.post(
                    f"{api}/v1/articles",
                    headers=auth,
                    timeout=10,
                    json={"text": TEXT, "callback_url": f"{receiver.url}{path}", "refresh": True},
                )
                assert response.status_code == 202, response.text

            def deliveries(**params) -> list[dict]:
                return httpx.get(f"{api}/v1/webhooks/deliveries", headers=auth, params=params, timeout=10).json()[
                    "items"
                ]

            def by_url(path: str, **params) -> list[dict]:
                return [d for d in deliveries(**params) if d["url"] == f"{receiver.url}{path}"]

            for path in ("/flaky", "/gone", "/moved", "/busy"):
                submit(path)
            wait_for(
                lambda: (
                    receiver.count("/flaky") >= 4
                    and receiver.count("/busy") >= 2
                    and receiver.count("/moved") >= 2
                    and receiver.count("/gone") >= 1
                ),
                60,
                "the first round",
            )
            verifier = Webhook(issued_key.webhook_secret)

            # Fails three times, then 200: attempt 4 carries the same webhook-id, every attempt is logged.
            flaky = receiver.received("/flaky")
            [flaky_delivery] = wait_for(lambda: by_url("/flaky", status="succeeded"), 10, "flaky succeeded")
            assert [h.headers["webhook-id"] for h in flaky] == [flaky_delivery["id"]] * 4
            assert verifier.verify(flaky[3].body, flaky[3].headers)["type"] == "article.completed"
            detail = httpx.get(f"{api}/v1/webhooks/deliveries/{flaky_delivery['id']}", headers=auth).json()
            assert [a["status_code"] for a in detail["attempts"]] == [500, 500, 500, 200]

            # 3xx is a failed attempt and is not followed; the retry then succeeds.
            assert receiver.count("/target") == 0
            [moved] = wait_for(lambda: by_url("/moved", status="succeeded"), 10, "moved succeeded")
            moved_detail = httpx.get(f"{api}/v1/webhooks/deliveries/{moved['id']}", headers=auth).json()
            assert [a["status_code"] for a in moved_detail["attempts"]] == [307, 200]

            # Retry-After: 2 is honoured although the compressed schedule asks for ~5 ms.
            busy = receiver.received("/busy")
            assert busy[1].at - busy[0].at >= 1.9

            # 410 disables the endpoint: a later event is recorded as disabled and not sent.
            [gone] = wait_for(lambda: by_url("/gone", status="disabled"), 10, "gone disabled")
            submit("/gone")
            wait_for(lambda: len(by_url("/gone", status="disabled")) == 2, 30, "second gone event recorded")
            assert receiver.count("/gone") == 1
            [endpoint] = httpx.get(f"{api}/v1/webhooks/endpoints/disabled", headers=auth).json()
            assert endpoint["url"] == f"{receiver.url}/gone"

            # Rotate, then replay: same event and webhook-id, a fresh signature that both secrets verify.
            rotated = httpx.post(f"{api}/v1/webhooks/secret/rotate", headers=auth, json={"grace_seconds": 600}).json()
            replay = httpx.post(f"{api}/v1/webhooks/deliveries/{flaky_delivery['id']}/replay", headers=auth)
            assert replay.status_code == 202, replay.text
            wait_for(lambda: receiver.count("/flaky") == 5, 20, "the replay")
            replayed = receiver.received("/flaky")[4]
            assert replayed.headers["webhook-id"] == flaky_delivery["id"] and replayed.body == flaky[3].body
            assert replayed.headers["webhook-signature"] != flaky[3].headers["webhook-signature"]
            for secret in (issued_key.webhook_secret, rotated["webhook_secret"]):
                assert Webhook(secret).verify(replayed.body, replayed.headers)["data"]["id"] == detail["article_id"]

            # Re-enabled, the disabled deliveries can be replayed all at once.
            assert httpx.post(f"{api}/v1/webhooks/endpoints/{endpoint['id']}/enable", headers=auth).status_code == 200
            result = httpx.post(
                f"{api}/v1/webhooks/deliveries/replay",
                headers=auth,
                json={"since": gone["created_at"], "status": "disabled"},
            ).json()
            assert result == {"replayed": 2, "skipped_disabled_endpoint": 0}
            wait_for(lambda: receiver.count("/gone") == 3, 20, "the replayed gone deliveries")
            gone_ids = {h.headers["webhook-id"] for h in receiver.received("/gone")[1:]}
            assert gone_ids == {d["id"] for d in by_url("/gone")}
            assert len(by_url("/gone", status="succeeded")) == 2


def _insert_deliveries(database: str, key_id, urls: list[str]) -> list[str]:
    engine = create_engine(database)
    ids = []
    with sessionmaker(engine).begin() as session:
        for url in urls:
            ids.append(new_message_id())
            session.add(
                WebhookDelivery(
                    id=ids[-1],
                    api_key_id=key_id,
                    event_type="article.completed",
                    url=url,
                    payload={"type": "article.completed", "data": {"url": url}},
                    status="pending",
                    next_attempt_at=datetime.now(UTC),
                )
            )
    engine.dispose()
    return ids


def _statuses(database: str, ids: list[str]) -> dict[str, str]:
    engine = create_engine(database)
    with sessionmaker(engine)() as session:
        rows = session.execute(select(WebhookDelivery.id, WebhookDelivery.status).where(WebhookDelivery.id.in_(ids)))
        found = dict(rows.all())
    engine.dispose()
    return found


def test_a_worker_killed_midway_loses_no_delivery(e2e_database, issued_key, queue_prefix, tmp_path: Path):
    """Deliveries are written to Postgres only (no message): the reconciler sends them. The worker is killed
    with SIGKILL between retries and the broker's queue is purged, so only Postgres remembers the schedule."""
    paths = [f"/r{i}" for i in range(4)]
    with scripted_receiver({p: [Reply(500), Reply(500), Reply(200)] for p in paths}) as receiver:
        env = _env(e2e_database, queue_prefix, receiver, webhook_retry_schedule="[0, 2, 2, 2]")
        ids = _insert_deliveries(e2e_database, issued_key.id, [f"{receiver.url}{p}" for p in paths])
        log = tmp_path / "worker-1.log"
        with open(log, "wb") as out:
            first = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "worker", "--concurrency", "1", "--beat"],
                env=env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(lambda: all(receiver.count(p) >= 1 for p in paths), 40, "first attempts")
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        assert "pending" in _statuses(e2e_database, ids).values(), "the kill came too late to test anything"
        settings = Settings(broker_url=BROKERS["rabbitmq"], queue_prefix=queue_prefix)
        _purge(settings)  # the broker forgets; Postgres does not

        with worker_process(env, tmp_path / "worker-2.log", beat=True):
            wait_for(lambda: set(_statuses(e2e_database, ids).values()) == {"succeeded"}, 40, "every delivery")
        for path, delivery_id in zip(paths, ids, strict=True):
            hits = receiver.received(path)
            assert len(hits) >= 3 and {h.headers["webhook-id"] for h in hits} == {delivery_id}
            Webhook(issued_key.webhook_secret).verify(hits[-1].body, hits[-1].headers)


def _purge(settings: Settings, attempts: int = 5) -> None:
    """Drop every queued message. Right after a SIGKILL, RabbitMQ may still hold the dead worker's connection and
    its exclusive queues for a moment, and reset a new connection that declares over them (seen under load):
    the purge is retried on a fresh connection, it is the test's setup, not the behaviour under test."""
    for attempt in range(attempts):
        try:
            make_producer_app(settings).control.purge()
            return
        except OSError:  # ConnectionResetError and the like
            if attempt == attempts - 1:
                raise
            time.sleep(1 + attempt)
