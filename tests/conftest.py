"""Shared fixtures: one migrated database per test session (per xdist worker); each test in a transaction
that is rolled back (SQLAlchemy's "join into an external transaction" recipe)."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from service.api_keys.service import create_key
from service.app import create_app
from service.settings import Settings
from tests.support.database import fresh_database
from tests.support.dispatch import RecordingDispatcher

pytest_plugins = ["tests.support.fixtures"]  # fixtures shared by several test packages, registered once


@pytest.fixture(scope="session")
def database_url(worker_id="main"):
    with fresh_database("unit") as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    connection = engine.connect()
    transaction = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield factory
    transaction.rollback()
    connection.close()


@pytest.fixture
def session(session_factory):
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url) -> Settings:
    # A rate-limit prefix per test: the per-address allowance for failed authentications is shared in Redis by
    # every test client ("testclient"), and must not carry over from one test (or test run) to the next.
    return Settings(
        database_url=database_url,
        broker_url="memory://",
        allow_private_networks=True,
        rate_limit_key_prefix=f"test:unit:{uuid.uuid4().hex[:12]}:",
    )


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
def client(settings, session_factory, dispatcher):
    app = create_app(settings, session_factory=session_factory, dispatcher=dispatcher, broker_check=lambda: None)
    with TestClient(app) as client:
        yield client


def _key(session_factory, name: str, scopes: list[str]):
    with session_factory.begin() as session:
        return create_key(session, name=name, scopes=scopes)


@pytest.fixture
def ingest_key(session_factory):
    return _key(session_factory, "ingest", ["ingest"])


@pytest.fixture
def admin_key(session_factory):
    return _key(session_factory, "admin", ["admin"])


@pytest.fixture
def auth(ingest_key) -> dict[str, str]:
    return {"Authorization": f"Bearer {ingest_key.key}"}
