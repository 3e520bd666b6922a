"""A backfill run to the end by real processes (API, Celery worker with beat, RabbitMQ, a local page server),
with the worker killed (SIGKILL, pool and all) midway and started again: every unique URL ends as exactly
one article and one done job, and the `article-ingest backfill` CLI shows progress until the end."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import psutil
import pytest
from sqlalchemy import create_engine, text

from tests.backfills.support import CountingPages, article_html, backfill_env, wait_for, worker
from tests.support.processes import REPO, api_process
from tests.support.servers import page_server

pytestmark = pytest.mark.e2e
PAGES, DUPLICATE_EVERY = 150, 5  # 150 unique pages; every 5th line repeats one: 187 lines, 20% duplicates


def _kill_hard(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once, like a lost machine."""
    parent = psutil.Process(proc.pid)
    family = [parent, *parent.children(recursive=True)]
    for p in family:
        p.kill()
    psutil.wait_procs(family, timeout=10)


def test_backfill_survives_a_killed_worker_with_no_job_lost_or_doubled(e2e_database, committed_admin_key, tmp_path):
    pages = CountingPages({f"/story/{n}": ("text/html; charset=utf-8", article_html(n)) for n in range(PAGES)})
    with page_server(pages) as site:
        lines = []
        for n in range(PAGES):
            lines.append({"url": f"{site}/story/{n}", "external_id": f"s{n}"})
            if n % (DUPLICATE_EVERY - 1) == 3:
                lines.append({"url": f"{site}/story/{n - 2}?utm_campaign=again"})
        backfill_file = tmp_path / "urls.ndjson"
        backfill_file.write_text("".join(json.dumps(line) + "\n" for line in lines))
        env = backfill_env(
            e2e_database,
            site,
            backfill_rate_per_second="40",
            backfill_per_host_in_flight="8",
            backfill_max_in_flight="8",
            job_lease_seconds="6",
            reconcile_interval_seconds="1",
            reconcile_grace_seconds="3",
            task_soft_time_limit="4",
            task_time_limit="5",
        )
        engine = create_engine(e2e_database)

        def count(sql: str) -> int:
            with engine.connect() as conn:
                return conn.execute(text(sql)).scalar_one()

        with api_process(env, tmp_path / "api.log") as api:
            refused = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "service.cli",
                    "backfill",
                    str(backfill_file),
                    "--api",
                    api,
                    "--key",
                    "aik_not-a-key",
                ],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert refused.returncode == 1 and "401" in refused.stderr, refused.stderr
            cli = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "service.cli",
                    "backfill",
                    str(backfill_file),
                    "--api",
                    api,
                    "--key",
                    committed_admin_key.key,
                    "--interval",
                    "0.5",
                ],
                env=env,
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                run = uuid.uuid4().hex[:8]
                with worker(env, tmp_path / "worker1.log", f"bf1-{run}") as first:
                    wait_for(
                        lambda: count("SELECT count(*) FROM jobs WHERE status = 'done'") >= 40, 60, "the first 40 jobs"
                    )
                    _kill_hard(first)
                done_at_kill = count("SELECT count(*) FROM jobs WHERE status = 'done'")
                assert done_at_kill < PAGES, "the backfill finished before the worker was killed"
                with worker(env, tmp_path / "worker2.log", f"bf2-{run}"):
                    stdout, stderr = cli.communicate(timeout=100)
            finally:
                if cli.poll() is None:
                    cli.kill()
        assert cli.returncode == 0, stderr
        backfill_id = json.loads(stdout.splitlines()[0])["id"]
        with engine.connect() as conn:
            jobs = conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status")).all()
            articles = conn.execute(
                text("SELECT count(*), count(DISTINCT normalized_url) FROM articles WHERE status = 'done'")
            ).one()
            backfill = conn.execute(
                text("SELECT status, unique_items, duplicates_in_file, released FROM backfills WHERE id = :b"),
                {"b": backfill_id},
            ).one()
        engine.dispose()
    assert dict(jobs) == {"done": PAGES}  # none lost, none doubled, none failed
    assert tuple(articles) == (PAGES, PAGES)
    assert tuple(backfill) == ("done", PAGES, len(lines) - PAGES, PAGES)
    assert set(pages.served) == set(pages)  # every page fetched...
    # ...and at most the jobs cut off by the kill (pool of 2) fetched twice.
    assert sum(pages.served.values()) <= PAGES + 2, pages.served.most_common(3)
    assert "backfill done" in stderr and f"{PAGES} done" in stderr
    assert "%" in stderr and "running" in stderr  # the progress lines
