"""A webhook receiver that dribbles its answer (one byte a second, each read well inside the timeout) is cut
off at the attempt's total deadline: it cannot hold a worker slot, and tenant B's webhook is not held up."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from tests.abuse.conftest import running_stack
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
TIMEOUT_S = 2  # INGEST_WEBHOOK_TIMEOUT: the whole attempt's budget
DRIBBLE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + b"x" * 60 + b"\r\n\r\n"


@contextmanager
def dribbling_receiver():
    """Accepts, reads the request, then answers one byte per second."""
    server = socket.create_server(("127.0.0.1", 0))
    connections: list[float] = []
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            connections.append(time.monotonic())
            conn.recv(65536)
            for byte in DRIBBLE:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(1)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    finally:
        stop.set()
        server.close()


@pytest.fixture(scope="module")
def dribbler():
    with dribbling_receiver() as running:
        yield running


@pytest.fixture(scope="module")
def one_slot_stack(tmp_path_factory, dribbler):
    port = int(dribbler[0].rsplit(":", 1)[1])
    with running_stack(
        tmp_path_factory.mktemp("slow-hook"), concurrency=1, webhook_timeout=str(TIMEOUT_S), extra_ports=[port]
    ) as running:
        yield running


def test_a_dribbling_receiver_is_cut_off_at_the_attempt_deadline(one_slot_stack, dribbler):
    stack, (slow_url, connections) = one_slot_stack, dribbler
    story = {"text": "A title\n\nA short story for the webhook."}
    slow_id = stack.submit("a", {**story, "callback_url": slow_url + "/hook"})
    wait_for(lambda: connections, 60, "the first delivery to reach the slow receiver")
    started = time.monotonic()
    fast_id = stack.submit("b", {**story, "callback_url": stack.receiver.url + "/hook"})
    wait_for(lambda: any(fast_id.encode() in r.body for r in stack.receiver.requests), 60, "B's webhook")
    took = time.monotonic() - started
    assert took < 3 * TIMEOUT_S + 5, f"B's webhook waited {took:.1f} s behind A's slow receiver"
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as db:
            latencies = (
                db.execute(
                    text(
                        "SELECT a.latency_ms FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id "
                        "JOIN articles r ON r.id = d.article_id WHERE r.id = :id"
                    ),
                    {"id": slow_id},
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    assert latencies and max(latencies) < (TIMEOUT_S + 1.5) * 1000, latencies


@pytest.fixture(scope="module")
def shared_slots_stack(tmp_path_factory, dribbler):
    """Two worker slots for everything (extraction and delivery), a 5 s attempt deadline, and a share of one
    attempt in flight per key (the default share, 2, suits the recommended thread-pool webhook worker)."""
    port = int(dribbler[0].rsplit(":", 1)[1])
    with running_stack(
        tmp_path_factory.mktemp("slow-hooks"),
        concurrency=2,
        webhook_timeout="5",
        webhook_max_in_flight_per_key="1",
        extra_ports=[port],
    ) as running:
        yield running


def test_one_tenants_slow_receiver_cannot_take_every_delivery_slot(shared_slots_stack, dribbler):
    stack, (slow_url, connections) = shared_slots_stack, dribbler
    story = _slow_deliveries_under_way(stack, slow_url, connections, 6)
    time.sleep(1)
    started = time.monotonic()
    fast_id = stack.submit("b", {**story, "callback_url": stack.receiver.url + "/hook"})
    wait_for(lambda: any(fast_id.encode() in r.body for r in stack.receiver.requests), 90, "B's webhook")
    took = time.monotonic() - started
    assert took < 6, f"B's webhook waited {took:.1f} s while A's slow deliveries held the slots"


@pytest.fixture(scope="module")
def default_worker_stack(tmp_path_factory, dribbler):
    """`article-ingest worker` with its defaults but one extraction process, a 10 s attempt deadline."""
    port = int(dribbler[0].rsplit(":", 1)[1])
    with running_stack(
        tmp_path_factory.mktemp("default-pools"), concurrency=1, queues=None, webhook_timeout="10", extra_ports=[port]
    ) as running:
        yield running


def _slow_deliveries_under_way(stack, slow_url: str, connections: list, count: int) -> dict:
    """Submit `count` of tenant A's stories with the slow receiver as callback; returns once one reached it."""
    story = {"text": "A title\n\nA short story for the webhook."}
    before = len(connections)
    for _ in range(count):
        stack.submit("a", {**story, "callback_url": slow_url + "/hook"})
    wait_for(lambda: len(connections) > before, 60, "A's deliveries to reach the slow receiver")
    return story


def test_by_default_a_slow_receiver_never_holds_an_extraction_slot(default_worker_stack, dribbler):
    stack, (slow_url, connections) = default_worker_stack, dribbler
    story = _slow_deliveries_under_way(stack, slow_url, connections, 3)
    started = time.monotonic()
    b_id = stack.submit("b", story)
    record = stack.wait_finished("b", b_id, 60)
    took = time.monotonic() - started
    assert record["status"] == "done", record
    assert took < 5, f"B's extraction waited {took:.1f} s while A's deliveries held the worker"


def test_a_waiting_delivery_starts_as_soon_as_its_keys_attempt_ends(tmp_path):
    """One slot per key, attempts cut at 2 s (a slot's longest hold: 7 s): A's deliveries to the dribbling receiver
    take the slot one after another, each woken by the end of the attempt before it, not by its 7 s fallback
    (and not by polling: tests/webhooks/test_delivery_slots.py)."""
    with dribbling_receiver() as (slow_url, connections):
        port = int(slow_url.rsplit(":", 1)[1])
        with running_stack(
            tmp_path,
            concurrency=1,
            queues=None,  # extraction and delivery in pools of their own
            webhook_timeout=str(TIMEOUT_S),
            webhook_max_in_flight_per_key="1",
            webhook_retry_schedule="[0, 3600]",  # one attempt each here, then a retry far away
            extra_ports=[port],
        ) as stack:
            for _ in range(3):
                stack.submit("a", {"text": "A title\n\nA short story for the webhook.", "callback_url": slow_url})
            wait_for(lambda: len(connections) >= 3, 60, "three attempts at the slow receiver")
    gaps = [later - earlier for earlier, later in itertools.pairwise(connections[:3])]
    assert all(gap < TIMEOUT_S + 2 for gap in gaps), f"attempts {gaps} s apart: woken late, by the fallback"
