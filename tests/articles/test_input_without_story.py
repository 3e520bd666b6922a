"""Input without a story ends `failed` with error.type `no_content` (and an article.failed event), against a real
Postgres: a page of navigation only and a one-line wire text were `done` records ("News Sport"; an empty body).
The preview answers the same reason synchronously (422 extraction_failed, extraction_error no_content)."""

from __future__ import annotations

import pytest

from service.api_keys.service import Principal
from service.articles.ingest import ingest
from service.articles.models import Article
from service.articles.schemas import ArticleSubmit
from service.articles.service import submit
from service.fetching import fetch_page
from service.settings import Settings
from service.webhooks.models import WebhookDelivery

NO_STORY = {
    "nav_only_html": {"html": "<nav>News Sport</nav>"},
    "headline_only_text": {"text": "Bridge opens over the river"},
}


@pytest.mark.parametrize("name", NO_STORY)
def test_input_without_a_story_ends_failed_no_content(session_factory, ingest_key, database_url, name):
    principal = Principal(key_id=ingest_key.id, name="ingest", scopes=frozenset({"ingest"}))
    settings = Settings(database_url=database_url)
    body = {**NO_STORY[name], "callback_url": "https://hooks.example/h"}
    with session_factory.begin() as session:
        sub = submit(session, principal, ArticleSubmit(**body), settings)
    result = ingest(session_factory, sub.job_id, settings, fetch=fetch_page)
    assert result.status == "failed" and result.delivery_id
    with session_factory() as session:
        article = session.get(Article, sub.article.id)
        assert (article.status, article.error_type) == ("failed", "no_content"), article.body_text
        assert article.error_detail and not article.body_text
        delivery = session.get(WebhookDelivery, result.delivery_id)
        assert delivery.event_type == "article.failed"
        assert delivery.payload["data"]["error"] == {"type": "no_content", "detail": article.error_detail}


@pytest.mark.parametrize("name", NO_STORY)
def test_the_preview_refuses_it_with_the_same_reason(client, auth, name):
    response = client.post("/v1/extract", json=NO_STORY[name], headers=auth)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/extraction_failed") and problem["extraction_error"] == "no_content"
