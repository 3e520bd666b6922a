from __future__ import annotations

import pytest

from service.api_keys.service import create_key
from tests.webhooks.support import add_delivery, send, webhook_settings  # noqa: F401


@pytest.fixture
def key(session_factory):
    with session_factory.begin() as session:
        return create_key(session, name="hooks", scopes=["ingest"])
