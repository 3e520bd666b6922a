"""Helpers for the webhook tests: settings for a local receiver, delivery rows, one delivery attempt."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from service.fetching import guarded_client
from service.settings import Settings
from service.webhooks.delivery import Outcome, deliver
from service.webhooks.events import new_message_id
from service.webhooks.models import WebhookDelivery


def webhook_settings(database_url: str, receiver_url: str, **overrides) -> Settings:
    port = int(receiver_url.rsplit(":", 1)[1])
    values = {
        "database_url": database_url,
        "broker_url": "memory://",
        "allow_private_networks": True,
        "allowed_ports": [80, 443, port],
        "webhook_retry_scale": 0.001,
        "webhook_timeout": 2.0,
    }
    return Settings(**{**values, **overrides})


def add_delivery(session_factory, api_key_id, url: str, **fields) -> str:
    delivery_id = new_message_id()
    now = datetime.now(UTC)
    values = {
        "id": delivery_id,
        "api_key_id": api_key_id,
        "event_type": "article.completed",
        "url": url,
        "payload": {"type": "article.completed", "timestamp": now.isoformat(), "data": {"n": 1}},
        "status": "pending",
        "next_attempt_at": now,
    }
    with session_factory.begin() as session:
        session.add(WebhookDelivery(**{**values, **fields}))
    return delivery_id


def send(session_factory, delivery_id: str, settings: Settings) -> Outcome:
    return deliver(
        session_factory, delivery_id, settings, partial(guarded_client, settings, timeout=settings.webhook_timeout)
    )
