"""A backfill and its rows. Counters live on the backfill row so the progress report never counts a million
items; the releaser and the preparer keep them in the same transactions that change the items."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, TimestampMixin


class BackfillStatus(StrEnum):
    """uploading: lines still arriving, committed in batches (nothing acts on it yet); preparing: lines still
    being checked (release runs alongside); running: only release left; paused: nothing released until
    resumed; cancelled, done and failed (an upload that never finished: `failure` says why) are final."""

    UPLOADING = "uploading"
    PREPARING = "preparing"
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"
    FAILED = "failed"


class BackfillKind(StrEnum):
    """A backfill of URLs from a file, or a reprocess run over stored articles."""

    URLS = "urls"
    REPROCESS = "reprocess"


ACTIVE_STATES = (BackfillStatus.PREPARING, BackfillStatus.RUNNING)  # items are released
UNFINISHED_STATES = (*ACTIVE_STATES, BackfillStatus.PAUSED)  # lines still get prepared; pause/resume/cancel apply


def _counter() -> Mapped[int]:
    return mapped_column(BigInteger, default=0, server_default="0")


class Backfill(TimestampMixin, Base):
    __tablename__ = "backfills"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id"))
    kind: Mapped[str] = mapped_column(String(16), default=BackfillKind.URLS.value)  # a BackfillKind
    status: Mapped[str] = mapped_column(String(16), default=BackfillStatus.PREPARING.value)  # a BackfillStatus
    refresh: Mapped[bool] = mapped_column(Boolean, default=False)  # fetch again URLs already stored
    callback_url: Mapped[str | None] = mapped_column(Text)  # told once when the backfill finishes
    rate_per_second: Mapped[float] = mapped_column(Float)
    filter: Mapped[dict | None] = mapped_column(JSONB)  # reprocess: the selection, for the record
    last_line: Mapped[int] = _counter()  # highest line number read
    prepared_through: Mapped[int] = _counter()  # lines up to this number have been prepared
    total_lines: Mapped[int] = _counter()  # non-blank lines (items, for a JSON array)
    invalid_lines: Mapped[int] = _counter()
    duplicates_in_file: Mapped[int] = _counter()
    unique_items: Mapped[int] = _counter()
    existing: Mapped[int] = _counter()  # already stored (not fetched again unless refresh)
    released: Mapped[int] = _counter()
    cancelled_items: Mapped[int] = _counter()
    last_release_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failure: Mapped[str | None] = mapped_column(Text)  # why a `failed` backfill ended (backfills.upload_lease)

    __table_args__ = (Index("ix_backfills_status", "status"),)


class BackfillLine(Base):
    """A line as received. Deleted once prepared, unless it was bad: then it is the error report.

    Lines and items carry no foreign key to their backfill: they are written in bulk, and the row-by-row
    referential check tripled the time of the COPY (the 202 budget). Only the backfill's own code writes them."""

    __tablename__ = "backfill_lines"

    backfill_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    callback_url: Mapped[str | None] = mapped_column(Text)
    error_type: Mapped[str | None] = mapped_column(String(32))
    error_detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_backfill_lines_errors", "backfill_id", "line", postgresql_where=text("error_type IS NOT NULL")),
    )


class BackfillItem(Base):
    """One unique unit of work: a URL to ingest, or (reprocess) a stored article to re-extract.

    article_id and job_id carry no foreign key: they are assigned in the statement that creates the rows."""

    __tablename__ = "backfill_items"

    backfill_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    normalized_url: Mapped[str | None] = mapped_column(Text)
    url_hash: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # md5 of normalized_url: URLs outgrow btree entries
    site: Mapped[str | None] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(Text)
    callback_url: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|released|existing|cancelled
    article_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (
        UniqueConstraint("backfill_id", "url_hash"),  # the in-file de-duplication
        Index("ix_backfill_items_pending", "backfill_id", "line", postgresql_where=text("state = 'pending'")),
    )
