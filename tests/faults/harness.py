"""Real processes for the fault tests (API, Celery worker, beat), each in its own process group so a test can
kill a worker's main process, its pool children, or everything it started, and nothing else."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from tests.support.processes import REPO, STARTUP_TIMEOUT, free_port
from tests.support.waiting import wait_for

# Compressed clocks: a killed worker's job is back within lease + interval (~10 s), a lost message within
# grace + interval. The lease and visibility timeout still outlive the hard time limit, as in production.
FAST_CLOCKS = {
    "task_soft_time_limit": 3,
    "task_time_limit": 5,
    "job_lease_seconds": 8,
    "redis_visibility_timeout": 8,
    "reconcile_interval_seconds": 1,
    "reconcile_grace_seconds": 4,
    "reconcile_batch_size": 200,
    "max_attempts": 5,
    # One key submits everything here: the per-key rate limits (0 = off) are not what is under test.
    "rate_limit_ingest_writes_per_minute": 0,
    "rate_limit_ingest_reads_per_minute": 0,
}


def _spawn(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with open(log_path, "ab") as log:
        return subprocess.Popen(args, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _end(proc: subprocess.Popen) -> None:
    """SIGTERM the group we started, then SIGKILL it: orphaned pool children must not outlive the test."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if sig is signal.SIGTERM:  # the leader is gone; make sure its children are too
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        return


@contextmanager
def api(env: dict[str, str], log_path: Path, factory: str = "service.app:app_from_env"):
    port = free_port()
    proc = _spawn(
        [
            sys.executable,
            "-m",
            "uvicorn",
            factory,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env,
        log_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _alive(proc, log_path) and _healthy(base), STARTUP_TIMEOUT, "the API to start")
        yield base
    finally:
        _end(proc)


def start_worker(env: dict[str, str], log_path: Path, *, concurrency: int = 2) -> subprocess.Popen:
    start = log_path.stat().st_size if log_path.exists() else 0
    # One Celery worker taking both queues (`--queues all`): the faults act on a Celery main process and its
    # pool (by default the command supervises two such workers, one per queue, each of which these faults hit).
    args = ["worker", "--queues", "all", "--concurrency", str(concurrency), "--loglevel", "INFO"]
    proc = _spawn([sys.executable, "-m", "service.cli", *args], env, log_path)
    wait_for(
        lambda: _alive(proc, log_path) and "ready." in _tail(log_path, start), STARTUP_TIMEOUT, "the worker to start"
    )
    return proc


@contextmanager
def worker(env: dict[str, str], log_path: Path, *, concurrency: int = 2):
    proc = start_worker(env, log_path, concurrency=concurrency)
    try:
        yield proc
    finally:
        _end(proc)


@contextmanager
def beat(env: dict[str, str], log_path: Path):
    env = {**env, "INGEST_BEAT_SCHEDULE": str(log_path.with_suffix(".schedule"))}
    proc = _spawn([sys.executable, "-m", "service.cli", "beat"], env, log_path)
    try:
        yield proc
    finally:
        _end(proc)


def end(proc: subprocess.Popen) -> None:
    _end(proc)


def pool_children(pid: int) -> list[int]:
    """Pids whose parent is `pid` (the prefork pool of a worker's main process)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def group_members(pgid: int) -> int:
    """Processes still alive in a process group (a killed worker's orphaned pool children)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            count += int(fields[2]) == pgid and fields[0] != "Z"
    return count


def submit_texts(base: str, key: str, count: int, *, label: str, threads: int = 8, on_each=None) -> list[dict]:
    """Submit `count` distinct plain-text articles concurrently; one {i, status, id, body} per submission.
    Never raises on an HTTP failure: the caller asserts on the statuses."""
    headers = {"Authorization": f"Bearer {key}"}

    def one(i: int, client: httpx.Client) -> dict:
        body = {"text": article_text(label, i), "external_id": f"{label}-{i}"}
        try:
            response = client.post(f"{base}/v1/articles", json=body, headers=headers, timeout=30)
        except httpx.HTTPError as exc:
            return {"i": i, "status": None, "error": repr(exc)}
        result = {
            "i": i,
            "status": response.status_code,
            "content_type": response.headers.get("content-type"),
            "body": response.json() if response.content else None,
            "at": time.monotonic(),
        }
        if on_each:
            on_each(result)
        return result

    with httpx.Client() as client, ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda i: one(i, client), range(count)))


def article_text(label: str, i: int) -> str:
    return (
        f"Dispatch {label} number {i}\n"
        f"The harbour authority reported on Tuesday that ship {i} of convoy {label} docked safely after the "
        "storm, and that the cargo of grain and timber was unloaded without any damage to the quay."
    )


class Ledger:
    """What the database says about the submissions of one test (a committed test database)."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url, pool_size=1)

    def jobs(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return dict(conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status")).all())

    def done(self) -> int:
        return self.jobs().get("done", 0)

    def wait_all_done(self, count: int, timeout: float) -> None:
        try:
            wait_for(lambda: self.done() == count, timeout, f"{count} jobs to be done", interval=0.5)
        except AssertionError:
            stuck = [row for row in self.rows() if row.job_status != "done"][:5]
            raise AssertionError(f"not all done after {timeout} s: jobs {self.jobs()}; for example {stuck}") from None

    def rows(self) -> list:
        with self.engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT a.id, a.external_id, a.status, a.title, j.id AS job_id, j.status AS job_status, "
                    "j.attempts, j.error_type, j.error_detail FROM articles a JOIN jobs j ON j.article_id = a.id"
                )
            ).all()

    def close(self) -> None:
        self.engine.dispose()


OUTCOME = re.compile(r"ingest job ([0-9a-f-]{36}): (\w+)")


def outcomes(*logs: Path) -> dict[str, Counter]:
    """Per job id, how often each worker outcome was logged (done, skipped = a duplicate message, ...)."""
    seen: dict[str, Counter] = {}
    for log in logs:
        if log.exists():
            for job_id, status in OUTCOME.findall(log.read_text(errors="replace")):
                seen.setdefault(job_id, Counter())[status] += 1
    return seen


def delete_queues(broker_url: str, names: list[str]) -> None:
    """The broker is shared: leave no queue of ours behind."""
    from kombu import Connection

    with Connection(broker_url, connect_timeout=3) as conn:
        channel = conn.default_channel
        for name in names:
            try:
                channel.queue_delete(name)
            except Exception:
                channel = conn.channel()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _alive(proc: subprocess.Popen, log_path: Path) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(f"process exited early:\n{log_path.read_text(errors='replace')[-3000:]}")
    return True


def _tail(path: Path, start: int) -> str:
    with open(path, "rb") as f:
        f.seek(start)
        return f.read().decode(errors="replace")


def queue_names_for(prefix: str) -> list[str]:
    from service.queue.names import INGEST_QUEUE, WEBHOOK_QUEUE

    return [prefix + INGEST_QUEUE, prefix + WEBHOOK_QUEUE]
