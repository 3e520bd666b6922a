"""Article routes against a real, migrated Postgres (rolled back per test) with a recording dispatcher."""

from __future__ import annotations

import uuid

import pytest

from service.articles.models import Article
from service.jobs.models import Job
from tests.support.paths import FIXTURES

SEED_TEXT = "Moscow Weighs in on Armenia\nRussian officials have responded to Armenia."


def _problem(response, status: int, type_suffix: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"].endswith(type_suffix), body
    assert body["detail"]
    return body


def test_submit_text_stores_article_and_job_and_sends_after_commit(client, auth, session_factory, dispatcher):
    response = client.post("/v1/articles", json={"text": SEED_TEXT, "external_id": "wire-1"}, headers=auth)
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued"
    assert response.headers["location"] == f"/v1/articles/{body['id']}"
    with session_factory() as session:
        article = session.get(Article, uuid.UUID(body["id"]))
        job = session.query(Job).filter_by(article_id=article.id).one()
        assert article.external_id == "wire-1" and article.input_kind == "text" and article.raw_input
    assert dispatcher.ingest == [(str(job.id), 5)]


def test_get_returns_the_record_with_every_contract_field(client, auth):
    created = client.post(
        "/v1/articles", json={"html": "<p>x</p>", "source_url": "https://Example.com/a"}, headers=auth
    ).json()
    record = client.get(f"/v1/articles/{created['id']}", headers=auth).json()
    # Exactly the record documented in README.md ("The record"): a field added or dropped fails here.
    assert set(record) == {
        "id",
        "status",
        "external_id",
        "source_url",
        "canonical_url",
        "site_name",
        "title",
        "authors",
        "published_at",
        "published_at_offset",
        "description",
        "image_url",
        "tags",
        "language",
        "language_confidence",
        "body_text",
        "sidebars",
        "word_count",
        "content_hash",
        "extractor_version",
        "duplicate_of",
        "created_at",
        "updated_at",
        "error",
    }
    assert record["status"] == "queued" and record["sidebars"] == [] and record["error"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"url": "https://example.com/a", "text": "hello"},
        {"html": "<p>a</p>", "text": "b", "url": "https://example.com"},
    ],
)
def test_exactly_one_input_is_required(client, auth, body, dispatcher):
    _problem(client.post("/v1/articles", json=body, headers=auth), 422, "invalid_input")
    assert dispatcher.ingest == []


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://example.com/a", "http://", "javascript:alert(1)", "https://example.com:99999/x"]
)
def test_invalid_url_is_rejected(client, auth, url):
    _problem(client.post("/v1/articles", json={"url": url}, headers=auth), 422, "invalid_input")


@pytest.mark.parametrize("body", [{"text": "   \n  "}, {"html": ""}])
def test_empty_document_is_rejected(client, auth, body):
    _problem(client.post("/v1/articles", json=body, headers=auth), 422, "invalid_input")


def test_malformed_json_and_non_utf8_bytes_are_400(client, auth):
    headers = {**auth, "content-type": "application/json"}
    _problem(client.post("/v1/articles", content=b'{"text": ', headers=headers), 400, "malformed_request")
    _problem(
        client.post("/v1/articles", content=b'{"text": "\xff\xfe bad"}', headers=headers), 400, "malformed_request"
    )
    _problem(client.post("/v1/articles", json={"text": 5}, headers=auth), 400, "malformed_request")
    _problem(client.post("/v1/articles", json={"txt": "typo"}, headers=auth), 400, "malformed_request")


def test_missing_wrong_and_revoked_keys_are_401(client, ingest_key, session_factory):
    _problem(client.get("/v1/articles"), 401, "unauthorized")
    _problem(client.get("/v1/articles", headers={"Authorization": "Bearer aik_wrong"}), 401, "unauthorized")
    _problem(client.get("/v1/articles", headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    from service.api_keys.service import revoke_key

    with session_factory.begin() as session:
        revoke_key(session, ingest_key.id)
    _problem(client.get("/v1/articles", headers={"Authorization": f"Bearer {ingest_key.key}"}), 401, "unauthorized")


def test_keys_only_see_their_own_articles_unless_admin(client, auth, admin_key, session_factory):
    from service.api_keys.service import create_key

    with session_factory.begin() as session:
        other = create_key(session, name="other", scopes=["ingest"])
    mine = client.post("/v1/articles", json={"text": SEED_TEXT}, headers=auth).json()
    other_auth = {"Authorization": f"Bearer {other.key}"}
    _problem(client.get(f"/v1/articles/{mine['id']}", headers=other_auth), 404, "not_found")
    assert client.get("/v1/articles", headers=other_auth).json()["items"] == []
    admin_auth = {"Authorization": f"Bearer {admin_key.key}"}
    assert client.get(f"/v1/articles/{mine['id']}", headers=admin_auth).status_code == 200


def test_unknown_article_is_404(client, auth):
    _problem(client.get(f"/v1/articles/{uuid.uuid4()}", headers=auth), 404, "not_found")


def test_idempotency_key_returns_the_first_response_and_rejects_a_different_body(client, auth, dispatcher):
    headers = {**auth, "Idempotency-Key": "abc-123"}
    first = client.post("/v1/articles", json={"text": SEED_TEXT}, headers=headers)
    again = client.post("/v1/articles", json={"text": SEED_TEXT}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert len(dispatcher.ingest) == 1
    _problem(client.post("/v1/articles", json={"text": "other"}, headers=headers), 422, "idempotency_key_reused")


def test_an_idempotent_repeat_of_a_200_is_a_200(client, auth, dispatcher):
    """Hostile probe (issue 14): a keyed submission of a URL already stored was answered 200 (nothing queued), and
    its exact repeat 202, as if work had been queued: every replay answered 202."""
    url = {"url": "https://example.com/already-stored"}
    stored = client.post("/v1/articles", json=url, headers=auth)
    assert stored.status_code == 202
    headers = {**auth, "Idempotency-Key": "k2"}
    first = client.post("/v1/articles", json=url, headers=headers)
    again = client.post("/v1/articles", json=url, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"] == stored.json()["id"]
    assert len(dispatcher.ingest) == 1


def test_same_url_twice_returns_the_existing_record_unless_refresh(client, auth, dispatcher):
    first = client.post("/v1/articles", json={"url": "https://example.com/story?utm_source=x"}, headers=auth)
    second = client.post("/v1/articles", json={"url": "https://EXAMPLE.com/story"}, headers=auth)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    refreshed = client.post("/v1/articles", json={"url": "https://example.com/story", "refresh": True}, headers=auth)
    assert refreshed.status_code == 202 and refreshed.json()["id"] == first.json()["id"]
    assert len(dispatcher.ingest) == 2 and dispatcher.ingest[0] != dispatcher.ingest[1]


def test_list_is_cursor_paginated_in_change_order_with_filters(client, auth):
    ids = [
        client.post("/v1/articles", json={"text": f"Title {i}\nBody {i}."}, headers=auth).json()["id"] for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"updated_after": cursor} if cursor else {})}
        page = client.get("/v1/articles", params=params, headers=auth).json()
        if not page["items"]:
            break
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ids
    assert client.get("/v1/articles", params={"status": "done"}, headers=auth).json()["items"] == []
    assert len(client.get("/v1/articles", params={"status": "queued"}, headers=auth).json()["items"]) == 5
    _problem(client.get("/v1/articles", params={"updated_after": "%%%"}, headers=auth), 400, "malformed_request")
    _problem(client.get("/v1/articles", params={"limit": 0}, headers=auth), 400, "malformed_request")
    _problem(client.get("/v1/articles", params={"status": "done\n"}, headers=auth), 400, "malformed_request")


def test_preview_extracts_without_storing(client, auth, session_factory):
    text = (FIXTURES / "seed-article.txt").read_text()
    record = client.post("/v1/extract", json={"text": text}, headers=auth)
    assert record.status_code == 200, record.text
    body = record.json()
    assert body["title"] == "Moscow Weighs in on Armenia Seeking to Expand US and EU Ties"
    assert body["language"] == "en" and body["id"] is None
    with session_factory() as session:
        assert session.query(Article).count() == 0


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/html"])
def test_a_json_body_sent_as_another_media_type_is_refused_415(client, auth, content_type):
    body = b'{"text": "Moscow Weighs in on Armenia"}'
    response = client.post("/v1/articles", content=body, headers={**auth, "Content-Type": content_type})
    problem = _problem(response, 415, "unsupported_media_type")
    assert "application/json" in problem["detail"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", None])
def test_a_json_body_as_json_or_without_a_media_type_is_accepted(client, auth, content_type):
    headers = {**auth, "Content-Type": content_type} if content_type else auth
    response = client.post("/v1/articles", content=b'{"text": "Moscow Weighs in on Armenia"}', headers=headers)
    assert response.status_code == 202, response.text


def test_a_url_whose_host_dns_cannot_carry_is_refused_at_submission(client, auth):
    response = client.post("/v1/articles", json={"url": f"https://{'a' * 64}.example/story"}, headers=auth)
    assert "not a valid DNS name" in _problem(response, 422, "invalid_input")["detail"]
