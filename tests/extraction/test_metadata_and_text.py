"""Metadata and normalisation rules of issue #3."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.extraction import extract_document
from service.extraction.metadata_dates import parse_date
from service.extraction.metadata_title import site_labels, strip_site_suffix

PAGE = """<html><head><title>Harbour Tunnel Reopens - The Example Post</title>
<meta property="og:site_name" content="The Example Post">
<meta name="description" content="The tunnel is open again.">
<meta property="og:image" content="/img/tunnel.jpg">
<meta property="article:published_time" content="2025-03-10T09:30:00+05:00">
<meta property="article:tag" content="Transport"><meta property="article:tag" content="City">
<meta name="author" content="Jane Doe; John Roe">
<link rel="canonical" href="https://example.org/tunnel"></head>
<body><article><h1>Harbour Tunnel Reopens</h1>
<p>The harbour tunnel re&shy;opened on Saturday&nbsp;&nbsp;after a two-year\u200b repair project that cost more than 300 million dollars and closed the busiest route into the city.</p>
<p>Engineers replaced the ventilation system and reinforced the walls against flooding, the transport authority said in a statement on Friday evening.</p>
</article></body></html>"""


def test_html_metadata():
    a = extract_document(PAGE, "html", source_url="https://example.org/x?utm=1")
    assert a.title == "Harbour Tunnel Reopens"
    assert a.site_name == "The Example Post"
    assert a.authors == ("Jane Doe", "John Roe")
    assert a.published_at == datetime(2025, 3, 10, 4, 30, tzinfo=UTC)
    assert a.published_at_offset == "+05:00"
    assert a.canonical_url == "https://example.org/tunnel"
    assert a.image_url == "https://example.org/img/tunnel.jpg"
    assert a.description == "The tunnel is open again."
    assert a.tags == ("Transport", "City")


def test_text_is_normalized_and_paragraphs_kept():
    a = extract_document(PAGE, "html")
    assert "reopened on Saturday after a two-year repair" in a.body_text
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == 2 and all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_plain_text_title_and_nfc():
    a = extract_document("\n\n  Cafe\u0301 opens   today \n\nFirst  paragraph.\n\n\n\nSecond &amp; last.\n", "text")
    assert a.title == "Café opens today"
    assert a.body_text == "First paragraph.\n\nSecond & last."


def test_parse_date_variants():
    assert parse_date("2025-01-02T03:04:05Z")[1] == "+00:00"
    assert parse_date("2025-01-02 03:04:05+0300") == (datetime(2025, 1, 2, 0, 4, 5, tzinfo=UTC), "+03:00")
    assert parse_date("2025-01-02")[1] is None
    assert parse_date("yesterday") == (None, None)


def test_strip_site_suffix():
    assert strip_site_suffix("Big Story | Daily News", ("Daily News",)) == "Big Story"
    orda = site_labels(None, "https://orda.kz/en/a")
    assert strip_site_suffix("Moscow Weighs in on Armenia - Orda", orda) == "Moscow Weighs in on Armenia"
    assert (
        strip_site_suffix("Q&A - what the new rules mean for renters", orda)
        == "Q&A - what the new rules mean for renters"
    )
    assert strip_site_suffix("Talks end — Foreign Ministry", orda) == "Talks end — Foreign Ministry"  # not the site


PARAGRAPHS = "".join(
    f"<p>Paragraph number {i} of the story tells what the city council decided on Tuesday.</p>" for i in range(10)
)


@pytest.mark.parametrize("control", ["\x0b", "\x0c", "\x01", "\x1b", "\x07", "\x7f", "\x85"])
def test_one_control_character_never_empties_the_story(control):
    """lxml/trafilatura dropped the whole story over one control character (XML forbids them); a hostile-input
    probe got a `done` record with an empty body."""
    from service.extraction import extract_document

    html = "<title>Budget\x01\x1b[31m passes\x07</title>" + PARAGRAPHS.replace("number 3", f"number{control} 3")
    article = extract_document(html, "html")
    assert article.body_text.count("Paragraph number") == 10, article.body_text[:200]
    assert article.title == "Budget[31m passes"  # the escape's printable tail stays; the controls go
    text = extract_document(f"Budget{control} passes\n\nMore{control} text about the budget vote.", "text")
    assert all(ord(c) >= 32 or c in "\n" for c in text.title + text.body_text), (text.title, text.body_text)


def test_a_plain_text_first_line_too_long_for_a_title_stays_story_text():
    """Hostile probe (issue 14): a 50,000-character first line became the title (HTML titles are capped at 250);
    cut, the rest of the line would be lost. Over the cap it is no headline: it is the body's first paragraph."""
    line = "word " * 10_000
    article = extract_document(f"{line}\n\nA second paragraph of the wire copy.", "text")
    assert article.title is None
    assert article.body_text.startswith(line.strip()) and article.body_text.endswith("of the wire copy.")


def test_a_line_of_bidi_controls_alone_is_blank_not_a_title():
    """Hostile probe (issue 14): "\u202e\u2066" (right-to-left override, left-to-right isolate) shows nothing,
    and became the title; zero-width characters were already taken out."""
    article = extract_document(
        "\u200f\u202e\u2066\nHeadline\n\nThe council met on Monday to vote on the budget.", "text"
    )
    assert article.title == "Headline"
    mixed = extract_document("\u202bשלום\u202c world\n\nThe council met on Monday to vote on the budget.", "text")
    assert mixed.title == "\u202bשלום\u202c world"  # bidi controls around visible text are kept
