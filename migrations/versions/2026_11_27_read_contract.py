"""read contract: ingest_read views for direct SQL readers, filtered-feed indexes

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 23:50:00

The views in schema `ingest_read` are a public contract (docs/read-contract.md): columns may be added at the
end, never renamed, retyped or dropped without a new versioned view. tests/feed/test_read_contract.py pins
their column lists, so a change to them is always deliberate.
"""

from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

# (name, columns, partial predicate). Every filter the API offers, combined with the feed cursor, is served by
# an ordered index range scan: equality on the filter column, then (change_xid, change_seq) for the cursor.
# Most rows are `done`, so `status=done` is served by the plain feed indexes; the partial index covers the
# rare statuses a consumer polls for (queued, failed) at a fraction of the size.
FEED_INDEXES = [
    ("ix_articles_status_feed", ["status", "change_xid", "change_seq"], "status <> 'done'"),
    ("ix_articles_language_feed", ["language", "change_xid", "change_seq"], None),
    ("ix_articles_site_feed", ["site", "change_xid", "change_seq"], None),
]

READ_CONTRACT_SQL = """
CREATE SCHEMA ingest_read;
COMMENT ON SCHEMA ingest_read IS
    'Stable read contract for systems reading Postgres directly; see docs/read-contract.md';

CREATE VIEW ingest_read.articles AS
SELECT a.id, a.api_key_id, a.status, a.external_id, a.source_url, a.canonical_url, a.site, a.site_name,
       a.title, a.authors, a.published_at, a.published_at_offset, a.description, a.image_url, a.tags,
       a.language, a.language_confidence, a.body_text, a.sidebars, a.word_count, a.content_hash,
       a.extractor_version, a.duplicate_of, a.error_type, a.error_detail, a.created_at, a.updated_at,
       a.change_xid, a.change_seq
FROM public.articles a;
COMMENT ON VIEW ingest_read.articles IS 'One row per article record, latest version';

-- The change feed: only rows written by transactions older than every one still running, so a row can
-- never appear behind a position a reader already holds. Follow it with
-- WHERE (change_xid, change_seq) > (last_xid, last_seq) ORDER BY change_xid, change_seq LIMIT n.
-- (SELECT * is expanded when the view is created: recreate it whenever ingest_read.articles gains columns.)
CREATE VIEW ingest_read.article_feed AS
SELECT * FROM ingest_read.articles
WHERE change_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
COMMENT ON VIEW ingest_read.article_feed IS
    'Gap-free change feed: follow by (change_xid, change_seq) > last position seen';

CREATE VIEW ingest_read.sidebar_items AS
SELECT a.id AS article_id,
       s.ordinality::int AS sidebar_position,
       s.value ->> 'heading' AS heading,
       i.ordinality::int AS position,
       i.value ->> 'text' AS text,
       i.value ->> 'url' AS url
FROM public.articles a
CROSS JOIN LATERAL jsonb_array_elements(a.sidebars) WITH ORDINALITY AS s(value, ordinality)
CROSS JOIN LATERAL jsonb_array_elements(s.value -> 'items') WITH ORDINALITY AS i(value, ordinality);
COMMENT ON VIEW ingest_read.sidebar_items IS
    'One row per sidebar item; positions start at 1 in page order';
"""


def upgrade() -> None:
    op.execute(READ_CONTRACT_SQL)
    # CONCURRENTLY: on a live table, building these must not block ingestion (it cannot run in a transaction).
    with op.get_context().autocommit_block():
        for name, columns, where in FEED_INDEXES:
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")  # a failed earlier build leaves it INVALID
            op.execute(
                f"CREATE INDEX CONCURRENTLY {name} ON articles ({', '.join(columns)})"
                + (f" WHERE {where}" if where else "")
            )


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS ingest_read CASCADE")
    for name, _, _ in FEED_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
