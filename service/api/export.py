"""NDJSON export of a filtered selection: one record per line, streamed in keyset batches in constant memory."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import msgspec
from litestar import Controller, Request, get
from litestar.datastructures import ResponseHeader
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from service.articles import feed
from service.articles import service as articles
from service.articles.states import ArticleStatus
from service.articles.records import to_read

from .auth import principal_of
from .problems import PROBLEM_RESPONSES

INGEST = {"scope": "ingest"}
NDJSON = "application/x-ndjson"
BATCH_SIZE = 500


class ExportController(Controller):
    path = "/v1"
    tags = ["articles"]
    security = [{"BearerAuth": []}]

    @get("/articles/export", opt=INGEST, responses=PROBLEM_RESPONSES, sync_to_thread=True, media_type=NDJSON,
         summary="Export the selected articles as NDJSON (one record per line), streamed",
         description="Same filters as the list. Every line is a record as in GET /v1/articles/{id}, in change "
                     "order, all from one snapshot. Pass the Next-Cursor header as `updated_after` to the list "
                     "to follow every change after the export, without a gap.",
         response_headers=[ResponseHeader(name="Next-Cursor", documentation_only=True,
                                           description="Feed cursor positioned right after this export")])
    def export(
        self,
        request: Request,
        updated_after: Annotated[str | None, QueryParameter(
            description="A next_cursor from the feed, or an ISO 8601 timestamp with offset", max_length=200)] = None,
        status: Annotated[ArticleStatus | None, QueryParameter()] = None,
        language: Annotated[str | None, QueryParameter(max_length=8)] = None,
        site: Annotated[str | None, QueryParameter(max_length=255)] = None,
    ) -> Stream:
        # Validate before the first byte: a bad cursor is a 422 problem, not a broken stream.
        selection = articles.feed_selection(principal_of(request), updated_after=updated_after, status=status,
                                            language=language, site=site)
        session = request.app.state.session_factory()
        try:
            _one_snapshot(session)
            horizon = feed.read_horizon(session)
        except BaseException:
            session.close()
            raise
        return Stream(_lines(session, selection, horizon), media_type=NDJSON,
                      headers={"Next-Cursor": feed.encode_cursor(*feed.horizon_position(horizon))})


def _one_snapshot(session: Session) -> None:
    """REPEATABLE READ: every batch reads the snapshot the horizon was taken in, so a row updated during the
    export is exported once, as it was; its new version follows in the feed after Next-Cursor. (A session
    joined to an outer transaction, as in tests, keeps that transaction's isolation.)"""
    if not isinstance(session.get_bind(), Connection):
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _lines(session: Session, selection: feed.Selection, horizon: feed.Horizon) -> Iterator[bytes]:
    encoder = msgspec.json.Encoder()
    try:
        for batch in feed.iter_batches(session, selection, horizon, batch_size=BATCH_SIZE):
            yield b"".join(encoder.encode(to_read(article)) + b"\n" for article in batch)
    finally:  # also on client disconnect: the generator is closed and the connection goes back to the pool
        session.rollback()
        session.close()
