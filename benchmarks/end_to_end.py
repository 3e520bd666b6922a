"""End-to-end throughput: raw-HTML submissions through API → broker → Celery workers → Postgres → webhook,
with real processes, as a fraction of the extraction-only ceiling, for 1 and for 2 extraction processes.

The ceiling: `extract_document` (this tree's pipeline, the one the worker runs) on the same pages, split over
N forked processes (N = the worker's pool size), warmed up first, with nothing else running; measured in the
same run, just before and just after the end-to-end run it is compared with (their mean). End to end: all
submissions are accepted first (no worker running), then the worker starts and the clock runs from its "ready"
line until the last webhook has arrived at a local receiver: what is measured is the processing path, not the
client. Two layouts: one worker takes both queues (webhooks in the extraction pool), or the ingest worker plus
a thread-pool webhook worker. Goal (issue 16): at least 80% of the ceiling with 1 and with 2 extraction processes.

Each run also reports CPU ms per article by part of the system (pool processes, the worker's consumer,
Postgres backends of the run's database, the whole RabbitMQ broker, the receiver) next to the extraction's own
CPU per page: on a shared machine that ratio moves less than the wall-clock one. `--profile` writes py-spy's
collapsed stacks of the worker processes (pip install py-spy).

    python benchmarks/end_to_end.py --pages 300 --broker amqp://guest:guest@127.0.0.1:5672//
    python benchmarks/end_to_end.py --pages 200 --processes 1 --layouts shared --repeat 3 --profile
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil
from sqlalchemy import text
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from extraction_quality import DEFAULT_DATA, load_pages  # noqa: E402

from tests.support.database import fresh_database  # noqa: E402
from tests.support.processes import api_process, service_env, worker_process  # noqa: E402
from tests.support.servers import webhook_receiver  # noqa: E402


def _extract_all(pages: list[str]) -> tuple[int, float]:
    from service.extraction import ExtractionError, extract_document

    done, cpu = 0, time.process_time()
    for html in pages:
        with contextlib.suppress(ExtractionError):
            extract_document(html, "html")
        done += 1
    return done, time.process_time() - cpu


def ceiling(pages: list[str], processes: int) -> tuple[float, float]:
    """The extraction-only ceiling: `extract_document` (the worker's own pipeline, from this tree) on the same
    pages, split over `processes` forked processes, warmed up first as a worker is; nothing else runs (no API,
    broker, database or webhooks). Returns (pages/s, CPU ms per page)."""
    chunks = [pages[i::processes] for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_extract_all, [pages[:5]] * processes)  # warm-up: imports and caches, as in a warm worker
        start = time.perf_counter()
        results = pool.map(_extract_all, chunks)
        elapsed = time.perf_counter() - start
    total = sum(done for done, _ in results)
    return total / elapsed, 1000 * sum(cpu for _, cpu in results) / total


@contextlib.contextmanager
def profiled(pid: int, out: Path | None, idle: bool = True):
    """py-spy (`pip install py-spy`) sampling process `pid` and its pool children at 100 Hz, idle time included
    unless `idle` is False (then on-CPU samples only), into `out` as collapsed stacks (one "stack count" line
    each); nothing when `out` is None."""
    if out is None:
        yield
        return
    command = ["py-spy", "record", "--pid", str(pid), "--subprocesses", "--rate", "100", "--nonblocking"]
    if idle:
        command.append("--idle")
    spy = subprocess.Popen(
        [*command, "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)


class CpuMeter:
    """CPU seconds (user + system) spent by each part of the system between `start()` and `stop()`: the
    extraction worker's pool processes and its main (consumer) process, the webhook worker, this database's
    Postgres backends, RabbitMQ (the whole broker: other users of the machine count too) and this process
    (the webhook receiver)."""

    def __init__(self, database_url: str) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine(database_url, poolclass=NullPool)
        self.before: dict[tuple[str, int], float] = {}
        self.spent: dict[str, float] = {}

    def _processes(self, worker, webhooks) -> dict[tuple[str, int], psutil.Process]:
        found: dict[tuple[str, int], psutil.Process] = {}
        main = psutil.Process(worker.pid)
        found["worker main (consumer)", main.pid] = main
        for child in main.children(recursive=True):
            found["extraction pool processes", child.pid] = child
        if webhooks is not None:
            for proc in [psutil.Process(webhooks.pid), *psutil.Process(webhooks.pid).children(recursive=True)]:
                found["webhook worker", proc.pid] = proc
        with self.engine.connect() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            ).scalars()
            for pid in pids:
                with contextlib.suppress(psutil.NoSuchProcess):
                    found["postgres backends", pid] = psutil.Process(pid)
        for proc in psutil.process_iter(["name"]):
            if proc.info["name"] == "beam.smp":
                found["rabbitmq (whole broker)", proc.pid] = proc
        found["benchmark process (webhook receiver)", os.getpid()] = psutil.Process()
        return found

    @staticmethod
    def _cpu(proc: psutil.Process) -> float:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        return times.user + times.system

    def start(self, worker, webhooks) -> None:
        self.before = {key: self._cpu(proc) for key, proc in self._processes(worker, webhooks).items()}

    def stop(self, worker, webhooks) -> None:
        self.spent = {}
        for key, proc in self._processes(worker, webhooks).items():
            self.spent[key[0]] = self.spent.get(key[0], 0.0) + self._cpu(proc) - self.before.get(key, 0.0)
        self.engine.dispose()


def end_to_end(
    pages: list[str],
    concurrency: int,
    broker: str,
    workdir: Path,
    split: bool = False,
    profile: Path | None = None,
    profile_idle: bool = True,
) -> tuple[float, dict, dict]:
    """Articles/s, webhook event types received, CPU ms per article by part of the system (CpuMeter).
    `split`: extraction workers take only the ingest queue; a thread-pool worker delivers webhooks.
    `profile`: py-spy's collapsed stacks of the extraction worker's processes during the run go there."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from service.api_keys.service import create_key

    with fresh_database("e2ebench") as url, webhook_receiver() as receiver:
        engine = create_engine(url)
        with sessionmaker(engine).begin() as session:
            key = create_key(session, name="bench", scopes=["ingest"]).key
        engine.dispose()
        port = int(receiver.url.rsplit(":", 1)[1])
        env = service_env(
            database_url=url,
            broker_url=broker,
            queue_prefix=f"b{uuid.uuid4().hex[:6]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, port]),
            log_level="WARNING",
            rate_limit_ingest_writes_per_minute="100000000",
        )
        auth = {"Authorization": f"Bearer {key}"}
        with api_process(env, workdir / "api.log") as api:
            with httpx.Client(base_url=api, headers=auth, timeout=30) as client:
                for i, html in enumerate(pages):
                    r = client.post(
                        "/v1/articles",
                        json={"html": html, "external_id": str(i), "callback_url": f"{receiver.url}/hook"},
                    )
                    assert r.status_code == 202, r.text
            webhooks = (
                worker_process(env, workdir / "webhooks.log", concurrency=8, queues="webhooks", pool="threads")
                if split
                else contextlib.nullcontext()
            )
            meter = CpuMeter(url)
            with (
                webhooks as hooks,
                worker_process(
                    env,
                    workdir / f"worker{concurrency}.log",
                    concurrency=concurrency,
                    queues="ingest" if split else "all",
                ) as worker,
                profiled(worker.pid, profile, profile_idle),
                profiled(
                    hooks.pid if hooks else 0,
                    profile.with_suffix(".webhooks.txt") if hooks and profile else None,
                    profile_idle,
                ),
            ):
                start = time.perf_counter()
                meter.start(worker, hooks)
                while len(receiver.requests) < len(pages):
                    time.sleep(0.05)
                    if time.perf_counter() - start > 1800:
                        raise RuntimeError(f"only {len(receiver.requests)} of {len(pages)} webhooks arrived")
                elapsed = time.perf_counter() - start
                meter.stop(worker, hooks)
        outcomes: dict[str, int] = {}
        for request in receiver.requests:
            kind = json.loads(request.body)["type"]
            outcomes[kind] = outcomes.get(kind, 0) + 1
    cpu = {part: round(1000 * seconds / len(pages), 1) for part, seconds in meter.spent.items()}
    return len(pages) / elapsed, outcomes, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300, help="submissions per run (benchmark pages, cycled)")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/e2e-bench"))
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="extraction processes to measure")
    parser.add_argument(
        "--layouts", nargs="+", choices=["shared", "split"], default=["shared", "split"], help="worker layouts"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds (ceiling and end to end each round)")
    parser.add_argument("--profile", action="store_true", help="py-spy the worker: <workdir>/profile-*.txt")
    parser.add_argument("--on-cpu", action="store_true", help="with --profile: on-CPU samples only (no idle)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = list(load_pages(args.data, None).values())
    pages = [corpus[i % len(corpus)] for i in range(args.pages)]
    for round_ in range(1, args.repeat + 1):
        for processes in args.processes:
            for layout in args.layouts:
                split = layout == "split"
                profile = args.workdir / f"profile-{processes}-{layout}-{round_}.txt" if args.profile else None
                # The ceiling just before and just after: others' load on a shared machine drifts within minutes.
                before, cpu_before = ceiling(pages, processes)
                rate, outcomes, cpu = end_to_end(
                    pages,
                    processes,
                    args.broker,
                    args.workdir,
                    split=split,
                    profile=profile,
                    profile_idle=not args.on_cpu,
                )
                after, cpu_after = ceiling(pages, processes)
                limit, extraction_cpu = (before + after) / 2, (cpu_before + cpu_after) / 2
                where = "ingest workers + thread-pool webhook worker" if split else "one worker takes both queues"
                print(
                    f"round {round_}, {processes} extraction process(es), {where}: end-to-end {rate:6.1f} "
                    f"articles/s, extraction-only ceiling {limit:6.1f} pages/s ({before:.1f} before, {after:.1f} "
                    f"after), fraction {rate / limit:.0%}  webhooks {outcomes}\n    CPU ms per article: {cpu}; all "
                    f"of them {sum(cpu.values()):.1f} (extraction alone {extraction_cpu:.1f} ms per page: "
                    f"{extraction_cpu / sum(cpu.values()):.0%})",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
