"""API latency under a steady open-loop load: p50/p99 of POST /v1/articles and GET /v1/articles/{id}.

The API runs as one uvicorn process pinned to one core; the load generator runs in this process on the
other core and sends requests at a fixed rate (open loop: a slow response does not slow the sender, so
queueing shows up in the percentiles). Baseline in the same run: GET /healthz at the same rate.

    python benchmarks/api_latency.py --rate 200 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.database import fresh_database
from tests.support.processes import api_process, service_env


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def open_loop(client: httpx.AsyncClient, rate: float, seconds: float, make_request) -> dict:
    latencies, errors, tasks = [], 0, []
    interval, start = 1.0 / rate, time.perf_counter()

    async def one(i: int):
        nonlocal errors
        t0 = time.perf_counter()
        try:
            response = await make_request(client, i)
            if response.status_code >= 400:
                errors += 1
        except httpx.HTTPError:
            errors += 1
        latencies.append((time.perf_counter() - t0) * 1000)

    for i in range(int(rate * seconds)):
        delay = start + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors,
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
    }


async def run(api: str, key: str, rate: float, seconds: float) -> dict:
    auth = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=30) as client:
        body = {"text": "Budget Passed\nThe parliament passed the budget on Tuesday after a long debate."}
        created = (await client.post("/v1/articles", json=body, headers=auth)).json()["id"]
        await open_loop(client, rate, 3, lambda c, i: c.get("/healthz"))  # warm-up
        return {
            "baseline GET /healthz": await open_loop(client, rate, seconds, lambda c, i: c.get("/healthz")),
            "POST /v1/articles": await open_loop(
                client,
                rate,
                seconds,
                lambda c, i: c.post("/v1/articles", json={**body, "external_id": f"bench-{i}"}, headers=auth),
            ),
            "GET /v1/articles/{id}": await open_loop(
                client, rate, seconds, lambda c, i: c.get(f"/v1/articles/{created}", headers=auth)
            ),
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from service.api_keys.service import create_key

    with fresh_database("bench") as url:
        engine = create_engine(url)
        with sessionmaker(engine).begin() as session:
            key = create_key(session, name="bench", scopes=["ingest"]).key
        engine.dispose()
        env = service_env(
            database_url=url,
            broker_url=args.broker,
            queue_prefix=f"bench{uuid.uuid4().hex[:6]}.",
            log_level="WARNING",
            rate_limit_ingest_writes_per_minute="10000000",
            rate_limit_ingest_reads_per_minute="10000000",
        )
        log = Path("/tmp/api-latency-bench.log")
        with api_process(env, log, cpu=0) as api:
            os.sched_setaffinity(0, {1})  # the load generator gets the other core
            results = asyncio.run(run(api, key, args.rate, args.seconds))
    base = results["baseline GET /healthz"]["p99_ms"]
    for name, figures in results.items():
        figures["p99_vs_healthz"] = round(figures["p99_ms"] / base, 2) if base else None
        print(f"{name:24s} {json.dumps(figures)}")
    print(f"rate={args.rate}/s for {args.seconds}s, API pinned to 1 core; goal: POST p99 < 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
