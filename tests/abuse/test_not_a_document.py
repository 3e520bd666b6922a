"""Random bytes served or given as HTML end as a typed `not_a_document` failure, never a `done` record of
garbage "words": through the worker (fetched from a page server) and through `article-ingest extract`."""
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


def test_random_bytes_posted_as_html_or_text_are_refused_as_not_a_document(stack):
    """Posted, the refusal comes at submission (nothing accepted fails later on the same rule): a 422 problem
    whose type is the pipeline's, as a failed record would carry it."""
    for kind, document in (("html", GARBAGE.decode("latin-1")), ("text", GARBAGE[:1_500_000].decode("latin-1"))):
        r = httpx.post(stack.base + "/v1/articles", json={kind: document}, headers=stack.auth("a"), timeout=60)
        assert r.status_code == 422, (kind, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["extraction_error"] == "not_a_document" and r.json()["field"] == kind, r.text[:300]


def test_random_bytes_through_the_cli_fail_as_not_a_document(tmp_path):
    page = tmp_path / "garbage.html"
    page.write_bytes(GARBAGE[:1_500_000])  # read as text (no markup): under the 2,000,000-character text limit
    run = subprocess.run([sys.executable, "-m", "service.cli", "extract", str(page)], capture_output=True,
                         text=True, cwd=REPO, timeout=120)
    assert run.returncode == 1, run.stdout[:300]
    assert json.loads(run.stdout)["error"]["type"] == "not_a_document", run.stdout[:300]
