"""Webhook routes through the app with a recording dispatcher: delivery log, replays, endpoints, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.api_keys.models import ApiKey
from service.webhooks import endpoints
from service.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.webhooks.support import add_delivery

URL = "https://hooks.example.org/in"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _bearer(issued) -> dict[str, str]:
    return {"Authorization": f"Bearer {issued.key}"}


@pytest.fixture
def other_key(session_factory):
    from tests.conftest import _key

    return _key(session_factory, "other", ["ingest"])


def test_the_log_lists_only_the_callers_deliveries_and_admins_see_all(
    client, session_factory, auth, ingest_key, other_key, admin_key
):
    mine = add_delivery(session_factory, ingest_key.id, URL)
    theirs = add_delivery(session_factory, other_key.id, URL)
    listed = client.get("/v1/webhooks/deliveries", headers=auth).json()
    assert [d["id"] for d in listed["items"]] == [mine] and listed["next_cursor"] is None
    assert client.get(f"/v1/webhooks/deliveries/{theirs}", headers=auth).status_code == 404
    everything = client.get("/v1/webhooks/deliveries", headers=_bearer(admin_key)).json()
    assert {mine, theirs} <= {d["id"] for d in everything["items"]}
    assert client.get("/v1/webhooks/deliveries").status_code == 401


def test_filters_and_cursor_pages_without_overlap(client, session_factory, auth, ingest_key):
    ids = [
        add_delivery(
            session_factory,
            ingest_key.id,
            URL,
            created_at=T0 + timedelta(minutes=i),
            status="failed" if i % 2 else "succeeded",
            event_type="article.failed" if i == 3 else "article.completed",
        )
        for i in range(7)
    ]
    seen, cursor = [], None
    while True:
        page = client.get(
            "/v1/webhooks/deliveries", headers=auth, params={"limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]  # newest first, each once
    failed = client.get("/v1/webhooks/deliveries", headers=auth, params={"status": "failed"}).json()["items"]
    assert [d["id"] for d in failed] == [ids[5], ids[3], ids[1]]
    by_event = client.get("/v1/webhooks/deliveries", headers=auth, params={"event": "article.failed"}).json()
    assert [d["id"] for d in by_event["items"]] == [ids[3]]
    window = client.get(
        "/v1/webhooks/deliveries",
        headers=auth,
        params={
            "created_after": (T0 + timedelta(minutes=2)).isoformat(),
            "created_before": (T0 + timedelta(minutes=4)).isoformat(),
        },
    ).json()
    assert [d["id"] for d in window["items"]] == [ids[3], ids[2]]


@pytest.mark.parametrize(
    "params, status",
    [
        ({"cursor": "not-a-cursor"}, 400),
        ({"created_after": "2026-01-01T00:00:00"}, 400),
        ({"status": "exploded"}, 400),
        ({"limit": 0}, 400),
    ],
)
def test_bad_queries_are_typed_errors(client, auth, params, status):
    response = client.get("/v1/webhooks/deliveries", headers=auth, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_one_delivery_reads_back_with_its_attempts(client, session_factory, auth, ingest_key):
    delivery_id = add_delivery(session_factory, ingest_key.id, URL, status="succeeded", attempt_count=2)
    with session_factory.begin() as session:
        session.add_all(
            [
                WebhookAttempt(
                    delivery_id=delivery_id,
                    attempted_at=T0,
                    status_code=None,
                    latency_ms=15000,
                    error="timeout: no response within 15s",
                ),
                WebhookAttempt(
                    delivery_id=delivery_id,
                    attempted_at=T0 + timedelta(seconds=5),
                    status_code=200,
                    latency_ms=42,
                    error=None,
                ),
            ]
        )
    body = client.get(f"/v1/webhooks/deliveries/{delivery_id}", headers=auth).json()
    assert body["status"] == "succeeded" and body["payload"]["type"] == "article.completed"
    assert [(a["status_code"], a["latency_ms"], a["error"]) for a in body["attempts"]] == [
        (None, 15000, "timeout: no response within 15s"),
        (200, 42, None),
    ]
    assert client.get("/v1/webhooks/deliveries/msg_nope", headers=auth).status_code == 404


def test_replay_makes_a_finished_delivery_due_with_a_fresh_schedule(
    client, session_factory, auth, ingest_key, dispatcher
):
    delivery_id = add_delivery(
        session_factory, ingest_key.id, URL, status="failed", attempt_count=10, next_attempt_at=None
    )
    response = client.post(f"/v1/webhooks/deliveries/{delivery_id}/replay", headers=auth)
    assert response.status_code == 202 and response.json()["status"] == "pending"
    assert dispatcher.webhooks == [delivery_id]
    with session_factory() as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert (row.status, row.schedule_start, row.id) == ("pending", 10, delivery_id)
        assert row.next_attempt_at is not None
    conflict = client.post(f"/v1/webhooks/deliveries/{delivery_id}/replay", headers=auth)
    assert conflict.status_code == 409 and "pending" in conflict.json()["detail"]


def test_replay_to_a_disabled_endpoint_is_refused_until_re_enabled(
    client, session_factory, auth, ingest_key, other_key
):
    delivery_id = add_delivery(session_factory, ingest_key.id, URL, status="disabled", next_attempt_at=None)
    with session_factory.begin() as session:
        endpoints.disable(session, ingest_key.id, URL, reason="HTTP 410 Gone: endpoint disabled")
    assert client.post(f"/v1/webhooks/deliveries/{delivery_id}/replay", headers=auth).status_code == 409
    [endpoint] = client.get("/v1/webhooks/endpoints/disabled", headers=auth).json()
    assert endpoint["url"] == URL and endpoint["disabled_reason"].startswith("HTTP 410")
    assert client.get("/v1/webhooks/endpoints/disabled", headers=_bearer(other_key)).json() == []
    assert client.post(f"/v1/webhooks/endpoints/{endpoint['id']}/enable", headers=_bearer(other_key)).status_code == 404
    enabled = client.post(f"/v1/webhooks/endpoints/{endpoint['id']}/enable", headers=auth)
    assert enabled.status_code == 200 and enabled.json()["disabled_at"] is None
    assert client.get("/v1/webhooks/endpoints/disabled", headers=auth).json() == []
    assert client.post(f"/v1/webhooks/deliveries/{delivery_id}/replay", headers=auth).status_code == 202


def test_replay_all_failed_since_a_time(client, session_factory, auth, ingest_key, other_key, dispatcher):
    before = add_delivery(session_factory, ingest_key.id, URL, status="failed", created_at=T0 - timedelta(hours=1))
    after = [
        add_delivery(session_factory, ingest_key.id, URL, status="failed", created_at=T0 + timedelta(minutes=i))
        for i in range(3)
    ]
    succeeded = add_delivery(session_factory, ingest_key.id, URL, status="succeeded", created_at=T0)
    gone_url = "https://gone.example.org/in"
    to_disabled = add_delivery(session_factory, ingest_key.id, gone_url, status="failed", created_at=T0)
    not_mine = add_delivery(session_factory, other_key.id, URL, status="failed", created_at=T0)
    with session_factory.begin() as session:
        endpoints.disable(session, ingest_key.id, gone_url, reason="HTTP 410 Gone")
    response = client.post("/v1/webhooks/deliveries/replay", headers=auth, json={"since": T0.isoformat()})
    assert response.status_code == 202
    assert response.json() == {"replayed": 3, "skipped_disabled_endpoint": 1}
    assert sorted(dispatcher.webhooks) == sorted(after)
    with session_factory() as session:
        status = {i: session.get(WebhookDelivery, i).status for i in (before, succeeded, to_disabled, not_mine)}
    assert status == {before: "failed", succeeded: "succeeded", to_disabled: "failed", not_mine: "failed"}
    bad = client.post("/v1/webhooks/deliveries/replay", headers=auth, json={"since": "2026-01-01T00:00:00"})
    assert bad.status_code == 400
    assert (
        client.post(
            "/v1/webhooks/deliveries/replay", headers=auth, json={"since": T0.isoformat(), "status": "pending"}
        ).status_code
        == 400
    )


def test_rotation_returns_the_new_secret_once_and_keeps_the_old_one_for_the_grace(
    client, session_factory, auth, ingest_key
):
    response = client.post("/v1/webhooks/secret/rotate", headers=auth)
    assert response.status_code == 200
    body = response.json()
    new_secret = body["webhook_secret"]
    assert new_secret.startswith("whsec_") and new_secret != ingest_key.webhook_secret
    expires = datetime.fromisoformat(body["previous_secret_expires_at"])
    assert timedelta(hours=23, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=24)
    with session_factory() as session:
        row = session.get(ApiKey, ingest_key.id)
        assert (row.webhook_secret, row.previous_webhook_secret) == (new_secret, ingest_key.webhook_secret)
    short = client.post("/v1/webhooks/secret/rotate", headers=auth, json={"grace_seconds": 60}).json()
    assert datetime.fromisoformat(short["previous_secret_expires_at"]) - datetime.now(UTC) <= timedelta(seconds=60)
    assert client.post("/v1/webhooks/secret/rotate", headers=auth, json={"grace_seconds": -1}).status_code == 400
