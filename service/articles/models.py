from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, TimestampMixin

from .states import ArticleStatus


class Article(TimestampMixin, Base):
    """The normalized record, plus the compressed raw input so it can be re-extracted without re-fetching.

    `change_xid`/`change_seq` are set by a trigger on every insert and update: the change feed orders by
    them and only serves transactions older than every one still running, which makes it gap-free.
    """

    __tablename__ = "articles"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id"))
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.QUEUED.value)  # an ArticleStatus
    input_kind: Mapped[str] = mapped_column(String(8))  # an InputKind
    external_id: Mapped[str | None] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(Text)
    normalized_url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    callback_url: Mapped[str | None] = mapped_column(Text)
    site_name: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(255))  # host of the source/canonical URL, for filtering
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at_offset: Mapped[str | None] = mapped_column(String(8))  # the page's own UTC offset, "+05:00"
    description: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    language: Mapped[str | None] = mapped_column(String(8))
    language_confidence: Mapped[float | None] = mapped_column(Float)
    body_text: Mapped[str | None] = mapped_column(Text)
    sidebars: Mapped[list] = mapped_column(JSONB, default=list)
    word_count: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str | None] = mapped_column(String(80))
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("articles.id"))
    error_type: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[str | None] = mapped_column(Text)
    # zlib-compressed; deferred: up to megabytes, needed only to re-extract, never to read the record
    raw_input: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    raw_etag: Mapped[str | None] = mapped_column(Text)
    raw_last_modified: Mapped[str | None] = mapped_column(Text)
    change_xid: Mapped[int] = mapped_column(BigInteger, server_default="0")
    change_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")

    __table_args__ = (
        Index("ix_articles_feed", "change_xid", "change_seq"),
        Index("ix_articles_key_feed", "api_key_id", "change_xid", "change_seq"),
        Index("ix_articles_normalized_url", "normalized_url"),
        Index("ix_articles_content_hash", "content_hash"),
        # Filtered feed pages (migration 0004): equality on the filter, then the feed order for the cursor.
        Index(
            "ix_articles_status_feed", "status", "change_xid", "change_seq", postgresql_where=text("status <> 'done'")
        ),
        Index("ix_articles_language_feed", "language", "change_xid", "change_seq"),
        Index("ix_articles_site_feed", "site", "change_xid", "change_seq"),
    )
