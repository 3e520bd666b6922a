"""Preview extraction off the API's threads: a pool of worker processes, a wall-clock limit per preview, and
a share per API key.

A preview in a thread of the API process holds the GIL for as long as lxml and trafilatura run and cannot be
stopped (an attribute bomb held one for minutes; every other preview of the process waited behind it). Here each
preview runs in a process of a `pebble.ProcessPool`, which kills a process that passes the limit and starts a
fresh one. Refusals are typed: past the limit -> ExtractionError("document_too_complex") (422); no free process
within `preview_wait_seconds` -> PreviewBusy (503 with Retry-After); the key already using its share (all
processes but one) -> TooManyConcurrent (429).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, TypeVar

from pebble import ProcessPool

from service.errors import ServiceError
from service.extraction import ExtractedArticle, ExtractionError, ExtractionErrorType, extract_document
from service.extraction.warm import warm_up
from service.settings import Settings

from .shares import KeyShares

log = logging.getLogger(__name__)

T = TypeVar("T")


class PreviewBusy(ServiceError):
    status, type, title = 503, "preview_busy", "No preview capacity is free right now"


class PreviewRunner:
    """`extract(owner, content, kind, source_url)` -> ExtractedArticle, run in a child process.

    `owner` is the API key id: each key may hold at most `processes - 1` processes at once (at least one)."""

    def __init__(self, settings: Settings) -> None:
        self._processes = max(1, settings.preview_processes)
        self._timeout = settings.preview_timeout_seconds
        self._wait = settings.preview_wait_seconds
        self._shares = KeyShares(self._processes - 1, "previews")
        self._free = threading.BoundedSemaphore(self._processes)
        # spawn: the API process has threads and open sockets, which a forked child must not inherit.
        # initializer: every process, the first ones and each one started after a kill, loads what the pipeline
        # loads on first use (language models, htmldate's tables: seconds under load) before it takes a preview,
        # so no preview pays it inside its wall-clock limit.
        self._pool = self._new_pool()
        self._pool_lock = threading.Lock()
        fetches = max(1, settings.preview_fetch_concurrency)
        self._fetch_shares = KeyShares(max(1, fetches // 2), "URL preview fetches")
        self._fetching = threading.BoundedSemaphore(fetches)

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(
            max_workers=self._processes, context=multiprocessing.get_context("spawn"), initializer=_warm_child
        )

    def _schedule(self, *args: object) -> Any:
        """pebble's pool stops for good when one of its idle processes is killed from outside (the OOM killer,
        an operator): schedule() then raises RuntimeError forever. A stopped pool is replaced by a new one."""
        try:
            return self._pool.schedule(_extract_in_child, args=args, timeout=self._timeout)
        except RuntimeError:
            with self._pool_lock:
                if not self._pool.active:
                    log.warning("preview process pool stopped (a process was killed); starting a new one")
                    broken, self._pool = self._pool, self._new_pool()
                    broken.stop()
            return self._pool.schedule(_extract_in_child, args=args, timeout=self._timeout)

    def warm_up(self) -> None:
        """Start the processes now, not in the first preview: each runs `_warm_child` (its initializer) first."""
        for _ in range(self._processes):
            self._pool.schedule(_started)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=5)

    def extract(self, owner: object, content: str, kind: str, source_url: str | None) -> ExtractedArticle:
        with self._slot(owner):
            future = self._schedule(content, kind, source_url)
            try:
                article, refusal = future.result()
            except FutureTimeout:
                raise ExtractionError(
                    ExtractionErrorType.DOCUMENT_TOO_COMPLEX,
                    f"the extraction ran past the {self._timeout:g} s preview limit",
                ) from None
            if refusal is not None:
                raise ExtractionError(ExtractionErrorType(refusal[0]), refusal[1])
            return article

    def fetch(self, owner: object, fetch: Callable[[], T]) -> T:
        """`fetch()` (a URL preview's page fetch, on this API thread) within the process's fetch capacity: 429
        past the key's share, 503 when every fetch slot stays taken for `preview_wait_seconds`."""
        with self._held(self._fetch_shares, self._fetching, owner, "URL preview slot"):
            return fetch()

    def _slot(self, owner: object):
        return self._held(self._shares, self._free, owner, "preview process")

    @contextmanager
    def _held(self, shares: KeyShares, capacity: threading.BoundedSemaphore, owner: object, what: str):
        """One unit of `capacity` for `owner`: TooManyConcurrent (429) past the key's share, PreviewBusy (503)
        when none frees within `preview_wait_seconds`."""
        shares.take(owner)
        try:
            if not capacity.acquire(timeout=self._wait):
                raise PreviewBusy(f"no {what} became free within {self._wait:g} s", extra={"retry_after": 1})
            try:
                yield
            finally:
                capacity.release()
        finally:
            shares.give_back(owner)


def _extract_in_child(
    content: str, kind: str, source_url: str | None
) -> tuple[ExtractedArticle | None, tuple[str, str] | None]:
    """Runs in the child. A refusal comes back as plain data: an exception that does not pickle would break
    the pool for every later preview."""
    try:
        return extract_document(content, kind, source_url=source_url), None
    except ExtractionError as exc:
        return None, (exc.type, exc.detail)


def _warm_child() -> None:
    """A new preview process runs the pipeline's warm-up (`extraction.warm`) before it takes work. Never raises:
    a failure here shows up in the first preview instead (pebble would restart a process that failed)."""
    try:
        warm_up()
    except Exception:
        log.warning("preview process warm-up failed", exc_info=True)


def _started() -> None:
    """A no-op task: scheduling it makes pebble start a process (which warms itself in its initializer)."""
