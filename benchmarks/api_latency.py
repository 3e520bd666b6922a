"""API latency under a steady open-loop load: p50/p99 of POST /v1/articles and GET /v1/articles/{id}.

The API runs as one uvicorn process pinned to one core; the load generator runs in this process on the
other core and sends requests at a fixed rate (open loop: a slow response does not slow the sender, so
queueing shows up in the percentiles). Baseline in the same run: GET /healthz at the same rate.

    python benchmarks/api_latency.py --rate 200 --seconds 20

Throughput (`--wrk SECONDS`): wrk (Debian's `wrk`, closed loop, `--connections` connections, one thread on the
other core) drives GET /healthz, POST /v1/articles and GET /v1/articles/{id} for SECONDS each, and prints each
rate as a ratio to healthz's in the same run; healthz is also the load side's ceiling (a trivial endpoint).
`--profile DIR` records a py-spy profile of the API during each wrk phase, sampling the GIL holder (the
Python work); needs `pip install py-spy`.

    python benchmarks/api_latency.py --wrk 10 --rate 200 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
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


async def run(api: str, key: str, rate: float, seconds: float, warm: float = 0) -> dict:
    auth = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=30) as client:
        body = {"text": "Budget Passed\nThe parliament passed the budget on Tuesday after a long debate."}
        created = (await client.post("/v1/articles", json=body, headers=auth)).json()["id"]
        await open_loop(client, rate, 3, lambda c, i: c.get("/healthz"))  # warm-up
        if warm:  # each route once at the rate: the API's pools (Postgres, Redis) are open before the measurement
            await open_loop(client, rate, warm, lambda c, i: c.post("/v1/articles", json=body, headers=auth))
            await open_loop(client, rate, warm, lambda c, i: c.get(f"/v1/articles/{created}", headers=auth))
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


WRK = Path(__file__).resolve().parent / "wrk"


def _wrk_figures(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and failed responses from `wrk --latency` output."""

    def ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for q in ("50", "90", "99"):
        figures[f"p{q}_ms"] = ms(re.search(rf"^\s+{q}(?:\.000)?%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    figures["non_2xx"] = int(bad.group(1)) if bad else 0
    if errors:
        figures["socket_errors"] = errors.group(0)
    return figures


def api_pid(api: str) -> int:
    import psutil

    port = int(api.rsplit(":", 1)[1])
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
            return conn.pid
    raise RuntimeError(f"no process listens on {api}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process (all its threads) used so far."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def run_wrk(api: str, key: str, article: str, seconds: float, connections: int, profile: Path | None) -> dict:
    """Closed-loop throughput of each route with wrk; healthz first (the ceiling of the load side)."""
    env = {**os.environ, "BENCH_KEY": key, "BENCH_ARTICLE": article}
    pid = api_pid(api)
    phases = {
        "wrk GET /healthz": [f"{api}/healthz"],
        "wrk POST /v1/articles": ["-s", str(WRK / "post_article.lua"), api],
        "wrk GET /v1/articles/{id}": ["-s", str(WRK / "get_article.lua"), api],
    }
    results = {}
    for name, target in phases.items():
        spy = None
        if profile:
            profile.mkdir(parents=True, exist_ok=True)
            out = profile / (re.sub(r"[^a-z]+", "_", name.lower()).strip("_") + ".txt")
            spy = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "-p",
                    str(pid),
                    "-d",
                    str(int(seconds)),
                    "-f",
                    "raw",
                    "-o",
                    str(out),
                    "-r",
                    "250",
                    "--gil",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "5s", *target]
        cpu_before = _cpu_seconds(pid)
        output = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        cpu = _cpu_seconds(pid) - cpu_before
        if spy:
            spy.wait()
        results[name] = figures = _wrk_figures(output)
        # The API's own CPU (all its threads) per request served: what the one core's ceiling is (1000 / it per
        # second), independent of what else the shared machine runs meanwhile.
        figures["api_cpu_ms_per_request"] = round(1000 * cpu / max(1.0, figures["rps"] * seconds), 3)
        figures["api_cpu_share"] = round(cpu / seconds, 2)
    base = results["wrk GET /healthz"]["rps"]
    for figures in results.values():
        figures["rps_vs_healthz"] = round(figures["rps"] / base, 3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--wrk", type=float, default=0, help="seconds of wrk per route (0: no throughput phase)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warm", type=float, default=0, help="seconds of POST and GET at --rate before measuring")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy raw profiles of each wrk phase here")
    args = parser.parse_args()
    if args.wrk and not shutil.which("wrk"):
        parser.error("--wrk needs wrk on PATH (apt-get install wrk)")
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
            results = asyncio.run(run(api, key, args.rate, args.seconds, args.warm)) if args.seconds else {}
            if args.wrk:
                article = httpx.post(
                    f"{api}/v1/articles",
                    json={"text": "Budget Passed\nThe parliament passed the budget on Tuesday."},
                    headers={"Authorization": f"Bearer {key}"},
                ).json()["id"]
                results.update(run_wrk(api, key, article, args.wrk, args.connections, args.profile))
    base = results.get("baseline GET /healthz", {}).get("p99_ms")
    for name, figures in results.items():
        if base and not name.startswith("wrk"):
            figures["p99_vs_healthz"] = round(figures["p99_ms"] / base, 2)
        print(f"{name:28s} {json.dumps(figures)}")
    print(f"rate={args.rate}/s for {args.seconds}s, API pinned to 1 core; goal: POST p99 < 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
