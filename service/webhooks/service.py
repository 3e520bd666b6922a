"""Webhook use cases shared by the reconciler and the API: due deliveries, listing, reading, replaying."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, exists, func, select, tuple_, update
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.errors import InvalidInput, NotFound, ServiceError
from service.kit import keyset

from . import endpoints
from .models import Replayable, WebhookAttempt, WebhookDelivery, WebhookEndpoint

REPLAYABLE = tuple(Replayable)
_REPLAY_DISPATCH_LIMIT = 500  # more are left due in Postgres for the reconciler, which pages through them


class ReplayConflict(ServiceError):
    status, type, title = 409, "replay_conflict", "The delivery cannot be replayed now"


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


DELIVERY_CURSOR = keyset.CursorCodec(
    (datetime.fromisoformat, str), "not a next_cursor from an earlier page", field="cursor"
)


def _owned(query: Select, principal: Principal) -> Select:
    return query if principal.is_admin else query.where(WebhookDelivery.api_key_id == principal.key_id)


def list_deliveries(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    event_type: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[WebhookDelivery], str | None]:
    """Newest first; the cursor is the (created_at, id) of the last row served, so pages never overlap."""
    query = _owned(select(WebhookDelivery), principal)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if event_type:
        query = query.where(WebhookDelivery.event_type == event_type)
    if created_after:
        query = query.where(WebhookDelivery.created_at >= created_after)
    if created_before:
        query = query.where(WebhookDelivery.created_at < created_before)
    if cursor:
        query = query.where(
            tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < tuple_(*DELIVERY_CURSOR.decode(cursor))
        )
    rows = list(
        session.scalars(query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit + 1))
    )
    return keyset.page(rows, limit, DELIVERY_CURSOR, lambda d: (d.created_at, d.id))


def get_delivery(session: Session, principal: Principal, delivery_id: str, *, lock: bool = False) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=lock)
    if delivery is None or not (principal.is_admin or delivery.api_key_id == principal.key_id):
        raise NotFound(f"webhook delivery {delivery_id} not found")
    return delivery


def list_attempts(session: Session, delivery_id: str) -> list[WebhookAttempt]:
    return list(
        session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
        )
    )


def replay(session: Session, principal: Principal, delivery_id: str) -> WebhookDelivery:
    """Make a finished delivery due now, with a fresh retry schedule. Same event, same webhook-id; the
    signature and timestamp are made anew when it is sent."""
    delivery = get_delivery(session, principal, delivery_id, lock=True)
    if delivery.status == "pending":
        raise ReplayConflict(f"webhook delivery {delivery_id} is still pending: it will be sent as scheduled")
    if endpoints.is_disabled(session, delivery.api_key_id, delivery.url):
        raise ReplayConflict(f"the endpoint {delivery.url} is disabled: re-enable it first")
    _make_due(delivery)
    session.flush()
    return delivery


def _make_due(delivery: WebhookDelivery) -> None:
    delivery.status, delivery.next_attempt_at = "pending", datetime.now(UTC)
    delivery.schedule_start = delivery.attempt_count


def replay_since(session: Session, principal: Principal, *, since: datetime, status: str) -> tuple[list[str], int]:
    """Replay every delivery with `status` created at or after `since`; returns (ids to send now, number
    skipped because their endpoint is disabled). Ids beyond the first few hundred are left to the reconciler."""
    if status not in REPLAYABLE:
        raise InvalidInput(f"status must be one of {', '.join(REPLAYABLE)}")
    endpoint_disabled = exists().where(
        WebhookEndpoint.api_key_id == WebhookDelivery.api_key_id,
        WebhookEndpoint.url_hash == endpoints.url_hash_sql(WebhookDelivery.url),
        WebhookEndpoint.disabled_at.is_not(None),
    )
    matching = [WebhookDelivery.status == status, WebhookDelivery.created_at >= since]
    if not principal.is_admin:
        matching.append(WebhookDelivery.api_key_id == principal.key_id)
    skipped = session.scalar(select(func.count()).select_from(WebhookDelivery).where(*matching, endpoint_disabled))
    ids = list(
        session.scalars(
            update(WebhookDelivery)
            .where(*matching, ~endpoint_disabled)
            .values(status="pending", next_attempt_at=func.now(), schedule_start=WebhookDelivery.attempt_count)
            .returning(WebhookDelivery.id)
            .execution_options(synchronize_session=False)
        )
    )
    return ids, skipped


def dispatchable(ids: list[str]) -> list[str]:
    return ids[:_REPLAY_DISPATCH_LIMIT]
