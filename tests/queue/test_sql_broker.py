"""The dev broker's tables and queues are made once, before the processes that share them start (CI saw dev's
two worker pools die of DuplicateTable when each made kombu's tables on first use of a new database)."""

from __future__ import annotations

import subprocess
import sys
import time

from sqlalchemy import create_engine, text

from service.queue.sql_broker import prepare_sql_broker
from tests.support.database import fresh_database

QUEUES = ("t-ingest", "t-webhooks")
# Each process waits for one start time (argv[1]) so that their first uses meet, as two pools' do at dev's start.
_PREPARE = (
    "import sys, time; from service.queue.sql_broker import prepare_sql_broker\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "prepare_sql_broker(sys.argv[2], sys.argv[3:])"
)


def _queue_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(text("SELECT name FROM kombu_queue")).scalars())
    finally:
        engine.dispose()


def test_processes_starting_together_on_a_new_database_all_succeed_and_leave_each_queue_once():
    with fresh_database("sqlbroker", migrate=False) as url:
        start = str(time.time() + 2.0)  # after every process has imported kombu and SQLAlchemy
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _PREPARE, start, f"sqla+{url}", *QUEUES], stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        errors = [proc.communicate(timeout=60)[1] for proc in procs]
        assert [proc.returncode for proc in procs] == [0] * 6, "\n".join(errors)
        assert _queue_names(url) == sorted(QUEUES)


def test_other_brokers_are_left_alone():
    prepare_sql_broker("amqp://guest:guest@127.0.0.1:5672//", QUEUES)  # would raise if it tried Postgres
    prepare_sql_broker("redis://127.0.0.1:6379/0", QUEUES)
