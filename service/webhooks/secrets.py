"""Secret rotation: a new secret signs at once, the old one keeps signing through a grace period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from service.api_keys.models import ApiKey
from service.api_keys.service import Principal, new_webhook_secret

from .schemas import WebhookSecretRotated


def rotate_secret(session: Session, principal: Principal, grace_seconds: int) -> WebhookSecretRotated:
    """Only two secrets are kept: rotating again within a grace period retires the oldest at once."""
    key = session.get(ApiKey, principal.key_id, with_for_update=True)
    expires_at = datetime.now(UTC) + timedelta(seconds=grace_seconds)
    key.previous_webhook_secret, key.previous_secret_expires_at = key.webhook_secret, expires_at
    key.webhook_secret = new_webhook_secret()
    session.flush()
    return WebhookSecretRotated(webhook_secret=key.webhook_secret, previous_secret_expires_at=expires_at)
