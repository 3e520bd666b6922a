"""List/feed pages at 1,000,000 articles: p50/p99 per page, EXPLAIN plans, and cursor vs OFFSET pagination.

Usage: .venv/bin/python benchmarks/feed_at_size.py [--rows 1000000] [--repeats 200]
       (INGEST_TEST_SERVER_URL picks the server, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres)

A scratch database is created and migrated, filled with generate_series (the change trigger is disabled for
the load and change_xid/change_seq are generated instead: a few rows per "transaction", all below the current
horizon), analysed, measured and dropped. Every page goes through service.articles.feed.read_page, the code
the API runs (horizon read + page query + ORM load of 50 rows), so the timings include both round trips.
The baseline is OFFSET pagination over the same order in the same run: its cost grows with depth, the
cursor's does not; the ratios deep/first show it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from service.articles import feed  # noqa: E402
from service.articles.models import Article  # noqa: E402
from tests.support.database import fresh_database  # noqa: E402

PAGE = 50
KEYS = 20
LANGUAGES = [
    "en",
    "ru",
    "kk",
    "uz",
    "ky",
    "tg",
    "hy",
    "ka",
    "az",
    "mn",
    "uk",
    "tr",
    "de",
    "fr",
    "es",
    "ar",
    "fa",
    "zh",
    "ja",
    "ko",
    "be",
    "ro",
    "pl",
    "cs",
    "sr",
    "bg",
    "mk",
    "el",
    "he",
    "ps",
]

# Skewed like a real newsroom: one big key, a long tail of sites, mostly `done`, a few big languages.
LOAD_SQL = """
INSERT INTO articles (id, api_key_id, status, input_kind, source_url, site, title, authors, tags, language,
                      body_text, sidebars, word_count, change_xid, change_seq, created_at, updated_at)
SELECT gen_random_uuid(),
       (CAST(:keys AS uuid[]))[1 + floor({n_keys} * random() ^ 2)::int],
       CASE WHEN r < 0.90 THEN 'done' WHEN r < 0.97 THEN 'failed' ELSE 'queued' END,
       'url',
       'https://' || s || '/news/' || g,
       s,
       'Article ' || g,
       ARRAY['Staff'], ARRAY[]::text[],
       (CAST(:languages AS text[]))[1 + floor({n_langs} * random() ^ 3)::int],
       repeat('Lorem ipsum dolor sit amet. ', 12),
       '[]'::jsonb,
       300,
       1 + (g::bigint - 1) * :xid_span / :rows,
       g,
       now() - (:rows - g) * interval '1 second',
       now() - (:rows - g) * interval '1 second'
FROM (SELECT g, random() AS r, 'site' || floor(2000 * random() ^ 3)::int || '.example' AS s
      FROM generate_series(1, :rows) AS g) AS src
"""


def main() -> int:
    args = _parse()
    with fresh_database("bench_feed") as url:  # created, migrated to heads, dropped afterwards
        engine = create_engine(url, pool_size=2)
        keys = _load(engine, args.rows)
        _report(engine, keys, args.repeats)
        engine.dispose()
    return 0


def _parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=200)
    return parser.parse_args()


def _load(engine, rows: int) -> list[uuid.UUID]:
    started = time.perf_counter()
    keys = [uuid.uuid4() for _ in range(KEYS)]
    with engine.begin() as conn:
        for i, key in enumerate(keys):
            conn.execute(
                text(
                    "INSERT INTO api_keys (id, name, prefix, key_hash, scopes, webhook_secret)"
                    " VALUES (:id, :n, :p, :h, ARRAY['ingest'], 'whsec_x')"
                ),
                {"id": key, "n": f"key{i}", "p": f"aik_{i}", "h": uuid.uuid4().hex},
            )
        xid_now = conn.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar()
        conn.execute(text("ALTER TABLE articles DISABLE TRIGGER articles_track_change"))
        sql = LOAD_SQL.format(n_keys=KEYS, n_langs=len(LANGUAGES))
        conn.execute(
            text(sql),
            {"keys": keys, "languages": LANGUAGES, "rows": rows, "xid_span": max(1, min(rows // 3, xid_now - 2))},
        )
        conn.execute(text("ALTER TABLE articles ENABLE TRIGGER articles_track_change"))
        conn.execute(text("SELECT setval('articles_change_seq', :rows)"), {"rows": rows})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE articles"))
    print(f"loaded {rows:,} articles in {time.perf_counter() - started:.1f} s")
    return keys


def _timed(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def _position_at(session: Session, fraction: float, **where) -> tuple[int, int]:
    """The feed position `fraction` of the way through the rows matching `where` (for deep pages)."""
    query = select(Article.change_xid, Article.change_seq).filter_by(**where)
    count = session.scalar(select(text("count(*)")).select_from(query.subquery()))
    return tuple(
        session.execute(
            query.order_by(Article.change_xid, Article.change_seq).offset(int(count * fraction)).limit(1)
        ).one()
    )


def _scenarios(session: Session, keys: list[uuid.UUID]) -> list[tuple[str, feed.Selection]]:
    counts = dict(session.execute(text("SELECT api_key_id, count(*) FROM articles GROUP BY 1")).all())
    big, small = max(keys, key=lambda k: counts.get(k, 0)), min(keys, key=lambda k: counts.get(k, 0))
    site_rows = session.execute(text("SELECT site, count(*) FROM articles GROUP BY 1 ORDER BY 2")).all()
    rare_site, busy_site = site_rows[len(site_rows) // 2][0], site_rows[-1][0]
    print(
        f"keys: biggest {counts[big]:,} rows, smallest {counts.get(small, 0):,}; sites: {len(site_rows)}, "
        f"'{rare_site}' {site_rows[len(site_rows) // 2][1]:,} rows, '{busy_site}' {site_rows[-1][1]:,} rows"
    )
    deep = _position_at(session, 0.9)
    return [
        ("admin, first page", feed.Selection()),
        ("admin, deep page (90%)", feed.Selection(position=deep)),
        ("big key, first page", feed.Selection(owner_id=big)),
        ("big key, deep page", feed.Selection(owner_id=big, position=_position_at(session, 0.9, api_key_id=big))),
        ("small key, deep page", feed.Selection(owner_id=small, position=_position_at(session, 0.9, api_key_id=small))),
        ("status=failed, deep", feed.Selection(status="failed", position=deep)),
        ("big key + status=queued", feed.Selection(owner_id=big, status="queued", position=deep)),
        ("status=done, deep", feed.Selection(status="done", position=deep)),
        ("language=kk, deep", feed.Selection(language="kk", position=_position_at(session, 0.9, language="kk"))),
        ("language=ps (rare)", feed.Selection(language="ps")),
        ("big key + language=ru", feed.Selection(owner_id=big, language="ru", position=deep)),
        (f"site={rare_site} (rare)", feed.Selection(site=rare_site)),
        (
            f"site={busy_site}, deep",
            feed.Selection(site=busy_site, position=_position_at(session, 0.9, site=busy_site)),
        ),
        ("status+language+site", feed.Selection(status="done", language="en", site=busy_site)),
        ("caught up (empty page)", feed.Selection(position=(2**62, 0))),
    ]


def _explain_rows(session: Session, selection: feed.Selection, options: str) -> list:
    session.rollback()
    query = feed.feed_query(selection, feed.read_horizon(session), limit=PAGE)
    compiled = query.compile(dialect=session.get_bind().dialect)
    return list(session.connection().exec_driver_sql(f"EXPLAIN ({options}) {compiled}", compiled.params).scalars())


def _explain(session: Session, selection: feed.Selection) -> str:
    rows = _explain_rows(session, selection, "ANALYZE, BUFFERS, COSTS OFF, SUMMARY OFF")
    return "\n".join("    " + line for line in rows)


def _server_ms(session: Session, selection: feed.Selection) -> float:
    plan = _explain_rows(session, selection, "ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON")[0]
    return plan[0]["Execution Time"]


def _load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def _report(engine, keys: list[uuid.UUID], repeats: int) -> None:
    with Session(engine) as session:
        scenarios = _scenarios(session, keys)
        print(f"\n## feed pages of {PAGE}, {repeats} runs each (ms); load average {_load_average()}\n")
        print("client: feed.read_page end to end (horizon + page query + ORM), includes Python on a shared box")
        print("server: Postgres execution time of the page query (EXPLAIN ANALYZE, timing off)\n")
        print(f"{'scenario':38} {'client p50':>10} {'p99':>7} {'server p50':>10} {'p99':>7} rows")
        worst_client = worst_server = 0.0
        for label, selection in scenarios:

            def page(selection=selection):
                session.rollback()
                return feed.read_page(session, selection, limit=PAGE)

            p50, p99 = _timed(page, repeats)
            server = sorted(_server_ms(session, selection) for _ in range(repeats))
            s50, s99 = statistics.median(server), server[int(len(server) * 0.99)]
            worst_client, worst_server = max(worst_client, p99), max(worst_server, s99)
            print(f"{label:38} {p50:10.2f} {p99:7.2f} {s50:10.3f} {s99:7.3f} {len(page()[0])}")
        print(
            f"worst p99: client {worst_client:.2f} ms, server {worst_server:.3f} ms (target < 20 ms); "
            f"load average {_load_average()}"
        )

        print("\n## constant cost per page: cursor vs OFFSET, admin feed, same run (ms, p50)\n")
        total = session.scalar(text("SELECT count(*) FROM articles"))
        print(f"{'depth':>8} {'cursor':>8} {'OFFSET':>8} {'OFFSET/cursor':>14}")
        first_cursor = first_offset = None
        for fraction in (0.0, 0.1, 0.5, 0.9, 0.999):
            skip = int(total * fraction)
            position = _position_at(session, fraction) if skip else None
            cursor_ms, _ = _timed(
                lambda p=position: (
                    session.rollback(),
                    feed.read_page(session, feed.Selection(position=p), limit=PAGE),
                ),
                max(20, repeats // 10),
            )
            offset_query = select(Article).order_by(Article.change_xid, Article.change_seq).offset(skip).limit(PAGE)
            offset_ms, _ = _timed(
                lambda q=offset_query: (session.rollback(), list(session.scalars(q))), max(5, repeats // 40)
            )
            first_cursor, first_offset = first_cursor or cursor_ms, first_offset or offset_ms
            print(f"{skip:>8,} {cursor_ms:8.2f} {offset_ms:8.2f} {offset_ms / cursor_ms:14.1f}x")
        print(f"deepest/first page: cursor {cursor_ms / first_cursor:.2f}x, OFFSET {offset_ms / first_offset:.1f}x")

        walk = _walk(session, 400)
        print(
            f"\n## a consumer walking 400 consecutive pages from 90%: first 50 pages p50 {walk[0]:.2f} ms, "
            f"last 50 pages p50 {walk[1]:.2f} ms (ratio {walk[1] / walk[0]:.2f})"
        )

        print("\n## plans (EXPLAIN ANALYZE of the page query)\n")
        for label, selection in scenarios:
            session.rollback()
            print(f"-- {label}\n{_explain(session, selection)}\n")


def _walk(session: Session, pages: int) -> tuple[float, float]:
    cursor, samples = feed.encode_cursor(*_position_at(session, 0.9)), []
    for _ in range(pages):
        session.rollback()
        start = time.perf_counter()
        _, cursor = feed.read_page(session, feed.Selection(position=feed.decode_cursor(cursor)), limit=PAGE)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[:50]), statistics.median(samples[-50:])


if __name__ == "__main__":
    sys.exit(main())
