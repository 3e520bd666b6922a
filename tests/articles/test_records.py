"""The record built from an extraction, the same for every path (worker, preview, CLI)."""

from __future__ import annotations

from service.articles.preview import preview
from service.articles.schemas import ArticleSubmit
from service.settings import Settings

PAGE = """<html><head><title>Flood Warning Issued</title>
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{canonical}"></head><body><article>
<p>Rivers rose overnight across the valley, officials said on Sunday morning.</p>
<p>Residents were told to move to higher ground before noon, the mayor said.</p>
</article></body></html>"""


def _record(published: str, canonical: str, source_url: str | None = "https://news.example/flood"):
    html = PAGE.format(published=published, canonical=canonical)
    return preview(ArticleSubmit(html=html, source_url=source_url), Settings())


def test_a_canonical_link_to_another_site_is_ignored_for_html_input():
    assert (
        _record("2026-01-02T10:00:00+05:00", "https://other.example/stolen").canonical_url
        == "https://news.example/flood"
    )
    assert (
        _record("2026-01-02T10:00:00+05:00", "/flood-canonical").canonical_url == "https://news.example/flood-canonical"
    )


def test_the_offset_is_the_pages_own_and_absent_when_the_page_gives_none():
    with_offset = _record("2026-01-02T10:00:00+05:00", "/flood")
    assert with_offset.published_at.isoformat() == "2026-01-02T05:00:00+00:00"
    assert with_offset.published_at_offset == "+05:00"
    assert _record("2026-01-02T10:00:00", "/flood").published_at_offset is None
