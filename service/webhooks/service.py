"""Webhook queries shared by the reconciler and the API."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import WebhookDelivery


def list_due_deliveries(session: Session, *, limit: int = 500) -> list[str]:
    """Pending deliveries whose time has come (their message may be lost, or was never sent)."""
    return list(
        session.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= datetime.now(UTC))
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
    )
