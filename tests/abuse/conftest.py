"""Two tenants against real service processes: an API server (uvicorn subprocess) on a committed, migrated
Postgres, and (where a test needs one) a Celery worker on RabbitMQ with a private queue prefix."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.database import fresh_database, issue_key
from tests.support.processes import api_process, service_env

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass
class Api:
    base: str
    database_url: str
    env: dict[str, str]
    log: Path
    keys: dict  # tenant name -> issued key

    def auth(self, tenant: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[tenant].key}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One API process, memory broker (nothing consumes what it publishes): for answers the API gives itself."""
    tmp = tmp_path_factory.mktemp("abuse-api")
    with fresh_database("abuse") as database_url:
        keys = {name: issue_key(database_url, name, ["ingest"]) for name in ("a", "b")}
        env = service_env(database_url=database_url, broker_url="memory://",
                          rate_limit_key_prefix=f"test:abuse:{uuid.uuid4().hex[:12]}:")
        log = tmp / "api.log"
        with api_process(env, log) as base:
            yield Api(base, database_url, env, log, keys)
