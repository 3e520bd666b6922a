"""A preview process killed from outside (the OOM killer, an operator) while idle stopped pebble's pool for good:
every later POST /v1/extract answered 500 until the API restarted. The runner now starts a new pool."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from service.api.previews import PreviewRunner
from service.settings import Settings

PAGE = "<html><body><h1>Small</h1><p>A short story of a few words, to preview here.</p></body></html>"


def test_previews_go_on_after_an_idle_preview_process_is_killed():
    runner = PreviewRunner(Settings(preview_processes=2, preview_timeout_seconds=30))
    try:
        runner.warm_up()
        assert runner.extract("a", PAGE, "html", None).title == "Small"
        children = [p for p in multiprocessing.active_children() if p.pid != os.getpid()]
        assert children, "no preview process to kill: the test would prove nothing"
        os.kill(children[0].pid, signal.SIGKILL)
        time.sleep(1)
        assert [runner.extract("b", PAGE, "html", None).title for _ in range(3)] == ["Small"] * 3
    finally:
        runner.close()
