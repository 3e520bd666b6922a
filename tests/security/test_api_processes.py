"""Access and abuse against real API processes (uvicorn subprocesses) on a real, committed Postgres and the real
Redis: a rate limit shared by three processes holds in total, 100 concurrent requests with one Idempotency-Key
make one job, body limits hold for chunked uploads while reading, `keys rotate` works, and no key is ever
written to a process log (at DEBUG)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from service.api_keys.service import create_key
from service.articles.models import Article
from service.idempotency.models import IdempotencyKey
from service.jobs.models import Job
from tests.support.database import fresh_database
from tests.support.processes import REPO, api_process, service_env

pytestmark = pytest.mark.e2e
REDIS_URL = "redis://127.0.0.1:6379/0"
READS_PER_MINUTE = 30
MAX_BODY = 64 * 1024
PROCESSES = 3


class Stack:
    def __init__(
        self, database_url: str, bases: list[str], logs: list[Path], keys: dict, env: dict, stop: Callable[[], None]
    ) -> None:
        self.database_url, self.bases, self.logs, self.keys, self.env = database_url, bases, logs, keys, env
        self.secrets_seen: list[str] = [k.key for k in keys.values()]
        self.stop = stop  # stops the API processes (idempotent): their logs are then complete

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name].key}"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    prefix = f"test:ratelimit:{uuid.uuid4().hex[:12]}:"
    with fresh_database("sec") as database_url, ExitStack() as stack:
        engine = create_engine(database_url)
        with sessionmaker(engine).begin() as session:
            keys = {
                name: create_key(session, name=name, scopes=scopes)
                for name, scopes in [
                    ("idem", ["ingest"]),
                    ("limited", ["ingest"]),
                    ("body", ["ingest"]),
                    ("rotated", ["ingest"]),
                    ("admin", ["admin"]),
                ]
            }
        engine.dispose()
        # memory:// broker: published tasks stay inside the API process (nothing consumes them in this test).
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            redis_url=REDIS_URL,
            rate_limit_key_prefix=prefix,
            rate_limit_ingest_reads_per_minute=READS_PER_MINUTE,
            rate_limit_ingest_writes_per_minute=10_000,
            max_request_bytes=MAX_BODY,
            log_level="DEBUG",
        )
        logs = [tmp / f"api{i}.log" for i in range(PROCESSES)]
        managers = [api_process(env, log) for log in logs]
        with ThreadPoolExecutor(PROCESSES) as pool:  # start the three together: ~3 s instead of ~9 s
            started = [pool.submit(m.__enter__) for m in managers]
        for manager, future in zip(managers, started, strict=True):
            if future.exception() is None:  # stop every API that started, even when another did not
                stack.callback(manager.__exit__, None, None, None)
        bases = [future.result() for future in started]
        yield Stack(database_url, bases, logs, keys, env, stop=stack.close)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


def test_the_rate_limit_holds_in_total_across_api_processes(stack):
    headers = stack.auth("limited")

    def call(i: int) -> tuple[int, httpx.Response]:
        base = stack.bases[i % PROCESSES]
        return i % PROCESSES, httpx.get(f"{base}/v1/articles", headers=headers, timeout=10)

    started = time.monotonic()
    with ThreadPoolExecutor(9) as pool:  # few connections: the shared Postgres serves other runs too
        results = list(pool.map(call, range(3 * READS_PER_MINUTE)))
    elapsed = time.monotonic() - started
    ok = [p for p, r in results if r.status_code == 200]
    limited = [r for _, r in results if r.status_code == 429]
    assert len(ok) + len(limited) == len(results), {r.status_code for _, r in results}
    # GCRA: the minute's allowance at once, then one more every 60/limit seconds.
    assert READS_PER_MINUTE <= len(ok) <= READS_PER_MINUTE + int(elapsed * READS_PER_MINUTE / 60) + 1, (
        len(ok),
        elapsed,
    )
    assert len(set(ok)) == PROCESSES  # every process served some: the allowance is shared, not per process
    for response in limited:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(response.headers["retry-after"]) <= 60 // READS_PER_MINUTE + 1


def test_100_concurrent_requests_with_one_idempotency_key_create_exactly_one_job(stack):
    headers = {**stack.auth("idem"), "Idempotency-Key": "burst-1"}
    body = {"text": "Burst\nOne story, sent a hundred times at once."}

    async def burst() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=stack.bases[0], limits=limits, timeout=30) as client:
            return await asyncio.gather(*(client.post("/v1/articles", json=body, headers=headers) for _ in range(100)))

    responses = asyncio.run(burst())
    # Every repeat answers exactly as the first request was answered (202, same body); the row counts below
    # show that only one of them did the work.
    assert {r.status_code for r in responses} == {202}, [r.text for r in responses if r.status_code != 202][:3]
    assert len({r.json()["id"] for r in responses}) == 1
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        key_id = stack.keys["idem"].id
        articles = conn.scalar(select(func.count()).select_from(Article).where(Article.api_key_id == key_id))
        jobs = conn.scalar(
            select(func.count())
            .select_from(Job)
            .join(Article, Job.article_id == Article.id)
            .where(Article.api_key_id == key_id)
        )
        stored = conn.scalar(
            select(func.count()).select_from(IdempotencyKey).where(IdempotencyKey.api_key_id == key_id)
        )
    engine.dispose()
    assert (articles, jobs, stored) == (1, 1, 1)
    other = httpx.post(f"{stack.bases[1]}/v1/articles", json={"text": "Another body"}, headers=headers, timeout=10)
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency_key_reused")


def _raw_request(base: str, head: str, chunks: list[bytes], *, wait: float = 5.0) -> bytes:
    """Sends the head and the chunks, then waits for the answer without finishing the body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(head.encode())
        for chunk in chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed: read what it said
        data = b""
        deadline = time.monotonic() + wait
        while b"\r\n\r\n" not in data and time.monotonic() < deadline:
            try:
                piece = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not piece:
                break
            data += piece
        return data


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_the_body_limit_holds_while_reading_chunked_bodies_and_announced_lengths(stack):
    base = stack.bases[2]
    key = stack.keys["body"].key
    head = (
        f"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        "Content-Type: application/json\r\n"
    )
    # Chunked, no Content-Length: the body never ends; a server that buffered everything first would hang here.
    piece = b"x" * 16384
    chunks = [_chunk(b'{"text": "')] + [_chunk(piece)] * (MAX_BODY // len(piece) + 2)
    started = time.monotonic()
    answer = _raw_request(base, head + "Transfer-Encoding: chunked\r\n\r\n", chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"application/problem+json" in answer and time.monotonic() - started < 5
    # An announced length over the limit is refused before a byte of the body is read.
    answer = _raw_request(base, head + f"Content-Length: {MAX_BODY + 1}\r\n\r\n", [])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    # Under the limit, chunked works.
    text = b'{"text": "Chunked\\nA story sent in pieces."}'
    answer = _raw_request(
        base, head + "Transfer-Encoding: chunked\r\n\r\n", [_chunk(text[:10]), _chunk(text[10:]), b"0\r\n\r\n"]
    )
    assert answer.startswith(b"HTTP/1.1 202"), answer[:300]


def test_keys_rotate_cli_prints_a_working_key_and_retires_the_old_one(stack):
    old = stack.keys["rotated"]
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", "rotate", str(old.id)],
        env=stack.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["id"] == str(old.id) and printed["key"].startswith("aik_") and printed["key"] != old.key
    stack.secrets_seen.append(printed["key"])
    assert old.key not in done.stderr and printed["key"] not in done.stderr
    assert (
        httpx.get(
            f"{stack.bases[0]}/v1/articles", headers={"Authorization": f"Bearer {old.key}"}, timeout=10
        ).status_code
        == 401
    )
    assert (
        httpx.get(
            f"{stack.bases[0]}/v1/articles", headers={"Authorization": f"Bearer {printed['key']}"}, timeout=10
        ).status_code
        == 200
    )
    unknown = subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", "rotate", str(uuid.uuid4())],
        env=stack.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown.returncode == 1 and "no API key" in unknown.stderr


def test_no_key_is_ever_written_to_the_api_logs(stack):
    """Runs last in this module: every key above has been used, refused, rate limited or rotated by now."""
    admin = stack.auth("admin")
    created = httpx.post(
        f"{stack.bases[1]}/v1/admin/keys", json={"name": "via-api", "scopes": ["ingest"]}, headers=admin, timeout=10
    )
    assert created.status_code == 201
    new = created.json()
    stack.secrets_seen.append(new["key"])
    rotated = httpx.post(f"{stack.bases[2]}/v1/admin/keys/{new['id']}/rotate", headers=admin, timeout=10).json()
    stack.secrets_seen.append(rotated["key"])
    for base in stack.bases:  # also a refused key, a wrong scope and a malformed header
        httpx.get(f"{base}/v1/admin/keys", headers=stack.auth("limited"), timeout=10)
        httpx.get(f"{base}/v1/articles", headers={"Authorization": f"Bearer {new['key']}"}, timeout=10)
        httpx.get(f"{base}/v1/articles", headers={"Authorization": f"Token {rotated['key']}"}, timeout=10)
    stack.stop()  # the processes have exited: every line they would ever write is in the logs
    for log in stack.logs:
        text = log.read_text(errors="replace")
        assert "DEBUG" in text or "INFO" in text, f"{log} is empty: the test would prove nothing"
        leaked = [secret[:8] + "..." for secret in stack.secrets_seen if secret in text]
        assert not leaked, f"{log.name} contains keys {leaked}"
        assert "aik_" not in text, f"{log.name} mentions a key"
