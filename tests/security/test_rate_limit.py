"""Per-key rate limits in one app against the real Redis (a unique key prefix per test): the classes are
separate allowances, keys do not share them, 429 is problem+json with Retry-After, and the Redis keys name the
key id only. The several-process total is in test_api_processes.py."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from litestar.testing import TestClient

from service.app import create_app
from service.ratelimit.fair_share import LIVE_PRIORITY, busy_priority
from tests.conftest import _key
from tests.support.processes import free_port
from tests.support.redis_keys import private_prefix

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def prefix():
    with private_prefix("ratelimit") as prefix:
        yield prefix


def _app(settings, session_factory, dispatcher, prefix: str | None = None, **limits):
    """An app on the real Redis (unless `limits` names another redis_url), with this test's key prefix (when
    given) and `limits` (settings names)."""
    keys = {"rate_limit_key_prefix": prefix} if prefix else {}
    return create_app(
        settings.model_copy(update={"redis_url": REDIS_URL, **keys, **limits}),
        session_factory=session_factory,
        dispatcher=dispatcher,
        broker_check=lambda: None,
    )


def _bearer(issued) -> dict[str, str]:
    return {"Authorization": f"Bearer {issued.key}"}


def test_each_class_has_its_own_allowance_per_key_and_429_says_when_to_retry(
    settings, session_factory, dispatcher, ingest_key, admin_key, prefix
):
    app = _app(
        settings,
        session_factory,
        dispatcher,
        prefix,
        rate_limit_ingest_reads_per_minute=3,
        rate_limit_ingest_writes_per_minute=2,
        rate_limit_admin_per_minute=1,
    )
    other = _key(session_factory, "other", ["ingest"])
    with TestClient(app) as client:
        reads = [client.get("/v1/articles", headers=_bearer(ingest_key)) for _ in range(4)]
        assert [r.status_code for r in reads] == [200, 200, 200, 429]
        limited = reads[-1]
        assert limited.headers["content-type"].startswith("application/problem+json")
        body = limited.json()
        assert body["status"] == 429 and body["type"].endswith("rate_limited")
        # 3 a minute: the next slot is at most 20 s away.
        assert 1 <= int(limited.headers["retry-after"]) <= 20 and body["retry_after"] == int(
            limited.headers["retry-after"]
        )

        writes = [
            client.post("/v1/articles", json={"text": f"T{i}\nBody."}, headers=_bearer(ingest_key)) for i in range(3)
        ]
        assert [r.status_code for r in writes] == [202, 202, 429]
        assert client.get("/v1/articles", headers=_bearer(other)).status_code == 200  # not shared across keys
        admin = [client.get("/v1/admin/keys", headers=_bearer(admin_key)) for _ in range(2)]
        assert [r.status_code for r in admin] == [200, 429]
        assert client.get("/v1/articles", headers=_bearer(admin_key)).status_code == 200  # admin on ingest: reads
        assert client.get("/healthz").status_code == 200  # public routes are not limited

    names = [k.decode() for k in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}*")]
    assert names and all(n.split(":")[-1] in {str(ingest_key.id), str(other.id), str(admin_key.id)} for n in names)
    assert not [n for n in names if ingest_key.key in n or admin_key.key in n]


def test_a_refused_request_does_not_use_up_the_allowance(settings, session_factory, dispatcher, ingest_key, prefix):
    app = _app(
        settings,
        session_factory,
        dispatcher,
        prefix,
        rate_limit_admin_per_minute=1,
    )
    with TestClient(app) as client:
        for _ in range(3):  # 403s are not counted against anything
            assert client.get("/v1/admin/keys", headers=_bearer(ingest_key)).status_code == 403
        assert client.get("/v1/articles", headers=_bearer(ingest_key)).status_code == 200


def test_limits_fail_open_when_redis_is_unreachable(settings, session_factory, dispatcher, ingest_key):
    app = _app(
        settings,
        session_factory,
        dispatcher,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
        rate_limit_ingest_reads_per_minute=1,
    )
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("service.ratelimit.limiter")
    logger.addHandler(handler)
    try:
        with TestClient(app) as client:
            statuses = [client.get("/v1/articles", headers=_bearer(ingest_key)).status_code for _ in range(3)]
    finally:
        logger.removeHandler(handler)
    assert statuses == [200] * 3
    assert [r.getMessage() for r in records] == ["rate limits are off while Redis is unreachable: ConnectionError"]


@contextmanager
def _client_commands(prefix: str) -> Iterator[list[str]]:
    """The names of the commands clients send Redis that name a key under `prefix` (MONITOR; the commands a Lua
    script runs are left out: one EVALSHA is one round trip however much its script does)."""
    seen: list[str] = []
    end = f"{prefix}end-of-test"

    def listen(monitor: redis.client.Monitor) -> None:
        while end not in (command := monitor.next_command())["command"]:
            if prefix in command["command"] and command["client_type"] != "lua":
                seen.append(command["command"].split()[0].upper())

    client = redis.Redis.from_url(REDIS_URL)
    with client.monitor() as monitor:
        listener = threading.Thread(target=listen, args=(monitor,), daemon=True)
        listener.start()
        try:
            yield seen
        finally:
            redis.Redis.from_url(REDIS_URL).echo(end)
            listener.join(10)


def test_a_submission_is_counted_for_its_fair_share_in_its_rate_limit_round_trip(
    settings, session_factory, dispatcher, ingest_key, prefix
):
    """Past its fair share (2 per window here) a key's submissions are sent at the busy priority. The count is made
    in the rate limit's Redis script when the limit admits the submission: one round trip per submission (issue 16;
    before, the count was a pipeline of its own from the request's thread), and a submission refused 429 is not
    counted."""
    app = _app(
        settings,
        session_factory,
        dispatcher,
        prefix,
        rate_limit_ingest_writes_per_minute=5,
        fair_share_submissions_per_window=2,
        fair_share_window_seconds=10**7,  # one window for the whole test
    )
    headers = _bearer(ingest_key)
    with TestClient(app) as client:
        assert (
            client.post("/v1/articles", json={"text": "T0\nBody."}, headers=headers).status_code == 202
        )  # loads the script
        with _client_commands(prefix) as commands:
            statuses = [
                client.post("/v1/articles", json={"text": f"T{i}\nBody."}, headers=headers).status_code
                for i in range(1, 6)
            ]
    assert statuses == [202, 202, 202, 202, 429]
    busy = busy_priority(settings)
    assert [priority for _, priority in dispatcher.ingest] == [LIVE_PRIORITY, LIVE_PRIORITY, busy, busy, busy]
    assert commands == ["EVALSHA"] * 5, commands
    shares = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}share:*"))
    assert len(shares) == 1 and redis.Redis.from_url(REDIS_URL).get(shares[0]) == b"5"  # the 429 is not counted
