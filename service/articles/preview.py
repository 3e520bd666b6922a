"""Preview: the pipeline on one submission, storing nothing; the record the API's /v1/extract and the CLI's
`extract` return. No database: it loads neither SQLAlchemy nor the broker, so the CLI starts fast."""

from __future__ import annotations

from types import SimpleNamespace

from service.extraction import extract_document
from service.settings import Settings

from .records import apply_extraction, document_kind, to_read
from .schemas import ArticleRead, ArticleSubmit
from .validation import input_kind

# The Article attributes apply_extraction and to_read use, as a stored row would have them before extraction.
_UNSTORED = {
    "id": None,
    "status": "queued",
    "duplicate_of": None,
    "created_at": None,
    "updated_at": None,
    "error_type": None,
    "error_detail": None,
}


def preview(data: ArticleSubmit, settings: Settings, fetch=None, extract=extract_document) -> ArticleRead:
    """Run the pipeline synchronously and return the record without storing anything.

    `fetch(url, settings) -> FetchedPage` is called for url input; `extract` runs the pipeline
    (`extract_document`'s signature): the API passes one that runs it in a bounded child process.
    Raises InvalidInput/PayloadTooLarge for a bad submission, ExtractionError when nothing can be extracted,
    FetchError when the page cannot be fetched."""
    kind = input_kind(data, settings)
    article = SimpleNamespace(
        **_UNSTORED,
        input_kind=kind,
        external_id=data.external_id,
        source_url=data.url if kind == "url" else data.source_url,
    )
    if kind == "url":
        page = fetch(data.url, settings)
        content, doc_kind, page_url = page.text, document_kind(page.content_type), page.final_url
    else:
        content, doc_kind, page_url = getattr(data, kind), kind, data.source_url
    apply_extraction(article, extract(content, doc_kind, source_url=page_url), page_url=page_url)
    return to_read(article)
