"""Re-extraction runs: select stored articles by a filter, then release `reprocess` jobs for them through the
backfill releaser (same rate, in-flight cap, low priority and progress report). The worker re-runs the
current pipeline on the stored raw input without fetching, and the article trigger moves each updated record
to the head of the change feed, so consumers see the new extraction there."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.errors import InvalidInput
from service.settings import Settings
from service.webhooks.targets import check_callback_url

from .models import Backfill
from .schemas import ReprocessRequest

# Only finished articles with raw input: a queued one is still being ingested and has nothing to redo yet.
_BASE = "a.raw_input IS NOT NULL AND a.status IN ('done', 'failed')"
_FILTERS = {
    "ids": "a.id = ANY(CAST(:ids AS uuid[]))",
    "site": "a.site = :site",
    "language": "a.language = :language",
    # Dotted versions compare as number arrays (2026.11.10 is newer than 2026.11.9); numeric never overflows.
    "extractor_version_before": "(a.extractor_version IS NULL OR a.extractor_version !~ '^[0-9]+(\\.[0-9]+)*$' "
    "OR CAST(string_to_array(a.extractor_version, '.') AS numeric[]) "
    "< CAST(string_to_array(:extractor_version_before, '.') AS numeric[]))",
    "created_after": "a.created_at >= :created_after",
    "created_before": "a.created_at < :created_before",
}


def create_reprocess(session: Session, principal: Principal, request: ReprocessRequest, settings: Settings) -> Backfill:
    given = {name: getattr(request, name) for name in _FILTERS if getattr(request, name) is not None}
    if not given and not request.all:
        raise InvalidInput(
            "give at least one filter (ids, site, language, extractor_version_before, created_after, "
            "created_before), or `all: true` to re-extract every stored article"
        )
    rate = request.rate_per_second or settings.backfill_rate_per_second
    if rate > settings.backfill_max_rate_per_second:
        raise InvalidInput(
            f"rate_per_second may not exceed {settings.backfill_max_rate_per_second}",
            extra={"field": "rate_per_second"},
        )
    callback = check_callback_url(request.callback_url, settings) if request.callback_url else None
    backfill = Backfill(
        id=uuid.uuid4(),
        api_key_id=principal.key_id,
        kind="reprocess",
        status="running",
        refresh=True,
        callback_url=callback,
        rate_per_second=rate,
        filter=msgspec.to_builtins({**given, "all": request.all}),
    )
    session.add(backfill)
    session.flush()
    where = " AND ".join([_BASE, *(_FILTERS[name] for name in given)])
    params = {**given, "b": backfill.id}
    if "ids" in params:
        params["ids"] = list(params["ids"])
    session.execute(text("SET LOCAL statement_timeout = '5min'"))
    selected = session.execute(
        text(
            "INSERT INTO backfill_items (backfill_id, line, article_id, site, state) "
            "SELECT :b, row_number() OVER (ORDER BY a.created_at, a.id), a.id, a.site, 'pending' "
            f"FROM articles a WHERE {where}"
        ),
        params,
    ).rowcount
    backfill.total_lines = backfill.last_line = backfill.prepared_through = backfill.unique_items = selected
    if selected == 0:
        backfill.status, backfill.finished_at = "done", datetime.now(UTC)
    session.flush()
    return backfill
