"""Backfill uploads read their body on an API thread: slow uploads (each above the minimum body rate, so never
cut by the body timeout) must not hold every thread. At most INGEST_BACKFILL_UPLOAD_MAX_CONCURRENT are read at
once per API process, one key at most all but one of them; the rest are refused at once (429 for the key, 503
upload_busy for the process), other routes keep answering, and a slot comes back when its upload ends."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env
from tests.support.redis_keys import private_prefix
from tests.support.uploads import stalled_upload
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
SLOTS = 2
NDJSON = {"Content-Type": "application/x-ndjson"}
LINE = b'{"url": "https://example.org/news/2"}\n'


@pytest.fixture(scope="module")
def capped_api(tmp_path_factory):
    with private_prefix("slots") as prefix, fresh_database("slots") as database_url:
        keys = {name: issue_key(database_url, name, ["admin"]) for name in ("ops1", "ops2", "ops3")}
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            rate_limit_key_prefix=prefix,
            backfill_upload_max_concurrent=str(SLOTS),
            api_threads="4",
        )
        with api_process(env, tmp_path_factory.mktemp("slots") / "api.log") as base:
            yield base, {name: key.key for name, key in keys.items()}


def _upload(base: str, key: str) -> httpx.Response:
    return httpx.post(
        base + "/v1/admin/backfills", content=LINE, headers={**NDJSON, "Authorization": f"Bearer {key}"}, timeout=10
    )


def test_uploads_past_the_cap_are_refused_at_once_and_other_routes_answer(capped_api):
    base, keys = capped_api
    held: list[socket.socket] = [stalled_upload(base, keys["ops1"])]
    try:
        wait_for(lambda: _upload(base, keys["ops1"]).status_code == 429, 10, "ops1's second upload refused")
        held.append(stalled_upload(base, keys["ops2"]))
        refused = wait_for(
            lambda: (r := _upload(base, keys["ops3"])).status_code == 503 and r, 10, "a third key's upload refused"
        )
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/upload_busy") and refused.headers["retry-after"] == "5"
        listed = httpx.get(base + "/v1/admin/jobs", headers={"Authorization": f"Bearer {keys['ops3']}"}, timeout=5)
        assert listed.status_code == 200, listed.text
    finally:
        for sock in held:
            sock.close()  # the uploads end (client gone): their slots come back
    accepted = wait_for(lambda: (r := _upload(base, keys["ops3"])).status_code == 202 and r, 15, "a slot back")
    assert accepted.json()["lines"] == 1
