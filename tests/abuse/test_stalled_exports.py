"""Export readers that stop reading: the snapshot is held only while the response moves (a write timeout ends
it), exports take a bounded share of the API's connections, and tenant B keeps being served (no 503)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.database import fresh_database, issue_key
from tests.support.factories import insert_done_articles
from tests.support.processes import api_process, service_env
from tests.support.redis_keys import private_prefix

pytestmark = pytest.mark.e2e
WRITE_TIMEOUT_S = 2
STALLED = 8  # more than the API's whole pool (api_threads=2: 2 + 4 overflow connections)


@pytest.fixture(scope="module")
def export_api(tmp_path_factory):
    with private_prefix("export") as prefix, fresh_database("export") as database_url:
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        engine = create_engine(database_url)
        with engine.begin() as conn:  # ~6 MB of NDJSON: far more than the socket buffers hold
            insert_done_articles(conn, keys["a"].id, 3000)
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            rate_limit_key_prefix=prefix,
            api_threads="2",
            export_write_timeout_seconds=str(WRITE_TIMEOUT_S),
        )
        with api_process(env, tmp_path_factory.mktemp("export") / "api.log") as base:
            yield base, keys, engine
        engine.dispose()


def _stalled_export(base: str, key: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    sock.sendall(f"GET /v1/articles/export HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n\r\n".encode())
    return sock  # and never read


def _idle_in_transaction(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
            )
        ).scalar_one()


def test_stalled_export_readers_neither_hold_snapshots_nor_starve_other_tenants(export_api):
    base, keys, engine = export_api
    tenant_b = {"Authorization": f"Bearer {keys['b'].key}"}
    sockets = [_stalled_export(base, keys["a"].key) for _ in range(STALLED)]
    try:
        time.sleep(1)
        statuses = sorted(sock.recv(12).split(b" ")[1] for sock in sockets)  # the status line only
        # The process streams 4 exports at most, one key 3 of them: its other requests are its own 429s.
        assert statuses == [b"200"] * 3 + [b"429"] * (STALLED - 3), statuses
        started = time.monotonic()
        r = httpx.get(base + "/v1/articles", headers=tenant_b, timeout=30)
        assert r.status_code == 200, r.text
        assert time.monotonic() - started < 2, "tenant B waited for a connection held by a stalled export"
        time.sleep(WRITE_TIMEOUT_S + 3)
        assert _idle_in_transaction(engine) == 0, "stalled exports still hold their transactions"
        assert httpx.get(base + "/v1/articles", headers=tenant_b, timeout=30).status_code == 200
    finally:
        for sock in sockets:
            sock.close()


def test_an_export_read_to_the_end_is_complete(export_api):
    base, keys, _ = export_api
    with httpx.stream(
        "GET", base + "/v1/articles/export", headers={"Authorization": f"Bearer {keys['a'].key}"}, timeout=60
    ) as r:
        assert r.status_code == 200
        assert sum(1 for line in r.iter_lines() if line) == 3000
