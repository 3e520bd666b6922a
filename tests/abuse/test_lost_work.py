"""A worker SIGKILLed mid-job: with the default settings the job is retried within 60 s of the death (a short
lease, renewed while the attempt runs), and still stored exactly once, with one webhook."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import psutil
import pytest
from sqlalchemy import create_engine, text

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env, worker_process
from tests.support.redis_keys import private_prefix
from tests.support.servers import reply, webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
PAGE = (
    b"<html><head><title>Slow story</title></head><body><article><h1>Slow story</h1>"
    + b"<p>A paragraph of the slow story, long enough to count as one.</p>" * 5
    + b"</article></body></html>"
)


class SlowOnce:
    """Serves PAGE; the first request hangs (the worker is killed meanwhile). Records when each request came."""

    def __init__(self) -> None:
        self.requests: list[float] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/robots.txt":
                    reply(self, 404)
                    return
                outer.requests.append(time.monotonic())
                if len(outer.requests) == 1:
                    time.sleep(90)
                reply(self, 200, PAGE, "text/html; charset=utf-8")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _kill_tree(pid: int) -> None:
    parent = psutil.Process(pid)
    for proc in [parent, *parent.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


def test_a_killed_workers_job_is_retried_within_60_s_exactly_once(tmp_path):
    slow = SlowOnce()
    with private_prefix("lost") as prefix, fresh_database("lost") as database_url, webhook_receiver() as receiver:
        key = issue_key(database_url, "a", ["ingest"])
        ports = [int(slow.url.rsplit(":", 1)[1]), int(receiver.url.rsplit(":", 1)[1])]
        env = service_env(
            database_url=database_url,
            broker_url="amqp://guest:guest@127.0.0.1:5672//",
            queue_prefix=f"t{uuid.uuid4().hex[:8]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, *ports]),
            respect_robots="false",
            rate_limit_key_prefix=prefix,
            politeness_key_prefix=prefix + "fetch:",
        )
        with api_process(env, tmp_path / "api.log") as api:
            auth = {"Authorization": f"Bearer {key.key}"}
            with worker_process(env, tmp_path / "worker1.log", concurrency=1, beat=True) as first:
                r = httpx.post(
                    api + "/v1/articles",
                    json={"url": slow.url + "/story", "callback_url": receiver.url + "/hook"},
                    headers=auth,
                    timeout=10,
                )
                assert r.status_code == 202, r.text
                article_id = r.json()["id"]
                wait_for(lambda: slow.requests, 60, "the first attempt to fetch")
                time.sleep(2)
                _kill_tree(first.pid)
                killed_at = time.monotonic()
            with worker_process(env, tmp_path / "worker2.log", concurrency=1, beat=True):
                wait_for(lambda: len(slow.requests) >= 2, 75, "the retry to fetch")
                retried_after = slow.requests[1] - killed_at
                record = wait_for(
                    lambda: (
                        (x := httpx.get(f"{api}/v1/articles/{article_id}", headers=auth, timeout=10).json())["status"]
                        != "queued"
                        and x
                    ),
                    30,
                    "the article to finish",
                )
                wait_for(lambda: receiver.requests, 30, "the webhook")
                time.sleep(3)  # a duplicate would show by now
        assert retried_after < 60, f"the retry came {retried_after:.0f} s after the worker died"
        assert record["status"] == "done" and record["title"] == "Slow story", record
        assert len(receiver.requests) == 1
        engine = create_engine(database_url)
        try:
            with engine.connect() as db:
                jobs = db.execute(text("SELECT status, attempts FROM jobs")).all()
        finally:
            engine.dispose()
        assert jobs == [("done", 2)], jobs
    slow.server.shutdown()
