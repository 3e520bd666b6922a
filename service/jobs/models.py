from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import cast

from sqlalchemy import DateTime, ForeignKey, Index, Integer, SmallInteger, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, TimestampMixin


class JobStatus(StrEnum):
    """A job's state: queued → running → done | failed | dead (every attempt used, or a poison message)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    DEAD = "dead"


class JobKind(StrEnum):
    """What a job does to its article: the first ingest, a reprocess of the stored input with the current
    extractor, or a refresh (re-fetch of a stored URL, conditional on its ETag / Last-Modified)."""

    INGEST = "ingest"
    REPROCESS = "reprocess"
    REFRESH = "refresh"


# The states an admin can list and retry: a job that ended without a record.
EndedBadly = StrEnum("EndedBadly", {s.name: s.value for s in (JobStatus.FAILED, JobStatus.DEAD)})
OPEN_STATES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(TimestampMixin, Base):
    """One unit of work on an article. The conditional claim on this row makes redelivery harmless."""

    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    article_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=JobKind.INGEST.value)  # a JobKind
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)  # a JobStatus
    priority: Mapped[int] = mapped_column(SmallInteger, default=5)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # retry backoff
    error_type: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    backfill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("backfills.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_jobs_status_updated_at", "status", "updated_at"),
        Index("ix_jobs_backfill_id_status", "backfill_id", "status"),
    )


JOBS = cast(Table, Job.__table__)  # the table, for Core statements built once (service/db/bound.py)
