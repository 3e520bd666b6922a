"""Article routes: submit, read one, list/feed, synchronous preview."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from service.articles import service as articles
from service.articles.preview import preview
from service.articles.schemas import ArticleAccepted, ArticlePage, ArticleRead, ArticleSubmit
from service.articles.states import ArticleStatus

from .auth import INGEST, SUBMISSION, principal_of, priority_of
from .dependencies import AppDispatcher, AppSettings, Uow
from .document_probe import DOCUMENT_ROUTE
from .problems import PROBLEM_RESPONSES


class ArticleController(Controller):
    path = "/v1"
    tags = ["articles"]
    security = [{"BearerAuth": []}]

    @post(
        "/articles",
        opt={**SUBMISSION, **DOCUMENT_ROUTE},
        responses={
            200: ResponseSpec(
                data_container=ArticleAccepted,
                description="A URL this key already stored: the existing record, nothing queued (refresh: true "
                "queues a new fetch and answers 202)",
                generate_examples=False,
            ),
            **PROBLEM_RESPONSES,
        },
        sync_to_thread=True,
        status_code=202,
        summary="Submit an article (url, html or text) for ingestion",
    )
    def submit(
        self,
        request: Request,
        uow: Uow,
        settings: AppSettings,
        dispatcher: AppDispatcher,
        data: JSONBody[ArticleSubmit],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=255)] = None,
    ) -> Response[ArticleAccepted]:
        principal = principal_of(request)
        priority = priority_of(request)  # behind other keys' work past its fair share (counted by the guard)
        with uow:
            result = articles.submit(
                uow.session, principal, data, settings, idempotency_key=idempotency_key, priority=priority
            )
            if result.job_id is not None:
                job_id = result.job_id
                uow.after_commit(lambda: dispatcher.send_ingest(str(job_id), priority=priority))
            body = ArticleAccepted(id=result.article.id, status=result.article.status)
        # 202 whenever work was queued (a new record, a refresh); 200 when an already ingested URL is returned as
        # it is; an Idempotency-Key repeat gets the status code of the first request it repeats.
        return Response(
            body, status_code=202 if result.accepted else 200, headers={"Location": f"/v1/articles/{body.id}"}
        )

    @get(
        "/articles/{article_id:uuid}",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="Read one article record",
    )
    def get_one(self, request: Request, uow: Uow, article_id: FromPath[UUID]) -> ArticleRead:
        with uow:
            return articles.read_article(uow.session, principal_of(request), article_id)

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
        opt={**INGEST, **DOCUMENT_ROUTE},
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
