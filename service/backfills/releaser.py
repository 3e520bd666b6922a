"""The releaser (run by beat every `backfill_tick_seconds`): prepares lines, turns pending items into
articles + jobs, and closes finished backfills.

Release is bounded three ways, so a million-URL backfill never crowds out the newsroom's live traffic:
- rate: each backfill releases at most `rate_per_second` jobs per second (credit accrues between ticks);
- in flight: all backfills together keep at most `backfill_max_in_flight` jobs queued or running, so the
  broker never holds a deep backlog that live messages would wait behind;
- per site: at most `backfill_per_host_in_flight` of those for one site, below the fetcher's politeness
  limits, so backfill jobs do not burn their attempts on `host_busy`.
Jobs go out at the backfill priority (below live, see priority.py). Items, articles and jobs change in one
transaction and messages are sent after it commits; a message lost in between is re-sent by the reconciler.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings

from .events import enqueue_backfill_event
from .models import ACTIVE_STATES, UNFINISHED_STATES, Backfill
from .prepare import prepare_next_batch
from .priority import backfill_priority
from .upload_lease import fail_lapsed_uploads

log = logging.getLogger(__name__)
_MAX_CREDIT_TICKS = 2  # after a stall, release at most two ticks' worth at once
_TICK_LOCK = 0x6261636B66696C6C  # "backfill": the advisory lock key of the releaser pass

_IN_FLIGHT = text("SELECT count(*) FROM jobs WHERE backfill_id IS NOT NULL AND status IN ('queued', 'running')")
_SITES_IN_FLIGHT = text("""
SELECT coalesce(a.site, ''), count(*) FROM jobs j JOIN articles a ON a.id = j.article_id
WHERE j.backfill_id IS NOT NULL AND j.status IN ('queued', 'running') AND j.kind = 'ingest'
GROUP BY 1
""")
# The head of the pending items in file order, at most `room` per site in this release.
_CHOOSE_URLS = text("""
WITH head AS (
    SELECT line, coalesce(site, '') AS site FROM backfill_items
    WHERE backfill_id = :b AND state = 'pending' ORDER BY line LIMIT :scan
), ranked AS (
    SELECT line, site, row_number() OVER (PARTITION BY site ORDER BY line) AS rank FROM head
)
SELECT line FROM ranked
WHERE rank <= :per_site - coalesce((CAST(:busy AS jsonb) ->> site)::int, 0)
ORDER BY line LIMIT :budget
""")
_CHOOSE_ANY = text(
    "SELECT line FROM backfill_items WHERE backfill_id = :b AND state = 'pending' ORDER BY line LIMIT :budget"
)
# Without `refresh`, a URL already stored (by any key, not failed) is linked, not fetched again.
_MARK_EXISTING = text("""
WITH found AS (
    SELECT DISTINCT ON (i.line) i.line, a.id FROM backfill_items i
    JOIN articles a ON a.normalized_url = i.normalized_url AND a.status <> 'failed'
    WHERE i.backfill_id = :b AND i.line = ANY(CAST(:lines AS bigint[]))
    ORDER BY i.line, a.created_at
)
UPDATE backfill_items i SET state = 'existing', article_id = found.id FROM found
WHERE i.backfill_id = :b AND i.line = found.line
RETURNING i.line
""")
_RELEASE_URLS = text("""
WITH chosen AS (
    UPDATE backfill_items SET state = 'released', article_id = gen_random_uuid(), job_id = gen_random_uuid()
    WHERE backfill_id = :b AND line = ANY(CAST(:lines AS bigint[])) AND state = 'pending'
    RETURNING article_id, job_id, url, normalized_url, site, external_id, callback_url
), made AS (
    INSERT INTO articles (id, api_key_id, status, input_kind, external_id, source_url, normalized_url,
                          callback_url, site, authors, tags, sidebars)
    SELECT article_id, :api_key_id, 'queued', 'url', external_id, url, normalized_url, callback_url, site,
           '{}', '{}', '[]'::jsonb FROM chosen
    RETURNING id  -- runs to completion though unreferenced; the jobs' foreign keys are checked at statement end
)
INSERT INTO jobs (id, article_id, kind, status, priority, attempts, max_attempts, backfill_id)
SELECT job_id, article_id, 'ingest', 'queued', :priority, 0, :max_attempts, :b FROM chosen
RETURNING id
""")
_RELEASE_REPROCESS = text("""
WITH chosen AS (
    UPDATE backfill_items SET state = 'released', job_id = gen_random_uuid()
    WHERE backfill_id = :b AND line = ANY(CAST(:lines AS bigint[])) AND state = 'pending'
    RETURNING article_id, job_id
)
INSERT INTO jobs (id, article_id, kind, status, priority, attempts, max_attempts, backfill_id)
SELECT c.job_id, c.article_id, 'reprocess', 'queued', :priority, 0, :max_attempts, :b
FROM chosen c JOIN articles a ON a.id = c.article_id
RETURNING id
""")


@dataclass
class TickResult:
    jobs: list[tuple[str, int]] = field(default_factory=list)  # (job id, priority) to send
    deliveries: list[str] = field(default_factory=list)  # webhook deliveries to send
    prepared_lines: int = 0
    finished: list[str] = field(default_factory=list)


def run_tick(
    session_factory: sessionmaker[Session],
    settings: Settings,
    *,
    prepare_seconds: float | None = None,
    max_release: int | None = None,
) -> TickResult:
    """One releaser pass over every active backfill. The caller sends the returned jobs and deliveries.

    One pass at a time, cluster-wide (an advisory lock): beat sends a tick every second and a pass may prepare
    for longer, so without it ticks would pile onto every worker process and crowd out live ingestion.
    The lock's session runs no write, so it holds back neither vacuum nor the change feed's horizon."""
    with session_factory() as lock:
        if not lock.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _TICK_LOCK}).scalar_one():
            return TickResult()  # another pass is running
        try:
            return _pass(session_factory, settings, prepare_seconds, max_release)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _TICK_LOCK})
            lock.commit()  # on the connection that took the lock; nothing was written in this transaction


def _pass(session_factory, settings: Settings, prepare_seconds: float | None, max_release: int | None) -> TickResult:
    result = TickResult()
    with session_factory.begin() as session:
        for failed in fail_lapsed_uploads(session, settings.backfill_upload_lease_seconds):
            log.warning("backfill %s: upload lease lapsed; ended failed", failed)
    with session_factory() as session:
        ids = list(
            session.scalars(
                select(Backfill.id).where(Backfill.status.in_(UNFINISHED_STATES)).order_by(Backfill.created_at)
            )
        )
    deadline = time.monotonic() + (settings.backfill_prepare_seconds if prepare_seconds is None else prepare_seconds)
    for backfill_id in ids:  # at least one batch each, then more while time is left
        while True:
            with session_factory.begin() as session:
                read = prepare_next_batch(session, backfill_id, settings.backfill_prepare_batch)
            if read is None:
                break
            result.prepared_lines += read
            if time.monotonic() >= deadline:
                break
    for backfill_id in ids:
        with session_factory.begin() as session:
            result.jobs += release(session, backfill_id, settings, max_release=max_release)
    for backfill_id in ids:
        with session_factory.begin() as session:
            delivery = finish_if_complete(session, backfill_id)
            if delivery is not False:
                result.finished.append(str(backfill_id))
                if delivery:
                    result.deliveries.append(delivery)
    return result


def release(
    session: Session, backfill_id, settings: Settings, *, max_release: int | None = None, now: datetime | None = None
) -> list[tuple[str, int]]:
    backfill = session.scalar(
        select(Backfill)
        .where(Backfill.id == backfill_id, Backfill.status.in_(ACTIVE_STATES))
        .with_for_update(skip_locked=True)
    )
    if backfill is None:
        return []
    now = now or datetime.now(UTC)
    tick = max(settings.backfill_tick_seconds, 0.01)
    rate = backfill.rate_per_second
    # credit accrues over at most two ticks after a stall, or over as long as one job takes at a lower rate
    window = max(tick * _MAX_CREDIT_TICKS, 1.0 / rate)
    last = backfill.last_release_at
    gap = (now - last).total_seconds() if last is not None else 0.0
    # the first tick starts the backfill, whatever its rate
    credit = int(rate * min(max(gap, 0.0), window)) if last is not None else max(1, int(rate * tick))
    room = settings.backfill_max_in_flight - session.execute(_IN_FLIGHT).scalar_one()
    budget = min(credit, room) if max_release is None else max_release
    if credit < 1 and max_release is None:
        return []  # keep accruing: last_release_at stays, so fractional rates still release
    if last is not None and budget == credit and gap <= window + tick:
        # the clock moves on by what was spent, so the fraction of a job earned carries over to the next tick
        # (never more than a window's worth behind: 0.9/s released 0.52/s when the fraction was dropped)
        backfill.last_release_at = max(last + timedelta(seconds=credit / rate), now - timedelta(seconds=window))
    else:
        backfill.last_release_at = now  # a start, a stall, or a full in-flight cap: no carry-over
    if budget <= 0:
        return []
    params = {"b": backfill_id, "budget": budget}
    if backfill.kind == "reprocess":
        lines = list(session.scalars(_CHOOSE_ANY, params))
    else:
        busy = dict(session.execute(_SITES_IN_FLIGHT).all())
        lines = list(
            session.scalars(
                _CHOOSE_URLS,
                {
                    **params,
                    "scan": max(budget * 20, 5000),
                    "busy": json.dumps(busy),
                    "per_site": settings.backfill_per_host_in_flight,
                },
            )
        )
    if not lines:
        return []
    if backfill.kind == "urls" and not backfill.refresh:
        existing = set(session.scalars(_MARK_EXISTING, {"b": backfill_id, "lines": lines}))
        backfill.existing += len(existing)
        lines = [line for line in lines if line not in existing]
    priority = backfill_priority(settings)
    job_ids: list = []
    if lines:
        statement = _RELEASE_REPROCESS if backfill.kind == "reprocess" else _RELEASE_URLS
        job_ids = list(
            session.scalars(
                statement,
                {
                    "b": backfill_id,
                    "lines": lines,
                    "api_key_id": backfill.api_key_id,
                    "priority": priority,
                    "max_attempts": settings.max_attempts,
                },
            )
        )
    backfill.released += len(lines)
    session.flush()
    return [(str(job_id), priority) for job_id in job_ids]


def finish_if_complete(session: Session, backfill_id) -> str | bool | None:
    """Mark a backfill done once every line is prepared, no item is pending and no job is open.
    Returns False when it is not finished, else the id of its webhook delivery (None without a callback)."""
    backfill = session.scalar(
        select(Backfill)
        .where(Backfill.id == backfill_id, Backfill.status == "running")
        .with_for_update(skip_locked=True)
    )
    if backfill is None or backfill.prepared_through < backfill.last_line:
        return False
    busy = session.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM backfill_items WHERE backfill_id = :b AND state = 'pending') "
            "OR EXISTS (SELECT 1 FROM jobs WHERE backfill_id = :b AND status IN ('queued', 'running'))"
        ),
        {"b": backfill_id},
    ).scalar_one()
    if busy:
        return False
    backfill.status, backfill.finished_at = "done", datetime.now(UTC)
    session.flush()
    log.info("backfill %s is done", backfill_id)
    delivery = enqueue_backfill_event(session, backfill)
    return delivery.id if delivery else None
