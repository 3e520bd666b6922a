"""Counting the SQL statements a use case sends: the round trips it costs (issue 16)."""

from __future__ import annotations

from sqlalchemy import event


def recorded_statements(session_factory) -> list[str]:
    """A list that fills with the first keyword (SELECT, UPDATE, ...) of every statement sent from now on
    through `session_factory`'s bind; the test fixtures' savepoint bookkeeping is left out."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            sent.append(statement.split(None, 1)[0].upper())

    event.listen(session_factory.kw["bind"], "before_cursor_execute", record)
    return sent
