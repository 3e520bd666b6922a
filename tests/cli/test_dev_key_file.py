"""`article-ingest dev` keeps its key across starts and prints the key's current webhook secret."""

from __future__ import annotations

import json
import stat

from service.api_keys.service import authenticate
from service.db.engine import make_engine, make_session_factory
from service.dev import _prepare_database
from service.webhooks.secrets import rotate_secret
from tests.support.database import fresh_database


def test_the_dev_key_is_kept_and_its_secret_follows_a_rotation(tmp_path):
    key_file = tmp_path / "dev-key.json"
    with fresh_database("devkey", migrate=False) as url:
        first = _prepare_database(url, key_file)
        assert _prepare_database(url, key_file) == first  # same key on every start
        engine = make_engine(url, pool_size=1)
        try:
            with make_session_factory(engine).begin() as session:
                rotated = rotate_secret(session, authenticate(session, first["key"]), grace_seconds=60)
        finally:
            engine.dispose()
        again = _prepare_database(url, key_file)
        assert again["key"] == first["key"]
        assert again["webhook_secret"] == rotated.webhook_secret != first["webhook_secret"]
        assert json.loads(key_file.read_text()) == again
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
