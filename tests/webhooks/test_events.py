"""Every event that becomes a webhook delivery row goes through one rule (service.webhooks.events.record_event):
a delivery to an endpoint that has been disabled (410 Gone) is recorded `disabled` and never sent. One test per
caller: article events and backfill events (the backfill path once wrote `pending` rows to disabled endpoints)."""

from __future__ import annotations

import pytest

from service.api_keys.service import create_key
from service.articles.events import enqueue_article_event
from service.articles.models import Article
from service.backfills.events import enqueue_backfill_event
from service.backfills.models import Backfill
from service.webhooks import endpoints

CALLBACK = "https://cms.example/hooks/ingest"


@pytest.fixture
def key_id(session):
    return create_key(session, name="events", scopes=["ingest"]).id


def _article(session, key_id) -> Article:
    article = Article(
        api_key_id=key_id, status="done", input_kind="text", callback_url=CALLBACK, title="T", body_text="Body."
    )
    session.add(article)
    return article


def _backfill(session, key_id) -> Backfill:
    backfill = Backfill(api_key_id=key_id, status="done", callback_url=CALLBACK, rate_per_second=1.0)
    session.add(backfill)
    return backfill


@pytest.mark.parametrize(
    "enqueue, make",
    [(enqueue_article_event, _article), (enqueue_backfill_event, _backfill)],
    ids=["article", "backfill"],
)
def test_disabled_endpoint_is_recorded_disabled_and_never_scheduled(session, key_id, enqueue, make):
    endpoints.disable(session, key_id, CALLBACK, "410 Gone")
    delivery = enqueue(session, make(session, key_id))
    assert (delivery.status, delivery.next_attempt_at) == ("disabled", None)


@pytest.mark.parametrize(
    "enqueue, make",
    [(enqueue_article_event, _article), (enqueue_backfill_event, _backfill)],
    ids=["article", "backfill"],
)
def test_enabled_endpoint_is_pending_with_a_signed_payload_shape(session, key_id, enqueue, make):
    delivery = enqueue(session, make(session, key_id))
    assert delivery.status == "pending" and delivery.next_attempt_at is not None
    assert delivery.id.startswith("msg_") and delivery.url == CALLBACK
    assert set(delivery.payload) == {"type", "timestamp", "data"} and delivery.payload["type"] == delivery.event_type


@pytest.mark.parametrize("url", [CALLBACK, "https://cms.example/hooks/ünïcode?q=Қазақстан", "http://h/%20 x"])
def test_endpoint_url_hash_is_the_same_in_python_and_in_sql(session, url):
    from sqlalchemy import literal, select

    assert session.scalar(select(endpoints.url_hash_sql(literal(url)))) == endpoints.url_hash(url)
