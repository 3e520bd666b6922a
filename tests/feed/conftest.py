"""Feed fixtures: a committed, migrated database of its own (the feed is about what other transactions commit,
which the rolled-back per-test transaction cannot show), and small helpers to write articles."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from service.api_keys.service import create_key
from service.articles.models import Article
from tests.support.database import fresh_database


@pytest.fixture(scope="package")
def committed_url():
    with fresh_database("feed") as url:
        yield url


@pytest.fixture(scope="package")
def committed_engine(committed_url):
    engine = create_engine(committed_url, pool_size=10, max_overflow=10)
    yield engine
    engine.dispose()


@pytest.fixture(scope="package")
def libpq_url(committed_url) -> str:
    """The same database for psycopg directly (LISTEN, and readers that use no SQLAlchemy)."""
    return make_url(committed_url).set(drivername="postgresql").render_as_string(hide_password=False)


def committed_key(engine, name: str = "feed") -> uuid.UUID:
    with Session(engine) as session, session.begin():
        return create_key(session, name=f"{name}-{uuid.uuid4().hex[:6]}", scopes=["ingest"]).id


def insert_article(conn, key_id, **fields) -> uuid.UUID:
    article_id = fields.pop("id", None) or uuid.uuid4()
    values = {"id": article_id, "api_key_id": key_id, "status": "queued", "input_kind": "text", "authors": [],
              "tags": [], "sidebars": [], **fields}
    conn.execute(insert(Article.__table__).values(**values))
    return article_id
