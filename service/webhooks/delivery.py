"""Delivering one webhook attempt: claim in a short transaction, POST with no transaction open, record."""
from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.api_keys.models import ApiKey
from service.settings import Settings

from .models import WebhookAttempt, WebhookDelivery
from .signing import signed_headers

log = logging.getLogger(__name__)
_IN_FLIGHT_LEASE = timedelta(minutes=2)  # the reconciler leaves a delivery alone this long while it is sent


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # succeeded | pending | failed | disabled | skipped
    retry_in: float | None = None


def active_secrets(key: ApiKey, now: datetime) -> list[str]:
    found = [key.webhook_secret]
    if key.previous_webhook_secret and key.previous_secret_expires_at and key.previous_secret_expires_at > now:
        found.append(key.previous_webhook_secret)
    return found


def retry_delay(settings: Settings, attempts_made: int, retry_after: float | None) -> float | None:
    """Seconds until the next attempt, or None when the schedule is exhausted. ±10% jitter spreads retries."""
    schedule = settings.webhook_retry_schedule
    if attempts_made >= len(schedule):
        return None
    delay = schedule[attempts_made] * settings.webhook_retry_scale * random.uniform(0.9, 1.1)
    return max(delay, retry_after or 0.0)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def deliver(session_factory: sessionmaker[Session], delivery_id: str, settings: Settings,
            client_factory: Callable[[], httpx.Client]) -> Outcome:
    now = datetime.now(UTC)
    with session_factory.begin() as session:
        delivery = session.scalar(
            select(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
                   WebhookDelivery.next_attempt_at <= now + timedelta(seconds=1))
            .with_for_update(skip_locked=True)
        )
        if delivery is None:
            return Outcome("skipped")  # already delivered, not due yet, or another worker has it
        key = session.get(ApiKey, delivery.api_key_id)
        secrets = active_secrets(key, now)
        url, payload = delivery.url, delivery.payload
        delivery.attempt_count += 1
        delivery.next_attempt_at = now + _IN_FLIGHT_LEASE
        attempts_made = delivery.attempt_count

    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    headers = signed_headers(secrets, delivery_id, datetime.now(UTC), body)
    started = time.monotonic()
    status_code, error, retry_after = None, None, None
    try:
        with client_factory() as client:
            response = client.post(url, content=body.encode(), headers=headers)
        status_code, retry_after = response.status_code, _retry_after_seconds(response)
    except Exception as exc:  # every failure is logged on the attempt and retried
        error = f"{type(exc).__name__}: {getattr(exc, 'detail', None) or exc}"[:1000]
    latency_ms = int((time.monotonic() - started) * 1000)

    if status_code is not None and 200 <= status_code < 300:
        outcome = Outcome("succeeded")
    elif status_code == 410:
        outcome = Outcome("disabled")  # the receiver asked us to stop
    else:
        delay = retry_delay(settings, attempts_made, retry_after)
        outcome = Outcome("pending", delay) if delay is not None else Outcome("failed")
    with session_factory.begin() as session:
        session.add(WebhookAttempt(delivery_id=delivery_id, attempted_at=now, status_code=status_code,
                                   latency_ms=latency_ms, error=error))
        delivery = session.get(WebhookDelivery, delivery_id)
        delivery.status = outcome.status
        delivery.last_status_code = status_code
        delivery.last_error = error or (f"HTTP {status_code}" if outcome.status != "succeeded" else None)
        delivery.next_attempt_at = (
            datetime.now(UTC) + timedelta(seconds=outcome.retry_in) if outcome.retry_in is not None else None
        )
    log.info("webhook delivery %s attempt %d: %s (%s)", delivery_id, attempts_made, outcome.status,
             status_code or error)
    return outcome
