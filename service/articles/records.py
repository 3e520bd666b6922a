"""Mapping between extraction results, Article rows and the public record. One mapping for every path
(worker, preview endpoint, CLI), so they all produce the same record."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from service.fetching import canonical_if_same_site, normalize_url

from .schemas import ArticleRead, ErrorInfo, SidebarItemRead, SidebarRead

if TYPE_CHECKING:  # the preview (CLI) path maps without loading SQLAlchemy
    from sqlalchemy import Row

    from service.extraction import ExtractedArticle

    from .models import Article


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def decompress(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def document_kind(content_type: str | None) -> str:
    """How to read a fetched page: text/plain as a wire copy, everything else as HTML."""
    return "text" if content_type and content_type.startswith("text/plain") else "html"


def site_key(host: str) -> str:
    """How a site is spelled in articles.site and in the `site` filter: lower case, without a leading www."""
    return host.strip().lower().removeprefix("www.")


def site_of(url: str | None) -> str | None:
    """The site (``site_key`` of the host) of `url`; None without a URL or host."""
    host = urlsplit(url).hostname if url else None
    return site_key(host) if host else None


def dedupe_url(url: str) -> str:
    """The spelling stored in articles.normalized_url and backfill_items.normalized_url, so the live submit
    path and backfills de-duplicate alike: ``normalize_url``, or the URL as given (stripped) when it passed
    validation but normalisation cannot parse it (ValueError, e.g. an unbalanced IPv6 bracket)."""
    try:
        return normalize_url(url)
    except ValueError:
        return url.strip()


def extraction_values(extracted: ExtractedArticle, *, page_url: str | None, source_url: str | None) -> dict[str, Any]:
    """The Article columns an extraction sets, by attribute name: the record's fields, `site`, and status `done`
    with no error. `page_url`: where the document came from (the fetched URL, or `source_url` for html/text
    input); `source_url`: the article's own, for `site` when the page names no canonical URL."""
    # A page's canonical link counts only on its own site: otherwise any page could claim another's article.
    canonical_url = canonical_if_same_site(page_url, extracted.canonical_url) if page_url else extracted.canonical_url
    return {
        "title": extracted.title,
        "body_text": extracted.body_text,
        "sidebars": [
            {"heading": s.heading, "items": [{"text": i.text, "url": i.url} for i in s.items]}
            for s in extracted.sidebars
        ],
        "authors": list(extracted.authors),
        "published_at": extracted.published_at,
        "published_at_offset": extracted.published_at_offset,  # None when the page gives no offset
        "description": extracted.description,
        "site_name": extracted.site_name,
        "canonical_url": canonical_url,
        "image_url": extracted.image_url,
        "tags": list(extracted.tags),
        "language": extracted.language,
        "language_confidence": extracted.language_confidence,
        "word_count": extracted.word_count,
        "content_hash": extracted.content_hash,
        "extractor_version": extracted.extractor_version,
        "site": site_of(canonical_url or source_url),
        "status": "done",
        "error_type": None,
        "error_detail": None,
    }


def apply_extraction(article: Article, extracted: ExtractedArticle, page_url: str | None = None) -> None:
    """Set `extraction_values` on `article` (a row, or the preview's plain object). `page_url`: where the
    document came from (the fetched URL, or `source_url` for html/text input)."""
    for name, value in extraction_values(extracted, page_url=page_url, source_url=article.source_url).items():
        setattr(article, name, value)


def to_read(article: Article | Row[Any]) -> ArticleRead:
    """The public record (GET, webhook `data`, CLI output) of a stored or previewed Article, or of a Core row
    with the same column names: the one mapping from row to wire shape, so every path agrees field for field."""
    error = ErrorInfo(type=article.error_type, detail=article.error_detail or "") if article.error_type else None
    return ArticleRead(
        id=article.id,
        status=article.status,
        external_id=article.external_id,
        source_url=article.source_url,
        canonical_url=article.canonical_url,
        site_name=article.site_name,
        title=article.title,
        authors=list(article.authors or []),
        published_at=article.published_at,
        published_at_offset=article.published_at_offset,
        description=article.description,
        image_url=article.image_url,
        tags=list(article.tags or []),
        language=article.language,
        language_confidence=article.language_confidence,
        body_text=article.body_text,
        sidebars=[
            SidebarRead(
                heading=s.get("heading"),
                items=[SidebarItemRead(text=i["text"], url=i.get("url")) for i in s.get("items", [])],
            )
            for s in (article.sidebars or [])
        ],
        word_count=article.word_count,
        content_hash=article.content_hash,
        extractor_version=article.extractor_version,
        duplicate_of=article.duplicate_of,
        created_at=article.created_at,
        updated_at=article.updated_at,
        error=error,
    )
