from __future__ import annotations

import pytest

from service.settings import Settings
from tests.backfills.support import backfill_settings


@pytest.fixture
def settings(database_url) -> Settings:
    return backfill_settings(database_url)
