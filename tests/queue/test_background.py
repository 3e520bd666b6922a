"""The publisher thread: requests hand messages over and return; sends run in order, off the caller's thread, a
failed send does not stop the ones after it (its job stays queued for the reconciler), close sends what is pending."""

from __future__ import annotations

import threading

from service.queue.background import BackgroundDispatcher
from tests.support.dispatch import RecordingDispatcher


class SlowFlakyDispatcher(RecordingDispatcher):
    """Records each send's thread; the send of job "bad" raises as a refused publish would."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate, self.threads, self.entered = gate, set(), threading.Event()

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        self.entered.set()
        self.gate.wait(10)
        self.threads.add(threading.current_thread().name)
        if job_id == "bad":
            raise ConnectionError("broker refused")
        super().send_ingest(job_id, priority=priority, countdown=countdown)


def test_sends_return_at_once_and_run_in_order_on_the_publisher_thread(caplog):
    gate = threading.Event()
    inner = SlowFlakyDispatcher(gate)
    background = BackgroundDispatcher(inner)
    for job in ("a", "bad", "b"):
        background.send_ingest(job, priority=7)  # returns while the inner send is blocked on the gate
    background.send_webhook("d1")
    assert inner.ingest == [] and inner.webhooks == []
    gate.set()
    background.close()
    assert inner.ingest == [("a", 7), ("b", 7)] and inner.webhooks == ["d1"]
    assert inner.threads == {"publisher"}
    assert "publish failed; the reconciler will re-send" in caplog.text


def test_a_full_backlog_leaves_the_message_to_the_reconciler(caplog):
    gate = threading.Event()
    inner = SlowFlakyDispatcher(gate)
    background = BackgroundDispatcher(inner, max_pending=1)
    background.send_ingest("a")
    assert inner.entered.wait(10)  # the thread holds "a", blocked on the gate
    background.send_ingest("b")  # waits in the backlog
    background.send_ingest("c")  # finds the backlog full
    gate.set()
    background.close()
    assert [job for job, _ in inner.ingest] == ["a", "b"]
    assert "publish backlog full" in caplog.text


def test_the_apps_own_publisher_is_drained_and_stopped_at_shutdown(settings, session_factory):
    from litestar.testing import TestClient

    from service.app import create_app

    app = create_app(settings, session_factory=session_factory, broker_check=lambda: None)  # memory:// broker
    publisher = app.state.dispatcher
    assert isinstance(publisher, BackgroundDispatcher)
    with TestClient(app):
        assert publisher.running
    assert not publisher.running
