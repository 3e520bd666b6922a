from __future__ import annotations

import pytest

from tests.backfills.support import backfill_settings


@pytest.fixture
def settings(database_url):
    return backfill_settings(database_url)
