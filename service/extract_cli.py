"""`article-ingest extract`: the pipeline without a database, one JSON line per input.

Loads only the extraction pipeline (and the fetcher when an input is a URL), never the database or broker
layers: a short text is extracted in well under a second, most of it the language models' loading."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from service.articles.preview import preview
from service.articles.schemas import ArticleSubmit
from service.errors import ServiceError
from service.extraction import ExtractionError, ExtractionErrorType
from service.extraction.language import use_detector
from service.fetching import FetchError  # loads the error type only, not the fetcher
from service.fetching.charset import decode_body
from service.settings import Settings


def _looks_like_html(content: str) -> bool:
    head = content.lstrip()[:1000].lower()
    return head.startswith("<") or "<html" in head or "<body" in head or "<p>" in head


def _read_capped(source: str, max_bytes: int) -> bytes:
    """The bytes of a file or stdin ("-"), at most `max_bytes` (the API's request cap, settings.max_request_bytes):
    a larger input is refused as document_too_large without reading it all (/dev/zero, a disk image)."""
    if source == "-":
        if sys.stdin is None:  # started with file descriptor 0 closed
            raise OSError("standard input is closed")
        raw = sys.stdin.buffer.read(max_bytes + 1)
    else:
        with Path(source).open("rb") as file:
            raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ExtractionError(ExtractionErrorType.DOCUMENT_TOO_LARGE, f"the input is over {max_bytes} bytes")
    return raw


def _submission(source: str, fmt: str, max_bytes: int) -> ArticleSubmit:
    if source.startswith(("http://", "https://")):
        return ArticleSubmit(url=source)
    raw = _read_capped(source, max_bytes)
    content, _encoding = decode_body(raw, None)  # the fetcher's decoder: BOM, <meta> charset, detection
    kind = fmt if fmt != "auto" else ("html" if _looks_like_html(content) else "text")
    return ArticleSubmit(**{kind: content})


def _shown(source: str) -> str:
    """A command-line argument as JSON can carry it: bytes that were not UTF-8 (kept by Python as surrogate
    escapes, which no encoder accepts) become "\\xNN"."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _fetch(url: str, settings: Settings):
    from service.fetching import fetch_page

    return fetch_page(url, settings)


def run_extract(inputs: list[str], fmt: str, settings: Settings | None = None) -> int:
    """Print one JSON record per input (with `source`, or `error: {type, detail}`); 1 if any input failed, 2 (and
    a message on stderr) when standard output is closed. A file name that is not UTF-8 is shown with its
    undecodable bytes escaped ("caf\\xe9.html")."""
    if sys.stdout is None:  # started with file descriptor 1 closed: no record can be written
        if sys.stderr is not None:
            print("error: standard output is closed; nothing to write the records to", file=sys.stderr)
        return 2
    settings = settings or Settings()
    use_detector(settings.language_detector)
    failed = False
    encoder = msgspec.json.Encoder()
    for source in inputs:
        try:
            submission = _submission(source, fmt, settings.max_request_bytes)
            record = msgspec.to_builtins(preview(submission, settings, fetch=_fetch))
            record = {"source": source, **record}
        except (ExtractionError, FetchError, ServiceError) as exc:
            record, failed = {"source": source, "error": {"type": exc.type, "detail": exc.detail}}, True
        except OSError as exc:
            record, failed = {"source": source, "error": {"type": "unreadable_input", "detail": str(exc)}}, True
        record["source"] = _shown(source)
        sys.stdout.buffer.write(encoder.encode(record) + b"\n")
        sys.stdout.flush()
    return 1 if failed else 0
