"""NDJSON export of a filtered selection: one record per line, streamed in keyset batches in constant memory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import Annotated

import msgspec
from anyio import to_thread
from litestar import Controller, Litestar, Request, get
from litestar.datastructures import ResponseHeader
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from service.articles import feed
from service.articles import service as articles
from service.articles.records import to_read
from service.articles.states import ArticleStatus
from service.errors import ServiceError

from .auth import INGEST, principal_of
from .problems import PROBLEM_RESPONSES
from .shares import take_slot

NDJSON = "application/x-ndjson"
BATCH_SIZE = 500


_LINES = "export_lines"  # the response's generator, in the request state for the middleware to close


class ExportBusy(ServiceError):
    status, type, title = 503, "export_busy", "Too many exports are streaming right now"


def write_timeout(app):
    """ASGI middleware for the export route: a body chunk the client has not taken within
    `export_write_timeout_seconds` raises TimeoutError, which ends the response; the generator is closed and
    its transaction rolled back (a reader that stops reading otherwise held it, idle in transaction, forever)."""

    async def middleware(scope, receive, send):
        seconds = Litestar.from_scope(scope).state.settings.export_write_timeout_seconds

        async def send_within(message):
            if message["type"] == "http.response.body":
                await asyncio.wait_for(send(message), seconds)
            else:
                await send(message)

        try:
            await app(scope, receive, send_within)
        finally:
            # Close the generator now, in a thread (it rolls back): left suspended, it would keep its
            # transaction open until garbage collection.
            lines = scope.get("state", {}).pop(_LINES, None)
            if lines is not None:
                await to_thread.run_sync(_close, lines)

    return middleware


def _close(lines: Iterator[bytes]) -> None:
    with contextlib.suppress(ValueError):  # still running in another thread: it closes itself when that step returns
        lines.close()


class ExportController(Controller):
    path = "/v1"
    tags = ["articles"]
    security = [{"BearerAuth": []}]

    @get(
        "/articles/export",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        media_type=NDJSON,
        middleware=[write_timeout],
        summary="Export the selected articles as NDJSON (one record per line), streamed",
        description="Same filters as the list. Every line is a record as in GET /v1/articles/{id}, in change "
        "order, all from one snapshot. Pass the Next-Cursor header as `updated_after` to the list "
        "to follow every change after the export, without a gap.",
        response_headers=[
            ResponseHeader(
                name="Next-Cursor",
                documentation_only=True,
                description="Feed cursor positioned right after this export",
            )
        ],
    )
    def export(
        self,
        request: Request,
        updated_after: Annotated[
            str | None,
            QueryParameter(
                description="A next_cursor from the feed, or an ISO 8601 timestamp with offset", max_length=200
            ),
        ] = None,
        status: Annotated[ArticleStatus | None, QueryParameter()] = None,
        language: Annotated[str | None, QueryParameter(max_length=8)] = None,
        site: Annotated[str | None, QueryParameter(max_length=255)] = None,
    ) -> Stream:
        # Validate before the first byte: a bad cursor is a 422 problem, not a broken stream.
        selection = articles.feed_selection(
            principal_of(request), updated_after=updated_after, status=status, language=language, site=site
        )
        release = take_slot(  # 429 past the key's share, 503 when the process streams as many as it allows
            request.app.state,
            principal_of(request).key_id,
            "export_max_concurrent",
            "exports",
            ExportBusy,
            "this API process is streaming as many exports as it allows; retry shortly",
        )

        session = request.app.state.session_factory()
        try:
            _one_snapshot(session)
            horizon = feed.read_horizon(session)
        except BaseException:
            session.close()
            release()
            raise
        lines = request.state[_LINES] = _lines(session, selection, horizon, release)
        return Stream(
            lines, media_type=NDJSON, headers={"Next-Cursor": feed.encode_cursor(*feed.horizon_position(horizon))}
        )


def _one_snapshot(session: Session) -> None:
    """REPEATABLE READ: every batch reads the snapshot the horizon was taken in, so a row updated during the
    export is exported once, as it was; its new version follows in the feed after Next-Cursor. (A session
    joined to an outer transaction, as in tests, keeps that transaction's isolation.)"""
    if not isinstance(session.get_bind(), Connection):
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _lines(
    session: Session, selection: feed.Selection, horizon: feed.Horizon, release: Callable[[], None]
) -> Iterator[bytes]:
    encoder = msgspec.json.Encoder()
    try:
        for batch in feed.iter_batches(session, selection, horizon, batch_size=BATCH_SIZE):
            yield b"".join(encoder.encode(to_read(article)) + b"\n" for article in batch)
    finally:  # also on client disconnect or write timeout: the connection goes back to the pool
        try:
            session.rollback()
            session.close()
        finally:
            release()
