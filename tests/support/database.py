"""Throwaway Postgres databases for tests: created, migrated with Alembic, dropped."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.db.migrate import upgrade_to_head

SERVER_URL = os.environ.get("INGEST_TEST_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_database(label: str = "t", *, migrate: bool = True):
    """Yield the URL of a new database, fully migrated unless `migrate` is false; drop it afterwards."""
    name = f"ai_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade_to_head(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def issue_key(database_url: str, name: str, scopes: list[str]):
    """Create an API key in a committed database (for tests that start real processes)."""
    from sqlalchemy.orm import sessionmaker

    from service.api_keys.service import create_key

    engine = create_engine(database_url)
    try:
        with sessionmaker(engine).begin() as session:
            return create_key(session, name=name, scopes=scopes)
    finally:
        engine.dispose()
