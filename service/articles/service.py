"""Article use cases shared by the API, the workers and the CLI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.errors import NotFound
from service.idempotency import service as idempotency
from service.jobs.models import Job
from service.jobs.service import create_job, new_job
from service.ratelimit.fair_share import LIVE_PRIORITY
from service.settings import Settings

from . import feed
from .models import Article
from .records import compress, dedupe_url, site_of, to_read
from .schemas import ArticlePage, ArticleRead, ArticleSubmit
from .states import ArticleStatus
from .validation import input_kind


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: uuid.UUID
    status: str


@dataclass(frozen=True, slots=True)
class Submission:
    article: Article | ArticleRef
    job_id: uuid.UUID | None  # None when an existing record was returned and no new work was queued
    created: bool  # a new record (a refresh queues work on an existing one)
    replayed: bool = False  # an Idempotency-Key repeat: answer as the first request was answered
    first_queued: bool = False  # for a repeat: whether the first request queued work

    @property
    def accepted(self) -> bool:
        """Work was queued by this request or by the first one it repeats (answered 202, else 200)."""
        return self.job_id is not None or (self.replayed and self.first_queued)


def submit(
    session: Session,
    principal: Principal,
    data: ArticleSubmit,
    settings: Settings,
    *,
    idempotency_key: str | None = None,
    priority: int = LIVE_PRIORITY,
) -> Submission:
    """Accept one submission (exactly one of url, html, text) for `principal` inside the caller's transaction.
    The job is stored (and re-sent by the reconciler) with `priority` (a broker priority; the API passes the
    key's fair-share priority, ratelimit.fair_share).

    A new article and its queued job, or, for a URL this key already stored, the existing record (a new
    `refresh` job when ``data.refresh``). With an `idempotency_key`, a repeat returns the first request's
    article (service.idempotency). The caller commits, then sends ``job_id`` to the broker.
    Raises InvalidInput (422: not exactly one input, bad URL, a callback_url delivery would refuse),
    PayloadTooLarge (413: a document over the pipeline's size limit),
    IdempotencyConflict (422: the key was used with a different body)."""
    kind = input_kind(data, settings)
    if idempotency_key:
        return _submit_idempotent(session, principal, data, kind, settings, idempotency_key, priority)
    return _create(session, principal, data, kind, settings, priority)


def _create(
    session: Session, principal: Principal, data: ArticleSubmit, kind: str, settings: Settings, priority: int
) -> Submission:
    if kind == "url":
        existing = session.scalar(
            select(Article)
            .where(
                Article.api_key_id == principal.key_id,
                Article.normalized_url == dedupe_url(data.url),
                Article.status != "failed",
            )
            .order_by(Article.created_at)
            .limit(1)
        )
        if existing is not None and not data.refresh:
            return Submission(existing, None, created=False)
        if existing is not None:
            # A refresh re-fetches into the same record, with a conditional request (ETag/Last-Modified).
            job_id = create_job(
                session, existing.id, kind="refresh", priority=priority, max_attempts=settings.max_attempts
            )
            return Submission(existing, job_id, created=False)
    # The article and its job in one statement (one round trip), compiled once: this is the API's hottest path.
    article_id = uuid.uuid4()
    source_url = data.url if kind == "url" else data.source_url
    job = new_job(article_id, priority=priority, max_attempts=settings.max_attempts)
    session.connection().execute(
        _INSERT_ARTICLE_AND_JOB,
        {
            **{f"job_{name}": value for name, value in job.items() if name != "article_id"},
            "id": article_id,
            "api_key_id": principal.key_id,
            "status": "queued",
            "input_kind": kind,
            "external_id": data.external_id,
            "source_url": source_url,
            "normalized_url": dedupe_url(data.url) if kind == "url" else None,
            "callback_url": data.callback_url,
            "raw_input": None if kind == "url" else compress(getattr(data, kind)),
            "site": site_of(source_url),
            "authors": [],
            "tags": [],
            "sidebars": [],
        },
    )
    return Submission(ArticleRef(article_id, "queued"), job["id"], created=True)


def _insert_article_and_job():
    """`WITH a AS (INSERT INTO articles ... RETURNING id) INSERT INTO jobs SELECT a.id, ...`: the article's
    columns as bind parameters of their own names, the job's (``new_job`` but article_id) prefixed ``job_``."""
    articles, jobs = Article.__table__, Job.__table__
    article_columns = (
        "id", "api_key_id", "status", "input_kind", "external_id", "source_url", "normalized_url", "callback_url",
        "raw_input", "site", "authors", "tags", "sidebars",
    )  # fmt: skip
    article = (
        articles.insert()
        .values({name: bindparam(name, type_=articles.c[name].type) for name in article_columns})
        .returning(articles.c.id)
        .cte("new_article")
    )
    job_columns = [name for name in new_job(None) if name != "article_id"]
    return jobs.insert().from_select(
        ["article_id", *job_columns],
        select(article.c.id, *[bindparam(f"job_{name}", type_=jobs.c[name].type) for name in job_columns]),
    )


_INSERT_ARTICLE_AND_JOB = _insert_article_and_job()


def _submit_idempotent(session, principal, data, kind, settings, key: str, priority: int) -> Submission:
    outcome = idempotency.run_once(
        session,
        api_key_id=principal.key_id,
        key=key,
        body_hash=idempotency.request_hash(msgspec.json.encode(data)),
        create=lambda: _create(session, principal, data, kind, settings, priority),
        article_of=lambda submission: submission.article.id,
        queued_of=lambda submission: submission.job_id is not None,
    )
    if isinstance(outcome, idempotency.Replay):
        status = session.scalar(select(Article.status).where(Article.id == outcome.article_id))
        return Submission(
            ArticleRef(outcome.article_id, status), None, created=False, replayed=True, first_queued=outcome.queued
        )
    return outcome


def source_urls(session: Session, article_ids: list[uuid.UUID]) -> dict[uuid.UUID, str | None]:
    """{article id: source URL} for the given ids (missing ids are left out)."""
    return dict(session.execute(select(Article.id, Article.source_url).where(Article.id.in_(article_ids))).all())


def requeue_failed(session: Session, article_ids: list[uuid.UUID]) -> None:
    """Failed articles whose ingest job is retried go back to `queued` without their error (a reprocess or
    refresh job's article keeps its record until the new result lands, so callers pass ingest jobs only)."""
    if article_ids:
        session.execute(
            update(Article)
            .where(Article.id.in_(article_ids), Article.status == ArticleStatus.FAILED)
            .values(status=ArticleStatus.QUEUED, error_type=None, error_detail=None)
        )


def read_article(session: Session, principal: Principal, article_id) -> ArticleRead:
    """The public record of one article, for its owner or an admin key; NotFound (404) otherwise.

    One Core SELECT of the record's columns (no ORM object, no raw page): GET by id is on the API's hot path."""
    row = session.connection().execute(_READ_ONE, {"article_id": article_id}).one_or_none()
    if row is None or not (principal.is_admin or row.api_key_id == principal.key_id):
        raise NotFound(f"article {article_id} not found")
    return to_read(row)


def _read_one():
    articles = Article.__table__
    columns = [articles.c[name] for name in (*ArticleRead.__struct_fields__, "api_key_id", "error_type", "error_detail")
               if name in articles.c]  # fmt: skip
    return select(*columns).where(articles.c.id == bindparam("article_id"))


_READ_ONE = _read_one()


def list_articles(
    session: Session,
    principal: Principal,
    *,
    updated_after: str | None,
    status: str | None,
    language: str | None,
    site: str | None,
    limit: int,
) -> ArticlePage:
    rows, next_cursor = feed.read_page(
        session,
        feed_selection(principal, updated_after=updated_after, status=status, language=language, site=site),
        limit=limit,
    )
    return ArticlePage(items=[to_read(r) for r in rows], next_cursor=next_cursor)


def feed_selection(
    principal: Principal, *, updated_after: str | None, status: str | None, language: str | None, site: str | None
) -> feed.Selection:
    """The feed filters of a request; a key sees its own articles, an admin key every key's."""
    position, since = feed.parse_updated_after(updated_after)
    return feed.Selection(
        owner_id=None if principal.is_admin else principal.key_id,
        position=position,
        updated_since=since,
        status=status,
        language=language,
        site=site,
    )
