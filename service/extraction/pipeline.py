"""The extraction pipeline: one entry point for the CLI, the preview endpoint and the workers."""

from __future__ import annotations

import dataclasses
from typing import Literal

from . import limits
from .language import detect_language, language_sample
from .plaintext import extract_plaintext
from .story import clean_story_lines
from .story_presence import require_story
from .text import (
    content_hash,
    count_words,
    is_headline_like,
    join_normalized,
    normalize_line,
    normalize_paragraphs,
    remove_control_characters,
)
from .types import ExtractedArticle, ExtractionError, ExtractionErrorType

# The HTML path (lxml, trafilatura, htmldate, dateparser: ~0.2 s of imports) is imported on the first HTML
# document, so plain text and `article-ingest extract` of a wire copy do not pay for it; workers warm both paths.

EXTRACTOR_VERSION = "2026.12.7"  # titles without a declared headline, authors around datelines, body classes
InputKind = Literal["html", "text"]


def extract_document(content: str, kind: InputKind, *, source_url: str | None = None) -> ExtractedArticle:
    """Turn one document into a record: the story, its sidebar lists, metadata and language.

    `content` is the decoded document (HTML markup, or plain text whose first non-empty line is the title);
    `kind` is "html" or "text"; `source_url` is the page's address (resolves relative links, helps the date
    search), None when unknown. Returns an ExtractedArticle (body_text: paragraphs joined by a blank line;
    published_at in UTC; language ISO 639-1 or None). Pure and deterministic: no I/O, no global state.
    Raises ExtractionError with a type from ExtractionErrorType: empty_document, unsupported_kind,
    document_too_large (limits.MAX_INPUT_CHARS, MAX_TEXT_CHARS), not_a_document, document_too_complex
    (limits.MAX_ELEMENTS, MAX_ATTRIBUTES, MAX_DEPTH), unparseable_document, no_content (no story text: a
    headline alone or navigation alone, story_presence.require_story)."""
    if not content or not content.strip():
        raise ExtractionError(ExtractionErrorType.EMPTY_DOCUMENT, "the document has no content")
    if kind not in ("html", "text"):
        raise ExtractionError(ExtractionErrorType.UNSUPPORTED_KIND, f"kind must be 'html' or 'text', not {kind!r}")
    limits.check_input_size(content, kind)
    if limits.check_is_document(content) or "\x0c" in content:  # it counts every control character but FF
        content = remove_control_characters(content)  # after the binary check, which counts them
    article = _extract_text(content) if kind == "text" else _extract_html(content, source_url)
    return _finish(article)


def _extract_text(text: str) -> ExtractedArticle:
    title, paragraphs, sidebars = extract_plaintext(text)
    paragraphs = clean_story_lines(paragraphs, sidebars)
    require_story(paragraphs, title=title)  # a headline alone: no_content
    return ExtractedArticle(title=title, body_text=normalize_paragraphs(paragraphs), sidebars=sidebars)


def _extract_html(html: str, source_url: str | None) -> ExtractedArticle:
    from .complexity import scan_markup
    from .furniture import remove_furniture_lines
    from .html import extract_story, extract_story_cheaply, parse_html
    from .metadata import extract_metadata
    from .sidebars import extract_sidebars, find_inline_inserts, find_sidebars
    from .story import contents_targets, recover_dropped_blocks, recover_lead, recover_marked_lists

    scan_markup(html)  # bounds the parser's work first: lxml's cost in attributes per element is quadratic
    root = parse_html(html, controls_removed=True)  # extract_document took them out
    elements = limits.count_elements(root)
    full = elements <= limits.FULL_PATH_MAX_ELEMENTS
    meta = extract_metadata(root, source_url, bounded=not full or len(html) > limits.METADATA_SEARCH_MAX_CHARS)
    base_url = meta.canonical_url or source_url
    if full:
        # trafilatura reads the untouched tree; the sidebars found on it are taken out of its result
        story = extract_story(root, source_url)
        found = find_sidebars(root, base_url)
        sidebars = tuple(sidebar for sidebar, _ in found)
        not_story = {el for _, elements in found for el in elements}
        story = recover_lead(root, recover_dropped_blocks(root, story, not_story), meta.description, not_story)
        story = recover_marked_lists(root, story, not_story)
        sidebars += find_inline_inserts(story, root, base_url, sidebars)
        subheadings = contents_targets(root) if sidebars else frozenset()
        paragraphs = remove_furniture_lines(clean_story_lines(story, sidebars, subheadings=subheadings), root)
    else:
        sidebars = extract_sidebars(root, base_url)
        paragraphs = extract_story_cheaply(root)
    paragraphs = [p for p in (normalize_line(x) for x in paragraphs) if p]
    title = meta.title
    if paragraphs and title and normalize_line(title) == paragraphs[0]:
        paragraphs = paragraphs[1:]  # the headline repeated as the first line of the body
    elif paragraphs and not title and len(paragraphs) > 1 and is_headline_like(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]  # bare markup: the first line is the headline
    require_story(paragraphs, root, title=title)  # no body, or navigation only: no_content
    body = join_normalized(paragraphs)[: limits.MAX_BODY_CHARS]  # the lines went through normalize_line above
    return ExtractedArticle(
        title=title[: limits.MAX_TITLE_CHARS] if title else None,
        body_text=body,
        sidebars=sidebars,
        authors=meta.authors,
        published_at=meta.published_at,
        published_at_offset=meta.published_at_offset,
        description=meta.description,
        site_name=meta.site_name,
        canonical_url=meta.canonical_url,
        image_url=meta.image_url,
        tags=meta.tags,
        extra={"path": "full" if full else "cheap", "elements": elements},
    )


def _finish(article: ExtractedArticle) -> ExtractedArticle:
    language, confidence = detect_language(language_sample(article.title, article.body_text))
    return dataclasses.replace(
        article,
        language=language,
        language_confidence=confidence,
        word_count=count_words(article.body_text),
        content_hash=content_hash(article.title, article.body_text),
        extractor_version=EXTRACTOR_VERSION,
    )
