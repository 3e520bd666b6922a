"""The worker use case against a real Postgres and a local page server: fetch, extract, store, refresh."""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.api_keys.service import Principal
from service.articles.ingest import ingest
from service.articles.models import Article
from service.articles.schemas import ArticleSubmit
from service.articles.service import submit
from service.fetching import fetch_page
from service.jobs.models import Job
from service.settings import Settings
from service.webhooks.models import WebhookDelivery
from tests.support.statements import recorded_statements

PAGE = """<html><head><title>Council Approves New Bridge - City News</title>
<link rel="canonical" href="{canonical}"></head><body><article><h1>Council Approves New Bridge</h1>
<p>The city council approved the construction of a new bridge across the river on Monday evening.</p>
<p>Construction is expected to start in spring and to take two years, the mayor said.</p>
</article></body></html>"""


@contextmanager
def site(canonical: str):
    hits = {"200": 0, "304": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                self.send_response(404)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == '"v1"':
                hits["304"] += 1
                self.send_response(304)
                self.end_headers()
                return
            hits["200"] += 1
            body = PAGE.format(canonical=canonical).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def principal(ingest_key):
    return Principal(key_id=ingest_key.id, name="ingest", scopes=frozenset({"ingest"}))


def _settings(database_url, base: str) -> Settings:
    port = int(base.rsplit(":", 1)[1])
    return Settings(
        database_url=database_url,
        allow_private_networks=True,
        allowed_ports=[80, 443, port],
        politeness_key_prefix=f"test:{uuid.uuid4().hex}:",
        per_host_rate_per_second=1000,
    )


@pytest.mark.parametrize("canonical_path, same_site", [("/canonical-story", True), (None, False)])
def test_url_job_fetches_extracts_and_keeps_only_a_same_site_canonical(
    session_factory, principal, database_url, canonical_path, same_site
):
    with site(canonical_path or "https://other.example/stolen") as (base, _hits):
        settings = _settings(database_url, base)
        with session_factory.begin() as session:
            job_id = submit(session, principal, ArticleSubmit(url=f"{base}/story?utm_source=x"), settings).job_id
        result = ingest(session_factory, job_id, settings, fetch=fetch_page)
    assert result.status == "done"
    with session_factory() as session:
        article = session.get(Article, session.get(Job, job_id).article_id)
        assert article.title == "Council Approves New Bridge"
        assert article.body_text.startswith("The city council approved")
        assert article.raw_input and article.raw_etag == '"v1"'
        expected = f"{base}/canonical-story" if same_site else f"{base}/story"
        assert article.canonical_url == expected


def test_refresh_uses_a_conditional_request_and_keeps_the_record(session_factory, principal, database_url):
    with site("/story") as (base, hits):
        settings = _settings(database_url, base)
        with session_factory.begin() as session:
            first = submit(session, principal, ArticleSubmit(url=f"{base}/story"), settings)
        assert ingest(session_factory, first.job_id, settings, fetch=fetch_page).status == "done"
        with session_factory.begin() as session:
            again = submit(session, principal, ArticleSubmit(url=f"{base}/story"), settings)
            refresh = submit(session, principal, ArticleSubmit(url=f"{base}/story", refresh=True), settings)
        assert again.job_id is None and again.article.id == first.article.id
        assert refresh.article.id == first.article.id and refresh.job_id not in (None, first.job_id)
        assert ingest(session_factory, refresh.job_id, settings, fetch=fetch_page).status == "done"
    assert hits == {"200": 1, "304": 1}
    with session_factory() as session:
        assert session.get(Article, first.article.id).title == "Council Approves New Bridge"


def test_same_content_under_another_url_is_linked_as_duplicate(session_factory, principal, database_url):
    with site("/story") as (base, _hits):
        settings = _settings(database_url, base)
        ids = []
        for path in ("/story", "/amp/story"):
            with session_factory.begin() as session:
                sub = submit(session, principal, ArticleSubmit(url=f"{base}{path}"), settings)
            assert ingest(session_factory, sub.job_id, settings, fetch=fetch_page).status == "done"
            ids.append(sub.article.id)
    with session_factory() as session:
        assert session.get(Article, ids[1]).duplicate_of == ids[0]
        assert session.get(Article, ids[0]).duplicate_of is None


def test_fetch_failure_ends_as_a_typed_failed_record(session_factory, principal, database_url):
    with site("/story") as (base, _hits):
        settings = _settings(database_url, base)
        with session_factory.begin() as session:
            sub = submit(session, principal, ArticleSubmit(url=f"{base}/robots.txt"), settings)  # answers 404
        result = ingest(session_factory, sub.job_id, settings, fetch=fetch_page)
    assert result.status == "failed"
    with session_factory() as session:
        article = session.get(Article, sub.article.id)
        assert article.status == "failed" and article.error_type == "http_404" and article.error_detail
        assert json.dumps(article.sidebars) == "[]"


def test_nul_characters_in_the_document_do_not_break_storage(session_factory, principal, database_url):
    settings = Settings(database_url=database_url)
    text = "Flood\x00 Warning Issued\nRivers rose\x00 overnight across the valley, officials said.\n"
    html = (
        "<html><head><title>Flood\x00 Warning</title><meta name='author' content='A\x00 Reporter'></head><body>"
        "<article><p>Rivers rose\x00 overnight across the valley, officials said on Sunday morning.</p>"
        "<p>Residents were told to move to higher ground before noon.</p></article></body></html>"
    )
    for body in ({"text": text}, {"html": html}):
        with session_factory.begin() as session:
            sub = submit(session, principal, ArticleSubmit(**body), settings)
        assert ingest(session_factory, sub.job_id, settings, fetch=fetch_page).status == "done"
        with session_factory() as session:
            article = session.get(Article, sub.article.id)
            assert "\x00" not in (article.title + article.body_text + "".join(article.authors))
            assert article.body_text.startswith("Rivers rose") and "overnight across the valley" in article.body_text


def test_one_pass_per_article_four_statements_claim_to_webhook_row(session_factory, principal, database_url):
    """Claim (with the input), job done, record, webhook row: one statement each (issue 16: the worker's round
    trips per article were ~16, as much time as the extraction itself on a loaded machine)."""
    settings = Settings(database_url=database_url)
    html = "<html><body><article><h1>Bridge</h1>" + "<p>The council approved a new bridge today.</p>" * 4
    with session_factory.begin() as session:
        sub = submit(session, principal, ArticleSubmit(html=html, callback_url="https://hooks.example/h"), settings)
    sent = recorded_statements(session_factory)
    result = ingest(session_factory, sub.job_id, settings, fetch=fetch_page)
    assert result.status == "done" and result.delivery_id
    assert sent == ["UPDATE", "UPDATE", "UPDATE", "INSERT"]
    with session_factory() as session:
        article = session.get(Article, sub.article.id)
        delivery = session.get(WebhookDelivery, result.delivery_id)
        assert (article.status, session.get(Job, sub.job_id).status, delivery.status) == ("done", "done", "pending")
        assert datetime.fromisoformat(delivery.payload["data"]["updated_at"]) == article.updated_at
        assert delivery.payload["data"]["title"] == article.title == "Bridge"


def test_a_crash_in_the_fetch_path_is_retried_then_a_typed_failed_record(session_factory, principal, database_url):
    """A library under the fetcher that raises something unexpected (IDNAError was one) must not escape: the
    message would be redelivered forever with the job stuck `running`. It is retried, then `failed`."""

    def crashing_fetch(url, settings, **_):
        raise LookupError("a bug below the fetcher")

    settings = _settings(database_url, "http://127.0.0.1:9")
    with session_factory.begin() as session:
        sub = submit(session, principal, ArticleSubmit(url="http://127.0.0.1:9/story-one-two"), settings)
        session.get(Job, sub.job_id).max_attempts = 2
    first = ingest(session_factory, sub.job_id, settings, fetch=crashing_fetch)
    assert first.status == "retry"
    second = ingest(session_factory, sub.job_id, settings, fetch=crashing_fetch)
    assert second.status == "failed"
    with session_factory() as session:
        article = session.get(Article, sub.article.id)
        assert article.status == "failed" and article.error_type == "fetch_error"
        assert article.error_detail.startswith("LookupError: a bug below the fetcher")


def test_a_time_limit_inside_extraction_reaches_the_task(session_factory, principal, database_url, monkeypatch):
    """Celery's SoftTimeLimitExceeded is an Exception: the extraction path's crash guard caught it and called it
    `extraction_error`, so the task never recorded the time limit. It must pass through, as in the fetch path."""
    from celery.exceptions import SoftTimeLimitExceeded

    import service.articles.ingest as ingest_module

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(ingest_module, "extract_document", out_of_time)
    settings = _settings(database_url, "http://127.0.0.1:9")
    with session_factory.begin() as session:
        sub = submit(session, principal, ArticleSubmit(text="A title\n\nA short wire copy."), settings)
    with pytest.raises(SoftTimeLimitExceeded):
        ingest(session_factory, sub.job_id, settings, fetch=fetch_page)
