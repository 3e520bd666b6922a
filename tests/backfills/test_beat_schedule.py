"""Beat sends the releaser and the reconciler only while the database holds work for them: an idle
deployment (and `article-ingest dev`, whose one worker process they would keep busy) gets no periodic messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from service.backfills.models import Backfill
from service.settings import Settings
from tests.support.database import fresh_database, issue_key
from workers import process
from workers.celery_app import make_celery
from workers.schedule import beat_schedule

LONG_AGO = datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture
def schedules():
    with fresh_database("beat") as url:
        settings = Settings(database_url=url, broker_url="memory://")
        app = make_celery(settings)
        app.set_current()  # beat's checks use the current app's settings, as in the beat process
        try:
            yield url, {name: entry["schedule"] for name, entry in beat_schedule(settings).items()}
        finally:
            process.discard_connections()  # this process's engine points at the database dropped next


def _due(schedule) -> bool:
    return schedule.is_due(LONG_AGO)[0]


def test_nothing_is_sent_while_there_is_nothing_to_do(schedules):
    _, entries = schedules
    assert not _due(entries["backfills-release"])
    assert not _due(entries["reconcile"])
    assert entries["backfills-release"].is_due(LONG_AGO)[1] == pytest.approx(Settings().backfill_tick_seconds)


def test_an_active_backfill_brings_the_releaser_back(schedules):
    url, entries = schedules
    key = issue_key(url, "admin", ["admin"])
    engine = create_engine(url)
    try:
        with sessionmaker(engine).begin() as session:
            session.add(Backfill(api_key_id=key.id, status="running", rate_per_second=1.0))
    finally:
        engine.dispose()
    assert _due(entries["backfills-release"])
    assert not _due(entries["reconcile"])  # still no job or delivery
