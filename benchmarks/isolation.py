"""Tenant isolation under abuse: tenant B's normal submissions while tenant A runs each abuse of issue 14 in
turn, in one run against real processes (API, an ingest worker, a webhook worker, Postgres, RabbitMQ, Redis).

B submits a short wire copy (text) every 1/RATE s with a callback_url; its latency is submit -> signed webhook
received (so it covers queueing, extraction, storage and delivery). Each phase runs for PHASE seconds; the
first phase is idle (B alone) and is the baseline. Reported per phase: B's p50/p99 and p99 / idle p99, the
number of samples, 5xx seen by B and by A, and A's answers by class (deliberate refusals such as
429/503-with-Retry-After counted apart from 500s).

A p99 needs a few hundred samples: with 40 the "p99" is the largest sample. The defaults (10 submissions/s for
20 s) give 200 per phase. B's submissions are spread round-robin over several API keys of tenant B
(--b-keys, default: as many as keep each key at or under 2 submissions/s), so that each key stays what a normal
client is: inside its fair share of the queue (20 live submissions per 10 s, `fair_share_submissions_per_window`)
and its write rate limit. One key at 10/s would be a heavy user itself, sent at the "busy" priority.

    flock /work/notes/cpu.lock nice -n 5 python benchmarks/isolation.py --idle-between

A's request floods run in processes of their own in the SCHED_IDLE class (--flood-sched; at --flood-nice 19
before) so that the load generator, whose CPU an attacker would spend on another machine, does not take the
cores from the service under test; the requests and their concurrency are the same, and they still get every
core-second the service leaves (A's request counts per phase show the flood's size).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from tempfile import mkdtemp

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.abuse.test_slow_webhook_receiver import dribbling_receiver  # noqa: E402
from tests.support.database import fresh_database, issue_key  # noqa: E402
from tests.support.factories import insert_done_articles  # noqa: E402
from tests.support.processes import api_process, service_env, worker_process  # noqa: E402
from tests.support.redis_keys import private_prefix  # noqa: E402
from tests.support.servers import webhook_receiver  # noqa: E402

BOMB = "<html><body><div " + " ".join(f"a{i}=x" for i in range(200_000)) + ">hi</div></body></html>"
GARBAGE = random.Random(1).randbytes(3_000_000).decode("latin-1")


class Abuse:
    """Runs `step(abuse, client)` in a loop until stopped, counting A's answers by status class.

    Request floods run in processes of their own (`processes=True`): A's client threads in this process would take
    the GIL from B's submitter and from the receiver that timestamps B's webhooks, so B's figures would measure
    this script's own contention, not the service. (An attacker does not share a Python process with its victim.)
    """

    def __init__(self, step, base: str, processes: bool = False, nice: int = 0, idle_class: bool = False) -> None:
        self.step, self.base, self.processes, self.nice, self.idle_class = step, base, processes, nice, idle_class
        self.answers: Counter = Counter()
        self.stop = multiprocessing.get_context("fork").Event() if processes else threading.Event()
        self.workers: list = []
        self._results = multiprocessing.get_context("fork").Queue() if processes else None

    def run(self, parallel: int = 1) -> None:
        for _ in range(parallel):
            if self.processes:
                worker = multiprocessing.get_context("fork").Process(target=self._process_loop, daemon=True)
            else:
                worker = threading.Thread(target=self._loop, daemon=True)
            worker.start()
            self.workers.append(worker)

    def _loop(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.is_set():
                try:
                    for status in self.step(self, client):
                        self.answers[status] += 1
                except httpx.HTTPError as exc:
                    self.answers[type(exc).__name__] += 1
                    time.sleep(0.2)

    def _process_loop(self) -> None:
        os.nice(max(0, self.nice - os.nice(0)))  # the attacker's CPU: see --flood-nice
        if self.idle_class:  # see --flood-sched
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        self._loop()
        self._results.put(dict(self.answers))

    def end(self) -> None:
        self.stop.set()
        for worker in self.workers:
            if self.processes:
                self.answers.update(self._results.get(timeout=60))
            worker.join(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--rate", type=float, default=10.0, help="B's submissions per second, all its keys together")
    parser.add_argument(
        "--b-keys",
        type=int,
        default=0,
        help="API keys B's submissions rotate over (default: enough for at most 2/s each, inside the fair share)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="record py-spy profiles (collapsed stacks, per thread, --nonblocking) of the API and the workers "
        "during each phase into this folder: where the service's time goes while A runs its abuse",
    )
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between phases (A's backlog settles)")
    parser.add_argument("--only", default="", help="comma-separated phase names to run (the idle phase always runs)")
    parser.add_argument("--idle-between", action="store_true", help="an idle phase before each abuse phase")
    parser.add_argument(
        "--flood-in-threads",
        action="store_true",
        help="run A's request floods as threads of this process (as before): they then compete with B's client",
    )
    parser.add_argument(
        "--flood-nice",
        type=int,
        default=19,
        help="niceness of A's flood processes (default 19, the lowest priority): an attacker's CPU is another "
        "machine's, but here A's Python clients share the 2 cores with the service; same requests, same concurrency",
    )
    parser.add_argument(
        "--flood-sched",
        choices=["idle", "other"],
        default="idle",
        help="scheduling class of A's flood processes: 'idle' (SCHED_IDLE, the default) runs them only on CPU time "
        "no other process wants; 'other' is the normal class at --flood-nice. At nice 19 alone they still delayed "
        "B's POST (p99 0.42 s against 0.026 s with SCHED_IDLE, same A request count, healthz flood, 2026-12-01)",
    )
    parser.add_argument(
        "--max-tasks-per-child",
        type=int,
        default=0,
        help="INGEST_WORKER_MAX_TASKS_PER_CHILD for the ingest worker (default: the service's own); a diagnosis "
        "aid: a pool child's replacement can leave one job waiting seconds (see RESULTS.md, 2026-12-01)",
    )
    args = parser.parse_args()
    work = Path(mkdtemp(prefix="isolation-"))
    with ExitStack() as stack:
        prefix = stack.enter_context(private_prefix("isolation"))
        database_url = stack.enter_context(fresh_database("isolation"))
        receiver = stack.enter_context(webhook_receiver())
        slow_url, _ = stack.enter_context(dribbling_receiver())
        b_keys = args.b_keys or max(1, math.ceil(args.rate / 2))
        keys = {
            name: issue_key(database_url, name, scopes)
            for name, scopes in (
                ("a", ["ingest"]),
                *((f"b{i}", ["ingest"]) for i in range(b_keys)),
                ("ops", ["admin"]),
            )
        }
        engine = create_engine(database_url)
        with engine.begin() as conn:  # A has a large export to stall on
            insert_done_articles(conn, keys["a"].id, 3000)
        engine.dispose()
        ports = [int(u.rsplit(":", 1)[1]) for u in (receiver.url, slow_url)]
        env = service_env(
            database_url=database_url,
            broker_url="amqp://guest:guest@127.0.0.1:5672//",
            queue_prefix=f"iso{uuid.uuid4().hex[:8]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, *ports]),
            rate_limit_key_prefix=prefix,
            politeness_key_prefix=prefix + "fetch:",
            log_level="WARNING",
            **({"worker_max_tasks_per_child": str(args.max_tasks_per_child)} if args.max_tasks_per_child else {}),
        )
        # The recommended topology: extraction on a prefork worker, webhook delivery on a thread-pool worker.
        stack.enter_context(worker_process(env, work / "ingest.log", concurrency=2, beat=True, queues="ingest"))
        stack.enter_context(
            worker_process(env, work / "webhooks.log", concurrency=8, queues="webhooks", pool="threads")
        )
        base = stack.enter_context(api_process(env, work / "api.log"))
        run(base, keys, receiver, slow_url, args, database_url)


def run(base: str, keys: dict, receiver, slow_url: str, args, database_url: str) -> None:
    database = database_url.rsplit("/", 1)[1]
    stages = create_engine(database_url)
    phase, rate = args.phase, args.rate
    auth = {name: {"Authorization": f"Bearer {key.key}"} for name, key in keys.items()}
    client = httpx.Client(base_url=base, timeout=60)
    host, port = base.removeprefix("http://").split(":")

    def submit(client: httpx.Client, tenant: str, body: dict) -> int:
        return client.post("/v1/articles", json=body, headers=auth[tenant]).status_code

    def bomb(abuse, client):
        yield submit(client, "a", {"html": BOMB})
        yield client.post("/v1/extract", json={"html": BOMB}, headers=auth["a"]).status_code

    def garbage(abuse, client):
        yield submit(client, "a", {"html": GARBAGE})

    def deep_json(abuse, client):
        yield client.post(
            "/v1/articles", content=b"[" * 100_000, headers={**auth["a"], "Content-Type": "application/json"}
        ).status_code

    def bad_callbacks(abuse, client):
        for url in ("http://vm/hook", "https://u:p@93.184.215.14/h", "http://127.0.0.1:8080/h"):
            yield submit(client, "a", {"text": "T\n\nBody.", "callback_url": url})

    def unauthenticated(abuse, client):
        yield client.get(
            "/v1/articles",
            headers={"Authorization": f"Bearer aik_{secrets.token_urlsafe(32)}", "X-Forwarded-For": "203.0.113.66"},
        ).status_code

    def healthz(abuse, client):  # the cheapest request the API serves: the floor any flood of requests costs
        yield client.get("/healthz").status_code

    def slow_receiver(abuse, client):
        yield submit(client, "a", {"text": "T\n\nBody.", "callback_url": slow_url + "/hook"})
        abuse.stop.wait(1)

    def stalled_exports(abuse, client):
        sock = socket.create_connection((host, int(port)))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(
            f"GET /v1/articles/export HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
            f"{keys['a'].key}\r\n\r\n".encode()
        )
        status = sock.recv(64).split(b" ")[1:2]
        yield int(status[0]) if status else 0
        abuse.stop.wait()
        sock.close()

    def stalled_upload(abuse, client):
        sock = socket.create_connection((host, int(port)))
        line = b'{"url": "https://example.org/news/1"}\n'
        sock.sendall(
            f"POST /v1/admin/backfills HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
            f"{keys['ops'].key}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
            + f"{len(line):x}\r\n".encode()
            + line
            + b"\r\n"
        )
        yield 0  # no answer until the body ends
        abuse.stop.wait()
        sock.close()

    flood = not args.flood_in_threads  # request floods in processes of their own
    phases = [  # name, step, parallel clients, a request flood
        ("idle", None, 0, False),
        ("healthz flood (baseline)", healthz, 4, flood),
        ("attribute bomb (worker + preview)", bomb, 2, flood),
        ("binary garbage 3 MB", garbage, 1, flood),
        ("deep JSON 100k [", deep_json, 2, flood),
        ("bad callback_url", bad_callbacks, 2, flood),
        ("unauthenticated flood", unauthenticated, 4, flood),
        ("slow webhook receiver", slow_receiver, 1, False),
        ("8 stalled exports", stalled_exports, 8, False),
        ("stalled backfill upload", stalled_upload, 1, False),
    ]
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    phases = [p for p in phases if p[1] is None or not only or any(o in p[0] for o in only)]
    if args.idle_between:  # an idle phase before each abuse: the machine's other load drifts over a run
        phases = [phases[0]] + [q for p in phases[1:] for q in (("idle (before)", None, 0, False), p)]
    b_auth = [headers for name, headers in auth.items() if name.startswith("b")]
    measure_b(client, b_auth, receiver, 3, rate)  # warm-up: worker imports, models, connections
    results = []
    for name, step, parallel, in_processes in phases:
        abuse = (
            Abuse(step, base, processes=in_processes, nice=args.flood_nice, idle_class=args.flood_sched == "idle")
            if step
            else None
        )
        if abuse:
            abuse.run(parallel)
            time.sleep(1)
        cpu = CpuMeter(database)
        profiles = profile_service(args.profile, name, len(results), phase) if args.profile else []
        by_id, b_errors = measure_b(client, b_auth, receiver, phase, rate)
        latencies = list(by_id.values())
        used = cpu.used()
        for profiler in profiles:
            profiler.wait(timeout=60)
        if abuse:
            abuse.end()
        results.append((name, latencies, b_errors, abuse.answers if abuse else Counter(), used, tail(stages, by_id)))
        print(f"  {name}: done", file=sys.stderr, flush=True)
        time.sleep(args.gap)
    report(results)


def profile_service(folder: Path, phase_name: str, index: int, seconds: float) -> list[subprocess.Popen]:
    """py-spy recorders, one per service process of this run (API, its preview processes, worker parents and
    pool children), for `seconds`: collapsed stacks of the samples where a thread was not sleeping (running, or
    runnable and waiting for a core), per thread, in `folder/<index>-<phase>-<role>-<pid>.txt`. Sampled at 50 Hz
    without pausing the process (--nonblocking); the recorders still take CPU, so a profiled run's latencies are
    not the benchmark's figures."""
    folder.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in phase_name)[:24]
    recorders = []
    for proc in psutil.Process(os.getpid()).children(recursive=True):
        try:
            line = " ".join(proc.cmdline())
        except psutil.Error:
            continue
        if "isolation.py" in line or not ("service.cli" in line or "multiprocessing" in line):
            continue  # A's flood processes, or not a service process
        role = "preview" if "service.cli" not in line else "api" if " api " in line + " " else "worker"
        out = folder / f"{index:02d}-{slug}-{role}-{proc.pid}.txt"
        recorders.append(
            subprocess.Popen(
                [
                    shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy",
                    "record",
                    "--nonblocking",
                    "--threads",
                    "-r",
                    "50",
                    "-f",
                    "raw",
                    "-d",
                    str(int(seconds)),
                    "-p",
                    str(proc.pid),
                    "-o",
                    str(out),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return recorders


class CpuMeter:
    """CPU seconds per second of wall time, by role: this run's API, its workers (pools included), this script
    (B's client and the receivers), A's flood processes, the Postgres backends of this run's database, the
    brokers (RabbitMQ, Redis: shared with others), and everything else on the machine (other users' work)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.started, self.before = time.monotonic(), self._sample()

    def _role(self, proc: psutil.Process, mine: set[int], me: int) -> str:
        line = " ".join(proc.cmdline())
        if proc.pid == me:
            return "bench"
        if proc.pid in mine:
            if "service.cli" in line and " api" in line:
                return "api"
            return "flood" if "isolation.py" in line else "workers"  # A's processes are forks of this script
        if line.startswith("postgres:") and self.database in line:
            return "postgres"
        if "beam.smp" in line or "redis-server" in line:
            return "brokers"
        return "other"

    def _sample(self) -> dict[int, tuple[str, float]]:
        me = os.getpid()
        mine = {child.pid for child in psutil.Process(me).children(recursive=True)}
        seen = {}
        for proc in psutil.process_iter():
            try:
                times = proc.cpu_times()
                seen[proc.pid] = (self._role(proc, mine, me), times.user + times.system)
            except psutil.Error:
                continue
        return seen

    def used(self) -> dict[str, float]:
        after, wall, used = self._sample(), time.monotonic() - self.started, Counter()
        for pid, (role, seconds) in after.items():
            used[role] += seconds - self.before.get(pid, (role, 0.0))[1]
        return {role: round(seconds / wall, 2) for role, seconds in used.items()}


def measure_b(
    client: httpx.Client, auths: list[dict], receiver, phase: float, rate: float
) -> tuple[list[float], Counter]:
    """B's submit -> webhook latencies (s) over `phase` seconds at `rate` submissions/s, rotating over the
    `auths` headers (one per B key), and B's errors by kind (with `_submit_p99`: the p99 of the POST's own round
    trip, s)."""
    sent: dict[str, float] = {}
    submit_times: list[float] = []
    errors: Counter = Counter()
    end = time.monotonic() + phase
    while time.monotonic() < end:
        started = time.monotonic()
        r = client.post(
            "/v1/articles",
            json={
                "text": f"B's story {uuid.uuid4().hex[:6]}\n\nA short wire copy about the council budget.",
                "callback_url": receiver.url + "/b",
            },
            headers=auths[len(submit_times) % len(auths)],
        )
        submit_times.append(time.monotonic() - started)
        if r.status_code == 202:
            sent[r.json()["id"]] = started
        else:
            errors[r.status_code] += 1
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    deadline = time.monotonic() + 180
    arrived: dict[str, float] = {}
    while len(arrived) < len(sent) and time.monotonic() < deadline:
        with receiver.lock:
            for request in receiver.requests:
                article_id = json.loads(request.body)["data"]["id"]
                if article_id in sent and article_id not in arrived:
                    arrived[article_id] = request.at
        time.sleep(0.2)
    errors["no webhook in 180 s"] += len(sent) - len(arrived)
    errors["_submit_p99"] = _p99(submit_times)  # not an error: the API's share of B's latency
    return {i: arrived[i] - sent[i] for i in arrived}, errors


def tail(engine, latencies: dict[str, float], count: int = 3) -> list[str]:
    """Where the `count` slowest of B's submissions spent their time, from the service's own timestamps (ms):
    queued (article row committed -> job claimed), run (claimed -> job finished), deliver (finished -> first
    webhook attempt made) and the rest of the total (the POST before the commit, the receiver's side); `at`: the
    seconds since the phase's first submission."""
    slowest = sorted(latencies, key=latencies.get, reverse=True)[:count]
    rows = []
    with engine.connect() as conn:
        began = conn.execute(
            text("SELECT min(created_at) FROM articles WHERE id = ANY(CAST(:ids AS uuid[]))"), {"ids": list(latencies)}
        ).scalar()
        for article_id in slowest:
            row = conn.execute(
                text(
                    "SELECT extract(epoch FROM j.started_at - a.created_at), extract(epoch FROM j.finished_at -"
                    " j.started_at), extract(epoch FROM (SELECT min(t.attempted_at) FROM webhook_deliveries d JOIN"
                    " webhook_attempts t ON t.delivery_id = d.id WHERE d.article_id = a.id) - j.finished_at),"
                    " extract(epoch FROM a.created_at - :began)"
                    " FROM articles a JOIN jobs j ON j.article_id = a.id WHERE a.id = :id"
                ),
                {"id": article_id, "began": began},
            ).first()
            total = latencies[article_id]
            if row is None or None in row:
                rows.append(f"{total * 1000:.0f} ms (no timestamps)")
                continue
            queued, ran, deliver, at = (float(v) for v in row)
            rest = total - queued - ran - deliver
            rows.append(
                f"at {at:.1f} s: {total * 1000:.0f} = queued {queued * 1000:.0f} + run {ran * 1000:.0f} + deliver "
                f"{deliver * 1000:.0f} + rest {rest * 1000:.0f}"
            )
    return rows


def report(results) -> None:
    """The table: p99/idle against the first (idle) phase; /before against the idle phase just before
    (--idle-between); /idles against the p99 of every idle phase's samples together (the steadiest baseline)."""
    idle_p99 = _p99(results[0][1])
    idles = [x for name, latencies, *_ in results if name.startswith("idle") for x in latencies]
    idles_p99 = _p99(idles)
    print(
        f"{'phase':36} {'n':>4} {'p50 s':>7} {'p99 s':>7} {'p99/idle':>8} {'/before':>7} {'/idles':>6}"
        f" {'POST p99':>8} {'5xx':>5}  B errors / A's answers"
    )
    previous_idle = idle_p99
    for name, latencies, b_errors, answers, *_ in results:
        p50, p99 = statistics.median(latencies), _p99(latencies)
        post_p99 = b_errors.pop("_submit_p99")
        a = ", ".join(f"{k}x{v}" for k, v in sorted(answers.items(), key=str))
        b = ", ".join(f"{k}x{v}" for k, v in b_errors.items() if v) or "none"
        server_errors = sum(v for counts in (answers, b_errors) for k, v in counts.items() if str(k).startswith("5"))
        print(
            f"{name:36} {len(latencies):4d} {p50:7.3f} {p99:7.3f} {p99 / idle_p99:7.2f}x {p99 / previous_idle:6.2f}x"
            f" {p99 / idles_p99:5.2f}x {post_p99:8.3f} {server_errors:5d}  B: {b}; A: {a or '-'}"
        )
        if name.startswith("idle"):
            previous_idle = p99
    print(f"(all idle phases together: n = {len(idles)}, p99 {idles_p99:.3f} s)")
    print("\nCPU seconds per second during each phase (2 cores = 2.0), by process role:")
    roles = ["api", "workers", "postgres", "brokers", "bench", "flood", "other"]
    print(f"{'phase':36} " + " ".join(f"{r:>8}" for r in roles))
    for name, *_, used, _ in results:
        print(f"{name:36} " + " ".join(f"{used.get(r, 0.0):8.2f}" for r in roles))
    print("\nB's slowest submissions per phase, ms (service timestamps; `rest`: the POST and the receiver's side):")
    for name, *_, rows in results:
        print(f"{name:36} " + "; ".join(rows))


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


if __name__ == "__main__":
    main()
