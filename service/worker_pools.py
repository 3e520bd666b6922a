"""`article-ingest worker` by default: extraction and webhook delivery in pools of their own.

Extraction is CPU-bound (a prefork pool, one process per core); delivery is I/O that a receiver can stretch to
the attempt's deadline (`INGEST_WEBHOOK_TIMEOUT`). In one shared pool a slow receiver holds an extraction slot
for that long, so by default the command runs two Celery workers as child processes:

- `--queues ingest --pool prefork` (with `--concurrency` and `--beat` as given), and
- `--queues webhooks --pool threads --concurrency <webhook concurrency>` (default 8).

On SIGTERM, SIGINT or SIGHUP it sends SIGTERM to both (Celery's warm shutdown: each finishes its tasks;
acks_late keeps unfinished ones for redelivery, at-least-once; a SIGHUP passed on would make Celery restart
instead). When either exits on its own it stops the other and exits with that child's status, so a process
supervisor (Kubernetes, systemd, compose) restarts the pair. Both share PROMETHEUS_MULTIPROC_DIR: the extraction
worker serves the merged metrics of both on INGEST_METRICS_PORT. INGEST_WORKER_READY_FILE is written once both
are ready.
`--queues ingest|webhooks|all` runs one Celery worker as before (`all`: one shared pool, for small machines).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEBHOOK_CONCURRENCY = 8  # threads: deliveries are waits on receivers; the per-key share (fairness) caps each key
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def pool_commands(
    *, concurrency: int | None, webhook_concurrency: int, beat: bool, loglevel: str
) -> dict[str, list[str]]:
    """The `article-ingest` arguments of each child worker, by pool name ("ingest", "webhooks")."""
    ingest = ["worker", "--queues", "ingest", "--pool", "prefork", "--loglevel", loglevel]
    if concurrency:
        ingest += ["--concurrency", str(concurrency)]
    if beat:
        ingest.append("--beat")
    webhooks = [
        "worker",
        *("--queues", "webhooks", "--pool", "threads"),
        *("--concurrency", str(webhook_concurrency), "--loglevel", loglevel),
    ]
    return {"ingest": ingest, "webhooks": webhooks}


def run_pools(commands: dict[str, list[str]]) -> int:
    """Run one child `article-ingest` process per entry of `commands` until a stop signal (returns 0 once all
    children stopped) or until one exits on its own (stops the others, returns its exit status, at least 1)."""
    from service.dev import die_with_parent

    ready_file = os.environ.get("INGEST_WORKER_READY_FILE")
    scratch = Path(tempfile.mkdtemp(prefix="article-ingest-pools-"))
    stopping: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _: stopping.append(signum)) for sig in FORWARDED_SIGNALS}
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, args in commands.items():
            env = {**os.environ, "INGEST_WORKER_READY_FILE": str(scratch / f"{name}.ready")}
            if name != "ingest":
                env.pop("INGEST_METRICS_PORT", None)  # the extraction worker serves the merged metrics
            # In this process's group, so whoever stops the group (a terminal's Ctrl-C, dev) reaches the pools too;
            # Celery takes a SIGINT followed by the SIGTERM sent below as one warm shutdown.
            children[name] = subprocess.Popen(
                [sys.executable, "-m", "service.cli", *args], env=env, preexec_fn=die_with_parent(os.getpid())
            )
        announced = False
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"article-ingest worker: the {name} pool exited (code {proc.returncode})", file=sys.stderr)
                    return proc.returncode or 1
            if not announced and all((scratch / f"{name}.ready").exists() for name in children):
                announced = True
                if ready_file:
                    Path(ready_file).write_text(str(os.getpid()))
                print(f"article-ingest worker: pools ready ({', '.join(children)})", file=sys.stderr, flush=True)
            time.sleep(0.2)
        return 0
    finally:
        for sig in FORWARDED_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in children.values():
            proc.wait()  # a warm shutdown finishes the running tasks; the orchestrator's grace period bounds it
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()
