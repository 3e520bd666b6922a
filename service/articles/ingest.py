"""The ingest use case run by workers: claim → fetch (URL jobs) → extract → store → announce.

No transaction is open while fetching or extracting; the claim and the result are two short transactions.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from lxml import etree
from sqlalchemy import Table, Update, alias, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.db.bound import bound_columns, bound_values
from service.extraction import ExtractionError, extract_document
from service.fetching import FetchError
from service.jobs.lease import kept_lease
from service.jobs.models import JOBS
from service.jobs.service import (
    Claim,
    claim_params,
    claim_statement,
    exhausted_job,
    finish_claimed_job,
    finish_job,
    holds_claim,
    requeue_job,
    retry_delay,
)
from service.observability.metrics import EXTRACTION_SECONDS, FETCH_OUTCOMES
from service.settings import Settings

from .events import enqueue_article_event
from .models import Article
from .records import compress, decompress, document_kind, extraction_values

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestResult:
    status: str  # done | failed | dead | retry | skipped
    retry_in: float | None = None
    delivery_id: str | None = None


class _Failure(Exception):
    def __init__(self, type: str, detail: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.type, self.detail, self.retryable, self.retry_after = type, detail, retryable, retry_after


def ingest(session_factory: sessionmaker[Session], job_id, settings: Settings, *, fetch: Callable) -> IngestResult:
    """Run one delivery of job `job_id` (a UUID or its string): claim it (a conditional UPDATE that counts the
    attempt and takes a lease of ``settings.job_lease_seconds``), fetch for URL jobs with `fetch(url, settings,
    etag=, last_modified=)`, extract, store the record and its webhook row in one transaction.

    Returns an IngestResult: ``done``; ``failed`` (a permanent fetch or extraction error, recorded on the
    article); ``retry`` with ``retry_in`` seconds (a retryable error, attempts left; the caller re-sends);
    ``dead`` (every attempt used: a poison message ends here); ``skipped`` (a duplicate delivery: the job is
    claimed elsewhere or finished). ``delivery_id`` names the webhook to send after the commit. Fetch and
    extraction errors never escape; database errors do (the message is redelivered: at-least-once)."""
    with session_factory.begin() as session:
        # The claim and the article's input in one statement (UPDATE jobs … FROM articles … RETURNING).
        row = session.execute(
            _CLAIM_WITH_INPUT, claim_params(job_id, lease_seconds=settings.job_lease_seconds)
        ).one_or_none()
        if row is None:
            return _bury_if_exhausted(session, job_id)
    claim, (kind, source_url, raw, etag, last_modified) = Claim(*row[:5]), row[5:]
    validators = (etag, last_modified) if claim.kind == "refresh" else (None, None)
    log.info("job %s claimed (attempt %d/%d)", job_id, claim.attempt, claim.max_attempts, extra={"job_id": str(job_id)})

    fetched = None
    try:
        with kept_lease(session_factory, claim, settings.job_lease_seconds):
            if raw is not None and (kind != "url" or claim.kind == "reprocess"):
                content = decompress(raw)
            else:
                fetched = _fetch(fetch, source_url, settings, *validators)
                if fetched.not_modified:  # 304: the stored page is current; re-extract it (the pipeline may be newer)
                    content, fetched = decompress(raw), None
                else:
                    content = fetched.text
            doc_kind = document_kind(fetched.content_type) if fetched else ("text" if kind == "text" else "html")
            extracted = _extract(content, doc_kind, (fetched.final_url if fetched else None) or source_url)
    except _Failure as failure:
        if failure.retryable and claim.attempt < claim.max_attempts:
            delay = retry_delay(claim.attempt, failure.retry_after)
            with session_factory.begin() as session:
                if not holds_claim(session, claim):
                    return _lost(claim)
                requeue_job(session, job_id, delay_seconds=delay, error_type=failure.type, error_detail=failure.detail)
            return IngestResult("retry", retry_in=delay)
        return _fail(session_factory, claim, failure.type, failure.detail, job_status="failed")

    values = extraction_values(extracted, page_url=fetched.final_url if fetched else source_url, source_url=source_url)
    if fetched is not None:
        values.update(raw_input=compress(content), raw_etag=fetched.etag, raw_last_modified=fetched.last_modified)
    with session_factory.begin() as session:
        if not finish_claimed_job(session, claim, status="done"):
            return _lost(claim)
        # The record, its duplicate link and the columns the event needs (updated_at from the database) in one
        # Core UPDATE … RETURNING (no ORM object: the event is built from the row).
        article = session.execute(
            _store_statement(frozenset(values)),
            bound_values(values) | {"article_id_": claim.article_id},
        ).one()
        delivery = enqueue_article_event(session, article)
        return IngestResult("done", delivery_id=delivery.id if delivery else None)


_ARTICLES = cast(Table, Article.__table__)
_OTHER = alias(_ARTICLES)

# The claim and the article's input in one statement (UPDATE jobs … FROM articles … RETURNING), built once.
_CLAIM_WITH_INPUT = (
    claim_statement()
    .where(_ARTICLES.c.id == JOBS.c.article_id)
    .returning(
        _ARTICLES.c.input_kind,
        _ARTICLES.c.source_url,
        _ARTICLES.c.raw_input,
        _ARTICLES.c.raw_etag,
        _ARTICLES.c.raw_last_modified,
    )
)


@functools.cache
def _store_statement(columns: frozenset[str]) -> Update:
    """The record's UPDATE … RETURNING every column, for the set of `columns` an extraction writes (a handful of
    sets: with or without a fetched page), built once per set. Parameters: each column's value under
    "<column>_", and "article_id_". `duplicate_of` is the oldest other article of the same key with this content
    that is not itself a copy (a correlated subquery on the row being updated), or NULL."""
    articles, other = _ARTICLES.c, _OTHER.c
    first_copy = (
        select(other.id)
        .where(
            other.content_hash == bindparam("content_hash_"),
            other.id != articles.id,
            other.api_key_id == articles.api_key_id,
            other.duplicate_of.is_(None),
        )
        .order_by(other.created_at)
        .limit(1)
        .scalar_subquery()
    )
    values = bound_columns(_ARTICLES, sorted(columns))
    return (
        update(_ARTICLES)
        .where(articles.id == bindparam("article_id_", type_=articles.id.type))
        .values(values | {"duplicate_of": first_copy})
        .returning(*_ARTICLES.c)
    )


# What a bug in the fetch or extraction path (or a library under it) raises: retried, then `failed` with the
# reason. Not `Exception`: Celery's SoftTimeLimitExceeded is one and must reach the task, which records the
# time limit (tests/faults/test_poison_job.py) — the extraction path caught it too until this was one tuple.
_LIBRARY_BUGS = (
    ArithmeticError,
    AssertionError,
    AttributeError,
    LookupError,
    OSError,
    RuntimeError,
    TypeError,
    ValueError,
    etree.Error,  # lxml's own base class (parser and XPath errors under trafilatura)
)


def _fetch(fetch: Callable, url: str, settings: Settings, etag: str | None = None, last_modified: str | None = None):
    try:
        page = fetch(url, settings, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        FETCH_OUTCOMES.labels(exc.type).inc()
        raise _Failure(exc.type, exc.detail, retryable=exc.retryable, retry_after=exc.retry_after) from None
    except _LIBRARY_BUGS as exc:  # IDNAError (a ValueError) was one
        log.exception("fetch crashed")
        FETCH_OUTCOMES.labels("fetch_error").inc()
        raise _Failure("fetch_error", f"{type(exc).__name__}: {exc}"[:500], retryable=True) from None
    FETCH_OUTCOMES.labels("ok").inc()
    return page


def _extract(content: str, kind: str, source_url: str | None):
    try:
        with EXTRACTION_SECONDS.time():
            return extract_document(content, kind, source_url=source_url)
    except ExtractionError as exc:
        raise _Failure(exc.type, exc.detail, retryable=False) from None
    except _LIBRARY_BUGS as exc:  # a bug or a pathological page (RecursionError is a RuntimeError)
        log.exception("extraction crashed")
        raise _Failure("extraction_error", f"{type(exc).__name__}: {exc}"[:500], retryable=True) from None


def _lost(claim) -> IngestResult:
    """The attempt outlived its lease and another one took the job: this one's result is dropped."""
    log.warning(
        "job %s: attempt %d lost its claim; its result is dropped",
        claim.job_id,
        claim.attempt,
        extra={"job_id": str(claim.job_id)},
    )
    return IngestResult("skipped")


def _fail(session_factory, claim, error_type: str, detail: str, *, job_status: str) -> IngestResult:
    with session_factory.begin() as session:
        if not finish_claimed_job(session, claim, status=job_status, error_type=error_type, error_detail=detail):
            return _lost(claim)
        article = session.get(Article, claim.article_id)
        if claim.kind != "ingest" and article.status == "done":
            # A failed refresh or reprocess keeps the good record; the job carries the error.
            return IngestResult(job_status)
        article.status = "failed"
        article.error_type, article.error_detail = error_type, detail
        delivery = enqueue_article_event(session, article)
        return IngestResult(job_status, delivery_id=delivery.id if delivery else None)


def _bury_if_exhausted(session: Session, job_id) -> IngestResult:
    """A message for a job that has used every attempt (a poison message): end it as dead, visibly."""
    job = exhausted_job(session, job_id)
    if job is None:
        return IngestResult("skipped")
    detail = f"gave up after {job.attempts} attempts; last error: {job.error_type or 'worker lost or timed out'}"
    article = session.get(Article, job.article_id)
    article.status, article.error_type, article.error_detail = "failed", "max_attempts_exceeded", detail
    finish_job(session, job_id, status="dead", error_type="max_attempts_exceeded", error_detail=detail)
    delivery = enqueue_article_event(session, article)
    return IngestResult("dead", delivery_id=delivery.id if delivery else None)
