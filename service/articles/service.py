"""Article use cases shared by the API, the workers and the CLI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy import bindparam, insert, literal_column, select, update
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.db.statements import Statements
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
    article: ArticleRef
    job_id: uuid.UUID | None  # None when an existing record was returned and no new work was queued
    created: bool  # a new record (a refresh queues work on an existing one)
    replayed: bool = False  # an Idempotency-Key repeat: answer as the first request was answered

    @property
    def accepted(self) -> bool:
        """Work was queued by this request or by the first one it repeats (answered 202, else 200)."""
        return self.job_id is not None or self.replayed


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
        existing = session.execute(_EXISTING_URL, _existing_url_params(principal, data)).one_or_none()
        if existing is not None and not data.refresh:
            return Submission(ArticleRef(existing.id, existing.status), None, created=False)
        if existing is not None:
            # A refresh re-fetches into the same record, with a conditional request (ETag/Last-Modified).
            job_id = create_job(
                session, existing.id, kind="refresh", priority=priority, max_attempts=settings.max_attempts
            )
            return Submission(ArticleRef(existing.id, existing.status), job_id, created=False)
    # The article and its job in one statement (one round trip), compiled once: this is the API's hottest path.
    article_id, job_id, params = _new_record(principal, data, kind, settings, priority)
    session.connection().execute(_INSERT_ARTICLE_AND_JOB, params)
    return Submission(ArticleRef(article_id, "queued"), job_id, created=True)


ON_LOOP_MAX_HTML = 64 * 1024  # characters of html checked on the event loop (scan_markup: ~15 ms per MB)


def submits_on_loop(data: ArticleSubmit, idempotency_key: str | None) -> bool:
    """Whether `submit_async` may take this submission on the event loop: no Idempotency-Key (its protocol takes
    several statements in one transaction), no callback_url (its check may resolve DNS, up to
    callback_dns_timeout), and no html over ON_LOOP_MAX_HTML characters (its markup scan is CPU that would hold
    every other request). Everything else goes to `submit` in a thread."""
    return (
        not idempotency_key and data.callback_url is None and (data.html is None or len(data.html) <= ON_LOOP_MAX_HTML)
    )


async def submit_async(
    statements: Statements, principal: Principal, data: ArticleSubmit, settings: Settings, *, priority: int
) -> Submission:
    """`submit` without an Idempotency-Key (see `submits_on_loop`) for the event loop: each statement is its own
    transaction, committed when it returns (one round trip for a new record; two for a URL: the lookup of this
    key's copy, then the insert, with the same race between them as `submit`'s transaction at READ COMMITTED).
    The caller sends ``job_id`` to the broker after it returns. Raises as `submit`."""
    kind = input_kind(data, settings)
    if kind == "url":
        existing = await statements.fetch_one(_EXISTING_URL, _existing_url_params(principal, data))
        if existing is not None and not data.refresh:
            return Submission(ArticleRef(existing.id, existing.status), None, created=False)
        if existing is not None:
            job = new_job(existing.id, kind="refresh", priority=priority, max_attempts=settings.max_attempts)
            await statements.execute(_INSERT_JOB, job)
            return Submission(ArticleRef(existing.id, existing.status), job["id"], created=False)
    article_id, job_id, params = _new_record(principal, data, kind, settings, priority)
    await statements.execute(_INSERT_ARTICLE_AND_JOB, params)
    return Submission(ArticleRef(article_id, "queued"), job_id, created=True)


def _new_record(
    principal: Principal, data: ArticleSubmit, kind: str, settings: Settings, priority: int
) -> tuple[uuid.UUID, uuid.UUID, dict]:
    """(article id, job id, the parameters of _INSERT_ARTICLE_AND_JOB) for a new queued article and its job."""
    article_id = uuid.uuid4()
    source_url = data.url if kind == "url" else data.source_url
    job = new_job(article_id, priority=priority, max_attempts=settings.max_attempts)
    params = {
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
    }
    return article_id, job["id"], params


def _existing_url_params(principal: Principal, data: ArticleSubmit) -> dict:
    return {"api_key_id": principal.key_id, "normalized_url": dedupe_url(data.url)}


# This key's oldest record of a URL that did not fail: a repeat submission returns it (or refreshes it).
_EXISTING_URL = (
    select(Article.id, Article.status)
    .where(
        Article.api_key_id == bindparam("api_key_id"),
        Article.normalized_url == bindparam("normalized_url"),
        Article.status != "failed",
    )
    .order_by(Article.created_at)
    .limit(1)
)
_INSERT_JOB = insert(Job)


def _insert_article_and_job():
    """`WITH a AS (INSERT INTO articles ... RETURNING id) INSERT INTO jobs SELECT a.id, ...`: the article's
    columns as bind parameters of their own names, the job's (``new_job`` but article_id) prefixed ``job_``."""
    articles, jobs = Article.__table__, Job.__table__
    article_columns = (
        "id", "api_key_id", "status", "input_kind", "external_id", "source_url", "normalized_url", "callback_url",
        "raw_input", "site",
    )  # fmt: skip
    empty = {  # constants in the statement, not parameters: binding an empty ARRAY costs more than the rest
        "authors": literal_column("'{}'::text[]"),
        "tags": literal_column("'{}'::text[]"),
        "sidebars": literal_column("'[]'::jsonb"),
    }
    article = (
        articles.insert()
        .values({name: bindparam(name, type_=articles.c[name].type) for name in article_columns} | empty)
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
    )
    if isinstance(outcome, idempotency.Replay):
        status = session.scalar(select(Article.status).where(Article.id == outcome.article_id))
        return Submission(ArticleRef(outcome.article_id, status), None, created=False, replayed=True)
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


async def read_article(statements: Statements, principal: Principal, article_id) -> ArticleRead:
    """The public record of one article, for its owner or an admin key; NotFound (404) otherwise.

    One Core SELECT of the record's columns (no ORM object, no raw page), awaited on the event loop: GET by id is
    on the API's hot path."""
    row = await statements.fetch_one(_READ_ONE, {"article_id": article_id})
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
