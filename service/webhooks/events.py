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

from sqlalchemy import DateTime, Insert, Row, String, bindparam, case, insert, null
from sqlalchemy.orm import Session

from service.db.bound import bound_columns, bound_values

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
    payload = {"type": event_type, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data}
    given = (new_message_id(), api_key_id, article_id, event_type, url, payload)
    params = bound_values(dict(zip(_GIVEN, given, strict=True)) | {"url_hash": endpoints.url_hash(url), "now": now})
    return session.execute(_INSERT_EVENT, params).one()


def _insert_event() -> Insert:
    """The delivery row's INSERT … RETURNING every column, the endpoint's state read inside it; built once (it
    runs once per article in the worker: a statement built per call cost more CPU than its round trip)."""
    columns = DELIVERIES.c
    disabled = endpoints.disabled_condition(
        bindparam("api_key_id_", type_=columns.api_key_id.type), bindparam("url_hash_", type_=String())
    )
    given = bound_columns(DELIVERIES, _GIVEN)
    return (
        insert(DELIVERIES)
        .values(
            given
            | {
                "status": case((disabled, "disabled"), else_="pending"),
                "next_attempt_at": case((disabled, null()), else_=bindparam("now_", type_=DateTime(timezone=True))),
                "last_error": case((disabled, "endpoint disabled"), else_=null()),
            }
        )
        .returning(*DELIVERIES.c)
    )


_GIVEN = ("id", "api_key_id", "article_id", "event_type", "url", "payload")
_INSERT_EVENT = _insert_event()
