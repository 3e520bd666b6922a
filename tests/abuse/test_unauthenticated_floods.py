"""Unauthenticated floods: an unknown key is looked up in the database once, not per request (a negative
cache), and failed authentications are limited per client address (429 problem+json with Retry-After, before
any database lookup), while other addresses and known keys go on being served."""

from __future__ import annotations

import secrets
from contextlib import contextmanager

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import event

from service.app import create_app
from tests.abuse.conftest import memory_broker_api
from tests.support.redis_keys import private_prefix

PER_MINUTE = 20


def _unknown_key() -> str:
    return "aik_" + secrets.token_urlsafe(32)


@pytest.fixture
def prefix():
    with private_prefix("unauth") as prefix:
        yield prefix


def test_an_unknown_key_costs_one_database_lookup_not_one_per_request(settings, session_factory, dispatcher, prefix):
    lookups = []
    connection = session_factory.kw["bind"]
    event.listen(
        connection,
        "before_cursor_execute",
        lambda conn, cursor, statement, *a: lookups.append(statement) if "api_keys" in statement else None,
    )
    app = create_app(
        settings.model_copy(update={"rate_limit_key_prefix": prefix}),
        session_factory=session_factory,
        dispatcher=dispatcher,
        broker_check=lambda: None,
    )
    key = _unknown_key()
    with TestClient(app) as client:
        for _ in range(15):
            r = client.get("/v1/articles", headers={"Authorization": f"Bearer {key}"})
            assert r.status_code == 401, r.text
    assert len(lookups) == 1, f"{len(lookups)} database lookups for one unknown key"


@contextmanager
def _api_with_address_limit(tmp_path_factory, label: str, **settings: str):
    """An API process with PER_MINUTE failed authentications per address; yields its base URL and b's key."""
    limit = str(PER_MINUTE)
    tmp = tmp_path_factory.mktemp(label)
    with memory_broker_api(tmp, label, rate_limit_unauthenticated_per_minute=limit, **settings) as (base, keys, _):
        yield base, keys["b"]


@pytest.fixture(scope="module")
def flood_api(tmp_path_factory):
    # A proxy on loopback: X-Forwarded-For names the client in the tests below.
    with _api_with_address_limit(tmp_path_factory, "unauth", forwarded_allow_ips="127.0.0.1") as api:
        yield api


@pytest.fixture(scope="module")
def unproxied_api(tmp_path_factory):
    """An API process with the default settings: no proxy is configured."""
    with _api_with_address_limit(tmp_path_factory, "unproxied") as api:
        yield api


@pytest.mark.e2e
def test_a_forged_x_forwarded_for_does_not_escape_the_address_limit(unproxied_api):
    """With no proxy configured, X-Forwarded-For is the client's word, not its address: a flood that names a new
    address on every request is still one address (uvicorn's default trusts the header from 127.0.0.1, which made
    each forged address a fresh allowance). A tenant at another address is served meanwhile."""
    base, key = unproxied_api
    statuses = []
    # From 127.0.0.1, the one peer uvicorn's own default believes.
    with httpx.Client(base_url=base, timeout=10, transport=httpx.HTTPTransport(local_address="127.0.0.1")) as client:
        for i in range(3 * PER_MINUTE):
            forged = {
                "X-Forwarded-For": f"198.18.{i // 250}.{i % 250 + 1}",
                "Authorization": f"Bearer {_unknown_key()}",
            }
            statuses.append(client.get("/v1/articles", headers=forged).status_code)
    assert statuses[:PER_MINUTE] == [401] * PER_MINUTE
    assert statuses[PER_MINUTE + 1 :] == [429] * (2 * PER_MINUTE - 1), statuses
    with httpx.Client(base_url=base, timeout=10, transport=httpx.HTTPTransport(local_address="127.0.0.4")) as other:
        assert other.get("/v1/articles", headers={"Authorization": f"Bearer {_unknown_key()}"}).status_code == 401
        assert other.get("/v1/articles", headers={"Authorization": f"Bearer {key.key}"}).status_code == 200


@pytest.mark.e2e
def test_failed_authentications_are_limited_per_client_address(flood_api):
    base, key = flood_api
    tenant_b = {"Authorization": f"Bearer {key.key}", "X-Forwarded-For": "198.51.100.20"}
    assert httpx.get(base + "/v1/articles", headers=tenant_b, timeout=10).status_code == 200
    attacker = "203.0.113.9"  # the configured proxy (loopback) names the client address in X-Forwarded-For
    statuses = []
    with httpx.Client(base_url=base, timeout=10) as client:
        for i in range(3 * PER_MINUTE):
            headers = {"X-Forwarded-For": attacker}
            if i % 3:
                headers["Authorization"] = f"Bearer {_unknown_key()}"  # a fresh key: the negative cache misses
            r = client.get("/v1/articles", headers=headers)
            statuses.append(r.status_code)
            if r.status_code == 429:
                assert r.headers["content-type"].startswith("application/problem+json")
                assert int(r.headers["retry-after"]) >= 1
    assert statuses[:PER_MINUTE] == [401] * PER_MINUTE
    assert statuses[PER_MINUTE + 1 :] == [429] * (2 * PER_MINUTE - 1), statuses
    # Tenant B, elsewhere, is served; so is a known key from the attacker's own address.
    assert httpx.get(base + "/v1/articles", headers=tenant_b, timeout=10).status_code == 200
    same_address = {**tenant_b, "X-Forwarded-For": attacker}
    assert httpx.get(base + "/v1/articles", headers=same_address, timeout=10).status_code == 200


@pytest.mark.e2e
@pytest.mark.parametrize("authorization", ["repeated unknown key", "none"])
def test_a_blocked_address_is_answered_from_memory(flood_api, authorization):
    """Once an address is blocked, its further failed requests cost no Redis round trip (nor a database lookup):
    a flood with one unknown key, or with no key at all, is answered 429 from the process's memory."""
    import threading

    import redis

    from service.settings import Settings

    base, _ = flood_api
    attacker = f"203.0.113.{10 + len(authorization)}"
    headers = {"X-Forwarded-For": attacker}
    if authorization != "none":
        headers["Authorization"] = f"Bearer {_unknown_key()}"
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        for _ in range(PER_MINUTE + 2):
            client.get("/v1/articles")
        assert client.get("/v1/articles").status_code == 429
        seen: list[str] = []
        monitor_ready, stop = threading.Event(), threading.Event()

        def watch() -> None:
            with redis.Redis.from_url(Settings(broker_url="memory://").redis_url).monitor() as monitor:
                monitor_ready.set()
                for command in monitor.listen():
                    if attacker in command["command"]:
                        seen.append(command["command"])
                    if stop.is_set() and "stop-watch" in command["command"]:
                        return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        monitor_ready.wait(10)
        statuses = [client.get("/v1/articles").status_code for _ in range(50)]
        stop.set()
        redis.Redis.from_url(Settings(broker_url="memory://").redis_url).get("stop-watch")
        watcher.join(10)
    assert statuses == [429] * 50, statuses
    assert not seen, f"{len(seen)} Redis commands for 50 requests of a blocked address: {seen[:2]}"


@pytest.fixture(scope="module")
def limited_api(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limited")
    with memory_broker_api(tmp, "limited", rate_limit_ingest_writes_per_minute="5") as api:
        yield api


@pytest.mark.e2e
def test_a_key_over_its_rate_limit_is_answered_from_memory_until_its_retry_after(limited_api):
    """A tenant flooding past its own limit costs one Redis call per Retry-After, not one (and a database lookup)
    per request; its reads and other tenants are unaffected."""
    import threading

    import redis

    from service.settings import Settings

    base, keys, prefix = limited_api
    url = Settings(broker_url="memory://").redis_url
    body = {"text": "T\n\nA short story."}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys['a'].key}"}, timeout=10) as client:
        first = [client.post("/v1/articles", json=body).status_code for _ in range(7)]
        assert first[:5] == [202] * 5 and first[-1] == 429, first
        seen: list[str] = []
        ready = threading.Event()

        def watch() -> None:
            with redis.Redis.from_url(url).monitor() as monitor:
                ready.set()
                for command in monitor.listen():
                    if f"{prefix}write:{keys['a'].id}" in command["command"]:
                        seen.append(command["command"])
                    if "stop-watch" in command["command"]:
                        return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        ready.wait(10)
        flood = [client.post("/v1/articles", json=body) for _ in range(50)]
        redis.Redis.from_url(url).get("stop-watch")
        watcher.join(10)
        assert [r.status_code for r in flood] == [429] * 50
        assert all(int(r.headers["retry-after"]) >= 1 for r in flood)
        assert client.get("/v1/articles").status_code == 200  # reads have their own allowance
    other = httpx.post(base + "/v1/articles", json=body, headers={"Authorization": f"Bearer {keys['b'].key}"})
    assert other.status_code == 202
    assert len(seen) <= 2, f"{len(seen)} Redis calls for 50 requests over the limit: {seen[:2]}"


@pytest.mark.e2e
def test_a_tenant_behind_a_flooding_address_keeps_working_as_long_as_the_flood_lasts(flood_api):
    """A valid key from a blocked address passes for KNOWN_KEY_SECONDS after it last authenticated, and each of its
    requests renews that; before, the first authentication was the only one, and 30 s into a flood tenant B,
    behind the same address (a NAT), was refused 429 with everyone else there."""
    import threading
    import time

    from service.ratelimit.unauthenticated import KNOWN_KEY_SECONDS

    base, key = flood_api
    shared = "203.0.113.77"
    tenant_b = {"Authorization": f"Bearer {key.key}", "X-Forwarded-For": shared}
    assert httpx.get(base + "/v1/articles", headers=tenant_b, timeout=10).status_code == 200
    stop, flood = threading.Event(), []

    def attacker() -> None:
        with httpx.Client(base_url=base, headers={"X-Forwarded-For": shared}, timeout=10) as client:
            while not stop.is_set():
                flood.append(client.get("/v1/articles").status_code)

    thread = threading.Thread(target=attacker, daemon=True)
    thread.start()
    statuses = []
    try:
        with httpx.Client(base_url=base, headers=tenant_b, timeout=10) as client:
            end = time.monotonic() + KNOWN_KEY_SECONDS + 6
            while time.monotonic() < end:
                statuses.append(client.get("/v1/articles").status_code)
                time.sleep(0.5)
    finally:
        stop.set()
        thread.join(10)
    assert flood.count(429) > len(flood) / 2, "the address was not blocked"
    assert set(statuses) == {200}, [(i * 0.5, s) for i, s in enumerate(statuses) if s != 200][:5]
