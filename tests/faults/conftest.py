from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from service.api_keys.service import create_key
from tests.faults.harness import Ledger
from tests.support.database import fresh_database

# Redis DB 7 keeps the fault tests' short visibility timeouts away from the other suites' keys.
BROKERS = {"rabbitmq": "amqp://guest:guest@127.0.0.1:5672//", "redis": "redis://127.0.0.1:6379/7"}


@pytest.fixture
def fault_database():
    with fresh_database("fault") as url:
        yield url


@pytest.fixture
def api_key(fault_database) -> str:
    engine = create_engine(fault_database)
    with sessionmaker(engine).begin() as session:
        issued = create_key(session, name="faults", scopes=["ingest"])
    engine.dispose()
    return issued.key


@pytest.fixture
def ledger(fault_database):
    ledger = Ledger(fault_database)
    yield ledger
    ledger.close()


@pytest.fixture
def queue_prefix() -> str:
    return f"f{uuid.uuid4().hex[:8]}."
