"""The closed sets of an article record, as StrEnums: shared by the ORM model, the API schemas and the
CLI without loading SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class ArticleStatus(StrEnum):
    """A record's state: queued until its first job ends, then done or failed (a later refresh or reprocess
    that fails keeps a done record done; its job carries the error)."""

    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


class InputKind(StrEnum):
    """What was submitted: a URL to fetch, a page's HTML, or plain text (a wire copy)."""

    URL = "url"
    HTML = "html"
    TEXT = "text"
