"""Round trips and time outside the extraction per article in the worker's use case (`ingest()`), in-process.

N raw-HTML submissions with a callback URL (the benchmark pages) are stored in a fresh database, then `ingest()`
runs each job through the worker's own engine settings (pool pre-ping included). Every connection is traced
with libpq's protocol trace; a round trip is a frontend Query or Sync message. Prints round trips per article
and the wall and CPU ms per article spent outside `extract_document` (issue 16). Run it from two trees to
compare them (PYTHONPATH=<tree>), alternating, on the same load.

    python benchmarks/worker_round_trips.py --articles 60
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from extraction_quality import DEFAULT_DATA, load_pages  # noqa: E402
from sqlalchemy import event  # noqa: E402

import service.articles.ingest as ingest_module  # noqa: E402
from service.api_keys.service import Principal, create_key  # noqa: E402
from service.articles.schemas import ArticleSubmit  # noqa: E402
from service.articles.service import submit  # noqa: E402
from service.db.engine import make_engine, make_session_factory  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.support.database import fresh_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args()
    pages = list(load_pages(DEFAULT_DATA, None).values())[: args.articles]
    n = len(pages)
    with fresh_database("trips") as url, tempfile.NamedTemporaryFile("w+", suffix=".trace") as trace:
        settings = Settings(database_url=url, allow_private_networks=True)
        engine = make_engine(url, pool_size=2)
        factory = make_session_factory(engine)
        with factory.begin() as session:
            key = create_key(session, name="trips", scopes=["ingest"])
            principal = Principal(key_id=key.id, name="trips", scopes=frozenset({"ingest"}))
            jobs = [
                submit(session, principal, ArticleSubmit(html=html, callback_url="https://hooks.example/h"), settings)
                for html in pages
            ]
        engine.dispose()
        event.listen(engine, "connect", lambda dbapi_conn, _: dbapi_conn.pgconn.trace(trace.fileno()))
        extract, spent = ingest_module.extract_document, {"wall": 0.0, "cpu": 0.0}

        def timed(*a, **kw):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return extract(*a, **kw)
            finally:
                spent["wall"] += time.perf_counter() - wall
                spent["cpu"] += time.process_time() - cpu

        for html in pages[:3]:  # warm-up: imports and models, as a worker does at start
            extract(html, "html")
        ingest_module.extract_document = timed
        statuses: collections.Counter[str] = collections.Counter()
        wall, cpu = time.perf_counter(), time.process_time()
        for job in jobs:
            statuses[ingest_module.ingest(factory, job.job_id, settings, fetch=None).status] += 1
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        engine.dispose()
        trace.flush()
        trace.seek(0)
        sent = collections.Counter(
            fields[3].split()[0]
            for fields in (line.split("\t") for line in trace)
            if len(fields) > 3 and fields[1] == "F" and fields[3].strip()
        )
    print(f"outcomes {dict(statuses)}")
    print(f"round trips per article (Query + Sync messages): {(sent['Query'] + sent['Sync']) / n:.1f}")
    print(
        f"outside extract_document, per article: wall {1000 * (wall - spent['wall']) / n:.1f} ms, "
        f"CPU {1000 * (cpu - spent['cpu']) / n:.1f} ms (extraction CPU {1000 * spent['cpu'] / n:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
