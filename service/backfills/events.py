"""The one webhook of a backfill: sent when it finishes (done or cancelled), to its callback_url, signed with
the owner key's secret like every other event."""
from __future__ import annotations

from datetime import UTC, datetime

import msgspec
from sqlalchemy.orm import Session

from service.webhooks.events import new_message_id
from service.webhooks.models import WebhookDelivery

from .models import Backfill

BACKFILL_COMPLETED = "backfill.completed"
BACKFILL_CANCELLED = "backfill.cancelled"


def enqueue_backfill_event(session: Session, backfill: Backfill) -> WebhookDelivery | None:
    if not backfill.callback_url:
        return None
    from .progress import report

    session.flush()
    session.refresh(backfill)
    now = datetime.now(UTC)
    event_type = BACKFILL_CANCELLED if backfill.status == "cancelled" else BACKFILL_COMPLETED
    delivery = WebhookDelivery(
        id=new_message_id(), api_key_id=backfill.api_key_id, article_id=None, event_type=event_type,
        url=backfill.callback_url, status="pending", next_attempt_at=now,
        payload={"type": event_type, "timestamp": now.isoformat().replace("+00:00", "Z"),
                 "data": msgspec.to_builtins(report(session, backfill))},
    )
    session.add(delivery)
    session.flush()
    return delivery
