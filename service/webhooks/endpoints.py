"""Endpoint state per (key, URL): a receiver answering 410 Gone is disabled until re-enabled."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.errors import NotFound

from .models import WebhookEndpoint


def url_hash(url: str) -> str:
    """webhook_endpoints.url_hash of `url`: SHA-256 of its UTF-8 bytes, 64 lower-case hex digits.
    ``url_hash_sql`` is the same function in SQL, for set-based queries (tests check they agree)."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def url_hash_sql(url: ColumnElement[str]) -> ColumnElement[str]:
    """``url_hash`` computed by Postgres on a text column or expression."""
    return func.encode(func.sha256(func.convert_to(url, "UTF8")), "hex")


def disabled_condition(api_key_id, hashed_url) -> ColumnElement[bool]:
    """SQL: the key has disabled the URL (EXISTS over webhook_endpoints), to use inside a statement.
    `api_key_id` and `hashed_url` are values (``url_hash``) or SQL expressions (``url_hash_sql``)."""
    endpoints = WebhookEndpoint.__table__.c  # the table's columns: a Core statement stays Core (no ORM plugin)
    return exists().where(
        endpoints.api_key_id == api_key_id,
        endpoints.url_hash == hashed_url,
        endpoints.disabled_at.is_not(None),
    )


def is_disabled(session: Session, api_key_id, url: str) -> bool:
    return bool(session.scalar(select(disabled_condition(api_key_id, url_hash(url)))))


def disable(session: Session, api_key_id, url: str, reason: str) -> None:
    now = datetime.now(UTC)
    statement = insert(WebhookEndpoint).values(
        id=uuid.uuid4(),
        api_key_id=api_key_id,
        url=url,
        url_hash=url_hash(url),
        disabled_at=now,
        disabled_reason=reason,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["api_key_id", "url_hash"],
            set_={"disabled_at": now, "disabled_reason": reason, "updated_at": now},
        )
    )


def list_disabled(session: Session, principal: Principal) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.disabled_at.is_not(None))
    if not principal.is_admin:
        query = query.where(WebhookEndpoint.api_key_id == principal.key_id)
    return list(session.scalars(query.order_by(WebhookEndpoint.disabled_at.desc(), WebhookEndpoint.id).limit(1000)))


def enable(session: Session, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """Deliveries recorded as `disabled` meanwhile are not re-sent by this: replay them if wanted."""
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None or not (principal.is_admin or endpoint.api_key_id == principal.key_id):
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    endpoint.disabled_at, endpoint.disabled_reason = None, None
    session.flush()
    return endpoint
