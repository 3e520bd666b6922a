"""Engine and session factories. Built in entry points (and per worker process after fork), never at import."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(database_url: str, *, pool_size: int = 5) -> Engine:
    return create_engine(
        database_url,
        pool_pre_ping=True,  # a restarted Postgres is reconnected to without restarting the process
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_timeout=5,  # waiting for a free connection during an outage ends in a 503, not a stuck request
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
