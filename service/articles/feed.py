"""Gap-free change feed over articles, ordered by (change_xid, change_seq).

A trigger stamps every insert and update with the writing transaction's id and a sequence number. Only rows
written by transactions older than the oldest still running (`pg_snapshot_xmin`, the *horizon*) are served:
every transaction below the horizon has finished, and every transaction that writes later gets a larger id,
so a row can never become visible behind a cursor a consumer already holds. A long-running writing
transaction anywhere in the cluster holds the horizon back: the feed then lags, it never skips
(docs/read-contract.md, "Reading the data").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, or_, select, text, tuple_
from sqlalchemy.orm import Session

from service.errors import InvalidQueryParameter
from service.kit import keyset

from .models import Article
from .records import site_key

MAX_SEQ = 2**63 - 1  # with horizon - 1: "every change of every finished transaction below the horizon"

_HORIZON_SQL = text(
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
    " pg_current_xact_id_if_assigned()::text::bigint,"
    " (SELECT last_value FROM articles_change_seq)"
)


@dataclass(frozen=True, slots=True)
class Horizon:
    xmin: int  # every transaction with a smaller id has finished (committed or rolled back)
    own_xid: int | None  # the reading transaction's own id if it has written: it may read its own rows
    own_seq: int = 0  # the last sequence number taken so far: the reader's own rows all lie at or below it


@dataclass(frozen=True, slots=True)
class Selection:
    """What a consumer asked for: a start position (or a timestamp) and filters."""

    owner_id: object = None  # None: every key's articles (admin)
    position: tuple[int, int] | None = None
    updated_since: datetime | None = None
    status: str | None = None
    language: str | None = None
    site: str | None = None


# Feed cursors are stored by consumers: their spelling ("xid:seq", base64url) must stay readable for ever.
FEED_CURSOR = keyset.CursorCodec(
    (keyset.bigint, keyset.bigint),
    "neither a next_cursor nor an ISO 8601 timestamp",
    separator=":",
    field="updated_after",
)


def encode_cursor(xid: int, seq: int) -> str:
    """The feed position (change_xid, change_seq) as a cursor."""
    return FEED_CURSOR.encode(xid, seq)


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The feed position a cursor holds; InvalidQueryParameter (400) when it is not one."""
    return FEED_CURSOR.decode(cursor)


def parse_updated_after(value: str | None) -> tuple[tuple[int, int] | None, datetime | None]:
    """`updated_after` takes a feed cursor (from next_cursor) or an ISO 8601 timestamp."""
    if not value:
        return None, None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return decode_cursor(value), None
    if when.tzinfo is None:
        raise InvalidQueryParameter({"updated_after": "a timestamp needs a UTC offset, e.g. 2026-01-01T00:00:00Z"})
    return None, when


def read_horizon(session: Session) -> Horizon:
    """Read before the page query: the horizon only moves forward, so every transaction below this value has
    finished before the page query's snapshot is taken, and the page sees all of their rows."""
    xmin, own, last_seq = session.execute(_HORIZON_SQL).one()
    return Horizon(xmin=xmin, own_xid=own, own_seq=last_seq)


def feed_query(selection: Selection, horizon: Horizon, *, limit: int) -> Select:
    below = Article.change_xid < horizon.xmin  # a plain bound: an index range condition, well estimated
    if horizon.own_xid is not None:  # a transaction that has written reads its own rows (tests do)
        below = or_(below, Article.change_xid == horizon.own_xid)
    query = select(Article).where(below)
    if selection.owner_id is not None:
        query = query.where(Article.api_key_id == selection.owner_id)
    if selection.position is not None:
        query = query.where(tuple_(Article.change_xid, Article.change_seq) > tuple_(*selection.position))
    if selection.updated_since is not None:
        query = query.where(Article.updated_at > selection.updated_since)
    if selection.status:
        query = query.where(Article.status == selection.status)
    if selection.language:
        query = query.where(Article.language == selection.language)
    if selection.site:
        query = query.where(Article.site == site_key(selection.site))
    return query.order_by(Article.change_xid, Article.change_seq).limit(limit)


def next_position(selection: Selection, horizon: Horizon, rows: list[Article], limit: int) -> tuple[int, int]:
    """Where the next page starts. A short page has examined every matching row below the horizon, so the
    position may jump to the horizon: the next poll then skips rows this filter rejected instead of
    re-reading them, and a consumer that started from a timestamp does not restart from the beginning."""
    last = (rows[-1].change_xid, rows[-1].change_seq) if rows else (selection.position or (0, 0))
    if len(rows) < limit:
        return max(last, horizon_position(horizon))
    return last


def read_page(session: Session, selection: Selection, *, limit: int) -> tuple[list[Article], str]:
    horizon = read_horizon(session)
    rows = list(session.scalars(feed_query(selection, horizon, limit=limit)))
    return rows, encode_cursor(*next_position(selection, horizon, rows, limit))


def iter_batches(
    session: Session, selection: Selection, horizon: Horizon, *, batch_size: int = 500
) -> Iterator[list[Article]]:
    """Everything the selection matches below one horizon, in keyset batches: constant memory however large
    the export. In a REPEATABLE READ transaction every batch reads the same snapshot. Afterwards a consumer
    continues with the feed from `horizon_position(horizon)`, without a gap."""
    position = selection.position
    while True:
        current = replace(selection, position=position)
        rows = list(session.scalars(feed_query(current, horizon, limit=batch_size)))
        if not rows:
            return
        yield rows
        position = (rows[-1].change_xid, rows[-1].change_seq)
        session.expunge_all()  # the identity map would otherwise keep every exported row
        if len(rows) < batch_size:
            return


def horizon_position(horizon: Horizon) -> tuple[int, int]:
    """The position after every change of every transaction below the horizon (and after the reader's own
    rows, when it has written: only tests and tools writing and reading in one transaction do that)."""
    if horizon.own_xid is not None:
        return (horizon.own_xid, horizon.own_seq)
    return (horizon.xmin - 1, MAX_SEQ)
