"""Request and response structs of the webhook routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from service.kit.timestamps import AwareDatetime

from .models import DeliveryStatus, Replayable

MAX_GRACE_SECONDS = 30 * 86400


class WebhookAttemptRead(msgspec.Struct, kw_only=True):
    attempted_at: datetime
    status_code: int | None  # None when no HTTP response came (timeout, refused, blocked target)
    latency_ms: int | None
    error: str | None


class WebhookDeliveryRead(msgspec.Struct, kw_only=True):
    id: str  # the `webhook-id` header, the same on every retry and replay
    event_type: str
    url: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    article_id: UUID | None
    created_at: datetime
    updated_at: datetime


class WebhookDeliveryDetail(WebhookDeliveryRead, kw_only=True):
    payload: dict
    attempts: list[WebhookAttemptRead]  # oldest first


class WebhookDeliveryPage(msgspec.Struct, kw_only=True):
    items: list[WebhookDeliveryRead]  # newest first
    next_cursor: str | None  # pass as `cursor` for the next (older) page; None on the last page


class WebhookReplayAll(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    since: AwareDatetime  # deliveries created at or after this instant
    status: Replayable = Replayable.FAILED


class WebhookReplayed(msgspec.Struct, kw_only=True):
    replayed: int
    skipped_disabled_endpoint: int  # matched, but their endpoint is disabled: re-enable it, then replay


class WebhookEndpointRead(msgspec.Struct, kw_only=True):
    id: UUID
    url: str
    disabled_at: datetime | None
    disabled_reason: str | None


class WebhookSecretRotate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    grace_seconds: Annotated[int, Meta(ge=0, le=MAX_GRACE_SECONDS)] | None = None


class WebhookSecretRotated(msgspec.Struct, kw_only=True):
    webhook_secret: str  # shown once
    previous_secret_expires_at: datetime  # until then deliveries carry a signature from each secret
