"""The SQL broker's tables and queues (kombu's SQLAlchemy transport, `article-ingest dev`), made once before the
processes that use them start.

kombu makes its tables (``metadata.create_all``) and each queue's row on a process's first use of the broker,
with no lock between processes. On a new database two processes starting at once both send CREATE TABLE and one
dies of DuplicateTable (seen in CI: dev's extraction and webhook pools starting together); two first sends to
one queue race on the queue name's unique index (kombu 5 rolls back OperationalError only, so the IntegrityError
escapes). Made up front, under a Postgres advisory lock, they leave each process nothing to make.
"""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection, Exchange, Queue
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from .transport import is_sql

# pg_advisory_lock key of this step (any constant that no other part of the service uses: "aiKombu" in ASCII).
_LOCK_KEY = 0x61694B6F6D6275


def prepare_sql_broker(broker_url: str, queues: Iterable[str]) -> None:
    """Create kombu's tables and a row for each queue in `queues` on the `sqla+` broker `broker_url`; a no-op
    for other brokers and for what exists. Safe to run from several processes at once (advisory lock).

    Raises sqlalchemy.exc.SQLAlchemyError when the database cannot be reached.
    """
    if not is_sql(broker_url):
        return
    engine = create_engine(broker_url.split("+", 1)[1], poolclass=NullPool)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            try:
                with Connection(broker_url) as connection:
                    channel = connection.default_channel
                    for name in queues:
                        Queue(name, Exchange(name), routing_key=name)(channel).declare()
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
    finally:
        engine.dispose()
