"""`article-ingest backfill FILE`: stream a file to POST /v1/admin/backfills, then show progress until the
backfill is done. The file is sent in chunks, never read whole; `-` reads standard input.

On a terminal the progress is a rich progress bar, and log lines are printed above it (never through it); when
stderr is not a terminal, one line per change. Exit status: 0 when every line was valid and every job done,
1 when any line was invalid, any job failed or the backfill was cancelled, or the API refused."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO, TextIO

import httpx

CHUNK = 256 * 1024
FINAL = ("done", "cancelled")


def run_backfill(
    path: str,
    *,
    api: str,
    key: str | None,
    refresh: bool = False,
    callback_url: str | None = None,
    rate: float | None = None,
    wait: bool = True,
    interval: float = 2.0,
    out: TextIO = sys.stderr,
) -> int:
    """Returns the exit status (see the module docstring); raises BackfillFailed when the API refuses, and
    httpx.HTTPError when it cannot be reached."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # an INFO line per request (and poll) is noise here
    key = key or os.environ.get("INGEST_API_KEY")
    if not key:
        raise BackfillFailed("give an admin key with --key or INGEST_API_KEY")
    params = {
        k: v
        for k, v in {
            "refresh": "true" if refresh else None,
            "callback_url": callback_url,
            "rate_per_second": rate,
        }.items()
        if v is not None
    }
    with httpx.Client(
        base_url=api.rstrip("/"), headers={"Authorization": f"Bearer {key}"}, timeout=httpx.Timeout(30.0, read=900.0)
    ) as client:
        source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed below
        try:
            response = client.post(
                "/v1/admin/backfills",
                content=_chunks(source),
                params=params,
                headers={"Content-Type": "application/x-ndjson"},
            )
        finally:
            if source is not sys.stdin.buffer:
                source.close()
        if response.status_code != 202:
            raise BackfillFailed(f"{response.status_code} {_detail(response)}")
        accepted = response.json()
        print(json.dumps({"id": accepted["id"], "status_url": accepted["status_url"]}), flush=True)
        lines, bad = accepted["lines"], accepted["invalid_lines"]
        print(
            f"backfill {accepted['id']}: {lines} line{'s' * (lines != 1)} read, {bad} not usable as read "
            "(more may be refused when the URLs are checked)",
            file=out,
            flush=True,
        )
        for error in accepted["errors"]:
            print(f"  line {error['line']}: {error['type']}: {error['detail']}", file=out)
        if not wait:
            return 0
        return _follow(client, accepted["status_url"], interval, out)


def _follow(client: httpx.Client, status_url: str, interval: float, out: TextIO) -> int:
    with _display(out) as show:
        while True:
            response = client.get(status_url)
            if response.status_code == 429:  # admin routes are rate limited: wait as told
                time.sleep(float(response.headers.get("Retry-After", interval)))
                continue
            if response.status_code != 200:
                raise BackfillFailed(f"{response.status_code} {_detail(response)}")
            report = response.json()
            show(report)
            if report["status"] in FINAL:
                break
            time.sleep(interval)
    totals, jobs = report["totals"], report["jobs"]
    failed = jobs["failed"] + jobs["dead"]
    print(
        f"backfill {report['status']}: {jobs['done']} done, {failed} failed, "
        f"{totals['existing']} already stored, {totals['duplicates_in_file']} duplicates, "
        f"{totals['invalid']} bad lines, {totals['cancelled']} cancelled",
        file=out,
        flush=True,
    )
    if report["errors_by_type"]:
        print("errors by type: " + ", ".join(f"{k} {v}" for k, v in sorted(report["errors_by_type"].items())), file=out)
    return 1 if failed or totals["invalid"] or report["status"] == "cancelled" else 0


class BackfillFailed(Exception):
    """The API refused a progress request; the message is its status and detail."""


@contextlib.contextmanager
def _display(out: TextIO):
    """Yields show(report). A terminal gets a progress bar with log records printed above it; anything else
    gets a line per change."""
    if not out.isatty():
        last = [""]

        def show_line(report: dict) -> None:
            line = progress_line(report)
            if line != last[0]:
                print(line, file=out, flush=True)
            last[0] = line

        yield show_line
        return

    from rich.console import Console
    from rich.logging import RichHandler
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    console = Console(file=out)
    progress = Progress(
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[detail]}"),
        console=console,
        transient=False,
    )
    task = progress.add_task("backfill", total=None, detail="")
    root = logging.getLogger()
    handlers = root.handlers[:]
    root.handlers[:] = [RichHandler(console=console, show_path=False)]  # log lines above the bar

    def show_bar(report: dict) -> None:
        totals = report["totals"]
        progress.update(task, total=totals["lines"], completed=totals["settled"], detail=_detail_text(report))

    try:
        with progress:
            yield show_bar
    finally:
        root.handlers[:] = handlers


def _detail_text(report: dict) -> str:
    jobs, eta = report["jobs"], report["eta_seconds"]
    eta_text = "?" if eta is None else f"{int(eta) // 60}m{int(eta) % 60:02d}s"
    return (
        f"{jobs['running']} running, {jobs['queued']} queued, {jobs['failed'] + jobs['dead']} failed "
        f"| {report['completion_rate_per_second']:.1f}/s | ETA {eta_text} | {report['status']}"
    )


def progress_line(report: dict, width: int = 30) -> str:
    """The progress as one line of text, for logs and pipes."""
    totals = report["totals"]
    fraction = totals["settled"] / totals["lines"] if totals["lines"] else 1.0
    filled = int(fraction * width)
    return (
        f"[{'#' * filled}{'-' * (width - filled)}] {fraction:6.1%} {totals['settled']}/{totals['lines']} "
        f"| {_detail_text(report)}"
    )


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    while chunk := source.read(CHUNK):
        yield chunk


def _detail(response: httpx.Response) -> str:
    try:
        return response.json().get("detail", response.text)
    except ValueError:
        return response.text[:500]
