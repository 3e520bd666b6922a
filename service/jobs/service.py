"""Job lifecycle. The claim is a conditional UPDATE: it is the idempotency guard and counts attempts."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .models import Job


@dataclass(frozen=True, slots=True)
class Claim:
    job_id: uuid.UUID
    article_id: uuid.UUID
    kind: str
    attempt: int
    max_attempts: int


def create_job(session: Session, article_id, *, kind: str = "ingest", priority: int = 5, max_attempts: int = 5) -> Job:
    job = Job(article_id=article_id, kind=kind, priority=priority, max_attempts=max_attempts, status="queued")
    session.add(job)
    session.flush()
    return job


def claim_job(session: Session, job_id, *, lease_seconds: int) -> Claim | None:
    """Take the job if it is queued, or running with an expired lease (its worker died). None otherwise:
    the message is a duplicate, or the job is finished or out of attempts."""
    now = datetime.now(UTC)
    row = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.attempts < Job.max_attempts,
            or_(Job.status == "queued", (Job.status == "running") & (Job.lease_expires_at < now)),
        )
        .values(
            status="running",
            attempts=Job.attempts + 1,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=now,
        )
        .returning(Job.id, Job.article_id, Job.kind, Job.attempts, Job.max_attempts)
    ).one_or_none()
    return Claim(*row) if row else None


def exhausted_job(session: Session, job_id) -> Job | None:
    """A job that is not finished but has used all its attempts (a poison message)."""
    return session.scalar(
        select(Job).where(
            Job.id == job_id, Job.status.in_(("queued", "running")), Job.attempts >= Job.max_attempts
        ).with_for_update(skip_locked=True)
    )


def finish_job(session: Session, job_id, *, status: str, error_type: str | None = None, error_detail: str | None = None) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            status=status,
            error_type=error_type,
            error_detail=error_detail,
            finished_at=datetime.now(UTC),
            lease_expires_at=None,
        )
    )


def requeue_job(session: Session, job_id, *, delay_seconds: float, error_type: str, error_detail: str) -> None:
    """Give a transiently failed job back to the queue; the caller re-sends it after the delay."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            status="queued",
            error_type=error_type,
            error_detail=error_detail,
            lease_expires_at=None,
            not_before=datetime.now(UTC) + timedelta(seconds=delay_seconds),
        )
    )


def list_stale_jobs(session: Session, *, queued_grace_seconds: int, limit: int = 500) -> list[Job]:
    """Jobs whose message was probably lost: queued and past their backoff for a while, or running past
    their lease (a killed worker)."""
    now = datetime.now(UTC)
    grace = now - timedelta(seconds=queued_grace_seconds)
    return list(
        session.scalars(
            select(Job)
            .where(
                or_(
                    (Job.status == "queued") & (Job.updated_at < grace) & or_(Job.not_before.is_(None), Job.not_before < grace),
                    (Job.status == "running") & (Job.lease_expires_at < now),
                )
            )
            .order_by(Job.updated_at)
            .limit(limit)
        )
    )


def touch_job(session: Session, job_id) -> None:
    """Mark a job as re-sent, so the reconciler does not send it again on its next pass."""
    session.execute(update(Job).where(Job.id == job_id).values(updated_at=datetime.now(UTC)))
