"""Backfill use cases for the admin API: read progress, pause, resume, cancel, list bad lines."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.errors import NotFound, ServiceError

from .events import enqueue_backfill_event
from .models import UNFINISHED_STATES, Backfill
from .progress import report
from .schemas import BackfillRead, LineError, LineErrorPage


class BackfillConflict(ServiceError):
    status, type, title = 409, "backfill_state_conflict", "The backfill is not in a state that allows this"


def get_backfill(session: Session, backfill_id, *, lock: bool = False) -> Backfill:
    query = select(Backfill).where(Backfill.id == backfill_id)
    backfill = session.scalar(query.with_for_update() if lock else query)
    if backfill is None:
        raise NotFound(f"backfill {backfill_id} not found")
    return backfill


def read_backfill(session: Session, backfill_id) -> BackfillRead:
    return report(session, get_backfill(session, backfill_id))


def pause(session: Session, backfill_id) -> Backfill:
    backfill = get_backfill(session, backfill_id, lock=True)
    if backfill.status not in UNFINISHED_STATES:
        raise BackfillConflict(f"a {backfill.status} backfill cannot be paused")
    backfill.status = "paused"  # lines still get prepared; nothing is released until resumed
    session.flush()
    return backfill


def resume(session: Session, backfill_id) -> Backfill:
    backfill = get_backfill(session, backfill_id, lock=True)
    if backfill.status not in UNFINISHED_STATES:
        raise BackfillConflict(f"a {backfill.status} backfill cannot be resumed")
    if backfill.status == "paused":
        backfill.status = "preparing" if backfill.prepared_through < backfill.last_line else "running"
        backfill.last_release_at = None  # no burst of credit for the paused time
    session.flush()
    return backfill


def cancel(session: Session, backfill_id) -> tuple[Backfill, str | None]:
    """Stop for good: pending items are cancelled and unprepared lines dropped. Jobs already released run to
    their end (at most the in-flight cap). Returns the webhook delivery to send, if any."""
    backfill = get_backfill(session, backfill_id, lock=True)
    if backfill.status not in UNFINISHED_STATES:
        raise BackfillConflict(f"a {backfill.status} backfill cannot be cancelled")
    b = {"b": backfill.id}
    cancelled = session.execute(
        text("UPDATE backfill_items SET state = 'cancelled' WHERE backfill_id = :b AND state = 'pending'"), b
    ).rowcount
    unprepared = session.execute(
        text("DELETE FROM backfill_lines WHERE backfill_id = :b AND line > :start AND error_type IS NULL"),
        {**b, "start": backfill.prepared_through},
    ).rowcount
    backfill.cancelled_items += cancelled + unprepared
    backfill.prepared_through = backfill.last_line
    backfill.status, backfill.finished_at = "cancelled", datetime.now(UTC)
    session.flush()
    delivery = enqueue_backfill_event(session, backfill)
    return backfill, delivery.id if delivery else None


def invalid_lines(session: Session, backfill_id, *, after: int, limit: int) -> LineErrorPage:
    get_backfill(session, backfill_id)
    rows = session.execute(
        text(
            "SELECT line, error_type, error_detail FROM backfill_lines "
            "WHERE backfill_id = :b AND error_type IS NOT NULL "
            "AND line > :after ORDER BY line LIMIT :limit"
        ),
        {"b": backfill_id, "after": after, "limit": limit},
    ).all()
    items = [LineError(line=line, type=t, detail=d or "") for line, t, d in rows]
    return LineErrorPage(items=items, next_after=items[-1].line if len(items) == limit else None)
