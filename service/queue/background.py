"""Publishing off the request path: one dedicated thread sends each message through the real dispatcher (with
publisher confirms), so a request returns once its rows are committed, without waiting for the broker. Ingest
tasks use one per worker process the same way for their webhook wake-ups (workers/process.py): the pool takes its
next job without waiting for the confirm.

The guarantees stay those of a send after commit: callers hand a message over only after their transaction
committed, and a message lost here (the process died first, the broker refused, the backlog was full) leaves its
job `queued` (or a webhook delivery `pending`) in Postgres, where the reconciler re-sends it after its grace
period (service/jobs, service/webhooks). Workers claim
a job with a conditional UPDATE, so a message sent twice runs once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from functools import partial

from .dispatcher import Dispatcher

log = logging.getLogger(__name__)
MAX_PENDING = 10_000  # messages waiting for the publisher thread; past it sends are left to the reconciler


class BackgroundDispatcher:
    """A Dispatcher whose sends return at once; `inner`'s sends run in order on one thread named "publisher"."""

    def __init__(self, inner: Dispatcher, *, max_pending: int = MAX_PENDING) -> None:
        self._inner = inner
        self._pending: queue.Queue[Callable[[], None] | None] = queue.Queue(max_pending)
        self._thread = threading.Thread(target=self._run, name="publisher", daemon=True)
        self._thread.start()

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        self._hand_over(partial(self._inner.send_ingest, job_id, priority=priority, countdown=countdown))

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        self._hand_over(partial(self._inner.send_webhook, delivery_id, countdown=countdown))

    def close(self, timeout: float = 10.0) -> None:
        """Send what is pending (for at most `timeout` seconds), then stop the thread."""
        try:
            self._pending.put(None, timeout=timeout)
        except queue.Full:
            return
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """The publisher thread is alive (False once `close` has drained it)."""
        return self._thread.is_alive()

    def _hand_over(self, send: Callable[[], None]) -> None:
        try:
            self._pending.put_nowait(send)
        except queue.Full:
            log.warning("publish backlog full (%d); the reconciler will send this message", self._pending.maxsize)

    def _run(self) -> None:
        while (send := self._pending.get()) is not None:
            try:
                send()
            except Exception:  # the job stays queued in Postgres: the reconciler re-sends it
                log.warning("publish failed; the reconciler will re-send", exc_info=True)
