"""A backfill upload that stalls (chunked body: one line, then silence) must not hold the change feed of every
tenant: the upload commits in bounded batches and holds no transaction while it waits for the body."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env
from tests.support.redis_keys import private_prefix
from tests.support.uploads import stalled_upload
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
OLDEST_WRITER_SQL = text(
    "SELECT datname, now() - xact_start, left(query, 60) FROM pg_stat_activity "
    "WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1"
)


@pytest.fixture(scope="module")
def backfill_api(tmp_path_factory):
    with private_prefix("upload") as prefix, fresh_database("upload") as database_url:
        keys = {"admin": issue_key(database_url, "ops", ["admin"]), "b": issue_key(database_url, "b", ["ingest"])}
        env = service_env(database_url=database_url, broker_url="memory://", rate_limit_key_prefix=prefix)
        with api_process(env, tmp_path_factory.mktemp("upload") / "api.log") as base:
            yield base, keys, database_url


def test_a_stalled_upload_does_not_hold_other_tenants_feed(backfill_api):
    base, keys, database_url = backfill_api
    tenant_b = {"Authorization": f"Bearer {keys['b'].key}"}
    cursor = httpx.get(base + "/v1/articles", headers=tenant_b, timeout=10).json()["next_cursor"]
    sock = stalled_upload(base, keys["admin"].key)
    engine = create_engine(database_url)
    try:
        time.sleep(1)
        r = httpx.post(base + "/v1/articles", json={"text": "B's story\n\nA short one."}, headers=tenant_b, timeout=10)
        assert r.status_code == 202, r.text

        def seen() -> bool:
            page = httpx.get(base + "/v1/articles", params={"updated_after": cursor}, headers=tenant_b, timeout=10)
            return any(item["id"] == r.json()["id"] for item in page.json()["items"])

        try:
            wait_for(seen, 15, "B's new article in B's feed")
        except AssertionError:
            with engine.connect() as db:
                blocker = db.execute(OLDEST_WRITER_SQL).one_or_none()
            if blocker is not None and blocker[0] != make_name(database_url):
                pytest.skip(f"the feed horizon is held by another database's transaction: {blocker}")
            raise AssertionError(f"B's feed did not advance; oldest writing transaction: {blocker}") from None
    finally:
        sock.close()
        engine.dispose()


def make_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1]


LEASE_S = 2  # INGEST_BACKFILL_UPLOAD_LEASE_SECONDS in the tests below


@pytest.fixture
def leased_stack(tmp_path):
    """An API process and a worker with beat (the releaser expires upload leases) on RabbitMQ."""
    import uuid

    from tests.support.processes import worker_process

    with private_prefix("lease") as prefix, fresh_database("upload") as database_url:
        key = issue_key(database_url, "ops", ["admin"])
        env = service_env(
            database_url=database_url,
            broker_url="amqp://guest:guest@127.0.0.1:5672//",
            queue_prefix=f"lease{uuid.uuid4().hex[:8]}.",
            rate_limit_key_prefix=prefix,
            backfill_upload_lease_seconds=str(LEASE_S),
        )
        with worker_process(env, tmp_path / "worker.log", beat=True), api_process(env, tmp_path / "api.log") as base:
            yield base, key.key, database_url


def _upload_row(database_url: str) -> tuple[str, str | None] | None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            return db.execute(text("SELECT status, failure FROM backfills")).one_or_none()
    finally:
        engine.dispose()


def _api_pid(base: str) -> int:
    import psutil

    port = int(base.rsplit(":", 1)[1])
    return next(c.pid for c in psutil.net_connections("tcp") if c.laddr.port == port and c.status == "LISTEN")


def test_an_upload_whose_api_process_died_ends_failed_with_a_reason(leased_stack):
    import os
    import signal

    base, key, database_url = leased_stack
    sock = stalled_upload(base, key)
    try:
        wait_for(lambda: _upload_row(database_url), 15, "the upload's row")
        os.kill(_api_pid(base), signal.SIGKILL)  # the process that reads the body is gone; nobody renews
        status, failure = wait_for(
            lambda: (row := _upload_row(database_url)) and row[0] != "uploading" and row,
            10 * LEASE_S + 20,
            "the upload to end",
        )
    finally:
        sock.close()
    assert status == "failed" and "upload" in failure, (status, failure)


def test_an_upload_that_keeps_sending_outlives_its_lease(leased_stack):
    base, key, database_url = leased_stack
    lines = [b'{"url": "https://example.org/news/%d"}\n' % i for i in range(12)]

    def body():
        for line in lines:
            yield line
            time.sleep(0.5)  # 6 s in all: three leases

    r = httpx.post(
        base + "/v1/admin/backfills",
        content=body(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"},
        timeout=60,
    )
    assert r.status_code in (201, 202), r.text
    assert _upload_row(database_url)[0] != "failed"
