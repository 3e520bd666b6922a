"""Two tenants against real service processes: an API server (uvicorn subprocess) on a committed, migrated
Postgres, and (where a test needs one) a Celery worker on RabbitMQ with a private queue prefix."""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env, worker_process
from tests.support.redis_keys import private_prefix
from tests.support.servers import page_server, webhook_receiver
from tests.support.waiting import wait_for

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass
class Api:
    base: str
    database_url: str
    env: dict[str, str]
    log: Path
    keys: dict  # tenant name -> issued key

    def auth(self, tenant: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[tenant].key}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One API process, memory broker (nothing consumes what it publishes): for answers the API gives itself."""
    tmp = tmp_path_factory.mktemp("abuse-api")
    with fresh_database("abuse") as database_url:
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            rate_limit_key_prefix=f"test:abuse:{uuid.uuid4().hex[:12]}:",
        )
        log = tmp / "api.log"
        with api_process(env, log) as base:
            yield Api(base, database_url, env, log, keys)


@contextmanager
def memory_broker_api(tmp: Path, label: str, **settings: str):
    """One API process on a fresh database, memory broker, a private Redis prefix for its limits and `settings`
    (INGEST_ names, lower case); yields (base URL, keys of tenants a and b, the Redis prefix)."""
    with private_prefix(label) as prefix, fresh_database(label) as database_url:
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        env = service_env(database_url=database_url, broker_url="memory://", rate_limit_key_prefix=prefix, **settings)
        with api_process(env, tmp / "api.log") as base:
            yield base, keys, prefix


@dataclass
class Stack(Api):
    """An API process and a Celery worker (prefork) on RabbitMQ, a page server and a webhook receiver."""

    pages: dict  # path -> (content type, body): add pages while the stack runs
    pages_base: str
    receiver: object
    worker_log: Path

    def submit(self, tenant: str, body: dict, timeout: float = 30) -> str:
        r = httpx.post(self.base + "/v1/articles", json=body, headers=self.auth(tenant), timeout=timeout)
        assert r.status_code == 202, r.text
        return r.json()["id"]

    def record(self, tenant: str, article_id: str) -> dict:
        return httpx.get(f"{self.base}/v1/articles/{article_id}", headers=self.auth(tenant), timeout=10).json()

    def wait_finished(self, tenant: str, article_id: str, timeout: float) -> dict:
        return wait_for(
            lambda: (r := self.record(tenant, article_id))["status"] != "queued" and r,
            timeout,
            f"article {article_id} to finish",
        )


@contextmanager
def running_stack(
    tmp: Path, *, concurrency: int = 2, extra_ports: tuple[int, ...] = (), queues: str | None = "all", **settings
):
    """`queues`: the worker's --queues ("all": one shared pool; None: the command's default, pools of their own)."""
    with (
        fresh_database("abuse") as database_url,
        page_server(pages := {}) as pages_base,
        webhook_receiver() as receiver,
    ):
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        ports = [int(pages_base.rsplit(":", 1)[1]), int(receiver.url.rsplit(":", 1)[1]), *extra_ports]
        env = service_env(
            database_url=database_url,
            broker_url=RABBITMQ,
            queue_prefix=f"t{uuid.uuid4().hex[:8]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, *ports]),
            respect_robots="false",
            webhook_retry_scale="0.01",
            rate_limit_key_prefix=f"test:abuse:{uuid.uuid4().hex[:12]}:",
            politeness_key_prefix=f"test:abuse:fetch:{uuid.uuid4().hex[:12]}:",
            **settings,
        )
        log, worker_log = tmp / "api.log", tmp / "worker.log"
        with (
            worker_process(env, worker_log, concurrency=concurrency, beat=True, queues=queues),
            api_process(env, log) as base,
        ):
            yield Stack(base, database_url, env, log, keys, pages, pages_base, receiver, worker_log)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("abuse-stack")) as running:
        yield running
