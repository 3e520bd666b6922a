"""The SQL read contract (schema ingest_read) and the NOTIFY on every new or changed record."""

from __future__ import annotations

import json
import threading

import psycopg
from sqlalchemy import text

from tests.feed.support import committed_key, insert_article, wait_for_horizon_past

# The contract. Changing these lists means changing what other systems read: add columns at the end, and
# rename/retype/drop only through a new view (see docs/read-contract.md).
ARTICLES_COLUMNS = [
    ("id", "uuid"),
    ("api_key_id", "uuid"),
    ("status", "character varying"),
    ("external_id", "character varying"),
    ("source_url", "text"),
    ("canonical_url", "text"),
    ("site", "character varying"),
    ("site_name", "text"),
    ("title", "text"),
    ("authors", "ARRAY"),
    ("published_at", "timestamp with time zone"),
    ("published_at_offset", "character varying"),
    ("description", "text"),
    ("image_url", "text"),
    ("tags", "ARRAY"),
    ("language", "character varying"),
    ("language_confidence", "double precision"),
    ("body_text", "text"),
    ("sidebars", "jsonb"),
    ("word_count", "integer"),
    ("content_hash", "character varying"),
    ("extractor_version", "character varying"),
    ("duplicate_of", "uuid"),
    ("error_type", "character varying"),
    ("error_detail", "text"),
    ("created_at", "timestamp with time zone"),
    ("updated_at", "timestamp with time zone"),
    ("change_xid", "bigint"),
    ("change_seq", "bigint"),
]
SIDEBAR_ITEMS_COLUMNS = [
    ("article_id", "uuid"),
    ("sidebar_position", "integer"),
    ("heading", "text"),
    ("position", "integer"),
    ("text", "text"),
    ("url", "text"),
]
SIDEBARS = [
    {
        "heading": "Latest news",
        "items": [{"text": "First", "url": "https://example.org/1"}, {"text": "Second", "url": None}],
    },
    {"heading": None, "items": [{"text": "Third", "url": "https://example.org/3"}]},
]


def _columns(session, view: str) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in session.execute(
            text(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'ingest_read' AND table_name = :view ORDER BY ordinal_position"
            ),
            {"view": view},
        )
    ]


def test_views_have_exactly_the_documented_columns(session):
    assert _columns(session, "articles") == ARTICLES_COLUMNS
    assert _columns(session, "article_feed") == ARTICLES_COLUMNS
    assert _columns(session, "sidebar_items") == SIDEBAR_ITEMS_COLUMNS


def test_sidebar_items_has_one_row_per_item_in_page_order(session, ingest_key):
    article_id = insert_article(session, ingest_key.id, status="done", sidebars=SIDEBARS)
    insert_article(session, ingest_key.id, sidebars=[])  # no sidebars: no rows
    rows = session.execute(
        text(
            "SELECT sidebar_position, heading, position, text, url FROM ingest_read.sidebar_items"
            " WHERE article_id = :id ORDER BY sidebar_position, position"
        ),
        {"id": article_id},
    ).all()
    assert [tuple(r) for r in rows] == [
        (1, "Latest news", 1, "First", "https://example.org/1"),
        (1, "Latest news", 2, "Second", None),
        (2, None, 1, "Third", "https://example.org/3"),
    ]
    record = session.execute(
        text("SELECT status, sidebars FROM ingest_read.articles WHERE id = :id"), {"id": article_id}
    ).one()
    assert record.status == "done" and record.sidebars == SIDEBARS


def test_article_feed_view_holds_back_commits_made_while_an_older_writer_is_still_running(committed_engine):
    key_id = committed_key(committed_engine)
    feed_sql = text("SELECT title FROM ingest_read.article_feed WHERE id = :id")
    with committed_engine.connect() as older, committed_engine.connect() as newer, committed_engine.connect() as reader:
        older.begin()
        insert_article(older, key_id)  # takes a transaction id first, then stays open
        newer.begin()
        article_id = insert_article(newer, key_id, title="late")
        newer.commit()
        assert reader.execute(
            text("SELECT title FROM ingest_read.articles WHERE id = :id"), {"id": article_id}
        ).all() == [("late",)]
        assert reader.execute(feed_sql, {"id": article_id}).all() == []  # committed, but not settled yet
        reader.rollback()
        older.commit()
        late_xid = reader.execute(text("SELECT change_xid FROM articles WHERE id = :id"), {"id": article_id}).scalar()
        reader.rollback()
        wait_for_horizon_past(committed_engine, late_xid, 20)
        assert reader.execute(feed_sql, {"id": article_id}).all() == [("late",)]


def test_listen_receives_a_notify_for_every_new_or_changed_record_and_none_for_a_rollback(committed_engine, libpq_url):
    key_id = committed_key(committed_engine)
    received: list[dict] = []
    listening = threading.Event()

    def listen() -> None:
        with psycopg.connect(libpq_url, autocommit=True) as conn:
            conn.execute("LISTEN article_changes")
            listening.set()
            for note in conn.notifies(timeout=10, stop_after=2):
                received.append(json.loads(note.payload))

    listener = threading.Thread(target=listen)
    listener.start()
    assert listening.wait(10)
    with committed_engine.connect() as conn:
        conn.begin()
        insert_article(conn, key_id, title="never")
        conn.rollback()  # notifications of a rolled-back transaction are never delivered
        conn.begin()
        article_id = insert_article(conn, key_id)
        conn.commit()
        conn.begin()
        conn.execute(text("UPDATE articles SET status = 'done', title = 'T' WHERE id = :id"), {"id": article_id})
        conn.commit()
        seqs = conn.execute(text("SELECT change_seq FROM articles WHERE id = :id"), {"id": article_id}).scalar()
    listener.join(15)
    assert [(n["id"], n["status"]) for n in received] == [(str(article_id), "queued"), (str(article_id), "done")]
    assert received[0]["change_seq"] < received[1]["change_seq"] == seqs
