"""Delivering one webhook attempt: claim in a short transaction, POST with no transaction open, record.

The schedule lives in Postgres (`status`, `next_attempt_at`), so a broker message is only a wake-up call:
a lost one is re-sent by the reconciler, a duplicate finds nothing to claim.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

import httpx
from sqlalchemy import DateTime, Row, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.api_keys.models import ApiKey
from service.db.bound import bound_columns, bound_values
from service.fetching.deadline import total_deadline
from service.kit.retry_after import parse_retry_after
from service.settings import Settings

from . import endpoints
from .fairness import DeliverySlots
from .models import ATTEMPTS, DELIVERIES, WebhookDelivery
from .signing import signed_headers
from .targets import PERMANENT_TARGET_ERRORS

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # succeeded | pending | failed | disabled | skipped
    retry_in: float | None = None
    woken: tuple[str, ...] = ()  # deliveries of the same key this attempt's end made due: send their wake-ups


@dataclass(frozen=True, slots=True)
class _Claim:
    api_key_id: object
    url: str
    payload: dict
    secrets: list[str]
    attempted_at: datetime
    attempts_in_schedule: int  # including this one


@dataclass(frozen=True, slots=True)
class _Response:
    status_code: int | None = None
    retry_after: float | None = None
    error: str | None = None
    permanent: bool = False
    latency_ms: int = 0


def active_secrets(key: ApiKey | Row, now: datetime) -> list[str]:
    """The secrets that sign a key's events at `now`: its current one, and the previous one until it expires.
    `key`: the ApiKey, or a row with its three secret columns."""
    found = [key.webhook_secret]
    if key.previous_webhook_secret and key.previous_secret_expires_at and key.previous_secret_expires_at > now:
        found.append(key.previous_webhook_secret)
    return found


def retry_delay(settings: Settings, attempts_made: int, retry_after: float | None) -> float | None:
    """Seconds until the next attempt, or None when the schedule is exhausted. ±10% jitter spreads retries;
    a receiver's Retry-After (capped) is a floor, on the real clock: it is the receiver's own promise."""
    schedule = settings.webhook_retry_schedule
    if attempts_made >= len(schedule):
        return None
    delay = schedule[attempts_made] * settings.webhook_retry_scale * random.uniform(0.9, 1.1)
    return max(delay, min(retry_after or 0.0, settings.webhook_max_retry_after))


def deliver(
    session_factory: sessionmaker[Session],
    delivery_id: str,
    settings: Settings,
    client_factory: Callable[[], httpx.Client],
    slots: DeliverySlots | None = None,
) -> Outcome:
    """One attempt of delivery `delivery_id`. With `slots`, an API key already using its share of attempts in
    flight gets this one deferred: it joins the key's line (Outcome "pending", no attempt used, retry_in: its
    fallback time, see `_fallback_seconds`); an attempt that ends wakes the oldest delivery in its key's line
    (Outcome.woken: the caller sends their wake-ups)."""
    claim = _claim(session_factory, delivery_id, settings, slots)
    if isinstance(claim, Outcome):
        return claim
    body = json.dumps(claim.payload, separators=(",", ":"), ensure_ascii=False)
    headers = signed_headers(claim.secrets, delivery_id, datetime.now(UTC), body)
    woken: list[str] = []
    try:
        response = _post(client_factory, claim.url, body, headers, settings)
    finally:
        if slots is not None:
            woken = release_slot(session_factory, slots, claim.api_key_id, delivery_id)
    outcome = dataclasses.replace(_decide(settings, claim.attempts_in_schedule, response), woken=tuple(woken))
    _record(session_factory, delivery_id, claim, response, outcome)
    log.info(
        "webhook delivery %s attempt %d: %s (%s)",
        delivery_id,
        claim.attempts_in_schedule,
        outcome.status,
        response.status_code or response.error,
    )
    return outcome


# How early a wake-up may claim its attempt: the broker's countdown and the database's clock differ by a few ms.
# No more: a receiver's Retry-After is a floor (RFC 9110 section 10.2.3); a 1 s window let an attempt in 0.6 s
# early. A wake-up that comes less than _REWAKE_SECONDS early is sent again for when the attempt is due.
_EARLY_SECONDS = 0.05
_REWAKE_SECONDS = 1.0


def _not_claimed(session: Session, delivery_id: str, now: datetime) -> Outcome:
    """A wake-up that claimed nothing: "pending" with the seconds left when the attempt is due within
    _REWAKE_SECONDS (the caller sends the wake-up again), else "skipped" (delivered already, taken by another
    worker, in flight under its lease, or due later: the message that scheduled it, or the reconciler, wakes it)."""
    due = session.scalar(
        select(WebhookDelivery.next_attempt_at).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending"
        )
    )
    if due is not None and now < due <= now + timedelta(seconds=_REWAKE_SECONDS):
        return Outcome("pending", (due - now).total_seconds())
    return Outcome("skipped")


def _claim(session_factory, delivery_id: str, settings: Settings, slots: DeliverySlots | None) -> _Claim | Outcome:
    now = datetime.now(UTC)
    with session_factory.begin() as session:
        # The due delivery, locked, with its endpoint's state and its key's secrets: one statement.
        row = session.execute(
            _DUE, {"delivery_id_": delivery_id, "due_by_": now + timedelta(seconds=_EARLY_SECONDS)}
        ).one_or_none()
        if row is None:
            return _not_claimed(session, delivery_id, now)
        if row.endpoint_disabled:
            session.execute(_DISABLE, {"delivery_id_": delivery_id})
            return Outcome("disabled", woken=tuple(_pass_on(session_factory, slots, row.api_key_id, delivery_id)))
        place = slots.take(row.api_key_id, delivery_id) if slots is not None else None
        if place is not None:  # the key's other attempts hold its share: in line, no attempt used
            fallback = _fallback_seconds(settings, slots, place)
            session.execute(_DEFER, {"delivery_id_": delivery_id, "at_": now + timedelta(seconds=fallback)})
            return Outcome("pending", fallback)
        # A lease: should this worker die mid-attempt, the reconciler finds the delivery due again afterwards.
        lease_until = now + timedelta(seconds=settings.webhook_claim_lease_seconds)
        session.execute(_TAKE, {"delivery_id_": delivery_id, "at_": lease_until})
        return _Claim(
            api_key_id=row.api_key_id,
            url=row.url,
            payload=row.payload,
            secrets=active_secrets(row, now),
            attempted_at=now,
            attempts_in_schedule=row.attempt_count + 1 - row.schedule_start,
        )


# The statements of an attempt, built once: each runs once per webhook attempt, and a statement built per call
# cost more CPU than its round trip (issue 16). Parameters end in "_" (column names are reserved for SET).
_ATTEMPT_COLUMNS = ("delivery_id", "attempted_at", "status_code", "latency_ms", "error")
_RECORDED_COLUMNS = ("status", "last_status_code", "last_error", "next_attempt_at")
_KEYS = cast(Table, ApiKey.__table__)
_ID = DELIVERIES.c.id == bindparam("delivery_id_", type_=DELIVERIES.c.id.type)
_AT = bindparam("at_", type_=DateTime(timezone=True))
_DUE = (
    select(
        DELIVERIES.c.api_key_id,
        DELIVERIES.c.url,
        DELIVERIES.c.payload,
        DELIVERIES.c.attempt_count,
        DELIVERIES.c.schedule_start,
        endpoints.disabled_condition(DELIVERIES.c.api_key_id, endpoints.url_hash_sql(DELIVERIES.c.url)).label(
            "endpoint_disabled"
        ),
        _KEYS.c.webhook_secret,
        _KEYS.c.previous_webhook_secret,
        _KEYS.c.previous_secret_expires_at,
    )
    .join_from(DELIVERIES, _KEYS, _KEYS.c.id == DELIVERIES.c.api_key_id)
    .where(
        _ID,
        DELIVERIES.c.status == "pending",
        DELIVERIES.c.next_attempt_at <= bindparam("due_by_", type_=DateTime(timezone=True)),
    )
    .with_for_update(of=DELIVERIES, skip_locked=True)
)
_DISABLE = update(DELIVERIES).where(_ID).values(status="disabled", next_attempt_at=None, last_error="endpoint disabled")
_DEFER = update(DELIVERIES).where(_ID).values(next_attempt_at=_AT)
_TAKE = update(DELIVERIES).where(_ID).values(attempt_count=DELIVERIES.c.attempt_count + 1, next_attempt_at=_AT)
_MAKE_DUE = update(DELIVERIES).where(_ID, DELIVERIES.c.status == "pending").values(next_attempt_at=func.now())
_ATTEMPTED = insert(ATTEMPTS).values(bound_columns(ATTEMPTS, _ATTEMPT_COLUMNS))
_RECORDED = update(DELIVERIES).where(_ID).values(bound_columns(DELIVERIES, _RECORDED_COLUMNS))


def _fallback_seconds(settings: Settings, slots: DeliverySlots, place: int) -> float:
    """When a delivery waiting at `place` in its key's line (0: next) is tried again if no ending attempt wakes
    it first (a wake-up lost with Redis, or with a worker killed while holding a slot): each of the key's slots
    frees within its longest hold, so `place` is reached within hold x (1 + place // share); at most
    `webhook_max_defer_seconds`. Jittered 0-10% so a line's fallbacks do not come at once."""
    wait = slots.hold_seconds * (1 + place // max(slots.share, 1))
    return min(wait, settings.webhook_max_defer_seconds) * random.uniform(1.0, 1.1)


# How many members of a line whose delivery ended meanwhile (replayed and delivered, disabled) one ending
# attempt passes over before it stops looking; the rest are found as the line moves on, or at their fallback.
_PASS_OVER = 5


def release_slot(
    session_factory: sessionmaker[Session], slots: DeliverySlots, api_key_id, delivery_id: str | None
) -> list[str]:
    """End `delivery_id`'s hold on one of its key's slots and make the oldest delivery in the key's line due now.
    Returns [its id] for the caller to send its wake-up, or [] when no pending delivery waits. A member that is
    no longer pending is passed over for the next (up to `_PASS_OVER`)."""
    for _ in range(_PASS_OVER):
        woken = slots.release(api_key_id, delivery_id)
        delivery_id = None  # the hold is ended: further rounds only take the next in line
        if woken is None:
            return []
        with session_factory.begin() as session:
            made_due = session.execute(_MAKE_DUE, {"delivery_id_": woken}).rowcount
        if made_due:
            return [woken]
        slots.forget(api_key_id, woken)
    return []


def _pass_on(
    session_factory: sessionmaker[Session], slots: DeliverySlots | None, api_key_id, delivery_id: str
) -> list[str]:
    """A delivery taken out of its key's line to be woken that ends without an attempt (its endpoint was disabled
    meanwhile) hands the freed slot's wake-up to the next in line: [its id], or [] (it was not woken, or none
    waits). Without this the line lost one slot until its members' fallback times (re-probe, issue 14)."""
    if slots is None or not slots.forget(api_key_id, delivery_id):
        return []
    return release_slot(session_factory, slots, api_key_id, None)


def _post(client_factory, url: str, body: str, headers: dict[str, str], settings: Settings) -> _Response:
    from service.fetching import FetchError

    started = time.monotonic()
    try:
        # webhook_timeout bounds the whole attempt (connect, send, status and headers), not each read: a
        # receiver dribbling its answer cannot hold the worker slot longer than that.
        with (
            total_deadline(settings.webhook_timeout),
            client_factory() as client,
            client.stream("POST", url, content=body.encode(), headers=headers) as r,
        ):
            # Only the status and headers matter: the response body is never read, whatever its size.
            latency_ms = int((time.monotonic() - started) * 1000)
            return _Response(
                status_code=r.status_code,
                latency_ms=latency_ms,
                retry_after=parse_retry_after(r.headers.get("retry-after")),
            )
    except FetchError as exc:
        error, permanent = f"{exc.type}: {exc.detail}", exc.type in PERMANENT_TARGET_ERRORS
    except httpx.TimeoutException as exc:
        error, permanent = f"timeout: no response within {settings.webhook_timeout:g}s ({type(exc).__name__})", False
    except Exception as exc:  # every failure is logged on the attempt and retried
        error, permanent = f"{type(exc).__name__}: {exc}", False
    return _Response(error=error[:1000], permanent=permanent, latency_ms=int((time.monotonic() - started) * 1000))


def _decide(settings: Settings, attempts_made: int, response: _Response) -> Outcome:
    code = response.status_code
    if code is not None and 200 <= code < 300:
        return Outcome("succeeded")
    if code == 410:
        return Outcome("disabled")  # the receiver asked us to stop
    if response.permanent:
        return Outcome("failed")
    delay = retry_delay(settings, attempts_made, response.retry_after)
    return Outcome("pending", delay) if delay is not None else Outcome("failed")


def _error_text(response: _Response, outcome: Outcome) -> str | None:
    code = response.status_code
    if response.error or code is None or outcome.status == "succeeded":
        return response.error
    if 300 <= code < 400:
        return f"HTTP {code}: redirects are not followed"
    if code == 410:
        return "HTTP 410 Gone: endpoint disabled"
    return f"HTTP {code}"


def _record(session_factory, delivery_id: str, claim: _Claim, response: _Response, outcome: Outcome) -> None:
    error = _error_text(response, outcome)
    attempt = bound_values(
        {
            "delivery_id": delivery_id,
            "attempted_at": claim.attempted_at,
            "status_code": response.status_code,
            "latency_ms": response.latency_ms,
            "error": error,
        }
    )
    next_at = datetime.now(UTC) + timedelta(seconds=outcome.retry_in) if outcome.retry_in is not None else None
    recorded = {"delivery_id_": delivery_id} | bound_values(
        {
            "status": outcome.status,
            "last_status_code": response.status_code,
            "last_error": error,
            "next_attempt_at": next_at,
        }
    )
    with session_factory.begin() as session:
        session.execute(_ATTEMPTED, attempt)
        if outcome.status == "disabled":
            endpoints.disable(session, claim.api_key_id, claim.url, reason=error)
        session.execute(_RECORDED, recorded)
