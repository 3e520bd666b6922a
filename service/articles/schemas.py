"""Request and response structs. Field names of ArticleRead are a public contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from .states import ArticleStatus

Url = Annotated[str, Meta(min_length=1, max_length=2048)]


class ArticleSubmit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Exactly one of url, html, text."""

    url: Url | None = None
    html: str | None = None
    text: str | None = None
    source_url: Url | None = None
    callback_url: Url | None = None
    external_id: Annotated[str, Meta(min_length=1, max_length=500)] | None = None
    refresh: bool = False  # for url: fetch again even if this URL was already ingested


class ArticleAccepted(msgspec.Struct, kw_only=True):
    id: UUID
    status: ArticleStatus


class ErrorInfo(msgspec.Struct, kw_only=True):
    type: str
    detail: str


class SidebarItemRead(msgspec.Struct, kw_only=True):
    text: str
    url: str | None


class SidebarRead(msgspec.Struct, kw_only=True):
    heading: str | None
    items: list[SidebarItemRead]


class ArticleRead(msgspec.Struct, kw_only=True):
    id: UUID | None
    status: ArticleStatus
    external_id: str | None
    source_url: str | None
    canonical_url: str | None
    site_name: str | None
    title: str | None
    authors: list[str]
    published_at: datetime | None
    published_at_offset: str | None
    description: str | None
    image_url: str | None
    tags: list[str]
    language: str | None
    language_confidence: float | None
    body_text: str | None
    sidebars: list[SidebarRead]
    word_count: int | None
    content_hash: str | None
    extractor_version: str | None
    duplicate_of: UUID | None
    created_at: datetime | None
    updated_at: datetime | None
    error: ErrorInfo | None


class ArticlePage(msgspec.Struct, kw_only=True):
    items: list[ArticleRead]
    next_cursor: str  # pass as `updated_after` to read what changed after this page
