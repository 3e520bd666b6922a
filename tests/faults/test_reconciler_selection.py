"""The reconciler's row selection, against the real schema: bounded batches, once per grace period, expired
leases released with their attempts kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from service.articles.models import Article
from service.jobs.models import Job
from service.jobs.service import claim_job, mark_unsent_jobs, release_expired_leases


def _jobs(session, key_id, count: int, *, age: timedelta) -> list:
    ids = []
    for _ in range(count):
        article = Article(api_key_id=key_id, status="queued", input_kind="text", authors=[], tags=[], sidebars=[])
        session.add(article)
        session.flush()
        job = Job(article_id=article.id, status="queued", max_attempts=3)
        session.add(job)
        session.flush()
        ids.append(job.id)
    session.execute(update(Job).where(Job.id.in_(ids)).values(updated_at=datetime.now(UTC) - age))
    return ids


def test_unsent_jobs_come_in_bounded_batches_once_per_grace_period(session, ingest_key):
    old = _jobs(session, ingest_key.id, 12, age=timedelta(minutes=5))
    _jobs(session, ingest_key.id, 3, age=timedelta(seconds=1))  # within the grace period: merely waiting
    first = mark_unsent_jobs(session, grace_seconds=60, limit=5)
    second = mark_unsent_jobs(session, grace_seconds=60, limit=100)
    assert len(first) == 5  # a LIMIT inside "IN (subquery)" once returned every row
    assert {r.job_id for r in first} | {r.job_id for r in second} == set(old)
    assert not {r.job_id for r in first} & {r.job_id for r in second}
    assert mark_unsent_jobs(session, grace_seconds=60, limit=100) == []  # touched: not again this grace period
    assert mark_unsent_jobs(session, grace_seconds=60, limit=0) == []


def test_expired_leases_go_back_to_queued_with_their_attempts(session, ingest_key):
    [job_id] = _jobs(session, ingest_key.id, 1, age=timedelta(0))
    assert claim_job(session, job_id, lease_seconds=60) is not None
    assert release_expired_leases(session, limit=10) == []  # a live lease is left alone
    session.execute(update(Job).where(Job.id == job_id).values(lease_expires_at=datetime.now(UTC) - timedelta(1)))
    [released] = release_expired_leases(session, limit=10)
    job = session.get(Job, released.job_id, populate_existing=True)
    assert (job.status, job.attempts, job.error_type) == ("queued", 1, "worker_lost")
    assert claim_job(session, job_id, lease_seconds=60).attempt == 2
