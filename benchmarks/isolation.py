"""Tenant isolation under abuse: tenant B's normal submissions while tenant A runs each abuse of issue 14 in
turn, in one run against real processes (API, an ingest worker, a webhook worker, Postgres, RabbitMQ, Redis).

B submits a short wire copy (text) every 1/RATE s with a callback_url; its latency is submit -> signed webhook
received (so it covers queueing, extraction, storage and delivery). The run is ROUNDS rounds; in each, every
abuse runs once for PHASE seconds right after an idle chunk (B alone) of the same length, so the machine's drift
and the leftovers of earlier abuses fall on both sides. Reported per abuse, pooled over the rounds (--phase 15
--rate 5 --rounds 3: ~225 samples a side): B's p99 / its interleaved idle p99 with a bootstrap 95% interval,
each round's own ratio (the spread), p50 and POST ratios, 5xx of either tenant, B's errors and A's answers.

    flock /work/notes/cpu.lock nice -n 5 python benchmarks/isolation.py --only healthz,bomb

A's request floods run in processes of their own at --flood-nice (19: the lowest CPU priority) so that the load
generator, whose CPU an attacker would spend on another machine, does not take the cores from the service under
test; the requests and their concurrency are the same.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import secrets
import socket
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import mkdtemp

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine  # noqa: E402

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

    def __init__(self, step, base: str, processes: bool = False, nice: int = 0) -> None:
        self.step, self.base, self.processes, self.nice = step, base, processes, nice
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
    parser.add_argument("--phase", type=float, default=15.0, help="seconds of B's submissions per chunk")
    parser.add_argument("--rate", type=float, default=5.0, help="B's submissions per second")
    parser.add_argument("--only", default="", help="comma-separated phase names to run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds; each runs every abuse once, each abuse chunk right after an idle chunk of its own",
    )
    parser.add_argument("--dump", default="", help="write every B sample (JSON) here")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between chunks")
    parser.add_argument(
        "--service-tree",
        default=str(REPO),
        help="checkout whose service code runs (e.g. an exported main, to compare in one session)",
    )
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
    args = parser.parse_args()
    work = Path(mkdtemp(prefix="isolation-"))
    with ExitStack() as stack:
        prefix = stack.enter_context(private_prefix("isolation"))
        database_url = stack.enter_context(fresh_database("isolation"))
        receiver = stack.enter_context(webhook_receiver())
        slow_url, _ = stack.enter_context(dribbling_receiver())
        keys = {
            name: issue_key(database_url, name, scopes)
            for name, scopes in (("a", ["ingest"]), ("b", ["ingest"]), ("ops", ["admin"]))
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
        )
        tree = Path(args.service_tree).resolve()
        env["PYTHONPATH"] = str(tree)  # the service under test: this checkout's, or --service-tree's
        # The recommended topology: extraction on a prefork worker, webhook delivery on a thread-pool worker.
        stack.enter_context(
            worker_process(env, work / "ingest.log", concurrency=2, beat=True, queues="ingest", cwd=tree)
        )
        stack.enter_context(
            worker_process(env, work / "webhooks.log", concurrency=8, queues="webhooks", pool="threads", cwd=tree)
        )
        base = stack.enter_context(api_process(env, work / "api.log", cwd=tree))
        print(f"service code: {tree}, logs: {work}", file=sys.stderr, flush=True)
        run(base, keys, receiver, slow_url, args, database_url)


def run(base: str, keys: dict, receiver, slow_url: str, args, database_url: str) -> None:
    database = database_url.rsplit("/", 1)[1]
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

    def garbage_chunked(abuse, client):  # the same body without Content-Length: counted as it is read
        body = json.dumps({"html": GARBAGE}, ensure_ascii=False, separators=(",", ":")).encode()
        pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
        headers = {**auth["a"], "Content-Type": "application/json"}
        yield client.post("/v1/articles", content=pieces, headers=headers).status_code

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
        ("healthz flood (baseline)", healthz, 4, flood),
        ("attribute bomb (worker + preview)", bomb, 2, flood),
        ("binary garbage 3 MB", garbage, 1, flood),
        ("binary garbage 3 MB, chunked", garbage_chunked, 1, flood),
        ("deep JSON 100k [", deep_json, 2, flood),
        ("bad callback_url", bad_callbacks, 2, flood),
        ("unauthenticated flood", unauthenticated, 4, flood),
        ("slow webhook receiver", slow_receiver, 1, False),
        ("8 stalled exports", stalled_exports, 8, False),
        ("stalled backfill upload", stalled_upload, 1, False),
    ]
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    phases = [p for p in phases if not only or any(o in p[0] for o in only)]
    b = BMeter(client, auth["b"], receiver)
    b.measure(3, rate)  # warm-up: worker imports, models, connections
    results = []
    for round_ in range(args.rounds):  # each round: every abuse once, each right after an idle chunk of its own
        for name, step, parallel, in_processes in phases:
            for kind in ("idle", "abuse"):
                abuse = Abuse(step, base, processes=in_processes, nice=args.flood_nice) if kind == "abuse" else None
                if abuse:
                    abuse.run(parallel)
                    time.sleep(1)
                cpu = CpuMeter(database)
                chunk = b.measure(phase, rate)
                chunk.cpu = cpu.used()
                if abuse:
                    abuse.end()
                    chunk.answers = abuse.answers
                results.append((name, kind, round_, chunk))
                print(f"  round {round_ + 1} {name} {kind}: n={len(chunk.latencies)}", file=sys.stderr, flush=True)
                time.sleep(args.settle)
    report(results, [p[0] for p in phases])
    stages(results, [p[0] for p in phases], database_url)
    if args.dump:
        rows = [
            {"phase": name, "kind": kind, "round": round_, "samples": chunk.samples}
            for name, kind, round_, chunk in results
        ]
        Path(args.dump).write_text(json.dumps(rows))


@dataclass
class Chunk:
    """One stretch of B's submissions: submit -> webhook latencies (s), POST round trips (s), B's errors by kind,
    A's answers by status (abuse chunks), CPU by role."""

    latencies: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    answers: Counter = field(default_factory=Counter)
    cpu: dict = field(default_factory=dict)
    samples: list = field(default_factory=list)  # [article id, submitted (wall s), POST s, submit -> webhook s]


class BMeter:
    """Tenant B's normal submissions; reads the receiver's requests incrementally (each webhook parsed once)."""

    def __init__(self, client: httpx.Client, auth: dict, receiver) -> None:
        self.client, self.auth, self.receiver = client, auth, receiver
        self.seen = 0
        self.arrived: dict[str, float] = {}

    def _collect(self) -> None:
        with self.receiver.lock:
            new, self.seen = self.receiver.requests[self.seen :], len(self.receiver.requests)
        for request in new:
            self.arrived.setdefault(json.loads(request.body)["data"]["id"], request.at)

    def measure(self, phase: float, rate: float) -> Chunk:
        """B's submissions over `phase` seconds at `rate`/s (sequential), then up to 180 s for their webhooks."""
        chunk, sent, posts = Chunk(), {}, {}
        end = time.monotonic() + phase
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                r = self.client.post(
                    "/v1/articles",
                    json={
                        "text": f"B's story {uuid.uuid4().hex[:6]}\n\nA short wire copy about the council budget.",
                        "callback_url": self.receiver.url + "/b",
                    },
                    headers=self.auth,
                )
            except httpx.HTTPError as exc:
                chunk.errors[type(exc).__name__] += 1
                continue
            chunk.posts.append(time.monotonic() - started)
            if r.status_code == 202:
                sent[r.json()["id"]] = started
                posts[r.json()["id"]] = chunk.posts[-1]
            else:
                chunk.errors[r.status_code] += 1
            time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            self._collect()
            if all(i in self.arrived for i in sent):
                break
            time.sleep(0.1)
        chunk.latencies = [self.arrived[i] - t for i, t in sent.items() if i in self.arrived]
        wall = time.time() - time.monotonic()
        chunk.samples = [[i, t + wall, posts[i], self.arrived[i] - t] for i, t in sent.items() if i in self.arrived]
        chunk.errors["no webhook in 180 s"] += sum(1 for i in sent if i not in self.arrived)
        return chunk


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


def report(results, names: list[str]) -> None:
    """Per abuse: B's pooled latencies over the rounds against the idle chunks run just before each of its abuse
    chunks. p99/idle p99 with a bootstrap 95% interval (both sets resampled), each round's own ratio (min-max),
    the same for p50 and for the POST round trip, then 5xx and A's answers."""
    rng = random.Random(14)
    print(
        f"{'phase':34} {'n':>5} {'idle p99':>8} {'p99 s':>7} {'p99/idle [95% CI]':>22} {'rounds':>12}"
        f" {'p50/idle':>8} {'POST p99/idle':>13}  5xx B/A; B errors; A's answers"
    )
    all_idle: list[float] = []
    for name in names:
        idle = [c for n, kind, _, c in results if n == name and kind == "idle"]
        hit = [c for n, kind, _, c in results if n == name and kind == "abuse"]
        idle_lat, hit_lat = _pool(idle, "latencies"), _pool(hit, "latencies")
        all_idle += idle_lat
        if not idle_lat or not hit_lat:
            print(f"{name:34} no samples")
            continue
        ratio = _p99(hit_lat) / _p99(idle_lat)
        low, high = _bootstrap_ratio(idle_lat, hit_lat, rng)
        pairs = [(i.latencies, h.latencies) for i, h in zip(idle, hit, strict=True) if i.latencies and h.latencies]
        per_round = [_p99(h) / _p99(i) for i, h in pairs]
        post = _p99(_pool(hit, "posts")) / _p99(_pool(idle, "posts"))
        p50 = statistics.median(hit_lat) / statistics.median(idle_lat)
        errors = sum((c.errors for c in hit + idle), Counter())
        answers = sum((c.answers for c in hit), Counter())
        b5 = sum(v for k, v in errors.items() if isinstance(k, int) and k >= 500)
        a5 = sum(v for k, v in answers.items() if isinstance(k, int) and k >= 500)
        b_err = ", ".join(f"{k}x{v}" for k, v in errors.items() if v) or "none"
        a = ", ".join(f"{k}x{v}" for k, v in sorted(answers.items(), key=str)) or "-"
        print(
            f"{name:34} {len(hit_lat):5d} {_p99(idle_lat):8.3f} {_p99(hit_lat):7.3f} "
            f"{ratio:6.2f}x [{low:5.2f}-{high:5.2f}] {min(per_round):5.2f}-{max(per_round):5.2f}x"
            f" {p50:7.2f}x {post:12.2f}x  {b5}/{a5}; B: {b_err}; A: {a}"
        )
    if all_idle:
        p50, p99 = statistics.median(all_idle), _p99(all_idle)
        print(f"\nall idle chunks: n={len(all_idle)}, p50 {p50:.3f} s, p99 {p99:.3f} s")
    print("\nCPU seconds per second (2 cores = 2.0) by process role, mean over each phase's chunks:")
    roles = ["api", "workers", "postgres", "brokers", "bench", "flood", "other"]
    print(f"{'phase':34} {'':5} " + " ".join(f"{r:>8}" for r in roles))
    for name in names:
        for kind in ("idle", "abuse"):
            chunks = [c for n, k, _, c in results if n == name and k == kind]
            if chunks:
                mean = {r: statistics.mean(c.cpu.get(r, 0.0) for c in chunks) for r in roles}
                print(f"{name:34} {kind:5} " + " ".join(f"{mean[r]:8.2f}" for r in roles))


def stages(results, names: list[str], database_url: str) -> None:
    """Where the slowest 3% of B's submissions spent their time, idle against abuse: the POST round trip, the wait
    until a worker claimed the job (jobs.started_at: broker + queue), the job's run (started_at -> finished_at),
    and delivery (finished_at -> the webhook received, this machine's wall clock throughout). Medians, ms."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT article_id::text, extract(epoch from started_at), extract(epoch from finished_at) FROM jobs"
        ).all()
    engine.dispose()
    jobs = {row[0]: (float(row[1]), float(row[2])) for row in rows if row[1] is not None and row[2] is not None}
    print("\nslowest 3% of B's submissions per side, median ms: POST, submit->claim, run, finish->webhook, total")
    for name in names:
        for kind in ("idle", "abuse"):
            samples = [x for n, k, _, c in results if n == name and k == kind for x in c.samples if x[0] in jobs]
            if not samples:
                continue
            samples.sort(key=lambda x: x[3])
            slow = samples[int(0.97 * len(samples)) :]
            parts = []
            for article_id, submitted, post, total in slow:
                started, finished = jobs[article_id]
                claimed, ran, delivered = started - submitted - post, finished - started, submitted + total - finished
                parts.append((post, claimed, ran, delivered, total))
            medians = [statistics.median(column) * 1000 for column in zip(*parts, strict=True)]
            print(f"{name:34} {kind:5} n={len(slow):3d} " + " ".join(f"{m:7.0f}" for m in medians))


def _pool(chunks: list[Chunk], attribute: str) -> list[float]:
    return [value for chunk in chunks for value in getattr(chunk, attribute)]


def _bootstrap_ratio(idle: list[float], hit: list[float], rng: random.Random, draws: int = 2000) -> tuple[float, float]:
    """95% percentile-bootstrap interval of p99(hit) / p99(idle), both samples resampled with replacement."""
    ratios = sorted(_p99(rng.choices(hit, k=len(hit))) / _p99(rng.choices(idle, k=len(idle))) for _ in range(draws))
    return ratios[int(0.025 * draws)], ratios[int(0.975 * draws) - 1]


def _p99(values: list[float]) -> float:
    """The nearest-rank 99th percentile (of 200 samples: the 3rd largest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


if __name__ == "__main__":
    main()
