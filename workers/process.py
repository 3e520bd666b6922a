"""Per-process resources. Engines are created lazily in the process that uses them (after fork), never at
import time, and never shared across a fork."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import threading
import time

from celery import current_app
from celery.signals import (
    beat_embedded_init,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_shutdown,
)
from sqlalchemy.orm import Session, sessionmaker

from service.db.engine import make_engine, make_session_factory
from service.queue.background import BackgroundDispatcher
from service.queue.dispatcher import CeleryDispatcher
from service.settings import Settings

log = logging.getLogger(__name__)
_state: dict = {}
# A thread-pool worker (webhooks) builds these from several threads at once: build each exactly once.
_lock = threading.RLock()
_background: tuple[int, BackgroundDispatcher] | None = None  # (pid, it): apart from _state, which clear() resets


def settings() -> Settings:
    return current_app.conf.article_ingest_settings


def session_factory() -> sessionmaker[Session]:
    sessions = _state.get("sessions")
    if sessions is not None and _state.get("pid") == os.getpid():
        return sessions
    with _lock:
        if _state.get("pid") != os.getpid() or "sessions" not in _state:
            _state.clear()  # inherited across a fork, or discarded after an interrupted query
            _state["pid"] = os.getpid()
            # One connection per pool thread (prefork children run one task at a time).
            threaded = current_app.conf.worker_pool == "threads"
            threads = (current_app.conf.worker_concurrency or 1) if threaded else 1
            _state["engine"] = make_engine(settings().database_url, pool_size=max(2, threads))
            _state["sessions"] = make_session_factory(_state["engine"])
        return _state["sessions"]


def discard_connections() -> None:
    """After a time limit interrupted a query, the connection is mid-protocol ("another command is already in
    progress"): drop this process's pool without touching those sockets; the next use builds a fresh one."""
    with _lock:
        engine = _state.pop("engine", None)
        _state.clear()
    if engine is not None:
        engine.dispose(close=False)


def dispatcher() -> CeleryDispatcher:
    return CeleryDispatcher(current_app)


def background_dispatcher() -> BackgroundDispatcher:
    """This process's publisher thread (service/queue/background.py), for messages whose rows are committed and
    that the reconciler re-sends if lost: an ingest task hands its webhook wake-up over and takes its next job
    without waiting ~3 ms for the broker's confirm (issue 16). Made after the fork, in the process that uses it;
    drained at the process's shutdown."""
    global _background
    current = _background  # the common case, once per task: no lock
    if current is not None and current[0] == os.getpid():
        return current[1]
    with _lock:
        if _background is None or _background[0] != os.getpid():
            _background = (os.getpid(), BackgroundDispatcher(dispatcher()))
        return _background[1]


def fetch():
    from service.fetching import fetch_page

    return fetch_page


def webhook_client():
    """A factory handing out this process's one guarded client: connections to receivers are kept alive
    across deliveries instead of being opened (and TLS-negotiated) for every event."""
    with _lock:
        if _state.get("webhook_client_pid") != os.getpid():
            from service.fetching import guarded_client

            _state["webhook_client"] = guarded_client(settings(), timeout=settings().webhook_timeout)
            _state["webhook_client_pid"] = os.getpid()
        client = _state["webhook_client"]
    return lambda: contextlib.nullcontext(client)


@worker_process_init.connect
def _configure_mappers(**_) -> None:
    """Configure the ORM once, at process start. Done lazily inside a task, a soft time limit firing midway
    leaves the mappers broken for every later task of that process."""
    from sqlalchemy.orm import configure_mappers

    import service.db.models  # noqa: F401  (registers every model)

    configure_mappers()


def _runs_tasks_in_forked_or_own_process(pool_cls) -> bool:
    """True for the prefork and solo pools (extraction runs in forked children, or in the worker process
    itself); False for thread, eventlet and gevent pools (the webhook worker), which need no extraction."""
    name = pool_cls if isinstance(pool_cls, str) else f"{pool_cls.__module__}.{pool_cls.__qualname__}"
    return any(kind in name.lower() for kind in ("prefork", "solo"))


@worker_init.connect
def _warm_before_fork(sender=None, **_) -> None:
    """Warm the extraction pipeline (extraction/warm.py) in the worker's main process, before the prefork pool
    forks its children: each child inherits the warm state, so neither the first jobs after start nor a child
    replaced after passing worker_max_memory_per_child pay the ~1 s warm-up, and the worker says it is ready only once
    its processes are warm (the child's own warm-up below then returns at once).

    Then the warm heap is frozen (`gc.freeze`, the CPython documentation's advice for a process that forks without
    exec): the children's collections skip the ~130,000 inherited objects (full collections were 1.2-1.5% of
    extraction CPU in a worker-like process, 0.4% frozen: 181 benchmark pages, three passes each) and do not write
    to those objects' pages, which stay shared copy-on-write."""
    if sender is None or not _runs_tasks_in_forked_or_own_process(sender.pool_cls):
        return
    from service.extraction.warm import warm_up

    started = time.perf_counter()
    warm_up()
    gc.collect()  # the warm-up's garbage goes first: a frozen object is never freed
    gc.freeze()
    log.info(
        "extraction warmed before the pool starts (%.2f s; %d objects frozen)",
        time.perf_counter() - started,
        gc.get_freeze_count(),
    )


@worker_process_init.connect
def _load_extraction(**_) -> None:
    """Load the extraction pipeline, its language models and dateparser's locale data at process start rather
    than in the first jobs, which would otherwise cost a second and more than the rest (extraction/warm.py).
    A child forked from the warmed main process (_warm_before_fork) has nothing left to do."""
    from service.extraction.warm import warm_up

    if warm_up():
        log.info("pool process %d warmed its extraction itself", os.getpid())


@worker_shutdown.connect  # solo and thread pools run tasks in the worker process: no process-shutdown signal
def _drain_publisher(**_) -> None:
    """Send the wake-ups this process's publisher thread still holds (at most 5 s; the reconciler sends the rest)."""
    if _background is not None and _background[0] == os.getpid():
        _background[1].close(timeout=5.0)


@worker_process_shutdown.connect
def _dispose_engine(**_) -> None:
    _drain_publisher()
    engine = _state.get("engine")
    if engine is not None:
        engine.dispose()


_PARENT_CHECK_SECONDS = 1.0


@beat_embedded_init.connect
def _end_with_the_worker(**_) -> None:
    """The scheduler a worker runs with `--beat` is a child process that outlived a worker killed without
    stopping it (SIGKILL, the OOM killer): it went on sending ticks, and a restarted worker started a second
    one. It now watches its parent and stops (SIGTERM to itself, then exit after 5 s) within a second of the
    parent's end (tests/queue/test_embedded_beat.py)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        log.warning("embedded beat: worker %d is gone; stopping", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        os._exit(0)

    threading.Thread(target=watch, name="beat-parent-watch", daemon=True).start()
