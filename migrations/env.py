"""Alembic environment: the URL comes from Settings (INGEST_DATABASE_URL) unless the caller set one."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

from service.db.models import Base
from service.settings import Settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)


def _database_url() -> str:
    return config.attributes.get("database_url") or Settings().database_url


def run_migrations_online() -> None:
    # Lock/statement timeouts: a migration waiting on a busy table fails fast instead of blocking traffic.
    engine = create_engine(
        _database_url(), connect_args={"options": "-c lock_timeout=10000 -c statement_timeout=600000"}
    )
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
