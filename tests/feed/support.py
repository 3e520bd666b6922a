"""Helpers for the feed tests: keys and articles written straight into the committed database."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from service.api_keys.service import create_key
from service.articles.models import Article


def committed_key(engine, name: str = "feed") -> uuid.UUID:
    with Session(engine) as session, session.begin():
        return create_key(session, name=f"{name}-{uuid.uuid4().hex[:6]}", scopes=["ingest"]).id


def insert_article(conn, key_id, **fields) -> uuid.UUID:
    article_id = fields.pop("id", None) or uuid.uuid4()
    values = {
        "id": article_id,
        "api_key_id": key_id,
        "status": "queued",
        "input_kind": "text",
        "authors": [],
        "tags": [],
        "sidebars": [],
        **fields,
    }
    conn.execute(insert(Article.__table__).values(**values))
    return article_id


HORIZON_SQL = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
OLDEST_WRITER_SQL = text(
    "SELECT datname, pid, now() - xact_start AS running_for, left(query, 80) AS query FROM pg_stat_activity"
    " WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1"
)


def wait_for_horizon_past(engine, xid: int, timeout: float) -> None:
    """Wait until every transaction up to `xid` has ended. The horizon is cluster-wide: a long writing
    transaction of another run on this server (a bulk load, say) holds it back. Then the feed lags by design,
    and what these tests would wait for cannot be observed: skip, naming the transaction."""
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while True:
            if conn.execute(HORIZON_SQL).scalar() > xid:
                return
            conn.rollback()
            if time.monotonic() > deadline:
                blocker = conn.execute(OLDEST_WRITER_SQL).one_or_none()
                pytest.skip(f"feed horizon held back for {timeout:.0f} s by another transaction: {blocker}")
            time.sleep(0.05)
