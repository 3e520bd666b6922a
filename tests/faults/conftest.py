from __future__ import annotations

import uuid

import pytest

from tests.faults.harness import Ledger
from tests.support.database import fresh_database, issue_key


@pytest.fixture
def fault_database():
    with fresh_database("fault") as url:
        yield url


@pytest.fixture
def api_key(fault_database) -> str:
    return issue_key(fault_database, "faults", ["ingest"]).key


@pytest.fixture
def ledger(fault_database):
    ledger = Ledger(fault_database)
    yield ledger
    ledger.close()


@pytest.fixture
def queue_prefix() -> str:
    return f"f{uuid.uuid4().hex[:8]}."
