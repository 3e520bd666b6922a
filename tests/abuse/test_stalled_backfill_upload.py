"""A backfill upload that stalls (chunked body: one line, then silence) must not hold the change feed of every
tenant: the upload commits in bounded batches and holds no transaction while it waits for the body."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env
from tests.support.redis_keys import private_prefix
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


def _stalled_upload(base: str, key: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    line = b'{"url": "https://example.org/news/1"}\n'
    sock.sendall(
        f"POST /v1/admin/backfills HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        + f"{len(line):x}\r\n".encode()
        + line
        + b"\r\n"
    )
    return sock  # and then silence


def test_a_stalled_upload_does_not_hold_other_tenants_feed(backfill_api):
    base, keys, database_url = backfill_api
    tenant_b = {"Authorization": f"Bearer {keys['b'].key}"}
    cursor = httpx.get(base + "/v1/articles", headers=tenant_b, timeout=10).json()["next_cursor"]
    sock = _stalled_upload(base, keys["admin"].key)
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
