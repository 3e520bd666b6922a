"""The ingest task hands its webhook wake-up to the process's publisher thread and returns without waiting for
the broker (issue 16: the confirm cost the pool ~3 ms per article); the wake-up is still sent, once the delivery
row is committed; a publish that fails leaves the delivery `pending` and due, where the reconciler finds it."""

from __future__ import annotations

import threading

import pytest

from service.api_keys.service import Principal
from service.articles.schemas import ArticleSubmit
from service.articles.service import submit
from service.queue.background import BackgroundDispatcher
from service.settings import Settings
from service.webhooks.service import list_due_deliveries
from tests.support.dispatch import RecordingDispatcher
from workers import process
from workers.tasks.ingest import ingest_article


class GatedDispatcher(RecordingDispatcher):
    """A broker whose publish of a wake-up waits for `gate` (a confirm that is slow), then fails or records."""

    def __init__(self, gate: threading.Event, fail: bool = False) -> None:
        super().__init__()
        self.gate, self.fail, self.done = gate, fail, threading.Event()

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        try:
            assert self.gate.wait(10)
            if self.fail:
                raise ConnectionError("broker gone")
            super().send_webhook(delivery_id, countdown=countdown)
        finally:
            self.done.set()


@pytest.fixture
def task_env(monkeypatch, session_factory, database_url, ingest_key):
    settings = Settings(database_url=database_url)
    monkeypatch.setattr(process, "session_factory", lambda: session_factory)
    monkeypatch.setattr(process, "settings", lambda: settings)
    principal = Principal(key_id=ingest_key.id, name="ingest", scopes=frozenset({"ingest"}))
    html = "<html><body><article><h1>Bridge</h1>" + "<p>The council approved a new bridge today.</p>" * 4

    def submitted() -> str:
        with session_factory.begin() as session:
            sub = submit(session, principal, ArticleSubmit(html=html, callback_url="https://hooks.example/h"), settings)
        return str(sub.job_id)

    def use(broker: GatedDispatcher) -> BackgroundDispatcher:
        background = BackgroundDispatcher(broker)
        monkeypatch.setattr(process, "background_dispatcher", lambda: background)
        monkeypatch.setattr(process, "dispatcher", lambda: broker)
        return background

    return submitted, use


def test_the_task_returns_before_the_wake_up_is_confirmed_and_the_wake_up_is_sent(task_env):
    submitted, use = task_env
    gate = threading.Event()
    broker = GatedDispatcher(gate)
    background = use(broker)
    try:
        assert ingest_article.run(submitted()) == "done"  # returns while the publish waits on the gate
        assert broker.webhooks == []
        gate.set()
    finally:
        gate.set()
        background.close()
    assert len(broker.webhooks) == 1


def test_a_wake_up_whose_publish_fails_leaves_the_delivery_due_for_the_reconciler(task_env, session_factory):
    submitted, use = task_env
    gate = threading.Event()
    broker = GatedDispatcher(gate, fail=True)
    background = use(broker)
    try:
        assert ingest_article.run(submitted()) == "done"
        gate.set()
        assert broker.done.wait(10)
    finally:
        gate.set()
        background.close()
    assert broker.webhooks == []
    with session_factory() as session:
        assert len(list_due_deliveries(session, limit=10)) == 1
