"""`article-ingest extract`: the pipeline without a database, one JSON line per input."""
from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from service.articles.schemas import ArticleSubmit
from service.articles.service import preview
from service.errors import ServiceError
from service.extraction.language import use_detector
from service.extraction import ExtractionError
from service.fetching.charset import decode_body
from service.settings import Settings


def _looks_like_html(content: str) -> bool:
    head = content.lstrip()[:1000].lower()
    return head.startswith("<") or "<html" in head or "<body" in head or "<p>" in head


def _submission(source: str, fmt: str) -> ArticleSubmit:
    if source.startswith(("http://", "https://")):
        return ArticleSubmit(url=source)
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    content, _encoding = decode_body(raw, None)  # the fetcher's decoder: BOM, <meta> charset, detection
    kind = fmt if fmt != "auto" else ("html" if _looks_like_html(content) else "text")
    return ArticleSubmit(**{kind: content})


def run_extract(inputs: list[str], fmt: str, settings: Settings) -> int:
    from service.fetching import FetchError, fetch_page

    use_detector(settings.language_detector)
    failed = False
    encoder = msgspec.json.Encoder()
    for source in inputs:
        try:
            record = msgspec.to_builtins(preview(_submission(source, fmt), settings, fetch=fetch_page))
            record = {"source": source, **record}
        except (ExtractionError, FetchError, ServiceError) as exc:
            record, failed = {"source": source, "error": {"type": exc.type, "detail": exc.detail}}, True
        except OSError as exc:
            record, failed = {"source": source, "error": {"type": "unreadable_input", "detail": str(exc)}}, True
        sys.stdout.buffer.write(encoder.encode(record) + b"\n")
        sys.stdout.flush()
    return 1 if failed else 0
