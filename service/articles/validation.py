"""Checks on a submission that msgspec's types cannot express."""

from __future__ import annotations

from urllib.parse import urlsplit

from service.errors import InvalidInput, PayloadTooLarge
from service.extraction import ExtractionError
from service.extraction.complexity import scan_markup
from service.extraction.limits import check_input_size, check_is_document
from service.settings import Settings
from service.webhooks.targets import check_callback_url, check_page_url

from .schemas import ArticleSubmit


class DocumentRefused(InvalidInput):
    """422 for a document the pipeline would refuse: the problem type is the pipeline's (document_too_complex),
    as in a failed record, with `field` and `extraction_error` members."""

    def __init__(self, exc: ExtractionError, field: str) -> None:
        super().__init__(f"{field}: {exc.detail}", extra={"field": field, "extraction_error": exc.type})
        self.type = exc.type


def check_http_url(value: str, field: str) -> str:
    value = value.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise InvalidInput(f"{field} is not a valid URL: {exc}", extra={"field": field}) from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInput(f"{field} must be an absolute http(s) URL", extra={"field": field})
    return value


def input_kind(data: ArticleSubmit, settings: Settings) -> str:
    """Return which of url/html/text was given, enforcing exactly one and, so that nothing accepted here fails
    later on them, the pipeline's document checks in its order: size (`limits.check_input_size`: 413), binary
    data (`limits.check_is_document`: 422 not_a_document), markup limits for html (`complexity.scan_markup`: 422
    document_too_complex); and the webhook target rules delivery applies to callback_url
    (`webhooks.targets.check_callback_url`: 422)."""
    given = [name for name in ("url", "html", "text") if getattr(data, name) is not None]
    if len(given) != 1:
        raise InvalidInput("exactly one of url, html or text is required", extra={"given": given})
    kind = given[0]
    if kind == "url":
        check_http_url(data.url, "url")
        check_page_url(data.url, settings)  # what the fetcher's guard refuses for good, refused now
        if data.source_url is not None:
            raise InvalidInput("source_url is only for html or text input", extra={"field": "source_url"})
    else:
        document = getattr(data, kind)
        if not document.strip():
            raise InvalidInput(f"{kind} is empty", extra={"field": kind})
        try:
            check_input_size(document, kind)
        except ExtractionError as exc:
            raise PayloadTooLarge(f"{kind}: {exc.detail}", extra={"field": kind}) from None
        try:  # the pipeline's own checks, in its order: binary data, then (html) the markup limits
            check_is_document(document)
            if kind == "html":
                scan_markup(document)  # linear, ~15 ms per MB: a markup bomb never reaches the queue
        except ExtractionError as exc:
            raise DocumentRefused(exc, kind) from None
        if data.source_url is not None:
            check_http_url(data.source_url, "source_url")
    if data.callback_url is not None:
        check_callback_url(data.callback_url, settings)
    return kind
