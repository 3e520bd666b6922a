"""Mapping between extraction results, Article rows and the public record. One mapping for every path
(worker, preview endpoint, CLI), so they all produce the same record."""
from __future__ import annotations

import zlib
from urllib.parse import urlsplit

from service.extraction import ExtractedArticle

from .models import Article
from .schemas import ArticleRead, ErrorInfo, SidebarItemRead, SidebarRead


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def decompress(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def site_of(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def apply_extraction(article: Article, extracted: ExtractedArticle) -> None:
    article.title = extracted.title
    article.body_text = extracted.body_text
    article.sidebars = [
        {"heading": s.heading, "items": [{"text": i.text, "url": i.url} for i in s.items]}
        for s in extracted.sidebars
    ]
    article.authors = list(extracted.authors)
    article.published_at = extracted.published_at
    article.published_at_offset = getattr(extracted, "published_at_offset", None) or _offset_of(extracted)
    article.description = extracted.description
    article.site_name = extracted.site_name
    article.canonical_url = extracted.canonical_url or article.canonical_url or article.source_url
    article.image_url = extracted.image_url
    article.tags = list(extracted.tags)
    article.language = extracted.language
    article.language_confidence = extracted.language_confidence
    article.word_count = extracted.word_count
    article.content_hash = extracted.content_hash
    article.extractor_version = extracted.extractor_version
    article.site = site_of(article.canonical_url or article.source_url)
    article.status = "done"
    article.error_type = article.error_detail = None


def _offset_of(extracted: ExtractedArticle) -> str | None:
    when = extracted.published_at
    if when is None or when.utcoffset() is None:
        return None
    minutes = int(when.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def to_read(article: Article) -> ArticleRead:
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
