"""Worker memory: RSS of a real Celery pool process while it ingests 10,000 articles.

trafilatura (and lxml, courlan, htmldate) keep process-wide caches; the question is whether RSS levels off.
The worker runs with one pool process and recycling switched off (max_tasks_per_child and
max_memory_per_child very large) so the growth of one process is visible; production recycles anyway.
Articles are inserted straight into Postgres and their job ids sent to the broker, so the API is not part
of the measurement. Baseline: the pool process's RSS after its first 100 articles.

    python benchmarks/worker_memory.py --articles 10000
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from extraction_quality import DEFAULT_DATA, load_pages  # noqa: E402

from tests.support.database import fresh_database  # noqa: E402
from tests.support.processes import service_env, worker_process  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pool_child(worker_pid: int) -> int:
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    return int(children[0])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from service.api_keys.service import create_key
    from service.articles.models import Article
    from service.articles.records import compress
    from service.jobs.models import Job
    from service.queue.celery_config import make_producer_app
    from service.queue.dispatcher import CeleryDispatcher
    from service.settings import Settings

    corpus = list(load_pages(DEFAULT_DATA, None).values())
    with fresh_database("membench") as url:
        prefix = f"m{uuid.uuid4().hex[:6]}."
        engine = create_engine(url)
        job_ids = []
        with sessionmaker(engine).begin() as session:
            key = create_key(session, name="bench", scopes=["ingest"])
            for i in range(args.articles):
                article = Article(
                    id=uuid.uuid4(),
                    api_key_id=key.id,
                    input_kind="html",
                    status="queued",
                    raw_input=compress(corpus[i % len(corpus)]),
                    authors=[],
                    tags=[],
                    sidebars=[],
                )
                job = Job(id=uuid.uuid4(), article_id=article.id, status="queued", max_attempts=3)
                session.add_all([article, job])
                job_ids.append(str(job.id))
        settings = Settings(database_url=url, broker_url=args.broker, queue_prefix=prefix)
        dispatcher = CeleryDispatcher(make_producer_app(settings))
        for job_id in job_ids:
            dispatcher.send_ingest(job_id)
        env = service_env(
            database_url=url,
            broker_url=args.broker,
            queue_prefix=prefix,
            log_level="WARNING",
            worker_max_tasks_per_child="100000000",
            worker_max_memory_per_child_kib="100000000",
        )
        with worker_process(env, Path("/tmp/worker-memory.log"), concurrency=1) as worker:
            child = pool_child(worker.pid)
            samples, next_mark, start = [], 100, time.monotonic()
            with engine.connect() as conn:
                from sqlalchemy import text

                while True:
                    done = conn.execute(text("SELECT count(*) FROM jobs WHERE status IN ('done','failed')")).scalar()
                    conn.commit()
                    if done >= next_mark or done >= args.articles:
                        samples.append((done, rss_mb(child)))
                        print(
                            f"{done:6d} articles  pool process RSS {samples[-1][1]:7.1f} MB  "
                            f"({time.monotonic() - start:5.0f} s)",
                            flush=True,
                        )
                        next_mark = (done // 1000 + 1) * 1000 if done >= 1000 else 1000
                    if done >= args.articles:
                        break
                    time.sleep(1)
        engine.dispose()
    baseline = samples[0][1]
    peak = max(rss for _, rss in samples)
    last_half = [rss for done, rss in samples if done >= args.articles // 2]
    print(
        f"baseline (after {samples[0][0]} articles) {baseline:.1f} MB; after {args.articles}: "
        f"{samples[-1][1]:.1f} MB ({samples[-1][1] / baseline:.2f}x); peak {peak:.1f} MB; "
        f"growth over the second half {max(last_half) - min(last_half):.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
