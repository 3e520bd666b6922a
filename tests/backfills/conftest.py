from __future__ import annotations

import pytest

from service.settings import Settings
from tests.support.database import fresh_database, issue_key


@pytest.fixture
def settings(database_url) -> Settings:
    # Unit tests drive the releaser by hand: no rate or in-flight limit unless a test sets one.
    return Settings(database_url=database_url, broker_url="memory://", allow_private_networks=True,
                    backfill_rate_per_second=1000, backfill_max_in_flight=100_000, backfill_per_host_in_flight=1000,
                    backfill_prepare_seconds=30, rate_limit_admin_per_minute=0)


@pytest.fixture
def admin(admin_key) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_key.key}"}


@pytest.fixture
def live_database():
    """A committed database for real processes (not the rolled-back unit-test one)."""
    with fresh_database("bf") as url:
        yield url


@pytest.fixture
def live_admin_key(live_database):
    return issue_key(live_database, "backfill-admin", ["admin"])
