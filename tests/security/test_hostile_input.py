"""Hostile input in-process: oversized bodies, NUL characters, values the database refuses, failing synchronous
fetches, and Idempotency-Key expiry. Every answer is a typed problem, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import update

from service.app import create_app
from service.fetching import FetchError
from service.idempotency.models import IdempotencyKey
from tests.conftest import _key

LIMIT = 4096


def _problem(response, status: int, type_suffix: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"].endswith(type_suffix), body
    return body


@pytest.fixture
def small_client(settings, session_factory, dispatcher):
    def failing_fetch(url, settings, **_):
        kind = url.rsplit("/", 1)[-1]
        raise FetchError(kind, f"canned {kind}", retry_after=7 if kind == "http_429" else None)

    app = create_app(
        settings.model_copy(update={"max_request_bytes": LIMIT}),
        session_factory=session_factory,
        dispatcher=dispatcher,
        fetch=failing_fetch,
        broker_check=lambda: None,
    )
    with TestClient(app) as client:
        yield client


def test_bodies_over_the_limit_are_413_on_every_write_route(small_client, auth, dispatcher):
    big = {"text": "x" * (LIMIT + 1)}
    for path in ("/v1/articles", "/v1/extract"):
        _problem(small_client.post(path, json=big, headers=auth), 413, "payload_too_large")
    assert dispatcher.ingest == []
    assert small_client.post("/v1/articles", json={"text": "x" * (LIMIT - 100)}, headers=auth).status_code == 202


def test_nul_characters_in_the_url_are_400_before_any_handler(small_client, auth):
    for url in ("/v1/articles?site=a%00b", "/v1/articles/export?language=%00", "/v1/webhooks/deliveries/a%00b"):
        _problem(small_client.get(url, headers=auth), 400, "malformed_request")


def test_values_the_database_refuses_are_422_not_a_database_outage(small_client, auth):
    body = _problem(
        small_client.post("/v1/articles", json={"text": "T\nB.", "external_id": "a\u0000b"}, headers=auth),
        422,
        "invalid_input",
    )
    assert "retry_after" not in body


@pytest.mark.parametrize(
    ("kind", "status", "type_"),
    [
        ("blocked_address", 422, "fetch_failed"),
        ("http_404", 422, "fetch_failed"),
        ("not_html", 422, "fetch_failed"),
        ("connection_error", 503, "fetch_unavailable"),
        ("http_429", 503, "fetch_unavailable"),
    ],
)
def test_a_failed_synchronous_fetch_is_a_typed_problem(small_client, auth, kind, status, type_):
    body = _problem(
        small_client.post("/v1/extract", json={"url": f"https://example.com/{kind}"}, headers=auth), status, type_
    )
    assert body["fetch_error"] == kind
    if status == 503:
        assert body["retry_after"] >= 1
    assert kind != "http_429" or body["retry_after"] == 7


def test_idempotency_keys_are_per_api_key_and_expire_after_24_hours(
    client, auth, ingest_key, session_factory, dispatcher
):
    headers = {**auth, "Idempotency-Key": "order-1"}
    first = client.post("/v1/articles", json={"text": "One\nBody."}, headers=headers)
    assert first.status_code == 202
    with session_factory() as session:
        stored = session.get(IdempotencyKey, (ingest_key.id, "order-1"))
        assert timedelta(hours=23, minutes=59) < stored.expires_at - datetime.now(UTC) <= timedelta(hours=24)
    _problem(client.post("/v1/articles", json={"text": "Two\nBody."}, headers=headers), 422, "idempotency_key_reused")
    other = _key(session_factory, "other", ["ingest"])
    theirs = client.post(
        "/v1/articles",
        json={"text": "Two\nBody."},
        headers={"Authorization": f"Bearer {other.key}", "Idempotency-Key": "order-1"},
    )
    assert theirs.status_code == 202 and theirs.json()["id"] != first.json()["id"]

    with session_factory.begin() as session:  # a day later
        session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "order-1")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    after = client.post("/v1/articles", json={"text": "Two\nBody."}, headers=headers)
    assert after.status_code == 202 and after.json()["id"] not in (first.json()["id"], theirs.json()["id"])
    assert len(dispatcher.ingest) == 3
