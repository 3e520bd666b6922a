"""Gap-free change feed over articles, ordered by (change_xid, change_seq).

Only rows written by transactions older than the oldest still running are served (`pg_snapshot_xmin`):
a transaction that commits late can never place a row behind a cursor a consumer already holds.
"""
from __future__ import annotations

import base64
from datetime import datetime

from sqlalchemy import Select, literal_column, or_, select, tuple_

from service.errors import InvalidInput

from .models import Article

_VISIBLE_HORIZON = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_OWN_XID = literal_column("pg_current_xact_id_if_assigned()::text::bigint")


def encode_cursor(xid: int, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{xid}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        xid, seq = raw.split(":")
        return int(xid), int(seq)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("updated_after is neither a cursor nor an ISO 8601 timestamp") from None


def parse_updated_after(value: str | None) -> tuple[tuple[int, int] | None, datetime | None]:
    """`updated_after` takes a feed cursor (from next_cursor) or an ISO 8601 timestamp."""
    if not value:
        return None, None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return decode_cursor(value), None
    if when.tzinfo is None:
        raise InvalidInput("updated_after timestamps need a UTC offset, e.g. 2026-01-01T00:00:00Z")
    return None, when


def feed_query(
    *,
    owner_id=None,
    position: tuple[int, int] | None,
    updated_since: datetime | None,
    status: str | None,
    language: str | None,
    site: str | None,
    limit: int,
) -> Select:
    query = select(Article).where(
        or_(Article.change_xid < _VISIBLE_HORIZON, Article.change_xid == _OWN_XID)
    )
    if owner_id is not None:
        query = query.where(Article.api_key_id == owner_id)
    if position is not None:
        query = query.where(tuple_(Article.change_xid, Article.change_seq) > tuple_(*position))
    if updated_since is not None:
        query = query.where(Article.updated_at > updated_since)
    if status:
        query = query.where(Article.status == status)
    if language:
        query = query.where(Article.language == language)
    if site:
        query = query.where(Article.site == site.lower().removeprefix("www."))
    return query.order_by(Article.change_xid, Article.change_seq).limit(limit)
