"""Backfill acceptance and release, against baselines measured in the same run.

Usage: .venv/bin/python benchmarks/backfill_accept.py [lines] [--accept-only]   (default 100000; 20% duplicates)

1. accept: POST /v1/admin/backfills to a real API process (uvicorn), time to the 202, versus a plain psycopg
   COPY of the same rows into a table of the same shape (no HTTP, no parsing): the floor for storing them.
2. memory: the API process's peak RSS (VmHWM) after the request, versus its RSS before it.
3. prepare + release: every line checked, normalised and de-duplicated, then every unique URL turned into an
   article and a job (in-process, no broker), as rows per second versus the COPY baseline's rows per second.
Needs the local Postgres; makes and drops its own database.
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from service.api_keys.service import create_key  # noqa: E402
from service.backfills.parsing import parse_body  # noqa: E402
from service.backfills.releaser import run_tick  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.backfills.test_backfill_scale import _api_pid, _peak_rss_mb, backfill_body  # noqa: E402
from tests.support.database import fresh_database  # noqa: E402
from tests.support.processes import api_process, service_env  # noqa: E402


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def baseline_copy(url: str, lines: int) -> float:
    rows = list(parse_body(backfill_body(lines, lines * 4 // 5), max_line_bytes=16384))
    backfill_id = uuid.uuid4()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute(
            "CREATE TABLE copy_baseline (backfill_id uuid, line bigint, url text, external_id text, "
            "callback_url text, error_type text, error_detail text, PRIMARY KEY (backfill_id, line))"
        )
        started = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy("COPY copy_baseline FROM STDIN") as copy:
            for row in rows:
                copy.write_row((backfill_id, *row))
        conn.commit()
        return time.perf_counter() - started


def main(lines: int, accept_only: bool = False) -> None:
    unique = lines * 4 // 5
    with fresh_database("bench") as url:
        engine = create_engine(url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        with sessions.begin() as session:
            key = create_key(session, name="bench", scopes=["admin"])
        copy_seconds = baseline_copy(url, lines)
        env = service_env(database_url=url, broker_url="memory://", rate_limit_admin_per_minute="0")
        with api_process(env, Path(f"/tmp/backfill-bench-api-{uuid.uuid4().hex[:6]}.log")) as api:
            pid = _api_pid(api)
            with httpx.Client(base_url=api, headers={"Authorization": f"Bearer {key.key}"}, timeout=600) as client:
                client.get("/v1/admin/jobs")
                idle = _rss_mb(pid)
                started = time.perf_counter()
                response = client.post(
                    "/v1/admin/backfills",
                    content=backfill_body(lines, unique),
                    headers={"Content-Type": "application/x-ndjson"},
                )
                accept_seconds = time.perf_counter() - started
                assert response.status_code == 202, response.text
                peak = _peak_rss_mb(pid)
                backfill_id = response.json()["id"]
        if accept_only:
            engine.dispose()
            print(
                f"lines {lines}: accept {accept_seconds:.2f} s, baseline COPY {copy_seconds:.2f} s, ratio "
                f"{accept_seconds / copy_seconds:.2f}x; API peak {peak:.0f} MB vs {idle:.0f} MB before"
            )
            return
        settings = Settings(database_url=url, backfill_prepare_batch=20_000, backfill_per_host_in_flight=lines)
        started = time.perf_counter()
        run_tick(sessions, settings, prepare_seconds=3600, max_release=0)
        prepare_seconds = time.perf_counter() - started
        started, released = time.perf_counter(), 0
        while tick := run_tick(sessions, settings, prepare_seconds=0, max_release=10_000).jobs:
            released += len(tick)
        release_seconds = time.perf_counter() - started
        with engine.connect() as conn:
            jobs = conn.execute(text("SELECT count(*) FROM jobs WHERE backfill_id = :b"), {"b": backfill_id}).scalar()
        engine.dispose()
    assert released == jobs == unique, (released, jobs, unique)
    copy_rate = lines / copy_seconds
    print(f"lines {lines}, unique {unique}")
    print(
        f"accept (202)      {accept_seconds:7.2f} s   baseline COPY {copy_seconds:5.2f} s   "
        f"ratio {accept_seconds / copy_seconds:5.2f}x   ({'<' if accept_seconds < 2 else '>='} 2 s goal at 100k)"
    )
    print(
        f"API memory        peak {peak:6.0f} MB   before {idle:4.0f} MB   ratio {peak / idle:5.2f}x   (goal < 300 MB)"
    )
    print(
        f"prepare           {lines / prepare_seconds:7.0f} lines/s   "
        f"ratio to COPY {lines / prepare_seconds / copy_rate:5.3f}"
    )
    print(
        f"release           {unique / release_seconds:7.0f} jobs/s    "
        f"ratio to COPY {unique / release_seconds / copy_rate:5.3f}"
        f"   (exactly {jobs} jobs for {unique} unique URLs)"
    )


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 100_000, accept_only="--accept-only" in sys.argv)
