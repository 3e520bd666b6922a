"""deliver() against a real local receiver, through the SSRF-guarded client, on a compressed clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from service.api_keys.models import ApiKey
from service.articles.events import enqueue_article_event
from service.articles.models import Article
from service.kit.retry_after import parse_retry_after as retry_after_seconds
from service.webhooks.delivery import retry_delay
from service.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.support.statements import recorded_statements
from tests.webhooks.receiver import Reply, scripted_receiver
from tests.webhooks.support import add_delivery, send, webhook_settings


def _attempts(session_factory, delivery_id):
    with session_factory() as session:
        return list(
            session.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(WebhookAttempt.attempted_at)
            )
        )


def _delivery(session_factory, delivery_id) -> WebhookDelivery:
    with session_factory() as session:
        return session.get(WebhookDelivery, delivery_id)


def test_three_failures_then_success_arrives_on_attempt_four_with_the_same_webhook_id(
    session_factory, database_url, key
):
    with scripted_receiver({"/hook": [Reply(500), Reply(502), Reply(503), Reply(200)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/hook")
        outcomes = []
        while not outcomes or outcomes[-1].status == "pending":
            outcomes.append(send(session_factory, delivery_id, settings))
            time.sleep(outcomes[-1].retry_in or 0)
        hits = receiver.received("/hook")
    assert [o.status for o in outcomes] == ["pending", "pending", "pending", "succeeded"]
    assert {h.headers["webhook-id"] for h in hits} == {delivery_id} and len(hits) == 4
    for hit in hits:
        Webhook(key.webhook_secret).verify(hit.body, hit.headers)
    attempts = _attempts(session_factory, delivery_id)
    assert [a.status_code for a in attempts] == [500, 502, 503, 200]
    assert all(a.latency_ms is not None for a in attempts)
    assert [a.error for a in attempts] == ["HTTP 500", "HTTP 502", "HTTP 503", None]
    delivery = _delivery(session_factory, delivery_id)
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("succeeded", 4, None)


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(session_factory, database_url, key):
    with scripted_receiver({"/moved": [Reply(302, {"Location": "/target"})], "/target": [Reply(200)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/moved")
        outcome = send(session_factory, delivery_id, settings)
        assert receiver.count("/moved") == 1 and receiver.count("/target") == 0
    assert outcome.status == "pending" and outcome.retry_in is not None
    [attempt] = _attempts(session_factory, delivery_id)
    assert attempt.status_code == 302 and "redirects are not followed" in attempt.error


def test_gone_disables_the_endpoint_until_re_enabled(session_factory, database_url, key):
    with scripted_receiver({"/gone": [Reply(410), Reply(200)]}) as receiver:
        url = f"{receiver.url}/gone"
        settings = webhook_settings(database_url, receiver.url)
        first = add_delivery(session_factory, key.id, url)
        queued_before = add_delivery(session_factory, key.id, url)
        assert send(session_factory, first, settings).status == "disabled"
        # A delivery already queued for that endpoint is not sent either.
        assert send(session_factory, queued_before, settings).status == "disabled"
        with session_factory.begin() as session:  # a new event for the endpoint is recorded, not sent
            article = Article(
                api_key_id=key.id, status="done", input_kind="text", callback_url=url, authors=[], tags=[], sidebars=[]
            )
            session.add(article)
            later = enqueue_article_event(session, article).id
        assert send(session_factory, later, settings).status == "skipped"
        assert receiver.count("/gone") == 1
    with session_factory() as session:
        endpoint = session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.api_key_id == key.id))
        assert endpoint.url == url and endpoint.disabled_at is not None and "410" in endpoint.disabled_reason
    for delivery_id in (first, queued_before, later):
        assert _delivery(session_factory, delivery_id).status == "disabled"
    assert [a.status_code for a in _attempts(session_factory, first)] == [410]
    assert _attempts(session_factory, queued_before) == []


def test_retry_after_is_honoured_over_a_shorter_schedule(session_factory, database_url, key):
    with scripted_receiver({"/busy": [Reply(503, {"Retry-After": "3"})]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/busy")
        before = datetime.now(UTC)
        outcome = send(session_factory, delivery_id, settings)
    assert outcome.status == "pending" and outcome.retry_in == pytest.approx(3.0)
    assert _delivery(session_factory, delivery_id).next_attempt_at >= before + timedelta(seconds=3)
    assert send(session_factory, delivery_id, settings).status == "skipped"  # not due yet


def test_retry_after_forms_and_cap():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    settings = webhook_settings("postgresql://x/y", "http://127.0.0.1:1", webhook_max_retry_after=60.0)
    assert retry_delay(settings, 1, 10_000.0) == 60.0


def test_schedule_follows_the_spec_with_jitter_and_ends():
    settings = webhook_settings("postgresql://x/y", "http://127.0.0.1:1", webhook_retry_scale=1.0)
    spec = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]  # after attempts 1..9
    for attempts_made, seconds in enumerate(spec, start=1):
        delays = [retry_delay(settings, attempts_made, None) for _ in range(50)]
        assert all(seconds * 0.9 <= d <= seconds * 1.1 for d in delays)
        assert len(set(delays)) > 1  # jittered
    assert retry_delay(settings, 10, None) is None


def test_an_exhausted_schedule_ends_failed(session_factory, database_url, key):
    with scripted_receiver({"/down": [Reply(500)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url, webhook_retry_schedule=[0, 1, 1])
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/down")
        statuses = [send(session_factory, delivery_id, settings).status for _ in range(3)]
    assert statuses == ["pending", "pending", "failed"]
    delivery = _delivery(session_factory, delivery_id)
    assert (delivery.status, delivery.last_status_code, delivery.next_attempt_at) == ("failed", 500, None)


def test_a_blocked_target_ends_as_a_failed_attempt_with_the_reason(session_factory, database_url, key):
    with scripted_receiver({"/internal": [Reply(200)]}) as receiver:
        guarded = webhook_settings(database_url, receiver.url, allow_private_networks=False)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/internal")
        outcome = send(session_factory, delivery_id, guarded)
        assert receiver.count("/internal") == 0
    assert outcome.status == "failed"
    [attempt] = _attempts(session_factory, delivery_id)
    assert attempt.status_code is None and attempt.error.startswith("blocked_address")


def test_a_slow_receiver_times_out_as_a_logged_failure(session_factory, database_url, key):
    with scripted_receiver({"/slow": [Reply(200, delay=1.5)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url, webhook_timeout=0.3)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/slow")
        assert send(session_factory, delivery_id, settings).status == "pending"
    [attempt] = _attempts(session_factory, delivery_id)
    assert attempt.status_code is None and attempt.error.startswith("timeout")


def test_during_rotation_both_secrets_sign(session_factory, database_url, key):
    with session_factory.begin() as session:
        row = session.get(ApiKey, key.id)
        row.previous_webhook_secret, row.webhook_secret = row.webhook_secret, "whsec_" + "bmV3LXNlY3JldC0xMjM0NTY3OA=="
        row.previous_secret_expires_at = datetime.now(UTC) + timedelta(hours=1)
        new_secret = row.webhook_secret
    with scripted_receiver({"/hook": [Reply(204)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/hook")
        assert send(session_factory, delivery_id, settings).status == "succeeded"
        [hit] = receiver.received("/hook")
    assert len(hit.headers["webhook-signature"].split(" ")) == 2
    for secret in (key.webhook_secret, new_secret):
        Webhook(secret).verify(hit.body, hit.headers)


def test_a_claimed_delivery_is_not_sent_twice(session_factory, database_url, key):
    with scripted_receiver({"/hook": [Reply(500)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url, webhook_retry_schedule=[0, 3600])
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/hook")
        assert send(session_factory, delivery_id, settings).status == "pending"
        assert send(session_factory, delivery_id, settings).status == "skipped"  # a duplicate message
        assert receiver.count("/hook") == 1


def test_one_attempt_costs_four_statements(session_factory, database_url, key):
    """Claim (the delivery locked with its endpoint's state and its key's secrets), its lease, the attempt, the
    outcome: one statement each (issue 16; the ORM version sent seven)."""
    with scripted_receiver({"/hook": [Reply(200)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/hook")
        sent = recorded_statements(session_factory)
        assert send(session_factory, delivery_id, settings).status == "succeeded"
        hits = receiver.received("/hook")
    assert sent == ["SELECT", "UPDATE", "INSERT", "UPDATE"]
    Webhook(key.webhook_secret).verify(hits[0].body, hits[0].headers)
    assert [a.status_code for a in _attempts(session_factory, delivery_id)] == [200]
    delivery = _delivery(session_factory, delivery_id)
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("succeeded", 1, None)


def test_a_wake_up_that_comes_early_waits_for_the_due_time(session_factory, database_url, key):
    """A Retry-After is a floor: a wake-up 0.5 s early used to send the attempt at once (a 1 s early window)."""
    with scripted_receiver({"/due": [Reply(200)]}) as receiver:
        settings = webhook_settings(database_url, receiver.url)
        due = datetime.now(UTC) + timedelta(seconds=0.5)
        delivery_id = add_delivery(session_factory, key.id, f"{receiver.url}/due", next_attempt_at=due)
        early = send(session_factory, delivery_id, settings)
        assert early.status == "pending" and 0 < early.retry_in <= 0.5  # sent again for the due time
        assert receiver.count("/due") == 0
        time.sleep(early.retry_in)
        assert send(session_factory, delivery_id, settings).status == "succeeded"
        assert receiver.count("/due") == 1
