"""`article-ingest backfill FILE`: stream a file to POST /v1/admin/backfills, then show a progress bar until
the backfill is done. The file is sent in chunks, never read whole; `-` reads standard input."""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO, TextIO

import httpx

CHUNK = 256 * 1024
FINAL = ("done", "cancelled")


def run_backfill(path: str, *, api: str, key: str | None, refresh: bool = False, callback_url: str | None = None,
                 rate: float | None = None, wait: bool = True, interval: float = 2.0, out: TextIO = sys.stderr) -> int:
    key = key or os.environ.get("INGEST_API_KEY")
    if not key:
        print("article-ingest backfill: give an admin key with --key or INGEST_API_KEY", file=out)
        return 2
    params = {k: v for k, v in {"refresh": "true" if refresh else None, "callback_url": callback_url,
                                "rate_per_second": rate}.items() if v is not None}
    with httpx.Client(base_url=api.rstrip("/"), headers={"Authorization": f"Bearer {key}"},
                      timeout=httpx.Timeout(30.0, read=900.0)) as client:
        source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed below
        try:
            response = client.post("/v1/admin/backfills", content=_chunks(source), params=params,
                                   headers={"Content-Type": "application/x-ndjson"})
        finally:
            if source is not sys.stdin.buffer:
                source.close()
        if response.status_code != 202:
            print(f"article-ingest backfill: {response.status_code} {_detail(response)}", file=out)
            return 1
        accepted = response.json()
        print(json.dumps({"id": accepted["id"], "status_url": accepted["status_url"]}), flush=True)
        print(f"backfill {accepted['id']}: {accepted['lines']} lines accepted, {accepted['invalid_lines']} bad",
              file=out, flush=True)
        for error in accepted["errors"]:
            print(f"  line {error['line']}: {error['type']}: {error['detail']}", file=out)
        if not wait:
            return 0
        return _follow(client, accepted["status_url"], interval, out)


def _follow(client: httpx.Client, status_url: str, interval: float, out: TextIO) -> int:
    tty = out.isatty()
    last_line = ""
    while True:
        response = client.get(status_url)
        if response.status_code == 429:  # admin routes are rate limited: wait as told
            time.sleep(float(response.headers.get("Retry-After", interval)))
            continue
        if response.status_code != 200:
            print(f"\narticle-ingest backfill: {response.status_code} {_detail(response)}", file=out)
            return 1
        report = response.json()
        line = progress_line(report)
        if tty:
            print("\r" + line.ljust(len(last_line)), end="", file=out, flush=True)
        elif line != last_line:
            print(line, file=out, flush=True)
        last_line = line
        if report["status"] in FINAL:
            if tty:
                print(file=out)
            totals, jobs = report["totals"], report["jobs"]
            print(f"backfill {report['status']}: {jobs['done']} done, {jobs['failed'] + jobs['dead']} failed, "
                  f"{totals['existing']} already stored, {totals['duplicates_in_file']} duplicates, "
                  f"{totals['invalid']} bad lines, {totals['cancelled']} cancelled", file=out, flush=True)
            if report["errors_by_type"]:
                print("errors by type: " + ", ".join(f"{k} {v}" for k, v in sorted(report["errors_by_type"].items())),
                      file=out)
            return 0
        time.sleep(interval)


def progress_line(report: dict, width: int = 30) -> str:
    totals, jobs = report["totals"], report["jobs"]
    fraction = totals["settled"] / totals["lines"] if totals["lines"] else 1.0
    filled = int(fraction * width)
    eta = report["eta_seconds"]
    eta_text = "?" if eta is None else f"{int(eta) // 60}m{int(eta) % 60:02d}s"
    return (f"[{'#' * filled}{'-' * (width - filled)}] {fraction:6.1%} {totals['settled']}/{totals['lines']} "
            f"| {jobs['running']} running, {jobs['queued']} queued, {jobs['failed'] + jobs['dead']} failed "
            f"| {report['completion_rate_per_second']:.1f}/s | ETA {eta_text} | {report['status']}")


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    while chunk := source.read(CHUNK):
        yield chunk


def _detail(response: httpx.Response) -> str:
    try:
        return response.json().get("detail", response.text)
    except ValueError:
        return response.text[:500]
