"""The attribute bomb (200,000 attributes on one tag: quadratic in libxml2's C code, minutes per parse) ends
typed within 20 s through `article-ingest extract`, the worker and POST /v1/extract; previews run in parallel
under a wall-clock limit."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.database import fresh_database, issue_key
from tests.support.processes import REPO, api_process, service_env

pytestmark = pytest.mark.e2e
BOMB = "<html><body><div " + " ".join(f"a{i}=x" for i in range(200_000)) + ">hi</div></body></html>"
# The same bomb behind a quoted ">" that a tokenizer ignoring quotes would take for the end of the tag.
HIDDEN_BOMB = '<html><body><div title=">" ' + " ".join(f"a{i}" for i in range(200_000)) + ">hi</div></body></html>"
LIMIT_S = 20
# Passes every markup limit but takes about a second to extract: 1,900 elements of 250 attributes each.
SLOW = (
    "<html><body><ul>" + ("<li " + " ".join(f"a{i}=x" for i in range(250)) + ">x</li>") * 1900 + "</ul></body></html>"
)
TINY = "<html><body><h1>Small</h1><p>A short story of a few words, to preview.</p></body></html>"


@pytest.mark.parametrize("page", [BOMB, HIDDEN_BOMB], ids=["bomb", "hidden"])
def test_the_cli_refuses_the_bomb_typed_and_fast(tmp_path, page):
    path = tmp_path / "bomb.html"
    path.write_text(page)
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert time.monotonic() - started < LIMIT_S
    assert run.returncode == 1
    assert json.loads(run.stdout)["error"]["type"] == "document_too_complex"


def test_the_worker_refuses_the_bomb_typed_and_fast(stack):
    stack.pages["/bomb.html"] = ("text/html; charset=utf-8", BOMB.encode())  # fetched: only the worker sees it
    started = time.monotonic()
    record = stack.wait_finished("a", stack.submit("a", {"url": stack.pages_base + "/bomb.html"}), 120)
    assert time.monotonic() - started < LIMIT_S
    assert record["status"] == "failed" and record["error"]["type"] == "document_too_complex", record["error"]


@pytest.mark.parametrize("page", [BOMB, HIDDEN_BOMB], ids=["bomb", "hidden"])
def test_a_posted_bomb_is_refused_at_submission(stack, page):
    started = time.monotonic()
    r = httpx.post(stack.base + "/v1/articles", json={"html": page}, headers=stack.auth("a"), timeout=60)
    assert time.monotonic() - started < LIMIT_S
    assert r.status_code == 422, r.text[:300]
    assert r.json()["type"].endswith("/document_too_complex") and r.json()["field"] == "html"


@pytest.fixture(scope="module")
def preview_api(tmp_path_factory):
    with fresh_database("preview") as database_url:
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            preview_timeout_seconds="0.5",
            rate_limit_key_prefix=f"test:abuse:{uuid.uuid4().hex[:12]}:",
        )
        with api_process(env, tmp_path_factory.mktemp("preview") / "api.log") as base:
            yield base, {name: {"Authorization": f"Bearer {key.key}"} for name, key in keys.items()}


def _preview(preview_api, tenant: str, html: str) -> tuple[httpx.Response, float]:
    base, auth = preview_api
    started = time.monotonic()
    response = httpx.post(base + "/v1/extract", json={"html": html}, headers=auth[tenant], timeout=120)
    return response, time.monotonic() - started


def test_a_preview_of_the_bomb_is_a_typed_422_fast(preview_api):
    response, took = _preview(preview_api, "a", BOMB)
    assert took < LIMIT_S
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["extraction_error"] == "document_too_complex"


def test_previews_have_a_wall_clock_limit_and_do_not_wait_behind_each_other(preview_api):
    with ThreadPoolExecutor(2) as pool:  # warm both preview processes (one each: a key's share is one)
        assert [r.status_code for r, _ in pool.map(lambda t: _preview(preview_api, t, TINY), "ab")] == [200, 200]
    slow: dict = {}
    thread = threading.Thread(
        target=lambda: slow.update(zip(("response", "took"), _preview(preview_api, "a", SLOW), strict=True))
    )
    thread.start()
    time.sleep(0.3)  # A's preview is running
    tiny, tiny_took = _preview(preview_api, "b", TINY)
    thread.join()
    assert tiny.status_code == 200 and tiny.json()["title"] == "Small"
    assert tiny_took < 1.5, f"B's tiny preview waited {tiny_took:.1f} s behind A's"
    assert slow["response"].status_code == 422, slow["response"].text[:300]
    assert slow["response"].json()["extraction_error"] == "document_too_complex"
    assert slow["took"] < 5, "the preview ran past its wall-clock limit"
