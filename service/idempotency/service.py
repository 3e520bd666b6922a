"""Idempotency-Key handling (the IETF httpapi draft "The Idempotency-Key HTTP Header Field"): the first request
with a key does the work; a repeat within ``IDEMPOTENCY_TTL`` with the same body gets the first request's
resource, with a different body a conflict. Concurrent repeats collapse to one on the table's primary key."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.errors import IdempotencyConflict

from .models import IdempotencyKey

IDEMPOTENCY_TTL = timedelta(hours=24)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Replay:
    """A repeat of an earlier request: its resource (the article it created or returned), and whether that
    request queued work (answered 202; else 200)."""

    article_id: uuid.UUID
    queued: bool


def request_hash(body: bytes) -> str:
    """SHA-256 hex of the request body as the client's canonical encoding (msgspec JSON of the decoded body)."""
    return hashlib.sha256(body).hexdigest()


def run_once(
    session: Session,
    *,
    api_key_id: uuid.UUID,
    key: str,
    body_hash: str,
    create: Callable[[], T],
    article_of: Callable[[T], uuid.UUID],
    queued_of: Callable[[T], bool],
) -> T | Replay:
    """`create()` under the key, or the Replay of the first request that used it.

    Runs inside the caller's transaction; `create` runs in a savepoint that is rolled back when the key turns
    out taken (a concurrent request with the same key waits on the primary key until the first commits).
    Raises IdempotencyConflict when the key was used with a different body. Expired keys are reused."""
    now = datetime.now(UTC)
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.api_key_id == api_key_id, IdempotencyKey.key == key, IdempotencyKey.expires_at < now
        )
    )
    savepoint = session.begin_nested()
    result = create()
    inserted = session.execute(
        insert(IdempotencyKey)
        .values(
            api_key_id=api_key_id,
            key=key,
            request_hash=body_hash,
            article_id=article_of(result),
            queued=queued_of(result),
            expires_at=now + IDEMPOTENCY_TTL,
        )
        .on_conflict_do_nothing()
        .returning(IdempotencyKey.key)
    ).one_or_none()
    if inserted is not None:
        savepoint.commit()
        return result
    savepoint.rollback()
    first = session.get(IdempotencyKey, (api_key_id, key), populate_existing=True)
    if first.request_hash != body_hash:
        raise IdempotencyConflict("this Idempotency-Key was used with a different request body")
    return Replay(first.article_id, first.queued)
