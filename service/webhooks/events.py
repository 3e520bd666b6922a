"""Webhook events are rows first: written in the same transaction as the state change they announce.

`record_event` is the one place a delivery row is made, for every kind of event (article.*, backfill.*): the
Standard Webhooks envelope (`type`, `timestamp`, `data`), the message id reused across retries, and the rule
that a delivery to a disabled endpoint is recorded `disabled` and never sent. The domains build `data`
(service.articles.events, service.backfills.events); this package knows no domain."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Row, case, insert, literal, null
from sqlalchemy.orm import Session

from . import endpoints
from .models import DELIVERIES


def new_message_id() -> str:
    """A Standard Webhooks `webhook-id`: `msg_` + 32 hex characters, kept across every retry of the event."""
    return "msg_" + secrets.token_hex(16)


def record_event(
    session: Session,
    *,
    api_key_id: uuid.UUID,
    url: str,
    event_type: str,
    data: dict[str, Any],
    article_id: uuid.UUID | None = None,
) -> Row[Any]:
    """Insert the delivery row of one event for `url`, owned by `api_key_id` (one Core INSERT … RETURNING, the
    endpoint's state read inside it; no ORM object is built: this runs once per article in the worker).

    Returns the row (a Core Row with WebhookDelivery's columns as attributes): status `pending` with
    `next_attempt_at` now, or `disabled` with no next attempt when the key has disabled that endpoint (kept for
    the record and for a replay once re-enabled)."""
    now = datetime.now(UTC)
    disabled = endpoints.disabled_condition(api_key_id, endpoints.url_hash(url))
    statement = (
        insert(DELIVERIES)
        .values(
            id=new_message_id(),
            api_key_id=api_key_id,
            article_id=article_id,
            event_type=event_type,
            url=url,
            payload={"type": event_type, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data},
            status=case((disabled, "disabled"), else_="pending"),
            next_attempt_at=case((disabled, null()), else_=literal(now, DateTime(timezone=True))),
            last_error=case((disabled, "endpoint disabled"), else_=null()),
        )
        .returning(*DELIVERIES.c)
    )
    return session.execute(statement).one()
