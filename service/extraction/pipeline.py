"""The extraction pipeline: one entry point for the CLI, the preview endpoint and the workers."""
from __future__ import annotations

import dataclasses
from typing import Literal

import trafilatura

from .language import detect_language
from .text import content_hash, count_words, normalize_line, normalize_paragraphs
from .types import ExtractedArticle, ExtractionError

EXTRACTOR_VERSION = "2026.11.1"
InputKind = Literal["html", "text"]


def extract_document(content: str, kind: InputKind, *, source_url: str | None = None) -> ExtractedArticle:
    if not content or not content.strip():
        raise ExtractionError("empty_document", "the document has no content")
    article = _extract_text(content) if kind == "text" else _extract_html(content, source_url)
    return _finish(article)


def _extract_text(text: str) -> ExtractedArticle:
    lines = [normalize_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    title, body_lines = lines[0], lines[1:]
    return ExtractedArticle(title=title, body_text=normalize_paragraphs(body_lines))


def _extract_html(html: str, source_url: str | None) -> ExtractedArticle:
    doc = trafilatura.bare_extraction(html, url=source_url, include_comments=False, with_metadata=True)
    if doc is None or not (doc.text or doc.title):
        raise ExtractionError("no_content", "no article text could be found in the page")
    return ExtractedArticle(
        title=doc.title,
        body_text=normalize_paragraphs((doc.text or "").split("\n")),
        authors=tuple(a.strip() for a in (doc.author or "").split(";") if a.strip()),
        description=doc.description,
        site_name=doc.sitename,
        canonical_url=doc.url,
    )


def _finish(article: ExtractedArticle) -> ExtractedArticle:
    language, confidence = detect_language(article.body_text or article.title or "")
    return dataclasses.replace(
        article,
        language=language,
        language_confidence=confidence,
        word_count=count_words(article.body_text),
        content_hash=content_hash(article.title, article.body_text),
        extractor_version=EXTRACTOR_VERSION,
    )
