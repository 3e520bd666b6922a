"""Single statements for the API's hot path, awaited on the event loop (no thread, no session, no BEGIN/COMMIT).

A `Statements` runs one SQLAlchemy Core statement as its own transaction: committed when `execute` returns,
so a caller may publish after it (commit before publish). Two implementations run the same statements:

- `EngineStatements`: an AsyncEngine in autocommit (service/db/engine.py `make_async_engine`): production.
- `SessionStatements`: a sync session factory, run on the calling thread (blocking the event loop): for tests
  that inject a factory joined to an outer, rolled-back transaction (tests/conftest.py), and for callers that
  have no event loop of their own. Never in a serving process.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, sessionmaker


class Statements(Protocol):
    async def fetch_one(self, statement: Executable, params: dict[str, Any]) -> Row | None:
        """The statement's only row, or None; raises MultipleResultsFound on more than one."""
        ...

    async def execute(self, statement: Executable, params: dict[str, Any]) -> None:
        """Run the statement; it is committed when this returns."""
        ...


class EngineStatements:
    """Each statement on a pooled connection of `engine` (which must be in AUTOCOMMIT)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def fetch_one(self, statement: Executable, params: dict[str, Any]) -> Row | None:
        async with self.engine.connect() as connection:
            return (await connection.execute(statement, params)).one_or_none()

    async def execute(self, statement: Executable, params: dict[str, Any]) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(statement, params)


class SessionStatements:
    """Each statement in its own transaction of a `session_factory` session, synchronously (see module doc)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory

    async def fetch_one(self, statement: Executable, params: dict[str, Any]) -> Row | None:
        with self._factory.begin() as session:
            return session.connection().execute(statement, params).one_or_none()

    async def execute(self, statement: Executable, params: dict[str, Any]) -> None:
        with self._factory.begin() as session:
            session.connection().execute(statement, params)
