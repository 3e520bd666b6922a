"""Request and response structs of the admin backfill, reprocess and job routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from service.kit.timestamps import AwareDatetime

from .models import BackfillKind, BackfillStatus

Url = Annotated[str, Meta(min_length=1, max_length=2048)]


class LineError(msgspec.Struct, kw_only=True):
    line: int  # line number in the file (element number for a JSON array), from 1
    type: str  # invalid_json | invalid_line | line_too_long | invalid_url
    detail: str


class BackfillAccepted(msgspec.Struct, kw_only=True):
    id: UUID
    kind: BackfillKind
    status: BackfillStatus
    lines: int
    invalid_lines: int
    errors: list[LineError]  # the first few bad lines; GET .../invalid-lines has them all
    status_url: str


class BackfillTotals(msgspec.Struct, kw_only=True):
    lines: int
    invalid: int
    duplicates_in_file: int
    existing: int  # already stored, linked instead of fetched (unless refresh)
    unique: int
    unprepared_lines: int  # not yet checked and de-duplicated
    pending: int  # unique items not yet released
    released: int
    cancelled: int
    settled: int  # lines with a final outcome: invalid, duplicate, existing, cancelled or a finished job


class JobTotals(msgspec.Struct, kw_only=True):
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    dead: int = 0


class BackfillRead(msgspec.Struct, kw_only=True):
    id: UUID
    kind: BackfillKind
    status: BackfillStatus
    refresh: bool
    callback_url: str | None
    filter: dict | None
    release_rate_per_second: float  # the configured ceiling
    completion_rate_per_second: float  # finished jobs per second since the backfill started
    eta_seconds: float | None
    totals: BackfillTotals
    jobs: JobTotals
    errors_by_type: dict[str, int]  # bad lines and failed/dead jobs, by error type
    invalid_lines: list[LineError]  # the first few
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    failure: str | None = None  # why a `failed` backfill ended


class LineErrorPage(msgspec.Struct, kw_only=True):
    items: list[LineError]
    next_after: int | None  # pass as `after` for the next page


class ReprocessRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Re-run the current pipeline on stored raw input. Filters combine with AND; at least one is required
    (or `all: true`)."""

    ids: Annotated[list[UUID], Meta(max_length=100_000)] | None = None
    site: Annotated[str, Meta(min_length=1, max_length=255)] | None = None
    language: Annotated[str, Meta(min_length=1, max_length=8)] | None = None
    extractor_version_before: Annotated[str, Meta(pattern=r"^[0-9]+(\.[0-9]+)*$", max_length=32)] | None = None
    created_after: AwareDatetime | None = None
    created_before: AwareDatetime | None = None
    all: bool = False
    rate_per_second: Annotated[float, Meta(gt=0)] | None = None
    callback_url: Url | None = None
