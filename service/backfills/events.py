"""The one webhook of a backfill: sent when it finishes (done or cancelled), to its callback_url, signed with
the owner key's secret like every other event (service.webhooks.events.record_event)."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Row
from sqlalchemy.orm import Session

from service.webhooks.events import record_event

from .models import Backfill

BACKFILL_COMPLETED = "backfill.completed"
BACKFILL_CANCELLED = "backfill.cancelled"


def enqueue_backfill_event(session: Session, backfill: Backfill) -> Row[Any] | None:
    """Record the backfill's completed/cancelled event for its callback URL (the delivery's Core row, see
    record_event); None when it has none."""
    if not backfill.callback_url:
        return None
    from .progress import report

    session.flush()
    session.refresh(backfill)
    event_type = BACKFILL_CANCELLED if backfill.status == "cancelled" else BACKFILL_COMPLETED
    return record_event(
        session,
        api_key_id=backfill.api_key_id,
        url=backfill.callback_url,
        event_type=event_type,
        data=msgspec.to_builtins(report(session, backfill)),
    )
