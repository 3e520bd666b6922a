"""Admin views of jobs: failed and dead jobs with their reasons, and retries by ids or by a filter."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from .models import EndedBadly, JobKind, JobStatus


class JobRead(msgspec.Struct, kw_only=True):
    id: UUID
    article_id: UUID
    kind: JobKind
    status: JobStatus
    attempts: int
    max_attempts: int
    error_type: str | None
    error_detail: str | None
    backfill_id: UUID | None
    source_url: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class JobPage(msgspec.Struct, kw_only=True):
    items: list[JobRead]
    next_cursor: str | None  # pass as `before` for the next (older) page


class JobRetry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Either ids, or a filter over failed/dead jobs."""

    ids: Annotated[list[UUID], Meta(max_length=10_000)] | None = None
    status: EndedBadly | None = None
    error_type: Annotated[str, Meta(max_length=64)] | None = None
    kind: JobKind | None = None
    backfill_id: UUID | None = None
    limit: Annotated[int, Meta(ge=1, le=10_000)] = 1000


class JobRetried(msgspec.Struct, kw_only=True):
    retried: int
    ids: list[UUID]
