"""Fixtures shared by several test packages, registered once for the whole suite (tests/conftest.py lists this
module in ``pytest_plugins``) instead of conftests importing each other."""

from __future__ import annotations

import uuid

import pytest

from tests.support.database import fresh_database, issue_key


@pytest.fixture
def e2e_database():
    """A committed (not rolled back), migrated database of its own: real processes share it."""
    with fresh_database("e2e") as url:
        yield url


@pytest.fixture
def issued_key(e2e_database):
    """An `ingest` key in the committed database."""
    return issue_key(e2e_database, "e2e", ["ingest"])


@pytest.fixture
def committed_admin_key(e2e_database):
    """An `admin` key in the committed database."""
    return issue_key(e2e_database, "committed-admin", ["admin"])


@pytest.fixture
def queue_prefix() -> str:
    """One broker serves every test run on this machine: private queues keep runs from taking each other's work."""
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture
def admin(admin_key) -> dict[str, str]:
    """Authorization header of the rolled-back database's admin key."""
    return {"Authorization": f"Bearer {admin_key.key}"}
