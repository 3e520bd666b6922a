"""Webhook routes: delivery log with attempts, replays, disabled endpoints, secret rotation.

A key sees and replays its own deliveries; an admin key sees all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import Body, FromPath, JSONBody, Parameter, QueryParameter

from service.errors import InvalidQueryParameter
from service.webhooks import endpoints
from service.webhooks import service as webhooks
from service.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.webhooks.schemas import (
    WebhookAttemptRead,
    WebhookDeliveryDetail,
    WebhookDeliveryPage,
    WebhookDeliveryRead,
    WebhookEndpointRead,
    WebhookReplayAll,
    WebhookReplayed,
    WebhookSecretRotate,
    WebhookSecretRotated,
)
from service.webhooks.secrets import rotate_secret

from .auth import INGEST, principal_of
from .dependencies import AppDispatcher, AppSettings, Uow
from .problems import PROBLEM_RESPONSES

DeliveryId = Annotated[str, Parameter(max_length=40)]
_DELIVERY_FIELDS = tuple(WebhookDeliveryRead.__struct_fields__)


def _read(delivery: WebhookDelivery) -> WebhookDeliveryRead:
    return WebhookDeliveryRead(**{f: getattr(delivery, f) for f in _DELIVERY_FIELDS})


def _detail(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> WebhookDeliveryDetail:
    return WebhookDeliveryDetail(
        **{f: getattr(delivery, f) for f in _DELIVERY_FIELDS},
        payload=delivery.payload,
        attempts=[
            WebhookAttemptRead(
                attempted_at=a.attempted_at, status_code=a.status_code, latency_ms=a.latency_ms, error=a.error
            )
            for a in attempts
        ],
    )


def _endpoint(endpoint: WebhookEndpoint) -> WebhookEndpointRead:
    return WebhookEndpointRead(
        id=endpoint.id, url=endpoint.url, disabled_at=endpoint.disabled_at, disabled_reason=endpoint.disabled_reason
    )


def _aware(name: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidQueryParameter({name: "needs a UTC offset, e.g. 2026-01-01T00:00:00Z"})
    return value


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]
    security = [{"BearerAuth": []}]

    @get(
        "/deliveries",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="List webhook deliveries, newest first, cursor-paginated",
    )
    def list_deliveries(
        self,
        request: Request,
        uow: Uow,
        status: Annotated[DeliveryStatus | None, QueryParameter()] = None,
        event: Annotated[
            str | None, QueryParameter(max_length=64, description="event type, e.g. article.completed")
        ] = None,
        created_after: Annotated[datetime | None, QueryParameter(description="ISO 8601 with offset, inclusive")] = None,
        created_before: Annotated[
            datetime | None, QueryParameter(description="ISO 8601 with offset, exclusive")
        ] = None,
        cursor: Annotated[
            str | None, QueryParameter(max_length=200, description="next_cursor of the previous page")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> WebhookDeliveryPage:
        with uow:
            session = uow.session
            rows, next_cursor = webhooks.list_deliveries(
                session,
                principal_of(request),
                status=status,
                event_type=event,
                created_after=_aware("created_after", created_after),
                created_before=_aware("created_before", created_before),
                cursor=cursor,
                limit=limit,
            )
            return WebhookDeliveryPage(items=[_read(r) for r in rows], next_cursor=next_cursor)

    @get(
        "/deliveries/{delivery_id:str}",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="Read one webhook delivery with every attempt",
    )
    def get_delivery(self, request: Request, uow: Uow, delivery_id: DeliveryId) -> WebhookDeliveryDetail:
        with uow:
            session = uow.session
            delivery = webhooks.get_delivery(session, principal_of(request), delivery_id)
            return _detail(delivery, webhooks.list_attempts(session, delivery.id))

    @post(
        "/deliveries/{delivery_id:str}/replay",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=202,
        summary="Send a finished delivery again: same event and webhook-id, fresh signature",
    )
    def replay(
        self, request: Request, uow: Uow, dispatcher: AppDispatcher, delivery_id: DeliveryId
    ) -> WebhookDeliveryRead:
        with uow:
            delivery = webhooks.replay(uow.session, principal_of(request), delivery_id)
            uow.after_commit(lambda: dispatcher.send_webhook(delivery.id))
            return _read(delivery)

    @post(
        "/deliveries/replay",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=202,
        summary="Replay every delivery with a status (default failed) created since a time",
    )
    def replay_since(
        self, request: Request, uow: Uow, dispatcher: AppDispatcher, data: JSONBody[WebhookReplayAll]
    ) -> WebhookReplayed:
        with uow:
            ids, skipped = webhooks.replay_since(
                uow.session, principal_of(request), since=data.since, status=data.status
            )
            for delivery_id in webhooks.dispatchable(ids):
                uow.after_commit(lambda delivery_id=delivery_id: dispatcher.send_webhook(delivery_id))
        return WebhookReplayed(replayed=len(ids), skipped_disabled_endpoint=skipped)

    @get(
        "/endpoints/disabled",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        summary="List endpoints disabled by a 410 Gone answer",
    )
    def list_disabled_endpoints(self, request: Request, uow: Uow) -> list[WebhookEndpointRead]:
        with uow:
            return [_endpoint(e) for e in endpoints.list_disabled(uow.session, principal_of(request))]

    @post(
        "/endpoints/{endpoint_id:uuid}/enable",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Re-enable a disabled endpoint; deliveries recorded meanwhile can then be replayed",
    )
    def enable_endpoint(self, request: Request, uow: Uow, endpoint_id: FromPath[UUID]) -> WebhookEndpointRead:
        with uow:
            return _endpoint(endpoints.enable(uow.session, principal_of(request), endpoint_id))

    @post(
        "/secret/rotate",
        opt=INGEST,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Issue a new webhook secret (shown once); the old one keeps signing for grace_seconds",
    )
    def rotate(
        self,
        request: Request,
        uow: Uow,
        settings: AppSettings,
        data: Annotated[WebhookSecretRotate | None, Body()] = None,
    ) -> WebhookSecretRotated:
        grace = data.grace_seconds if data and data.grace_seconds is not None else settings.webhook_secret_grace_seconds
        with uow:
            return rotate_secret(uow.session, principal_of(request), grace)
