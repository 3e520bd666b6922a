"""`article-ingest backfill` against real processes: the exit status tells whether everything went through, and
log lines stay out of the progress output."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from tests.backfills.support import article_html, backfill_env, worker
from tests.support.database import fresh_database, issue_key
from tests.support.processes import REPO, api_process
from tests.support.servers import page_server

pytestmark = pytest.mark.e2e


def _backfill(env: dict, api: str, key: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "backfill", str(path), "--api", api, "--key", key, "--interval", "0.3"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_backfill_exits_1_when_a_line_is_invalid_or_a_job_failed_and_0_when_all_is_done(tmp_path):
    pages = {f"/story/{n}": ("text/html; charset=utf-8", article_html(n)) for n in range(2)}
    with fresh_database("bfcli") as database_url, page_server(pages) as site:
        admin = issue_key(database_url, "admin", ["admin"]).key
        env = backfill_env(database_url, site, log_level="INFO")
        clean, broken = tmp_path / "clean.ndjson", tmp_path / "broken.ndjson"
        clean.write_text(json.dumps({"url": f"{site}/story/0"}) + "\n")
        broken.write_text(
            "\n".join([json.dumps({"url": f"{site}/story/1"}), json.dumps({"url": f"{site}/gone"}), "not json"]) + "\n"
        )
        with (
            api_process(env, tmp_path / "api.log") as api,
            worker(env, tmp_path / "worker.log", f"bfcli-{uuid.uuid4().hex[:8]}"),
        ):
            ok = _backfill(env, api, admin, clean)
            failed = _backfill(env, api, admin, broken)
    assert ok.returncode == 0, ok.stderr
    assert "backfill done: 1 done, 0 failed" in ok.stderr
    assert failed.returncode == 1, failed.stderr
    assert "1 done, 1 failed" in failed.stderr and "1 bad lines" in failed.stderr
    assert "http_404" in failed.stderr  # errors by type
    for result in (ok, failed):
        assert "HTTP Request" not in result.stderr  # httpx's request log lines stay off the progress output
