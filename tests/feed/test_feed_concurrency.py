"""The change feed is gap-free while writers commit out of order: a consumer that follows it with small pages
ends with every record at its latest version. Budget: about 15 s of the feed package's 60 s."""

from __future__ import annotations

import itertools
import random
import threading
import time
import uuid

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from service.articles import feed
from tests.feed.support import committed_key, insert_article, wait_for_horizon_past

WRITERS = 4
WRITE_SECONDS = 4.0
DRAIN_SECONDS = 20.0  # the horizon is cluster-wide: other test runs' transactions can hold it back a while

VIEW_PAGE_SQL = text(
    "SELECT id, change_xid, change_seq FROM ingest_read.article_feed"
    " WHERE (change_xid, change_seq) > (:xid, :seq) ORDER BY change_xid, change_seq LIMIT 5"
)


def _latest(engine, key_id=None) -> dict[uuid.UUID, int]:
    where = "" if key_id is None else "WHERE api_key_id = :key"
    with engine.connect() as conn:
        return dict(conn.execute(text(f"SELECT id, change_seq FROM articles {where}"), {"key": key_id}).all())


class Writer(threading.Thread):
    """Ingestion and reprocessing in one: inserts new articles and updates committed ones, in transactions
    that sleep between statements, sometimes for long, sometimes roll back: commits land out of xid order."""

    def __init__(self, engine, keys, known: list, lock: threading.Lock, commits: list, seed: int) -> None:
        super().__init__(daemon=True)
        self.engine, self.keys, self.known, self.lock, self.commits = engine, keys, known, lock, commits
        self.random = random.Random(seed)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            deadline = time.monotonic() + WRITE_SECONDS
            while time.monotonic() < deadline:
                self.one_transaction()
        except BaseException as exc:  # surfaced by the test
            self.error = exc

    def one_transaction(self) -> None:
        rnd, inserted = self.random, []
        with self.engine.connect() as conn:
            conn.begin()
            try:
                for _ in range(rnd.randint(1, 4)):
                    with self.lock:
                        target = rnd.choice(self.known) if self.known and rnd.random() < 0.6 else None
                    if target is None:
                        inserted.append(insert_article(conn, rnd.choice(self.keys), title="v0"))
                    else:  # reprocessing: a new version of a committed record
                        conn.execute(
                            text("UPDATE articles SET status = 'done', title = :t WHERE id = :id"),
                            {"t": f"v{rnd.randint(1, 10**6)}", "id": target},
                        )
                    time.sleep(rnd.uniform(0, 0.03))
                xid = conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar()
                time.sleep(rnd.uniform(0.2, 0.6) if rnd.random() < 0.2 else 0)  # a long transaction
                if rnd.random() < 0.1:
                    conn.rollback()
                    return
                conn.commit()
            except DBAPIError as exc:  # two writers updating the same rows in opposite orders
                if "deadlock" not in str(exc):
                    raise
                conn.rollback()
                return
        with self.lock:
            self.known.extend(inserted)
            self.commits.append(xid)


class Consumer(threading.Thread):
    """Follows the feed like an API client: a fresh session per page, small pages, next_cursor each time."""

    def __init__(self, engine, read_page, name: str) -> None:
        super().__init__(daemon=True, name=name)
        self.engine, self.read_page = engine, read_page
        self.seen: dict[uuid.UUID, int] = {}
        self.pages = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            position = None
            while not self.stop.is_set():
                rows, position = self.read_page(position)
                self.pages += 1
                for article_id, seq in rows:
                    assert seq > self.seen.get(article_id, 0), "a version older than one already seen"
                    self.seen[article_id] = seq
                if not rows:
                    time.sleep(0.01)
        except BaseException as exc:
            self.error = exc


def _api_pages(engine, key_id):
    def read_page(cursor):
        with Session(engine) as session:
            selection = feed.Selection(owner_id=key_id, position=cursor and feed.decode_cursor(cursor))
            rows, next_cursor = feed.read_page(session, selection, limit=3)
            return [(r.id, r.change_seq) for r in rows], next_cursor

    return read_page


def _view_pages(engine):
    def read_page(position):
        xid, seq = position or (0, 0)
        with engine.connect() as conn:
            rows = conn.execute(VIEW_PAGE_SQL, {"xid": xid, "seq": seq}).all()
        return [(r.id, r.change_seq) for r in rows], ((rows[-1].change_xid, rows[-1].change_seq) if rows else position)

    return read_page


def test_consumers_following_during_concurrent_writes_end_with_every_record_at_its_latest_version(committed_engine):
    keys = [committed_key(committed_engine, "writer") for _ in range(2)]
    known, lock, commits = [], threading.Lock(), []
    writers = [Writer(committed_engine, keys, known, lock, commits, seed) for seed in range(WRITERS)]
    consumers = [
        Consumer(committed_engine, _api_pages(committed_engine, keys[0]), "api"),
        Consumer(committed_engine, _view_pages(committed_engine), "sql-view"),
    ]
    for thread in consumers + writers:
        thread.start()
    for writer in writers:
        writer.join(WRITE_SECONDS + 30)
        assert writer.error is None, writer.error

    if commits:
        wait_for_horizon_past(committed_engine, max(commits), DRAIN_SECONDS)
    targets = [_latest(committed_engine, keys[0]), None]
    deadline = time.monotonic() + DRAIN_SECONDS
    try:
        while time.monotonic() < deadline:
            targets[1] = {k: v for k, v in _latest(committed_engine).items() if k in set(known)}
            views = [consumers[0].seen, {k: v for k, v in consumers[1].seen.items() if k in set(known)}]
            if views == targets or any(c.error for c in consumers):
                break
            time.sleep(0.1)
    finally:
        for consumer in consumers:
            consumer.stop.set()
            consumer.join(10)
    for consumer in consumers:
        assert consumer.error is None, f"{consumer.name}: {consumer.error!r}"
    assert consumers[0].seen == targets[0], "the API feed consumer is missing a latest version"
    assert {k: v for k, v in consumers[1].seen.items() if k in set(known)} == targets[1], (
        "the SQL view consumer is missing a latest version"
    )
    # The run exercised what a naive feed gets wrong: transactions committing out of id order.
    out_of_order = sum(1 for earlier, later in itertools.pairwise(commits) if later < earlier)
    assert len(known) > 20 and out_of_order > 0 and consumers[0].pages > 10, (len(known), out_of_order)


def test_a_late_commit_never_lands_behind_the_cursor(committed_engine):
    """Deterministic: the row written first but committed last is where a sequence-ordered feed loses it."""
    key_id = committed_key(committed_engine, "late")
    read = _api_pages(committed_engine, key_id)
    with committed_engine.connect() as conn:
        conn.begin()
        start_seq = conn.execute(text("SELECT last_value FROM articles_change_seq")).scalar()
        conn.commit()
    with committed_engine.connect() as slow, committed_engine.connect() as fast:
        slow.begin()
        slow_id = insert_article(slow, key_id, title="slow")  # takes the smaller xid and sequence number
        fast.begin()
        fast_id = insert_article(fast, key_id, title="fast")
        fast.commit()
        rows, cursor = read(None)
        assert fast_id not in {i for i, _ in rows}, "served while an older writer could still commit behind it"
        naive_seen = _naive_page(committed_engine, start_seq)
        assert naive_seen == [fast_id]  # a sequence-ordered feed serves it now and moves past slow's number
        slow.commit()
    wait_for_horizon_past(committed_engine, _xid_of(committed_engine, fast_id), DRAIN_SECONDS)
    caught_up: list = [i for i, _ in rows]
    deadline = time.monotonic() + DRAIN_SECONDS
    while {slow_id, fast_id} - set(caught_up) and time.monotonic() < deadline:
        rows, cursor = read(cursor)
        caught_up += [i for i, _ in rows]
        time.sleep(0.02)
    assert caught_up == [slow_id, fast_id]  # both, in commit-safe order
    naive_after = _naive_page(committed_engine, _seq_of(committed_engine, fast_id))
    assert slow_id not in naive_after  # ...whereas the naive consumer has lost "slow" for good


def _naive_page(engine, after_seq: int) -> list:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT id FROM articles WHERE change_seq > :s ORDER BY change_seq"), {"s": after_seq}
            ).scalars()
        )


def _seq_of(engine, article_id) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT change_seq FROM articles WHERE id = :id"), {"id": article_id}).scalar()


def _xid_of(engine, article_id) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT change_xid FROM articles WHERE id = :id"), {"id": article_id}).scalar()
