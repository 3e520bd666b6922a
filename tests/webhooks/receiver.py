"""A scripted webhook receiver on 127.0.0.1: each path answers from its own list of replies, in order
(the last one repeats), and every request is recorded with the time it arrived."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.support.servers import _serving


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()


@dataclass
class ScriptedReceiver:
    url: str = ""
    script: dict[str, list[Reply]] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply_for(self, path: str, number: int) -> Reply:
        replies = self.script.get(path) or [Reply(404)]
        return replies[min(number, len(replies)) - 1]

    def count(self, path: str) -> int:
        with self.lock:
            return len(self.hits[path])

    def received(self, path: str) -> list[Hit]:
        with self.lock:
            return list(self.hits[path])


@contextmanager
def scripted_receiver(script: dict[str, list[Reply]]) -> Iterator[ScriptedReceiver]:
    receiver = ScriptedReceiver(script=script)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                hits = receiver.hits[self.path]
                hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
                reply = receiver.reply_for(self.path, len(hits))
            time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with _serving(Handler) as base:
        receiver.url = base
        yield receiver
