"""The migration scripts form one line of history, and databases migrated before the merge still upgrade."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from service.db.migrate import alembic_config, heads, upgrade_to_head
from tests.support.database import fresh_database

# The three branches that all revised 0001 before the merge revision joined them.
OLD_HEADS = ("0002", "0003", "0004")


def _stamped(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()


def test_there_is_exactly_one_head():
    # Two heads make `alembic revision` fail and `upgrade head` ambiguous: a new migration must revise the head.
    assert len(heads()) == 1, f"migration heads {heads()}: add a merge revision or re-point down_revision"


def test_a_database_at_the_old_heads_upgrades_to_the_single_head():
    with fresh_database("mig", migrate=False) as url:
        config = alembic_config(url)
        for revision in OLD_HEADS:  # what `upgrade heads` left in databases migrated before the merge
            command.upgrade(config, revision)
        assert _stamped(url) == set(OLD_HEADS)
        upgrade_to_head(url)
        assert _stamped(url) == set(heads())


def test_a_fresh_database_upgrades_to_the_single_head():
    with fresh_database("mig", migrate=False) as url:
        upgrade_to_head(url)
        assert _stamped(url) == set(heads())
