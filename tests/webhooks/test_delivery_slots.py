"""A key over its share of attempts in flight waits in line for a slot instead of polling for one.

Issue 14: a deferred delivery used to be tried again every 2-3 s, so a tenant with N deliveries waiting behind a
slow receiver (a backfill of 10,000 URLs with one callback_url, say) cost N / 2.5 claims, Redis calls and broker
messages a second, and every other tenant's deliveries queued behind them. Now a deferred delivery joins its
key's line (oldest first) and is woken when an attempt of that key ends; its fallback time only covers a lost
wake-up (Redis flushed, a worker killed while holding a slot), and grows with its place in line.

Real Postgres and Redis, deliver() as the webhook worker calls it, a local receiver.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest

from service.fetching import guarded_client
from service.webhooks import endpoints
from service.webhooks.delivery import deliver, release_slot
from service.webhooks.fairness import DeliverySlots
from service.webhooks.models import WebhookDelivery
from tests.support.redis_keys import private_prefix
from tests.webhooks.receiver import Reply, scripted_receiver
from tests.webhooks.support import add_delivery, webhook_settings

TIMEOUT_S = 2.0  # webhook_timeout: a slot is held at most this long plus 5 s


@pytest.fixture
def prefix():
    with private_prefix("delivery-slots") as value:
        yield value


def _one_slot_per_key(database_url, receiver, prefix):
    """Settings with one attempt in flight per key (and a private Redis prefix), and the slots they make."""
    settings = webhook_settings(
        database_url,
        receiver.url,
        webhook_timeout=TIMEOUT_S,
        webhook_max_in_flight_per_key=1,
        rate_limit_key_prefix=prefix,
    )
    return settings, DeliverySlots(settings)


def _send(session_factory, delivery_id, settings, slots):
    client = partial(guarded_client, settings, timeout=settings.webhook_timeout)
    return deliver(session_factory, delivery_id, settings, client, slots=slots)


def _due_in(session_factory, delivery_id) -> float:
    with session_factory() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery.status == "pending" and delivery.attempt_count == 0
        return (delivery.next_attempt_at - datetime.now(UTC)).total_seconds()


def test_deferred_deliveries_wait_in_line_and_each_ending_attempt_wakes_the_next(
    session_factory, database_url, key, prefix
):
    with scripted_receiver({"/hook": [Reply(200)]}) as receiver:
        settings, slots = _one_slot_per_key(database_url, receiver, prefix)
        assert slots.take(key.id, "attempt-in-flight") is None  # another worker's attempt holds the key's one slot
        waiting = [add_delivery(session_factory, key.id, f"{receiver.url}/hook") for _ in range(5)]
        outcomes = [_send(session_factory, d, settings, slots) for d in waiting]
        assert receiver.count("/hook") == 0

        hold = TIMEOUT_S + 5
        assert [o.status for o in outcomes] == ["pending"] * 5
        # not re-polled within seconds: the fallback is a slot's longest hold, longer further back in the line
        fallbacks = [o.retry_in for o in outcomes]
        assert fallbacks[0] >= hold and fallbacks == sorted(fallbacks) and fallbacks[4] >= 4 * hold
        assert all(_due_in(session_factory, d) >= hold - 1 for d in waiting)

        # the attempt in flight ends: the oldest waiting delivery is due now, and named for a wake-up
        assert release_slot(session_factory, slots, key.id, "attempt-in-flight") == [waiting[0]]
        assert _due_in(session_factory, waiting[0]) <= 0

        # each attempt's end wakes the next in line, in order, until the line is empty
        for n, delivery_id in enumerate(waiting):
            outcome = _send(session_factory, delivery_id, settings, slots)
            assert outcome.status == "succeeded"
            assert list(outcome.woken) == waiting[n + 1 : n + 2]
        assert receiver.count("/hook") == 5


def test_a_woken_delivery_that_loses_the_slot_again_keeps_its_place(session_factory, database_url, key, prefix):
    with scripted_receiver({"/hook": [Reply(200)]}) as receiver:
        settings, slots = _one_slot_per_key(database_url, receiver, prefix)
        assert slots.take(key.id, "first") is None
        first, second = (add_delivery(session_factory, key.id, f"{receiver.url}/hook") for _ in range(2))
        assert _send(session_factory, first, settings, slots).status == "pending"
        assert _send(session_factory, second, settings, slots).status == "pending"
        assert release_slot(session_factory, slots, key.id, "first") == [first]
        assert slots.take(key.id, "newcomer") is None  # a fresh delivery takes the slot before `first` runs
        again = _send(session_factory, first, settings, slots)
        assert again.status == "pending" and again.retry_in < 2 * (TIMEOUT_S + 5)  # still first in line
        assert release_slot(session_factory, slots, key.id, "newcomer") == [first]


def test_a_delivery_delivered_meanwhile_is_passed_over(session_factory, database_url, key, prefix):
    with scripted_receiver({"/hook": [Reply(200)]}) as receiver:
        settings, slots = _one_slot_per_key(database_url, receiver, prefix)
        assert slots.take(key.id, "holder") is None
        gone, next_ = (add_delivery(session_factory, key.id, f"{receiver.url}/hook") for _ in range(2))
        assert _send(session_factory, gone, settings, slots).status == "pending"
        assert _send(session_factory, next_, settings, slots).status == "pending"
        with session_factory.begin() as session:  # e.g. replayed and delivered by another path
            session.get(WebhookDelivery, gone).status = "succeeded"
        assert release_slot(session_factory, slots, key.id, "holder") == [next_]


def test_a_woken_delivery_whose_endpoint_is_disabled_hands_the_wake_up_on(session_factory, database_url, key, prefix):
    """Re-probe (issue 14): a delivery taken out of the line whose endpoint had answered 410 meanwhile ended
    `disabled` without taking the slot, and the wake-up it had been given was lost: the deliveries behind it
    waited for their fallback (65-75 s instead of ~5 s in the probe)."""
    with scripted_receiver({"/gone": [Reply(410)], "/hook": [Reply(200)]}) as receiver:
        settings, slots = _one_slot_per_key(database_url, receiver, prefix)
        assert slots.take(key.id, "holder") is None
        to_gone, healthy = (add_delivery(session_factory, key.id, f"{receiver.url}{p}") for p in ("/gone", "/hook"))
        assert _send(session_factory, to_gone, settings, slots).status == "pending"
        assert _send(session_factory, healthy, settings, slots).status == "pending"
        with session_factory.begin() as session:  # meanwhile another delivery to /gone got a 410
            endpoints.disable(session, key.id, f"{receiver.url}/gone", "HTTP 410 Gone")
        assert release_slot(session_factory, slots, key.id, "holder") == [to_gone]
        disabled = _send(session_factory, to_gone, settings, slots)
        assert disabled.status == "disabled" and list(disabled.woken) == [healthy]
        assert _send(session_factory, healthy, settings, slots).status == "succeeded"
