from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, TimestampMixin


class IdempotencyKey(TimestampMixin, Base):
    """First response to a client's Idempotency-Key; the primary key makes concurrent repeats collapse to one."""

    __tablename__ = "idempotency_keys"

    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # Whether the first request queued work: a repeat gets its status code (202 if so, else 200)
    queued: Mapped[bool] = mapped_column(Boolean, server_default=true())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
