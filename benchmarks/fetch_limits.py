"""Fetching limits benchmark: gzip-bomb peak memory and per-host concurrency across processes.

Run: .venv/bin/python benchmarks/fetch_limits.py   (loopback servers only; needs Redis on 127.0.0.1)
Prints the bomb's peak RSS as a ratio to a process that only imports the fetcher, and the highest number
of requests a local site saw in flight with 4 worker processes and a per-host limit of 2.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from service.settings import Settings
from tests.fetching.bomb import gzip_bomb, peak_rss_kb
from tests.fetching.servers import LocalSite, respond
from tests.fetching.workers import fetch_many


def main() -> None:
    site = LocalSite()
    prefix = f"bench:fetching:{uuid.uuid4().hex}:"
    settings = Settings(
        allow_private_networks=True,
        allowed_ports=[site.port],
        respect_robots=False,
        politeness_key_prefix=prefix,
        per_host_concurrency=2,
        per_host_rate_per_second=1000,
        fetch_total_timeout=30,
    )
    try:
        bomb = gzip_bomb()
        site.routes["/bomb"] = lambda h: respond(h, 200, bomb, {"Content-Encoding": "gzip"})
        base = peak_rss_kb(settings, None)["peak_kb"]
        bombed = peak_rss_kb(settings, site.url("/bomb"))
        print(
            f"gzip bomb ({len(bomb) / 1e6:.1f} MB -> 1 GiB): peak RSS {bombed['peak_kb'] / 1024:.1f} MB "
            f"vs import-only {base / 1024:.1f} MB, ratio {bombed['peak_kb'] / base:.2f}, "
            f"outcome {bombed['error']}"
        )

        def slow(h):
            time.sleep(0.2)
            respond(h, 200, b"<p>ok</p>")

        site.routes["/slow"] = slow
        ctx = multiprocessing.get_context("spawn")
        procs = [
            ctx.Process(target=fetch_many, args=(settings.model_dump_json(), [site.url("/slow")] * 6)) for _ in range(4)
        ]
        started = time.monotonic()
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        print(
            f"4 processes x 6 fetches, per-host limit 2: max in flight {site.max_in_flight}, "
            f"{site.hits.get('/slow', 0)} requests in {time.monotonic() - started:.1f} s, "
            f"exit codes {[p.exitcode for p in procs]}"
        )
    finally:
        site.close()
        client = redis.Redis.from_url(settings.redis_url)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


if __name__ == "__main__":
    main()
