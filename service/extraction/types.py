"""Value objects produced by the extraction pipeline (pure data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
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


class ExtractionErrorType(StrEnum):
    """The catalogue of reasons the pipeline refuses a document: the stable codes a record's `error.type`,
    the CLI's message and the API's `extraction_error` member carry. Each member says where it is raised."""

    EMPTY_DOCUMENT = "empty_document"  # pipeline: nothing but whitespace
    UNSUPPORTED_KIND = "unsupported_kind"  # pipeline: kind other than "html" or "text"
    DOCUMENT_TOO_LARGE = "document_too_large"  # limits.check_input_size: over the per-kind character limit
    NOT_A_DOCUMENT = "not_a_document"  # limits.check_is_document: binary data read as text
    DOCUMENT_TOO_COMPLEX = "document_too_complex"  # complexity.scan_markup / limits: elements, attributes,
    # nesting over the limits; the API's preview: past its wall-clock limit
    UNPARSEABLE_DOCUMENT = "unparseable_document"  # html.parse_html: lxml builds no tree
    NO_CONTENT = "no_content"  # story_presence.require_story: no story text (nothing, a headline alone, or a page
    # whose only text is navigation: menus and links)


class ExtractionError(Exception):
    """A document that cannot be turned into a record. `type` is a stable machine-readable code from
    ExtractionErrorType; `detail` says why in words (never the document's content)."""

    def __init__(self, type: ExtractionErrorType, detail: str) -> None:
        super().__init__(f"{type}: {detail}")
        self.type = type
        self.detail = detail
