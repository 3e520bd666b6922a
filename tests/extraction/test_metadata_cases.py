"""Metadata kinds of issue 12 (shared cases 05, 06, 07), each with variants in other languages and layouts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.extraction import extract_document

BODY = (
    "<p>{0} The first paragraph of the story is long enough to be taken as the body of the article by the "
    "extractor, with several clauses and a full stop at the end.</p><p>A second paragraph follows with more "
    "detail about the event, the people involved and what happens next, again as a full sentence.</p>"
)


def page(head: str, body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def teasers(heading: str, authors: list[str], markup: str) -> str:
    items = "".join(
        f'<li><a href="/n/{i}">Teaser headline number {i} about something else</a> ' + markup.format(name) + "</li>"
        for i, name in enumerate(authors)
    )
    return f"<h3>{heading}</h3><ul>{items}</ul>"


# --- authors: only from the story region, cleaned ------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, byline, rail",
    [
        (
            "ru",
            'Автор: <a rel="author" href="/a/1">Айгуль Сапарова</a>',
            '<aside class="sidebar">'
            + teasers("Последние новости", ["Тимур Ганиев", "Лола Юсупова"], '<a rel="author" href="/a/x">{}</a>')
            + "</aside>",
        ),
        (
            "en",
            'By <span itemprop="author">Dilnoza Rakhimova</span>',
            '<div class="related-stories">'
            + teasers("More stories", ["Timur Ganiev", "Lola Yusupova"], '<span itemprop="author">{}</span>')
            + "</div>",
        ),
    ],
)
def test_teaser_authors_are_not_article_authors(lang, byline, rail):
    name = byline.split(">")[1].split("<")[0]
    html = page(
        "<title>Tashkent opens its first electric bus depot</title>",
        f'<main><article><h1>Tashkent opens its first electric bus depot</h1><div class="byline">{byline}'
        f"</div>{BODY.format('Tashkent opened a depot.')}</article></main>{rail}",
        lang,
    )
    assert extract_document(html, "html").authors == (name,)


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("By Jane Doe Nov. 19, 2019 8:03 am ET @janedoe", ("Jane Doe",)),
        ("View all posts by Aziz Karimov", ("Aziz Karimov",)),
        ("By Jill Disis, CNN Business", ("Jill Disis",)),
        ("Rachael Link, MS, RD", ("Rachael Link",)),
        ("By Laura Jordán / Javier Urbina", ("Laura Jordán", "Javier Urbina")),
    ],
)
def test_byline_is_cleaned(byline, expected):
    html = page(
        '<meta property="og:site_name" content="CNN Business">',
        f'<article><h1>Trade talks stall again as both sides dig in</h1><div class="byline">{byline}</div>'
        f"{BODY.format('Talks stalled.')}</article>",
    )
    assert extract_document(html, "html", source_url="https://edition.cnn.com/x").authors == expected


def test_meta_byl_and_social_media_posting_json_ld():
    byl = page(
        '<meta name="byl" content="By Ana Swanson and Alan Rappeport">',
        f"<article><h1>Trade war keeps world guessing</h1>{BODY.format('Trade.')}</article>",
    )
    assert extract_document(byl, "html").authors == ("Ana Swanson", "Alan Rappeport")
    post = page(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "SocialMediaPosting",'
        ' "headline": "Flood warning for the Chu valley", "author": {"@type": "Person", "name": "Bakyt Osmonov"},'
        ' "datePublished": "2024-04-18T09:30:00+06:00"}</script>',
        f"<div><h1>Flood warning for the Chu valley</h1>{BODY.format('Floods.')}</div>",
        "ky",
    )
    article = extract_document(post, "html")
    assert article.authors == ("Bakyt Osmonov",)
    assert (article.published_at, article.published_at_offset) == (datetime(2024, 4, 18, 3, 30, tzinfo=UTC), "+06:00")


# --- title: cross-checked sources, site name cut only when it is the site --------------------------------------


@pytest.mark.parametrize(
    "lang, headline, site",
    [
        (
            "en",
            "Yerevan and Baku say they have agreed the full text of a peace treaty — Foreign Ministry",
            "Caucasus News",
        ),
        ("kk", "Астана мен Ташкент су бөлу туралы жаңа ұзақ мерзімді келісімге қол қойды - СІМ", "Qazaq Habar"),
    ],
)
def test_attribution_after_a_dash_is_not_a_site_name(lang, headline, site):
    html = page(
        f'<title>{headline} | {site}</title><meta property="og:site_name" content="{site}">'
        f'<meta property="og:title" content="{headline}">',
        f"<article><h1>{headline}</h1>{BODY.format('Talks ended.')}</article>",
        lang,
    )
    article = extract_document(html, "html", source_url="https://example.org/story")
    assert article.title == headline
    assert headline not in article.body_text  # the repeated headline is still dropped from the body


def test_site_logo_h1_and_json_ld_headline_do_not_win_over_agreeing_sources():
    logo = page(
        "<title>Bishkek opens a new bridge over the Alamedin | Vecherniy Bishkek</title>"
        '<meta property="og:site_name" content="Vecherniy Bishkek">',
        "<header><h1>Vecherniy Bishkek</h1></header><article><h2>Bishkek opens a new bridge over the Alamedin"
        f"</h2>{BODY.format('A bridge.')}</article>",
    )
    assert extract_document(logo, "html").title == "Bishkek opens a new bridge over the Alamedin"
    ld = page(
        "<title>Samarkand bans cars from the old town - Uz Daily</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Samarkand car ban (updated)"}'
        "</script>",
        f"<article><h1>Samarkand bans cars from the old town</h1>{BODY.format('Cars.')}</article>",
    )
    assert (
        extract_document(ld, "html", source_url="https://uzdaily.uz/a").title == "Samarkand bans cars from the old town"
    )


# --- dates: every source tried, then the visible dateline in the region's languages, never a sidebar ------------


@pytest.mark.parametrize(
    "lang, dateline, day",
    [
        ("kk", "18 сәуір 2024, 09:30", "2024-04-18"),
        ("uz", "2024-yil 18-aprel, 09:30", "2024-04-18"),
        ("tg", "18 апрели 2024, 09:30", "2024-04-18"),
        ("az", "18 aprel 2024, 09:30", "2024-04-18"),
        ("ky", "18-апрель 2024", "2024-04-18"),
    ],
)
def test_visible_dateline_in_the_regions_languages(lang, dateline, day):
    html = page(
        "<title>Osh opens its first trolleybus line</title>",
        f'<div class="content"><h1>Osh opens its first trolleybus line</h1><div class="meta">'
        f'<span class="date">{dateline}</span></div>{BODY.format("Trolleybus.")}</div>',
        lang,
    )
    article = extract_document(html, "html")
    assert article.published_at is not None and article.published_at.date().isoformat() == day
    assert article.published_at_offset is None  # the page gives no offset: none is invented


def test_a_date_that_fails_to_parse_does_not_end_the_search():
    html = page(
        '<meta property="article:published_time" content="Thu, 32 Apr 2024 25:99:00 GMT">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-04-18T09:30:00+05:00"}'
        "</script>",
        f"<article><h1>Dushanbe hosts water conference</h1>{BODY.format('Water.')}</article>",
        "tg",
    )
    article = extract_document(html, "html")
    assert (article.published_at, article.published_at_offset) == (datetime(2024, 4, 18, 4, 30, tzinfo=UTC), "+05:00")
    rfc = page(
        '<meta property="article:published_time" content="Thu, 18 Apr 2024 09:30:00 GMT">',
        f"<article><h1>Dushanbe hosts water conference</h1>{BODY.format('Water.')}</article>",
    )
    assert extract_document(rfc, "html").published_at == datetime(2024, 4, 18, 9, 30, tzinfo=UTC)


def test_latest_rail_time_is_not_the_publication_date():
    rail = (
        '<aside class="latest"><h3>Latest</h3><ul><li><a href="/1">Other story</a> '
        '<time datetime="2026-11-29T10:00:00+06:00">10:00</time></li></ul></aside>'
    )
    html = page(
        "<title>Almaty metro gets a new station</title>",
        f'{rail}<article><h1>Almaty metro gets a new station</h1><p class="date">12.03.2025</p>'
        f"{BODY.format('Metro.')}</article>",
        "ru",
    )
    assert extract_document(html, "html").published_at.date().isoformat() == "2025-03-12"


def test_utc_labelled_metadata_takes_the_offset_of_the_visible_dateline():
    html = page(
        '<meta property="article:published_time" content="2022-04-22T04:04:54+00:00">',
        "<article><h1>Fuel prices keep rising in Guatemala</h1><p>por Henry Montenegro</p>"
        f"<time>21 de abril de 2022 a las 22:04h</time>{BODY.format('Fuel.')}</article>",
        "es",
    )
    article = extract_document(html, "html")
    assert article.published_at == datetime(2022, 4, 22, 4, 4, 54, tzinfo=UTC)
    assert article.published_at_offset == "-06:00"
    assert article.authors == ("Henry Montenegro",)


# --- the story region after the headline: every piece, every time; prose is not a byline ----------------------


def test_pieces_after_the_headline_skip_only_the_headline():
    """The headline's own nodes are skipped by identity: a proxy freed at once must not make an unrelated
    element look like part of the headline (ids of freed lxml proxies are reused)."""
    import lxml.html

    from service.extraction.metadata_region import pieces_after

    spans = "".join(f"<span>h{i}</span>" for i in range(60))
    paras = "".join(f"<p>Paragraph {i} of the story.</p>" for i in range(60))
    root = lxml.html.document_fromstring(f"<html><body><h1>{spans}</h1>{paras}</body></html>")
    for _ in range(3):
        headline = root.find(".//h1")
        texts = [text for _, text in pieces_after(root, headline, 1000)]
        assert texts == [f"Paragraph {i} of the story." for i in range(60)]


@pytest.mark.parametrize(
    "lang, prose, byline, author",
    [
        (
            "de",
            "<p><strong>Von Politikern und Medien wird ja sehr genau auf die Zahl der Verstorbenen geschaut, "
            "daran misst man, wie erfolgreich ein Land im Kampf gegen die Pandemie ist. Aber ist das der richtige "
            "Maßstab?</strong></p>",
            '<span class="byline">Veröffentlicht von <a rel="author" href="/author/hg">Hans Geiger</a></span>',
            "Hans Geiger",
        ),
        (
            "es",
            "<p>Por otra parte, el ministro de Hacienda explicó que el mayor costo de logística y almacenamiento "
            "no cambia lo que se esperaba para el año que viene en la región.</p>",
            '<a rel="author" href="/autor/jc">Johnny Castro</a>',
            "Johnny Castro",
        ),
    ],
)
def test_a_sentence_that_opens_with_by_is_not_a_byline(lang, prose, byline, author):
    body = (
        f"<article><h1>The headline of the story here</h1>{prose}{BODY.format('')}<footer>{byline}</footer></article>"
    )
    article = extract_document(page("", body, lang), "html")
    assert article.authors == (author,)
