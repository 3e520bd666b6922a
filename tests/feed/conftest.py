"""Feed fixtures: a committed, migrated database of its own (the feed is about what other transactions commit,
which the rolled-back per-test transaction cannot show), and small helpers to write articles."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.feed.support import committed_key, insert_article, wait_for_horizon_past  # noqa: F401
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
