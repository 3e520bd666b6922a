"""A webhook backlog behind a slow receiver: what one tenant's waiting deliveries cost everyone else.

Tenant A submits --backlog stories whose callback_url is a receiver that dribbles its answer (each attempt
lasts the whole INGEST_WEBHOOK_TIMEOUT, 5 s here); A's key may have 2 attempts in flight
(INGEST_WEBHOOK_MAX_IN_FLIGHT_PER_KEY), so nearly all of A's deliveries wait for a slot. Tenant B meanwhile
submits one short story a second with a fast receiver. Measured, in one run against real processes (API, an
ingest worker with the reconciler, a thread-pool webhook worker, Postgres, RabbitMQ, Redis), for an idle
phase and then for a phase with A's backlog waiting:

- CPU seconds per second by role (webhook worker, ingest worker, API, Postgres, brokers);
- deliveries claimed per second (attempts made and waits begun, from Postgres);
- B's submit -> signed webhook latency (p50, max).

Issue 14: a waiting delivery used to be tried again every 2-3 s, so the backlog cost backlog / 2.5 claims a
second; now each waits in its key's line and is woken when one of the key's attempts ends. Compare trees in
the same session:

    flock /work/notes/cpu.lock nice -n 5 python benchmarks/webhook_backlog.py --backlog 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from tempfile import mkdtemp

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from isolation import CpuMeter, measure_b  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.abuse.test_slow_webhook_receiver import dribbling_receiver  # noqa: E402
from tests.support.database import fresh_database, issue_key  # noqa: E402
from tests.support.processes import api_process, service_env, worker_process  # noqa: E402
from tests.support.redis_keys import private_prefix  # noqa: E402
from tests.support.servers import webhook_receiver  # noqa: E402

WEBHOOK_TIMEOUT_S = 5


def _activity(engine) -> tuple[int, int]:
    """(attempts made, deliveries of A waiting for a slot) so far: every claim either attempts or waits."""
    with engine.connect() as conn:
        attempts = conn.execute(text("SELECT count(*) FROM webhook_attempts")).scalar_one()
        waiting = conn.execute(
            text("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND attempt_count = 0")
        ).scalar_one()
    return attempts, waiting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backlog", type=int, default=300, help="A's deliveries to the slow receiver")
    parser.add_argument("--phase", type=float, default=30.0, help="seconds per phase")
    args = parser.parse_args()
    work = Path(mkdtemp(prefix="webhook-backlog-"))
    with ExitStack() as stack:
        prefix = stack.enter_context(private_prefix("webhook-backlog"))
        database_url = stack.enter_context(fresh_database("backlog"))
        receiver = stack.enter_context(webhook_receiver())
        slow_url, _ = stack.enter_context(dribbling_receiver())
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        ports = [int(u.rsplit(":", 1)[1]) for u in (receiver.url, slow_url)]
        env = service_env(
            database_url=database_url,
            broker_url="amqp://guest:guest@127.0.0.1:5672//",
            queue_prefix=f"wb{uuid.uuid4().hex[:8]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, *ports]),
            rate_limit_key_prefix=prefix,
            politeness_key_prefix=prefix + "fetch:",
            webhook_timeout=str(WEBHOOK_TIMEOUT_S),
            webhook_max_in_flight_per_key="2",
            rate_limit_ingest_writes_per_minute="100000",  # A's backlog is made quickly; rate limits are not measured
            fair_share_submissions_per_window="0",
            log_level="WARNING",
        )
        stack.enter_context(worker_process(env, work / "ingest.log", concurrency=1, beat=True, queues="ingest"))
        stack.enter_context(
            worker_process(env, work / "webhooks.log", concurrency=8, queues="webhooks", pool="threads")
        )
        base = stack.enter_context(api_process(env, work / "api.log"))
        engine = create_engine(database_url)
        client = httpx.Client(base_url=base, timeout=60)
        auth = {name: {"Authorization": f"Bearer {key.key}"} for name, key in keys.items()}
        database = database_url.rsplit("/", 1)[1]
        measure_b(client, [auth["b"]], receiver, 3, 1)  # warm-up
        rows = []
        for name in ("idle", f"A's backlog of {args.backlog} waiting"):
            if name != "idle":
                for n in range(args.backlog):
                    r = client.post(
                        "/v1/articles",
                        json={"text": f"A {n}\n\nA story for a slow receiver.", "callback_url": slow_url + "/hook"},
                        headers=auth["a"],
                    )
                    r.raise_for_status()
                deadline = time.monotonic() + 120
                while _activity(engine)[1] < args.backlog * 0.8 and time.monotonic() < deadline:
                    time.sleep(0.5)  # until A's stories are extracted and their deliveries wait
            attempts0, waiting0 = _activity(engine)
            cpu = CpuMeter(database)
            latencies, errors = measure_b(client, [auth["b"]], receiver, args.phase, 1)
            used = cpu.used()
            attempts1, waiting1 = _activity(engine)
            values = sorted(latencies.values())
            rows.append((name, used, attempts1 - attempts0, waiting0, waiting1, values, errors))
        engine.dispose()
    print(f"{'phase':36} {'workers':>8} {'api':>6} {'postgres':>9} {'brokers':>8}  A waiting  B p50 s  B max s  n")
    for name, used, attempts, waiting0, waiting1, values, errors in rows:
        p50 = statistics.median(values) if values else float("nan")
        print(
            f"{name:36} {used.get('workers', 0):8.2f} {used.get('api', 0):6.2f} {used.get('postgres', 0):9.2f} "
            f"{used.get('brokers', 0):8.2f}  {waiting0:4d}->{waiting1:<4d} {p50:8.3f} {max(values, default=0):8.3f}"
            f"  {len(values)}  attempts {attempts}"
            + (f"  B errors {problems}" if (problems := {k: v for k, v in errors.items() if v and k[0] != "_"}) else "")
        )
    print("CPU: seconds per second of wall time (2 cores = 2.0); workers = ingest + webhook worker processes")


if __name__ == "__main__":
    main()
