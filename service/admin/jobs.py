"""Failed and dead jobs for operators: list them with their reasons, retry one or many."""
from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from service.articles.models import Article
from service.backfills.schemas import JobPage, JobRead, JobRetry
from service.errors import InvalidInput
from service.jobs.models import Job

RETRYABLE = ("failed", "dead")


def list_jobs(session: Session, *, status: str | None, error_type: str | None, kind: str | None,
              backfill_id, before: str | None, limit: int) -> JobPage:
    """Newest first, by (updated_at, id); `before` is the cursor of the previous page."""
    query = (select(Job, Article.source_url).join(Article, Article.id == Job.article_id)
             .order_by(Job.updated_at.desc(), Job.id.desc()).limit(limit))
    query = query.where(Job.status == status) if status else query.where(Job.status.in_(RETRYABLE))
    if error_type:
        query = query.where(Job.error_type == error_type)
    if kind:
        query = query.where(Job.kind == kind)
    if backfill_id:
        query = query.where(Job.backfill_id == backfill_id)
    if before:
        query = query.where(tuple_(Job.updated_at, Job.id) < _decode_cursor(before))
    rows = session.execute(query).all()
    items = [JobRead(id=j.id, article_id=j.article_id, kind=j.kind, status=j.status, attempts=j.attempts,
                     max_attempts=j.max_attempts, error_type=j.error_type, error_detail=j.error_detail,
                     backfill_id=j.backfill_id, source_url=url, created_at=j.created_at, updated_at=j.updated_at,
                     finished_at=j.finished_at) for j, url in rows]
    cursor = _encode_cursor(items[-1].updated_at, items[-1].id) if len(items) == limit else None
    return JobPage(items=items, next_cursor=cursor)


def retry_jobs(session: Session, request: JobRetry) -> list[tuple[str, int]]:
    """Put failed/dead jobs back in the queue with fresh attempts; their articles go back to `queued` (a
    reprocess job's article keeps its record until the new result lands). Returns (job id, priority) to send."""
    if request.ids is None and not (request.status or request.error_type or request.kind or request.backfill_id):
        raise InvalidInput("give ids, or a filter (status, error_type, kind, backfill_id)")
    conditions = [Job.status.in_((request.status,) if request.status else RETRYABLE)]
    if request.ids is not None:
        conditions.append(Job.id.in_(request.ids))
    for column, value in ((Job.error_type, request.error_type), (Job.kind, request.kind),
                          (Job.backfill_id, request.backfill_id)):
        if value is not None:
            conditions.append(column == value)
    chosen = select(Job.id).where(*conditions).order_by(Job.updated_at).limit(request.limit) \
        .with_for_update(skip_locked=True).scalar_subquery()
    rows = session.execute(
        update(Job).where(Job.id.in_(chosen))
        .values(status="queued", attempts=0, error_type=None, error_detail=None, lease_expires_at=None,
                not_before=None, finished_at=None)
        .returning(Job.id, Job.priority, Job.article_id, Job.kind)
    ).all()
    ingest_articles = [article_id for _, _, article_id, kind in rows if kind == "ingest"]
    if ingest_articles:
        session.execute(update(Article).where(Article.id.in_(ingest_articles), Article.status == "failed")
                        .values(status="queued", error_type=None, error_detail=None))
    return [(str(job_id), priority) for job_id, priority, _, _ in rows]


def _encode_cursor(updated_at: datetime, job_id) -> str:
    return base64.urlsafe_b64encode(f"{updated_at.isoformat()}|{job_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        when, job_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(when), uuid.UUID(job_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("before is not a cursor from an earlier page", extra={"field": "before"}) from None
