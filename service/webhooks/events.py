"""Webhook events are rows first: written in the same transaction as the state change they announce."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime

import msgspec
from sqlalchemy.orm import Session

from service.articles.models import Article
from service.articles.records import to_read

from . import endpoints
from .models import WebhookDelivery

ARTICLE_COMPLETED = "article.completed"
ARTICLE_FAILED = "article.failed"


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(16)


def enqueue_article_event(session: Session, article: Article) -> WebhookDelivery | None:
    """Record the completed/failed event for the article's callback URL; None when it has none.

    A delivery to a disabled endpoint is recorded with status `disabled`; sending it is then a no-op."""
    if not article.callback_url:
        return None
    session.flush()
    session.refresh(article)  # updated_at and change position come from the database trigger
    event_type = ARTICLE_COMPLETED if article.status == "done" else ARTICLE_FAILED
    now = datetime.now(UTC)
    delivery = WebhookDelivery(
        id=new_message_id(),
        api_key_id=article.api_key_id,
        article_id=article.id,
        event_type=event_type,
        url=article.callback_url,
        payload={
            "type": event_type,
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "data": msgspec.to_builtins(to_read(article)),
        },
        next_attempt_at=now,
    )
    if endpoints.is_disabled(session, article.api_key_id, article.callback_url):
        # Kept for the record and for a replay once re-enabled, but never sent while disabled.
        delivery.status, delivery.next_attempt_at, delivery.last_error = "disabled", None, "endpoint disabled"
    else:
        delivery.status = "pending"
    session.add(delivery)
    session.flush()
    return delivery
