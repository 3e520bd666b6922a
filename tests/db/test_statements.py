"""The API's single statements on the event loop (service/db/statements.py): an awaited statement is committed
when it returns (the submit path publishes right after it), and a stale connection after a Postgres restart is a
DBAPIError (503 `database_unavailable`), with the next statement reconnecting."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.exc import DBAPIError

from service.db.engine import make_async_engine
from service.db.statements import EngineStatements

INSERT = text("INSERT INTO statements_probe VALUES (:v)")
SELECT = text("SELECT id FROM statements_probe WHERE id = :v").bindparams(bindparam("v"))


@pytest.fixture
def probe_table(engine):
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS statements_probe (id text PRIMARY KEY)"))
    yield
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE statements_probe"))


def _committed(engine, value: str) -> bool:
    with engine.connect() as conn:  # a separate connection sees only committed rows
        return conn.execute(text("SELECT count(*) FROM statements_probe WHERE id = :v"), {"v": value}).scalar() == 1


def test_an_awaited_statement_is_committed_when_it_returns(database_url, engine, probe_table):
    value = uuid.uuid4().hex

    async def run():
        statements = EngineStatements(make_async_engine(database_url, pool_size=2))
        try:
            await statements.execute(INSERT, {"v": value})
            committed = _committed(engine, value)  # before anything else happens on this connection
            row = await statements.fetch_one(SELECT, {"v": value})
            missing = await statements.fetch_one(SELECT, {"v": "absent"})
            return committed, row, missing
        finally:
            await statements.engine.dispose()

    committed, row, missing = asyncio.run(run())
    assert committed and row.id == value and missing is None


def test_a_connection_killed_under_the_pool_fails_once_then_reconnects(database_url, engine):
    async def run():
        statements = EngineStatements(make_async_engine(database_url, pool_size=1))
        try:
            pid = (await statements.fetch_one(text("SELECT pg_backend_pid() AS pid"), {})).pid
            with engine.connect() as conn:  # what a Postgres restart does to a pooled connection
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError):
                await statements.fetch_one(text("SELECT 1 AS one"), {})
            return (await statements.fetch_one(text("SELECT 1 AS one"), {})).one
        finally:
            await statements.engine.dispose()

    assert asyncio.run(run()) == 1
