"""URL previews fetch on API threads: a per-process cap with a per-key share keeps slow sites from taking the
threads reads need (a hostile-input probe stalled every tenant's reads with 20 dribbling previews)."""

from __future__ import annotations

import threading
import time

import pytest

from service.api.previews import PreviewBusy, PreviewRunner
from service.api.shares import TooManyConcurrent
from service.settings import Settings


@pytest.fixture
def runner():
    runner = PreviewRunner(Settings(preview_fetch_concurrency=4, preview_wait_seconds=0.2))
    yield runner
    runner.close()


def test_a_key_gets_its_share_and_a_full_process_answers_busy(runner):
    gate, started = threading.Event(), threading.Semaphore(0)

    def slow_fetch():
        started.release()
        gate.wait(10)
        return "page"

    results: list = []
    held = [
        threading.Thread(target=lambda k=key: results.append(runner.fetch(k, slow_fetch)))
        for key in ("a", "a", "b", "b")
    ]
    for thread in held:
        thread.start()
    for _ in held:
        assert started.acquire(timeout=10)
    with pytest.raises(TooManyConcurrent):  # key a is at its share (half the slots)
        runner.fetch("a", lambda: "never")
    begun = time.monotonic()
    with pytest.raises(PreviewBusy):  # every slot taken: another key waits preview_wait_seconds, then 503
        runner.fetch("c", lambda: "never")
    assert time.monotonic() - begun < 5
    gate.set()
    for thread in held:
        thread.join(10)
    assert results == ["page"] * 4
    assert runner.fetch("c", lambda: "now") == "now"  # slots and shares given back
