from __future__ import annotations

import pytest

from service.settings import Settings
from tests.backfills.support import backfill_settings
from tests.support.database import fresh_database, issue_key


@pytest.fixture
def settings(database_url) -> Settings:
    return backfill_settings(database_url)


@pytest.fixture
def live_database():
    """A committed database for real processes (not the rolled-back unit-test one)."""
    with fresh_database("bf") as url:
        yield url


@pytest.fixture
def live_admin_key(live_database):
    return issue_key(live_database, "backfill-admin", ["admin"])
