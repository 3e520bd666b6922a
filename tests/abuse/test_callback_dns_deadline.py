"""The DNS lookup of a callback_url at submission is bounded in time: a stalled resolver costs the submitter at
most `callback_dns_timeout`, then the URL is judged as on a transient DNS failure (accepted: delivery resolves it
again and retries), and the API's threads are not held by lookups that never end."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.database import fresh_database, issue_key
from tests.support.processes import REPO, api_process, service_env

pytestmark = pytest.mark.e2e

STUB_DIR = Path(__file__).resolve().parents[1] / "support" / "stub_dns"
STALL_SECONDS = 60  # a resolver that never answers within any test's patience


@pytest.fixture(scope="module")
def api_with_stalled_dns(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dns-deadline")
    with fresh_database("abuse") as database_url:
        key = issue_key(database_url, "a", ["ingest"])
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            rate_limit_key_prefix=f"test:abuse:{uuid.uuid4().hex[:12]}:",
            callback_dns_timeout="1.0",
        )
        env["PYTHONPATH"] = f"{STUB_DIR}:{REPO}"
        env["INGEST_TEST_STUB_DNS"] = json.dumps(
            {
                "stalled.example": {"addresses": ["93.184.215.14"], "delay": STALL_SECONDS},
                "intranet.example": {"addresses": ["10.1.2.3"], "delay": 0},
            }
        )
        with api_process(env, tmp / "api.log") as base:
            yield base, {"Authorization": f"Bearer {key.key}"}


def _submit(base: str, auth: dict, callback_url: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    r = httpx.post(
        base + "/v1/articles",
        json={"text": "Title\n\nA short wire copy.", "callback_url": callback_url},
        headers=auth,
        timeout=STALL_SECONDS,
    )
    return r, time.monotonic() - started


def test_a_stalled_callback_lookup_is_answered_within_the_dns_deadline(api_with_stalled_dns):
    base, auth = api_with_stalled_dns
    r, took = _submit(base, auth, "https://stalled.example/hook")
    assert r.status_code == 202, r.text  # transient: delivery resolves again and retries
    assert took < 5, f"submission waited {took:.1f} s on DNS"
    # A name answered in time is judged as before: a denied address is refused.
    r, took = _submit(base, auth, "https://intranet.example/hook")
    assert r.status_code == 422 and took < 5, r.text


def test_many_stalled_lookups_do_not_hold_the_api(api_with_stalled_dns):
    base, auth = api_with_stalled_dns
    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: _submit(base, auth, "https://stalled.example/hook"), range(50)))
    assert all(r.status_code == 202 for r, _ in answers), [r.text for r, _ in answers if r.status_code != 202]
    assert max(took for _, took in answers) < 10, sorted(took for _, took in answers)[-5:]
    # Health answers at once while the stalled lookups go on in their threads.
    started = time.monotonic()
    assert httpx.get(base + "/healthz", timeout=5).status_code == 200 and time.monotonic() - started < 2
