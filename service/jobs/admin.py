"""Failed and dead jobs for operators: list them with their reasons, retry one or many."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.kit import keyset

from .models import EndedBadly, Job
from .schemas import JobPage, JobRead, JobRetry

RETRYABLE = tuple(EndedBadly)
JOB_CURSOR = keyset.CursorCodec(
    (datetime.fromisoformat, uuid.UUID), "not a next_cursor from an earlier page", field="before"
)


def list_jobs(
    session: Session,
    *,
    status: str | None,
    error_type: str | None,
    kind: str | None,
    backfill_id,
    before: str | None,
    limit: int,
    source_urls: Callable[[list[uuid.UUID]], dict[uuid.UUID, str | None]],
) -> JobPage:
    """Newest first, by (updated_at, id); `before` is the cursor of the previous page. `source_urls` maps
    article ids to their source URLs (the articles domain's lookup: this package does not import it)."""
    query = select(Job).order_by(Job.updated_at.desc(), Job.id.desc()).limit(limit + 1)
    query = query.where(Job.status == status) if status else query.where(Job.status.in_(RETRYABLE))
    if error_type:
        query = query.where(Job.error_type == error_type)
    if kind:
        query = query.where(Job.kind == kind)
    if backfill_id:
        query = query.where(Job.backfill_id == backfill_id)
    if before:
        query = query.where(tuple_(Job.updated_at, Job.id) < JOB_CURSOR.decode(before))
    jobs, cursor = keyset.page(list(session.scalars(query)), limit, JOB_CURSOR, lambda j: (j.updated_at, j.id))
    urls = source_urls([j.article_id for j in jobs]) if jobs else {}
    items = [
        JobRead(
            id=j.id,
            article_id=j.article_id,
            kind=j.kind,
            status=j.status,
            attempts=j.attempts,
            max_attempts=j.max_attempts,
            error_type=j.error_type,
            error_detail=j.error_detail,
            backfill_id=j.backfill_id,
            source_url=urls.get(j.article_id),
            created_at=j.created_at,
            updated_at=j.updated_at,
            finished_at=j.finished_at,
        )
        for j in jobs
    ]
    return JobPage(items=items, next_cursor=cursor)


def retry_jobs(session: Session, request: JobRetry) -> list[tuple[str, int, uuid.UUID, str]]:
    """Put failed/dead jobs back in the queue with fresh attempts. Returns (job id, priority, article id, job
    kind) of each: the caller sends them, and puts the failed articles of `ingest` jobs back to `queued`
    (service.articles.service.requeue_failed)."""
    if request.ids is None and not (request.status or request.error_type or request.kind or request.backfill_id):
        raise InvalidInput("give ids, or a filter (status, error_type, kind, backfill_id)")
    conditions = [Job.status.in_((request.status,) if request.status else RETRYABLE)]
    if request.ids is not None:
        conditions.append(Job.id.in_(request.ids))
    for column, value in (
        (Job.error_type, request.error_type),
        (Job.kind, request.kind),
        (Job.backfill_id, request.backfill_id),
    ):
        if value is not None:
            conditions.append(column == value)
    chosen = (
        select(Job.id)
        .where(*conditions)
        .order_by(Job.updated_at)
        .limit(request.limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    rows = session.execute(
        update(Job)
        .where(Job.id.in_(chosen))
        .values(
            status="queued",
            attempts=0,
            error_type=None,
            error_detail=None,
            lease_expires_at=None,
            not_before=None,
            finished_at=None,
        )
        .returning(Job.id, Job.priority, Job.article_id, Job.kind)
    ).all()
    return [(str(job_id), priority, article_id, kind) for job_id, priority, article_id, kind in rows]
