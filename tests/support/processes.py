"""Real service processes for end-to-end tests: the API (uvicorn) and Celery workers, as subprocesses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
# How long a started process may take to be ready: a deadline, not a sleep (the wait ends as soon as it is ready,
# and at once when the process exits). Several processes starting together on a loaded 2-core machine took
# longer than 30 s; a start is a second or two on a quiet one.
STARTUP_TIMEOUT = float(os.environ.get("INGEST_TEST_STARTUP_TIMEOUT", "180"))
# The source checkout's command; tests of the installed package pass the installed `article-ingest` instead.
CLI = (sys.executable, "-m", "service.cli")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env.update({f"INGEST_{k.upper()}": str(v) for k, v in settings.items()})
    env["PYTHONPATH"] = str(REPO)
    return env


def _pin(*cpus: int | None):
    chosen = {c for c in cpus if c is not None}
    return (lambda: os.sched_setaffinity(0, chosen)) if chosen else None


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def api_process(
    env: dict[str, str], log_path: Path, *, cpu: int | None = None, cli: tuple[str, ...] = CLI, cwd: Path = REPO
):
    """An API server process; `cpu` pins it to one core (for benchmarks)."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*cli, "api", "--port", str(port)],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_pin(cpu),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"API exited early:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"API did not start in {STARTUP_TIMEOUT:.0f} s:\n{log_path.read_text()[-3000:]}")
        yield base
    finally:
        _stop(proc)


@contextmanager
def worker_process(
    env: dict[str, str],
    log_path: Path,
    *,
    concurrency: int = 1,
    beat: bool = False,
    cpus: set[int] | None = None,
    queues: str | None = "all",
    pool: str = "prefork",
    cli: tuple[str, ...] = CLI,
    cwd: Path = REPO,
):
    """`article-ingest worker`; `queues=None` runs the command's defaults (extraction and delivery in pools of
    their own, two Celery workers under one process) and waits until both are ready."""
    args = [*cli, "worker", "--concurrency", str(concurrency), "--loglevel", "INFO"]
    if queues is not None:
        args += ["--queues", queues, "--pool", pool]
    if beat:
        args.append("--beat")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_pin(*(cpus or ()))
        )
    try:
        _wait_for_log_line(proc, log_path, "ready." if queues is not None else "pools ready", "worker")
        yield proc
    finally:
        _stop(proc)


@contextmanager
def beat_process(env: dict[str, str], log_path: Path, *, cli: tuple[str, ...] = CLI, cwd: Path = REPO):
    """`article-ingest beat` (the periodic scheduler), its schedule file beside the log."""
    env = {**env, "INGEST_BEAT_SCHEDULE": str(log_path.with_suffix(".schedule"))}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([*cli, "beat"], env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_log_line(proc, log_path, "beat: Starting", "beat")
        yield proc
    finally:
        _stop(proc)


def _wait_for_log_line(proc: subprocess.Popen, log_path: Path, marker: str, what: str) -> None:
    """Return once `marker` is in the log; raise when the process exits or STARTUP_TIMEOUT passes first."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while marker not in log_path.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
