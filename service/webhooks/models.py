from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import cast

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, TimestampMixin


class DeliveryStatus(StrEnum):
    """A webhook delivery's state: pending (due or retrying), succeeded (a 2xx), failed (schedule used up or a
    permanent refusal), disabled (its endpoint answered 410 Gone; kept for a replay once re-enabled)."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DISABLED = "disabled"


# The states a client may replay: everything that is not already waiting to be sent.
Replayable = StrEnum("Replayable", {s.name: s.value for s in DeliveryStatus if s is not DeliveryStatus.PENDING})


class WebhookDelivery(TimestampMixin, Base):
    """One event for one endpoint. Its id is the `webhook-id`, the same on every retry and replay."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "msg_<hex>"
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id"), index=True)
    article_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    event_type: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)  # a DeliveryStatus
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    # Attempts made before the current retry schedule began: a replay starts the schedule afresh.
    schedule_start: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        # The deliveries list: newest first, per key (and across keys for admins).
        Index("ix_webhook_deliveries_key_listing", "api_key_id", "created_at", "id"),
        Index("ix_webhook_deliveries_listing", "created_at", "id"),
    )


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class WebhookEndpoint(TimestampMixin, Base):
    """A (key, URL) pair the service has had to remember: today, one a receiver disabled with 410 Gone.

    Rows are made on demand; a URL with no row is enabled. `url_hash` keys the pair because URLs may be
    longer than a btree index entry allows.
    """

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id"))
    url: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the URL
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("api_key_id", "url_hash"),)


# The Core tables, for the per-article statements of the worker and the webhook worker (Core INSERT/UPDATE …
# RETURNING build no ORM objects: issue 16): one handle each, shared by events.py and delivery.py.
DELIVERIES = cast(Table, WebhookDelivery.__table__)
ATTEMPTS = cast(Table, WebhookAttempt.__table__)
