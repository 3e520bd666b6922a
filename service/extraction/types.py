"""Value objects produced by the extraction pipeline (pure data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SidebarItem:
    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Sidebar:
    heading: str | None
    items: tuple[SidebarItem, ...]


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What the pipeline knows about one document. Field names follow the public record contract."""

    title: str | None
    body_text: str
    sidebars: tuple[Sidebar, ...] = ()
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None  # in UTC
    published_at_offset: str | None = None  # the page's own UTC offset ("+05:00"), None when it gives none
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    language_confidence: float | None = None
    word_count: int = 0
    content_hash: str = ""
    extractor_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class ExtractionError(Exception):
    """A document that cannot be turned into a record. `type` is a stable machine-readable code."""

    def __init__(self, type: str, detail: str) -> None:
        super().__init__(f"{type}: {detail}")
        self.type = type
        self.detail = detail
