"""Job lifecycle. The claim is a conditional UPDATE: it is the idempotency guard and counts attempts."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Update, bindparam, or_, select, update
from sqlalchemy.orm import Session

from service.db.bound import bound_columns, bound_values

from .models import JOBS, Job

MAX_RETRY_DELAY = 300.0  # seconds: later retries wait in Postgres for the reconciler instead of the broker


@dataclass(frozen=True, slots=True)
class Claim:
    job_id: uuid.UUID
    article_id: uuid.UUID
    kind: str
    attempt: int
    max_attempts: int


_INSERT_JOB = Job.__table__.insert()


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt of a job whose attempt number `attempt` (1-based) failed.

    The server's Retry-After when given; otherwise exponential (2^attempt s, capped at ``MAX_RETRY_DELAY``) with
    ±20% jitter, so the retries of jobs that failed together (a site outage) do not come back together."""
    if retry_after is not None:
        return retry_after
    return min(MAX_RETRY_DELAY, 2.0**attempt) * random.uniform(0.8, 1.2)


def new_job(article_id, *, kind: str = "ingest", priority: int = 5, max_attempts: int = 5) -> dict:
    """The column values of a new queued job (a fresh uuid4 `id`) for `article_id`, for `INSERT INTO jobs`."""
    return {
        "id": uuid.uuid4(),
        "article_id": article_id,
        "kind": kind,
        "priority": priority,
        "max_attempts": max_attempts,
        "status": "queued",
        "attempts": 0,
    }


def create_job(
    session: Session, article_id, *, kind: str = "ingest", priority: int = 5, max_attempts: int = 5
) -> uuid.UUID:
    """Insert a queued job and return its id (a plain INSERT: this is on the API's hot path)."""
    values = new_job(article_id, kind=kind, priority=priority, max_attempts=max_attempts)
    session.connection().execute(_INSERT_JOB, values)
    return values["id"]


_NOW, _LEASE_UNTIL = bindparam("claim_now", type_=DateTime(timezone=True)), bindparam("claim_lease_until")


def claim_statement() -> Update:
    """The claim as one Core statement, built once by each caller: UPDATE jobs … RETURNING (id, article_id, kind,
    attempts, max_attempts), the fields of a `Claim` in that order; its values come from `claim_params`. A caller
    may add WHERE terms on another table (rendered as UPDATE … FROM) and RETURNING columns after these five: the
    ingest worker loads its article's input in the same round trip. It takes the job if it is queued, or running
    with an expired lease (its worker died), and has attempts left. Built once and reused, a statement costs no
    construction or cache-key work per execution (issue 16: ~1 ms of CPU per article in the worker)."""
    jobs = JOBS.c
    return (
        update(JOBS)
        .where(
            jobs.id == bindparam("claim_job_id", type_=jobs.id.type),
            jobs.attempts < jobs.max_attempts,
            or_(jobs.status == "queued", (jobs.status == "running") & (jobs.lease_expires_at < _NOW)),
        )
        .values(status="running", attempts=jobs.attempts + 1, lease_expires_at=_LEASE_UNTIL, started_at=_NOW)
        .returning(jobs.id, jobs.article_id, jobs.kind, jobs.attempts, jobs.max_attempts)
    )


def claim_params(job_id, *, lease_seconds: float) -> dict:
    """The parameters of `claim_statement` for job `job_id` (a UUID or its string) with a lease of
    `lease_seconds` from now."""
    now = datetime.now(UTC)
    return {
        "claim_job_id": job_id,
        "claim_now": now,
        "claim_lease_until": now + timedelta(seconds=lease_seconds),
    }


_CLAIM = claim_statement()


def claim_job(session: Session, job_id, *, lease_seconds: int) -> Claim | None:
    """Take the job if it is queued, or running with an expired lease (its worker died). None otherwise:
    the message is a duplicate, or the job is finished or out of attempts."""
    row = session.execute(_CLAIM, claim_params(job_id, lease_seconds=lease_seconds)).one_or_none()
    return Claim(*row) if row else None


def renew_lease(session: Session, claim: Claim, *, lease_seconds: float) -> bool:
    """Extend the lease of a claim still held (same attempt, still running); False once it was lost."""
    return (
        session.execute(
            update(Job)
            .where(Job.id == claim.job_id, Job.status == "running", Job.attempts == claim.attempt)
            .values(lease_expires_at=datetime.now(UTC) + timedelta(seconds=lease_seconds))
            .returning(Job.id)
        ).one_or_none()
        is not None
    )


def holds_claim(session: Session, claim: Claim) -> bool:
    """True if this attempt still owns the job, which stays locked until the transaction ends: its result may
    be stored. False if the lease was lost (expired, released and claimed again): the result is dropped, so a
    job is stored exactly once even when a slow attempt outlives its lease."""
    return (
        session.scalar(
            select(Job.id)
            .where(Job.id == claim.job_id, Job.status == "running", Job.attempts == claim.attempt)
            .with_for_update()
        )
        is not None
    )


def finish_claimed_job(
    session: Session, claim: Claim, *, status: str, error_type: str | None = None, error_detail: str | None = None
) -> bool:
    """End the job with `status` if this attempt still owns it (``holds_claim`` and ``finish_job`` in one
    UPDATE, which keeps the row locked until the transaction ends). True: the caller stores its result in the
    same transaction. False: the lease was lost (expired, released and claimed again): nothing changed, and
    the result must be dropped, so a job is stored exactly once even when a slow attempt outlives its lease."""
    finished = _finished(status, error_type, error_detail)
    params = {"job_id_": claim.job_id, "attempt_": claim.attempt} | bound_values(
        {name: finished[name] for name in _FINISHED_SET}
    )
    return session.execute(_FINISH_CLAIMED, params).one_or_none() is not None


_FINISHED_SET = ("status", "error_type", "error_detail", "finished_at")  # and lease_expires_at = NULL (_finished)
_FINISH_CLAIMED = (  # built once: it runs once per article in the worker
    update(JOBS)
    .where(
        JOBS.c.id == bindparam("job_id_", type_=JOBS.c.id.type),
        JOBS.c.status == "running",
        JOBS.c.attempts == bindparam("attempt_"),
    )
    .values(bound_columns(JOBS, _FINISHED_SET) | {"lease_expires_at": None})
    .returning(JOBS.c.id)
)


def exhausted_job(session: Session, job_id) -> Job | None:
    """A job that is not finished but has used all its attempts (a poison message)."""
    return session.scalar(
        select(Job)
        .where(Job.id == job_id, Job.status.in_(("queued", "running")), Job.attempts >= Job.max_attempts)
        .with_for_update(skip_locked=True)
    )


def finish_job(
    session: Session, job_id, *, status: str, error_type: str | None = None, error_detail: str | None = None
) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(**_finished(status, error_type, error_detail)))


def _finished(status: str, error_type: str | None, error_detail: str | None) -> dict:
    return {
        "status": status,
        "error_type": error_type,
        "error_detail": error_detail,
        "finished_at": datetime.now(UTC),
        "lease_expires_at": None,
    }


def requeue_job(session: Session, job_id, *, delay_seconds: float, error_type: str, error_detail: str) -> int | None:
    """Give a transiently failed attempt back to the queue; the caller re-sends it after the delay. Only a
    running job is requeued (a late timeout must not reopen a finished one). Returns the attempts used."""
    return session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(
            status="queued",
            error_type=error_type,
            error_detail=error_detail,
            lease_expires_at=None,
            not_before=datetime.now(UTC) + timedelta(seconds=delay_seconds),
        )
        .returning(Job.attempts)
    ).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class Resend:
    job_id: uuid.UUID
    priority: int


def release_expired_leases(session: Session, *, limit: int) -> list[Resend]:
    """Running jobs whose lease ran out: their worker died (a live attempt renews its lease). They go
    back to `queued`, keeping their attempts, and the caller re-sends them; one that has used every attempt
    is then buried as `dead` by the worker that receives it."""
    now = datetime.now(UTC)
    expired = (Job.status == "running") & (Job.lease_expires_at < now)
    picked = _pick(select(Job.id).where(expired).order_by(Job.lease_expires_at), limit)
    rows = session.execute(
        update(Job)
        .where(Job.id == picked.c.id)
        .values(
            status="queued",
            lease_expires_at=None,
            error_type="worker_lost",
            error_detail="the attempt did not finish before its lease expired (worker killed or lost)",
        )
        .returning(Job.id, Job.priority)
    ).all()
    return [Resend(*row) for row in rows]


def mark_unsent_jobs(session: Session, *, grace_seconds: float, limit: int) -> list[Resend]:
    """Queued jobs untouched for `grace_seconds` past their backoff: their message was probably never
    published or was lost. They are touched (updated_at) as they are picked, so a job is re-sent at most once
    per grace period however many reconcilers run."""
    if limit <= 0:
        return []
    cutoff = datetime.now(UTC) - timedelta(seconds=grace_seconds)
    unsent = (
        (Job.status == "queued") & (Job.updated_at < cutoff) & or_(Job.not_before.is_(None), Job.not_before < cutoff)
    )
    picked = _pick(select(Job.id).where(unsent).order_by(Job.updated_at), limit)
    rows = session.execute(
        update(Job).where(Job.id == picked.c.id).values(updated_at=datetime.now(UTC)).returning(Job.id, Job.priority)
    ).all()
    return [Resend(*row) for row in rows]


def _pick(query, limit: int):
    """At most `limit` rows, locked, skipping rows another reconciler holds. A CTE, because Postgres may re-run
    an `IN (SELECT ... LIMIT ... SKIP LOCKED)` subquery per row and so exceed the limit."""
    return query.limit(limit).with_for_update(skip_locked=True).cte("picked")
