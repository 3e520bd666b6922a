from __future__ import annotations

import uuid

import pytest

from tests.support.database import fresh_database, issue_key

BROKERS = {
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
    "redis": "redis://127.0.0.1:6379/5",
}


@pytest.fixture
def e2e_database():
    """A committed (not rolled back) database: real processes share it."""
    with fresh_database("e2e") as url:
        yield url


@pytest.fixture
def issued_key(e2e_database):
    return issue_key(e2e_database, "e2e", ["ingest"])


@pytest.fixture
def queue_prefix() -> str:
    # One broker serves every test run on this machine: private queues keep runs from taking each other's work.
    return f"t{uuid.uuid4().hex[:8]}."
