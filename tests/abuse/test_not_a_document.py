"""Random bytes served or given as HTML end as a typed `not_a_document` failure, never a `done` record of
garbage "words": through the worker (fetched from a page server), at submission (422) and through
`article-ingest extract`."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import httpx
import pytest

from tests.support.processes import REPO

pytestmark = pytest.mark.e2e
GARBAGE = random.Random(1).randbytes(3_000_000)  # this seed ended `done` with 55,884 "words"


def test_random_bytes_fetched_as_html_fail_as_not_a_document(stack):
    stack.pages["/garbage.html"] = ("text/html", GARBAGE)
    stack.pages["/garbage-utf8.html"] = ("text/html; charset=utf-8", GARBAGE)
    for path in ("/garbage.html", "/garbage-utf8.html"):
        record = stack.wait_finished("a", stack.submit("a", {"url": stack.pages_base + path}), 60)
        assert record["status"] == "failed", (path, record["word_count"])
        assert record["error"]["type"] == "not_a_document", record["error"]


def test_random_bytes_posted_as_html_are_refused_as_not_a_document(stack):
    html = GARBAGE.decode("latin-1")  # every byte a character, as a client that "just sends the file" would
    r = httpx.post(stack.base + "/v1/articles", json={"html": html}, headers=stack.auth("a"), timeout=60)
    assert r.status_code == 422, r.text[:300]  # refused at submission by the pipeline's own check
    assert r.json()["type"].endswith("/not_a_document") and r.json()["extraction_error"] == "not_a_document"
    assert r.json()["field"] == "html"
    # as text, and with the document after other members: the same refusal, read from the raw body
    body = json.dumps({"external_id": "garbage-1", "text": html[:1_500_000]}, ensure_ascii=True).encode()  # ~6.5 MB
    r = httpx.post(
        stack.base + "/v1/articles",
        content=body,
        headers={**stack.auth("a"), "content-type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 422 and r.json()["extraction_error"] == "not_a_document", r.text[:300]
    assert r.json()["field"] == "text"


def test_random_bytes_through_the_cli_fail_as_not_a_document(tmp_path):
    page = tmp_path / "garbage.html"
    page.write_bytes(GARBAGE[:1_500_000])  # read as text (no markup): under the 2,000,000-character text limit
    run = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", str(page)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout[:300]
    assert json.loads(run.stdout)["error"]["type"] == "not_a_document", run.stdout[:300]
