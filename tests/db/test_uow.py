"""Tasks are sent only after the commit succeeded: callbacks see committed rows, and never run on failure."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from service.db.uow import UnitOfWork


@pytest.fixture
def factory(engine):
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS uow_probe (id text PRIMARY KEY)"))
    yield sessionmaker(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE uow_probe"))


def _committed(engine, value: str) -> bool:
    with engine.connect() as conn:  # a separate connection sees only committed rows
        return conn.execute(text("SELECT count(*) FROM uow_probe WHERE id = :v"), {"v": value}).scalar() == 1


def test_callbacks_run_after_the_commit(factory, engine):
    value, seen = uuid.uuid4().hex, []
    with UnitOfWork(factory) as uow:
        uow.session.execute(text("INSERT INTO uow_probe VALUES (:v)"), {"v": value})
        uow.after_commit(lambda: seen.append(_committed(engine, value)))
        assert seen == []  # not sent inside the transaction
    assert seen == [True]


def test_callbacks_never_run_when_the_block_fails(factory, engine):
    value, seen = uuid.uuid4().hex, []
    with pytest.raises(RuntimeError), UnitOfWork(factory) as uow:
        uow.session.execute(text("INSERT INTO uow_probe VALUES (:v)"), {"v": value})
        uow.after_commit(lambda: seen.append("sent"))
        raise RuntimeError("validation failed")
    assert seen == [] and not _committed(engine, value)


def test_a_failing_callback_does_not_undo_or_hide_the_commit(factory, engine):
    value = uuid.uuid4().hex
    with UnitOfWork(factory) as uow:
        uow.session.execute(text("INSERT INTO uow_probe VALUES (:v)"), {"v": value})
        uow.after_commit(lambda: 1 / 0)  # the broker is down: the reconciler sends it later
    assert _committed(engine, value)
