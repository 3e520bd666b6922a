"""Article routes: submit, read one, list/feed, synchronous preview."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from uuid import UUID

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from service.api_keys.service import Principal
from service.articles import service as articles
from service.articles.preview import preview
from service.articles.schemas import ArticleAccepted, ArticlePage, ArticleRead, ArticleSubmit
from service.articles.states import ArticleStatus
from service.db.uow import run_after_commit
from service.ratelimit.guard import fair_share

from .auth import INGEST, principal_of
from .dependencies import AppIngest, Ingest, Uow
from .problems import PROBLEM_RESPONSES


def _submit_in_transaction(
    ingest: Ingest, principal: Principal, data: ArticleSubmit, idempotency_key: str | None, priority: int
) -> articles.Submission:
    """`articles.submit` in one transaction (a worker thread), the broker send after its commit."""
    with ingest.uow() as uow:
        result = articles.submit(
            uow.session, principal, data, ingest.settings, idempotency_key=idempotency_key, priority=priority
        )
        if result.job_id is not None:
            job_id = result.job_id
            uow.after_commit(lambda: ingest.dispatcher.send_ingest(str(job_id), priority=priority))
    return result


class ArticleController(Controller):
    path = "/v1"
    tags = ["articles"]
    security = [{"BearerAuth": []}]

    @post(
        "/articles",
        opt=INGEST,
        responses={
            200: ResponseSpec(
                data_container=ArticleAccepted,
                description="A URL this key already stored: the existing record, nothing queued (refresh: true "
                "queues a new fetch and answers 202)",
                generate_examples=False,
            ),
            **PROBLEM_RESPONSES,
        },
        status_code=202,
        summary="Submit an article (url, html or text) for ingestion",
    )
    async def submit(
        self,
        request: Request,
        ingest: AppIngest,
        data: JSONBody[ArticleSubmit],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=255)] = None,
    ) -> Response[ArticleAccepted]:
        principal = principal_of(request)
        # Behind other keys' work past its share (one awaited Redis round trip).
        priority = await fair_share(request.app.state).priority(principal.key_id)
        if articles.submits_on_loop(data, idempotency_key):
            # On the event loop: each statement commits when it returns, so the send below follows the commit.
            result = await articles.submit_async(ingest.statements, principal, data, ingest.settings, priority=priority)
            if result.job_id is not None:
                job_id = str(result.job_id)
                run_after_commit(lambda: ingest.dispatcher.send_ingest(job_id, priority=priority))
        else:
            in_transaction = partial(_submit_in_transaction, ingest, principal, data, idempotency_key, priority)
            result = await to_thread.run_sync(in_transaction)
        body = ArticleAccepted(id=result.article.id, status=result.article.status)
        # 202 whenever work was queued (a new record, a refresh, or the first request an Idempotency-Key repeats);
        # 200 when an already ingested URL is returned as it is.
        return Response(
            body, status_code=202 if result.accepted else 200, headers={"Location": f"/v1/articles/{body.id}"}
        )

    @get(
        "/articles/{article_id:uuid}",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        summary="Read one article record",
    )
    async def get_one(self, request: Request, ingest: AppIngest, article_id: FromPath[UUID]) -> ArticleRead:
        return await articles.read_article(ingest.statements, principal_of(request), article_id)

    @get(
        "/articles",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="List articles in change order: a gap-free, cursor-paginated change feed",
    )
    def list(
        self,
        request: Request,
        uow: Uow,
        updated_after: Annotated[
            str | None,
            QueryParameter(
                description="A next_cursor from an earlier page, or an ISO 8601 timestamp with offset", max_length=200
            ),
        ] = None,
        status: Annotated[ArticleStatus | None, QueryParameter()] = None,
        language: Annotated[str | None, QueryParameter(max_length=8)] = None,
        site: Annotated[str | None, QueryParameter(max_length=255)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> ArticlePage:
        with uow:
            session = uow.session
            return articles.list_articles(
                session,
                principal_of(request),
                updated_after=updated_after,
                status=status,
                language=language,
                site=site,
                limit=limit,
            )

    @post(
        "/extract",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Extract synchronously and return the record; stores nothing",
    )
    def extract(self, request: Request, data: JSONBody[ArticleSubmit]) -> ArticleRead:
        state = request.app.state
        owner = principal_of(request).key_id

        def extract(content: str, kind: str, *, source_url: str | None):
            return state.previews.extract(owner, content, kind, source_url)

        def fetch(url: str, settings):
            return state.previews.fetch(owner, lambda: state.fetch(url, settings))

        return preview(data, state.settings, fetch=fetch, extract=extract)
