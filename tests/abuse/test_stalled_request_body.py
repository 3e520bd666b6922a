"""A client that stops sending its request body (short of its Content-Length, mid-chunk, or by dribbling a byte
at a time) is answered 408 problem+json and its connection closed, within the body timeout, by a real API
process; a body that arrives in pieces with short gaps is not cut."""

from __future__ import annotations

import json
import socket
import time

import pytest
from sqlalchemy import create_engine, text

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env
from tests.support.redis_keys import private_prefix
from tests.support.uploads import stalled_upload

pytestmark = pytest.mark.e2e
GAP_S = 1.0  # INGEST_BODY_READ_TIMEOUT_SECONDS here
MIN_RATE = 200  # INGEST_BODY_MIN_RATE_BYTES_PER_SECOND here


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with private_prefix("stall") as prefix, fresh_database("stall") as database_url:
        keys = {"admin": issue_key(database_url, "ops", ["admin"]), "b": issue_key(database_url, "b", ["ingest"])}
        env = service_env(
            database_url=database_url,
            broker_url="memory://",
            rate_limit_key_prefix=prefix,
            body_read_timeout_seconds=str(GAP_S),
            body_min_rate_bytes_per_second=str(MIN_RATE),
        )
        with api_process(env, tmp_path_factory.mktemp("stall") / "api.log") as base:
            yield base, keys, database_url


def _open(base: str, head: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=15)
    sock.sendall(head.replace("{host}", host).encode())
    return sock


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes, bool]:
    """Read until the server closes: (status, headers, body, closed by the server)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return_closed = False
            break
        if not chunk:
            return_closed = True
            break
        data += chunk
    assert data, "no answer: the server still waits for the body"
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body, return_closed


def _post_head(path: str, key: str, extra: str) -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {{host}}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    )


def _assert_timed_out(sock: socket.socket, started: float) -> None:
    status, headers, body, closed = _answer(sock)
    took = time.monotonic() - started
    assert status == 408, (status, body)
    assert headers["content-type"].startswith("application/problem+json"), headers
    problem = json.loads(body)
    assert problem["type"].endswith("/request_timeout") and problem["status"] == 408, problem
    assert closed, "the server keeps a connection whose request body never came"
    assert took < 10, f"answered after {took:.1f} s"


STALLS = {
    "short of its Content-Length": ("Content-Length: 100\r\n", '{"text": '),
    "mid-chunk": ("Transfer-Encoding: chunked\r\n", '40\r\n{"te'),
}


@pytest.mark.parametrize("framing, sent", STALLS.values(), ids=STALLS.keys())
def test_a_stalled_body_is_answered_408(api, framing, sent):
    base, keys, _ = api
    started = time.monotonic()
    sock = _open(base, _post_head("/v1/articles", keys["b"].key, framing) + sent)
    try:
        _assert_timed_out(sock, started)
    finally:
        sock.close()


def test_a_dribbled_body_is_cut_at_the_minimum_rate(api):
    """One byte every half second never leaves a gap of GAP_S, but falls behind MIN_RATE bytes/s at once."""
    base, keys, _ = api
    started = time.monotonic()
    sock = _open(base, _post_head("/v1/articles", keys["b"].key, "Content-Length: 5000\r\n"))
    try:
        sock.settimeout(0.5)
        answered = False
        for _ in range(40):  # 20 s of dribbling at most
            try:
                sock.sendall(b" ")
            except OSError:
                answered = True
                break
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    answered = True
                    break
            except TimeoutError:
                continue
        assert answered, "a body dribbled at 2 bytes/s was read for 20 s"
        sock.settimeout(15)
        _assert_timed_out(sock, started)
    finally:
        sock.close()


def test_a_body_sent_in_pieces_with_short_gaps_is_read_whole(api):
    base, keys, _ = api
    body = json.dumps({"text": "A title\n\nA story sent in three pieces, each a moment after the last."}).encode()
    pieces = [body[:10], body[10:30], body[30:]]
    sock = _open(
        base, _post_head("/v1/articles", keys["b"].key, f"Content-Length: {len(body)}\r\nConnection: close\r\n")
    )
    try:
        for piece in pieces:
            time.sleep(GAP_S * 0.25)  # three pauses, all inside the first GAP_S
            sock.sendall(piece)
        status, _, answer, _ = _answer(sock)
    finally:
        sock.close()
    assert status == 202, answer


def test_a_stalled_backfill_upload_is_answered_408_and_leaves_no_backfill(api):
    base, keys, database_url = api
    started = time.monotonic()
    sock = stalled_upload(base, keys["admin"].key, timeout=15)  # one line, then silence
    try:
        _assert_timed_out(sock, started)
    finally:
        sock.close()
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            assert db.execute(text("SELECT count(*) FROM backfills")).scalar_one() == 0
    finally:
        engine.dispose()
