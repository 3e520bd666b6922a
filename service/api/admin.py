"""Admin routes: bulk backfills, re-extraction runs, failed jobs and retries. All need the `admin` scope."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from uuid import UUID

from anyio import from_thread, to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from service.articles import service as articles
from service.backfills import service as backfills
from service.backfills.accept import BackfillOptions, accept_backfill
from service.backfills.reprocess import create_reprocess
from service.backfills.schemas import (
    BackfillAccepted,
    BackfillRead,
    LineError,
    LineErrorPage,
    ReprocessRequest,
)
from service.db.uow import UnitOfWork
from service.errors import ServiceError
from service.jobs import admin as admin_jobs
from service.jobs.models import EndedBadly, JobKind
from service.jobs.schemas import JobPage, JobRetried, JobRetry

from .auth import ADMIN, principal_of
from .dependencies import AppDispatcher, AppSettings, Uow
from .problems import PROBLEM_RESPONSES
from .shares import take_slot


class UploadBusy(ServiceError):
    status, type, title = 503, "upload_busy", "Too many backfill uploads are being read right now"


class AdminController(Controller):
    path = "/v1/admin"
    tags = ["admin"]
    security = [{"BearerAuth": []}]

    # The body is read as a stream (the route's own cap is backfill_max_request_bytes), so the app-wide
    # request size limit does not apply here.
    @post(
        "/backfills",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        status_code=202,
        request_max_body_size=None,
        summary="Start a bulk backfill from NDJSON or a JSON array of URLs; answers at once with its id",
    )
    async def create_backfill(
        self,
        request: Request,
        refresh: Annotated[bool, QueryParameter(description="fetch again URLs that are already stored")] = False,
        callback_url: Annotated[
            str | None, QueryParameter(max_length=2048, description="told when the backfill finishes")
        ] = None,
        rate_per_second: Annotated[float | None, QueryParameter(gt=0, description="release rate ceiling")] = None,
    ) -> Response[BackfillAccepted]:
        state = request.app.state
        chunks = request.stream()

        async def next_chunk() -> bytes | None:
            try:
                return await chunks.__anext__()
            except StopAsyncIteration:
                return None

        def pull():  # the body as a plain iterator, for the thread that COPYs it into Postgres
            while (chunk := from_thread.run(next_chunk)) is not None:
                yield chunk

        def accept() -> BackfillAccepted:
            backfill, counts = accept_backfill(
                state.session_factory,
                principal_of(request),
                pull(),
                BackfillOptions(refresh, callback_url, rate_per_second),
                state.settings,
            )
            return BackfillAccepted(
                id=backfill.id,
                kind=backfill.kind,
                status=backfill.status,
                lines=counts.lines,
                invalid_lines=counts.invalid,
                status_url=f"/v1/admin/backfills/{backfill.id}",
                errors=[LineError(line=line, type=t, detail=d) for line, t, d in counts.errors],
            )

        release = take_slot(  # before the body is read: 429 past the key's share, 503 when the process is full
            state,
            principal_of(request).key_id,
            "backfill_upload_max_concurrent",
            "backfill uploads",
            UploadBusy,
            "this API process is reading as many backfill uploads as it allows; retry shortly",
        )
        try:
            body = await to_thread.run_sync(accept)
        finally:
            release()
        return Response(body, status_code=202, headers={"Location": body.status_url})

    @get(
        "/backfills/{backfill_id:uuid}",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="Progress of a backfill or reprocess run: totals by state, rate, ETA, errors by type",
    )
    def get_backfill(self, request: Request, uow: Uow, backfill_id: FromPath[UUID]) -> BackfillRead:
        with uow:
            session = uow.session
            return backfills.read_backfill(session, backfill_id)

    @get(
        "/backfills/{backfill_id:uuid}/invalid-lines",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="The bad lines of a backfill with their line numbers and reasons",
    )
    def get_invalid_lines(
        self,
        request: Request,
        uow: Uow,
        backfill_id: FromPath[UUID],
        after: Annotated[int, QueryParameter(ge=0, description="line number to continue after")] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> LineErrorPage:
        with uow:
            session = uow.session
            return backfills.invalid_lines(session, backfill_id, after=after, limit=limit)

    @post(
        "/backfills/{backfill_id:uuid}/pause",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Stop releasing jobs until resumed",
    )
    def pause(self, uow: Uow, backfill_id: FromPath[UUID]) -> BackfillRead:
        return self._change(uow, backfill_id, backfills.pause)

    @post(
        "/backfills/{backfill_id:uuid}/resume",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Release jobs again",
    )
    def resume(self, uow: Uow, backfill_id: FromPath[UUID]) -> BackfillRead:
        return self._change(uow, backfill_id, backfills.resume)

    @post(
        "/backfills/{backfill_id:uuid}/cancel",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Cancel what is not released yet; released jobs finish",
    )
    def cancel(
        self, request: Request, uow: Uow, dispatcher: AppDispatcher, backfill_id: FromPath[UUID]
    ) -> BackfillRead:
        with uow:
            backfill, delivery_id = backfills.cancel(uow.session, backfill_id)
            if delivery_id:
                uow.after_commit(partial(dispatcher.send_webhook, delivery_id))
            return backfills.report(uow.session, backfill)

    @post(
        "/reprocess",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=202,
        summary="Re-run the current pipeline on stored raw input (no fetching), as a tracked run",
    )
    def reprocess(
        self, request: Request, uow: Uow, settings: AppSettings, data: JSONBody[ReprocessRequest]
    ) -> Response[BackfillRead]:
        with uow:
            run = create_reprocess(uow.session, principal_of(request), data, settings)
            body = backfills.report(uow.session, run)
        return Response(body, status_code=202, headers={"Location": f"/v1/admin/backfills/{body.id}"})

    @get(
        "/jobs",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="Failed and dead jobs with their reasons, newest first",
    )
    def list_jobs(
        self,
        request: Request,
        uow: Uow,
        status: Annotated[EndedBadly | None, QueryParameter()] = None,
        error_type: Annotated[str | None, QueryParameter(max_length=64)] = None,
        kind: Annotated[JobKind | None, QueryParameter()] = None,
        backfill_id: Annotated[UUID | None, QueryParameter()] = None,
        before: Annotated[str | None, QueryParameter(max_length=200, description="next_cursor of a page")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> JobPage:
        with uow:
            session = uow.session
            return admin_jobs.list_jobs(
                session,
                status=status,
                error_type=error_type,
                kind=kind,
                backfill_id=backfill_id,
                before=before,
                limit=limit,
                source_urls=partial(articles.source_urls, session),
            )

    @post(
        "/jobs/retry",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Retry failed/dead jobs by ids or by a filter",
    )
    def retry_jobs(self, request: Request, uow: Uow, dispatcher: AppDispatcher, data: JSONBody[JobRetry]) -> JobRetried:
        with uow:
            retried = admin_jobs.retry_jobs(uow.session, data)
            articles.requeue_failed(uow.session, [article for _, _, article, kind in retried if kind == JobKind.INGEST])

            def send() -> None:
                for job_id, priority, _, _ in retried:
                    dispatcher.send_ingest(job_id, priority=priority)

            uow.after_commit(send)
        return JobRetried(retried=len(retried), ids=[UUID(job_id) for job_id, *_ in retried])

    @staticmethod
    def _change(uow: UnitOfWork, backfill_id: UUID, change) -> BackfillRead:
        with uow:
            return backfills.report(uow.session, change(uow.session, backfill_id))
