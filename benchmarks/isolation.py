"""Tenant isolation under abuse: tenant B's normal submissions while tenant A runs each abuse of issue 14 in
turn, in one run against real processes (API, an ingest worker, a webhook worker, Postgres, RabbitMQ, Redis).

B submits a short wire copy (text) every 1/RATE s with a callback_url; its latency is submit -> signed webhook
received (so it covers queueing, extraction, storage and delivery). Each phase runs for PHASE seconds; the
first phase is idle (B alone) and is the baseline. Reported per phase: B's p50/p99 and p99 / idle p99, B's 5xx,
and A's answers by class (deliberate refusals such as 429/503-with-Retry-After counted apart from 500s).

    nice -n 10 python benchmarks/isolation.py --phase 30 --rate 2
"""

from __future__ import annotations

import argparse
import json
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
from pathlib import Path
from tempfile import mkdtemp

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine  # noqa: E402

from service.articles.models import Article  # noqa: E402
from tests.abuse.test_slow_webhook_receiver import dribbling_receiver  # noqa: E402
from tests.support.database import fresh_database, issue_key  # noqa: E402
from tests.support.processes import api_process, service_env, worker_process  # noqa: E402
from tests.support.redis_keys import private_prefix  # noqa: E402
from tests.support.servers import webhook_receiver  # noqa: E402

BOMB = "<html><body><div " + " ".join(f"a{i}=x" for i in range(200_000)) + ">hi</div></body></html>"
GARBAGE = random.Random(1).randbytes(3_000_000).decode("latin-1")


class Abuse:
    """Runs `step()` in a loop in a thread until stopped, counting A's answers by status class."""

    def __init__(self, step) -> None:
        self.step, self.answers, self.stop = step, Counter(), threading.Event()
        self.threads: list[threading.Thread] = []

    def run(self, parallel: int = 1) -> None:
        for _ in range(parallel):
            thread = threading.Thread(target=self._loop, daemon=True)
            thread.start()
            self.threads.append(thread)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                for status in self.step(self):
                    self.answers[status] += 1
            except httpx.HTTPError as exc:
                self.answers[type(exc).__name__] += 1
                time.sleep(0.2)

    def end(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", type=float, default=15.0, help="seconds per phase")
    parser.add_argument("--rate", type=float, default=2.0, help="B's submissions per second")
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
            conn.execute(
                Article.__table__.insert(),
                [
                    {
                        "id": uuid.uuid4(),
                        "api_key_id": keys["a"].id,
                        "status": "done",
                        "input_kind": "text",
                        "title": f"Story {i}",
                        "body_text": "word " * 400,
                        "authors": [],
                        "tags": [],
                        "sidebars": [],
                    }
                    for i in range(3000)
                ],
            )
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
        # The recommended topology: extraction on a prefork worker, webhook delivery on a thread-pool worker.
        stack.enter_context(worker_process(env, work / "ingest.log", concurrency=2, beat=True, queues="ingest"))
        stack.enter_context(
            worker_process(env, work / "webhooks.log", concurrency=8, queues="webhooks", pool="threads")
        )
        base = stack.enter_context(api_process(env, work / "api.log"))
        run(base, keys, receiver, slow_url, args.phase, args.rate)


def run(base: str, keys: dict, receiver, slow_url: str, phase: float, rate: float) -> None:
    auth = {name: {"Authorization": f"Bearer {key.key}"} for name, key in keys.items()}
    client = httpx.Client(base_url=base, timeout=60)
    host, port = base.removeprefix("http://").split(":")

    def submit(tenant: str, body: dict) -> int:
        return client.post("/v1/articles", json=body, headers=auth[tenant]).status_code

    def bomb(abuse):
        yield submit("a", {"html": BOMB})
        yield client.post("/v1/extract", json={"html": BOMB}, headers=auth["a"]).status_code

    def garbage(abuse):
        yield submit("a", {"html": GARBAGE})

    def deep_json(abuse):
        yield client.post(
            "/v1/articles", content=b"[" * 100_000, headers={**auth["a"], "Content-Type": "application/json"}
        ).status_code

    def bad_callbacks(abuse):
        for url in ("http://vm/hook", "https://u:p@93.184.215.14/h", "http://127.0.0.1:8080/h"):
            yield submit("a", {"text": "T\n\nBody.", "callback_url": url})

    def unauthenticated(abuse):
        yield client.get(
            "/v1/articles",
            headers={"Authorization": f"Bearer aik_{secrets.token_urlsafe(32)}", "X-Forwarded-For": "203.0.113.66"},
        ).status_code

    def slow_receiver(abuse):
        yield submit("a", {"text": "T\n\nBody.", "callback_url": slow_url + "/hook"})
        abuse.stop.wait(1)

    def stalled_exports(abuse):
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

    def stalled_upload(abuse):
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

    phases = [
        ("idle", None, 0),
        ("attribute bomb (worker + preview)", bomb, 2),
        ("binary garbage 3 MB", garbage, 1),
        ("deep JSON 100k [", deep_json, 2),
        ("bad callback_url", bad_callbacks, 2),
        ("unauthenticated flood", unauthenticated, 4),
        ("slow webhook receiver", slow_receiver, 1),
        ("8 stalled exports", stalled_exports, 8),
        ("stalled backfill upload", stalled_upload, 1),
    ]
    measure_b(client, auth["b"], receiver, 3, rate)  # warm-up: worker imports, models, connections
    results = []
    for name, step, parallel in phases:
        abuse = Abuse(step) if step else None
        if abuse:
            abuse.run(parallel)
            time.sleep(1)
        latencies, b_errors = measure_b(client, auth["b"], receiver, phase, rate)
        if abuse:
            abuse.end()
        results.append((name, latencies, b_errors, abuse.answers if abuse else Counter()))
        print(f"  {name}: done", file=sys.stderr, flush=True)
        time.sleep(5)
    report(results)


def measure_b(client: httpx.Client, auth: dict, receiver, phase: float, rate: float) -> tuple[list[float], Counter]:
    sent: dict[str, float] = {}
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
            headers=auth,
        )
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
    return [arrived[i] - sent[i] for i in arrived], errors


def report(results) -> None:
    idle_p99 = _p99(results[0][1])
    print(f"{'phase':36} {'n':>4} {'p50 s':>7} {'p99 s':>7} {'p99/idle':>8}  B errors / A's answers")
    for name, latencies, b_errors, answers in results:
        p50, p99 = statistics.median(latencies), _p99(latencies)
        a = ", ".join(f"{k}x{v}" for k, v in sorted(answers.items(), key=str))
        b = ", ".join(f"{k}x{v}" for k, v in b_errors.items() if v) or "none"
        print(f"{name:36} {len(latencies):4d} {p50:7.3f} {p99:7.3f} {p99 / idle_p99:7.2f}x  B: {b}; A: {a or '-'}")


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


if __name__ == "__main__":
    main()
