"""Metadata kinds of issue 12 (shared cases 05, 06, 07), each with variants in other languages and layouts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from service.extraction import extract_document
from service.extraction.metadata_dates import writes_the_first

BODY = (
    "<p>{0} The first paragraph of the story is long enough to be taken as the body of the article by the "
    "extractor, with several clauses and a full stop at the end.</p><p>A second paragraph follows with more "
    "detail about the event, the people involved and what happens next, again as a full sentence.</p>"
)


def page(head: str, body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def authors_under_the_headline(line: str, lang: str) -> tuple[str, ...]:
    """The authors of a story page whose `line` is a paragraph right under the headline."""
    html = page("", f"<article><h1>Whale strandings worry the coast</h1><p>{line}</p>{BODY.format('')}</article>", lang)
    return extract_document(html, "html").authors


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


def test_markup_in_a_meta_author_is_read_as_text():
    """osw.waw.pl in the trafilatura set: `<meta name="author">` holds an escaped link to the author's page."""
    html = page(
        '<meta name="author" content="&lt;a href=&quot;/pl/eksperci/mateusz-gniazdowski&quot; hreflang=&quot;pl'
        '&quot;&gt;Mateusz Gniazdowski&lt;/a&gt;">',
        f"<article><h1>Trade talks stall again as both sides dig in</h1>{BODY.format('Talks stalled.')}</article>",
    )
    assert extract_document(html, "html").authors == ("Mateusz Gniazdowski",)


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


# --- issue 12, second labelling pass (branch issue-12d): rules found on the broadened labelled set -------------


def test_region_after_a_headline_with_child_elements_is_read_in_full():
    # lxml makes a new proxy object per visit: ids of proxies already freed are reused, so a set of id()s of the
    # headline's descendants matched unrelated later elements and the region after the headline came out empty
    from service.extraction.html import parse_html
    from service.extraction.metadata_region import pieces_after

    pieces = "".join(f"<p>Piece <b>{i}</b> of the story</p>" for i in range(12))
    root = parse_html(
        f"<html><body><div><h1>Big <b>news</b> <i>from</i> <span>Osh</span></h1>{pieces}</div></body></html>"
    )
    got = [text for _el, text in pieces_after(root, root.find(".//h1"), 100)]
    assert got == [text for i in range(12) for text in ("Piece", str(i), "of the story")]


def test_a_story_paragraph_opening_with_a_byline_word_is_not_a_byline():
    # "Von bis zu 50 Jahre alten Rebstöcken ..." is prose: cleaned like a byline it gave the author "die"
    prose = (
        "Von bis zu 50 Jahre alten Rebstöcken mit niedrigen Erträgen gelesen und im großen Holzfass ausgebaut. "
        "Diese Selektion ist Maria Ramoser gewidmet, die 1930 den Hof übernahm und ihn bis 1975 führte."
    )
    html = page(
        '<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Person", "name": '
        '"Jossi Loibl"}}</script>',
        f"<article><h1>St. Magdalener: Rotweine mit Eleganz und Charakter</h1><p>{prose}</p>"
        f"{BODY.format('Wein.')}</article>",
        "de",
    )
    assert extract_document(html, "html").authors == ("Jossi Loibl",)


def test_analysis_by_and_handles_between_names_are_cleaned():
    analysis = page(
        '<meta property="og:site_name" content="CNN">',
        "<article><h1>Why you cannot trust the White House on this</h1>"
        '<p class="metadata__byline">Analysis by Chris Cillizza, CNN Editor-at-large</p>'
        f"{BODY.format('Health.')}</article>",
    )
    assert extract_document(analysis, "html", source_url="https://www.cnn.com/x").authors == ("Chris Cillizza",)
    handles = page(
        "",
        "<article><h1>Turkey and Poland added to UK quarantine list</h1><div>By <a>April Roach</a>"
        "<a>@aprilroach28</a><a>Daniel O'Mahony</a></div><div>01 October 2020</div>"
        f"{BODY.format('Travel.')}</article>",
    )
    assert extract_document(handles, "html").authors == ("April Roach", "Daniel O'Mahony")


def test_an_author_that_is_the_site_itself_gives_way_to_a_person_named_on_the_page():
    site_as_author = (
        '<meta property="og:site_name" content="Snopes.com"><script type="application/ld+json">{"@type": '
        '"ClaimReview", "author": {"@type": "Organization", "name": "Snopes"}}</script>'
    )
    person = page(
        site_as_author,
        "<article><h1>Does the ambassador have a net worth of $17 million?</h1>"
        f'<ul class="authors"><li class="author">Dan Evon</li></ul>{BODY.format("Claim.")}</article>',
    )
    assert extract_document(person, "html", source_url="https://www.snopes.com/fact-check/x/").authors == ("Dan Evon",)
    nobody_else = page(
        site_as_author,
        f"<article><h1>Does the ambassador have a net worth of $17 million?</h1>{BODY.format('Claim.')}</article>",
    )
    assert extract_document(nobody_else, "html", source_url="https://www.snopes.com/x/").authors == ("Snopes",)


def test_an_h1_agrees_with_a_title_once_the_site_name_is_cut_from_it():
    html = page(
        '<title>Aldi Beef Maker Test - CHIP</title><meta property="og:title" content="Aldi Beef Maker">'
        '<meta property="og:site_name" content="CHIP Online">',
        f"<article><header><h1>Beef Maker von Aldi im Test</h1></header>{BODY.format('Grill.')}</article>",
        "de",
    )
    assert extract_document(html, "html", source_url="https://www.chip.de/test/x.html").title == (
        "Beef Maker von Aldi im Test"
    )


def test_rdfa_dublin_core_date_of_the_story_is_a_structured_date():
    # Drupal's RDFa: <span property="dc:date" content="..."> under the headline; the header shows today's date;
    teaser = (
        '<aside class="latest"><a href="/2">Other story</a> <span property="dc:date" '
        'content="2019-02-06T00:00:00+01:00">6 February</span></aside>'
    )
    html = page(
        "<title>Sudanese activist: every condition for a revolution is met</title>",
        '<div class="header">Friday Feb. 19 2020</div>'
        # Drupal marks the story node itself "node-promoted"/"node-not-promoted" (to the front page): not a promo box
        '<article class="node node-published node-not-promoted"><h1>Sudanese activist: every condition for a '
        "revolution is met</h1>"
        # and an article's own <footer> (HTML: "information about its section", here the date) is the story's
        '<footer class="submitted"><span class="date-display-single" property="dc:date" datatype="xsd:dateTime" '
        f'content="2019-02-08T00:00:00+01:00">الجمعة 8 فيفري 2019</span></footer>{BODY.format("Sudan.")}</article>'
        f"{teaser}<footer>© 2020 Assabah</footer>",
    )
    article = extract_document(html, "html")
    assert (article.published_at, article.published_at_offset) == (datetime(2019, 2, 7, 23, 0, tzinfo=UTC), "+01:00")


def test_utc_labelled_publication_takes_the_offset_the_page_gives_its_other_timestamps():
    html = page(
        '<meta property="article:published_time" content="2019-11-19T03:05:46Z">'
        '<meta property="og:updated_time" content="2019-11-18T22:15:39-05:00">',
        f"<article><h1>How this man's bedding gave him feather duvet lung</h1>{BODY.format('Lung.')}</article>",
    )
    article = extract_document(html, "html")
    assert (article.published_at, article.published_at_offset) == (
        datetime(2019, 11, 19, 3, 5, 46, tzinfo=UTC),
        "-05:00",
    )
    # a page whose every timestamp is UTC keeps UTC: no offset is invented
    utc_only = html.replace("2019-11-18T22:15:39-05:00", "2019-11-19T03:15:39Z")
    assert extract_document(utc_only, "html").published_at_offset == "+00:00"


@pytest.mark.parametrize(
    "lang, link, after",
    [
        ("es", '<a href="/user/profile/rmonge">Rebeca Monge</a>', "<div>Jueves, 21 de abril de 2022</div>"),
        ("en", '<a href="/author/tom-gillespie-726">Tom Gillespie</a>', "<p>News reporter</p>"),
    ],
)
def test_a_link_to_an_author_page_under_the_headline_is_the_byline(lang, link, after):
    html = page(
        '<meta property="og:site_name" content="Sky News">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Organization", '
        '"name": "Sky"}}</script>',
        f"<article><h1>Assembly president tells critical journalists to leave</h1><div>{link}</div>{after}"
        '<p><a href="/tags/politics">Politics</a></p>'
        f"{BODY.format('Journalists.')}</article>",
        lang,
    )
    name = link.split(">")[1].split("<")[0]
    assert extract_document(html, "html", source_url="https://news.sky.com/story/x").authors == (name,)


AGENCY_OPENINGS = (
    ("de", "Karlsruhe, (12.11.2021). Traditionell gedenken evangelische Christinnen und Christen", "2021-11-12"),
    ("ru", "Бишкек, 18.04.2024 — Мэрия города сообщила, что новый мост через реку Аламедин", "2024-04-18"),
)


@pytest.mark.parametrize("lang, opening, day", AGENCY_OPENINGS)
def test_agency_dateline_opening_the_first_paragraph(lang, opening, day):
    # the page's only date opens the story ("PLACE, (DATE)."); the footer's copyright year must not win
    html = page(
        "<title>Trauern digital am Ewigkeitssonntag</title>",
        f"<article><h1>Trauern digital am Ewigkeitssonntag</h1><p>{opening} und andere Sätze folgen hier, "
        f"bis der Absatz lang genug ist, um kein Datum zu sein.</p>{BODY.format('Mehr.')}</article>"
        "<footer>© 2009-2023 Evangelische Landeskirche in Baden, 13.11.2021</footer>",
        lang,
    )
    article = extract_document(html, "html")
    assert article.published_at is not None and article.published_at.date().isoformat() == day


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


def test_pieces_after_the_headline_come_in_reading_order_past_comments():
    """A tail comes after its element's children (guardian-1: "by <span><a>NAME</a></span> (reporting) and X"),
    and a comment or processing instruction beside the headline is stepped over (the pipeline's parsers drop
    them; a tree from another parser keeps them)."""
    import lxml.html

    from service.extraction.metadata_region import pieces_after

    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=False)
    root = lxml.html.document_fromstring(
        "<html><body><h1>Head</h1><!-- c --><?pi x?><p>by <span><a>Jane Roe</a></span> (reporting) and X</p>"
        "</body></html>",
        parser=parser,
    )
    texts = [text for _, text in pieces_after(root, root.find(".//h1"), 10)]
    assert texts == ["by", "Jane Roe", "(reporting) and X"]


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


@pytest.mark.parametrize(
    "lang, duration",
    [("de", "15 – 30 Min"), ("en", "20 minutes 45 seconds"), ("ru", "15 минут 30 секунд")],
)
def test_a_duration_shown_near_the_headline_is_never_a_publication_date(lang, duration):
    # A recipe's "15 – 30 Min" (<time itemprop="prepTime" datetime="PT15M">) was read by dateparser as a relative
    # time ("30 minutes ago"): the record got the clock time of its extraction as its publication date.
    html = page(
        "<title>Muffins: das Grundrezept</title>",
        f'<article><h1>Muffins: das Grundrezept</h1><p>Zubereitung: <time itemprop="prepTime" datetime="PT15M">'
        f"{duration}</time></p>{BODY.format('Teig.')}</article>",
        lang,
    )
    assert extract_document(html, "html").published_at is None


# Bylines of mozilla/readability's test pages, an independent set (guardian-1, videos-1, theverge): the
# photographer named in the byline's tail text, a status word after a handle, a bio after the name.
@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        (
            'by <span itemprop="author"><a rel="author" href="/profile/eleanor-ainge-roy"><span itemprop="name">'
            "Eleanor Ainge Roy</span></a></span> (reporting) and Adrian Malloch (photography)",
            ("Eleanor Ainge Roy",),
        ),
        (
            'By <span class="c-byline__item"><a href="/authors/alissa-wilkinson">Alissa Wilkinson</a>'
            '<span><a href="https://twitter.com/alissamarie">@alissamarie</a></span></span>'
            "<span>Updated</span><span>Jul 24, 2018, 2:15pm EDT</span>",
            ("Alissa Wilkinson",),
        ),
        (
            '<span>By</span> <span><a href="/authors/alex-heath">Alex Heath</a></span><span>, <span>a deputy editor '
            "and author of the Command Line newsletter. He’s covered the tech industry for over a decade at The "
            "Information and other outlets.</span></span>",
            ("Alex Heath",),
        ),
        (
            "<span>Von</span> <a href='/autor/anna-berg'>Anna Berg</a><span>Aktualisiert</span><span>12.03.2024</span>",
            ("Anna Berg",),
        ),
    ],
)
def test_byline_keeps_only_the_names_of_its_authors(byline, expected):
    html = page(
        "",
        f"<article><h1>Whale strandings worry the coast</h1><p>{byline}</p>{BODY.format('Whales.')}</article>",
    )
    assert extract_document(html, "html").authors == expected


@pytest.mark.parametrize(
    ("meta_published", "ld_published", "ld_modified", "expected"),
    [
        # the meta tag carries the update time (mozilla/readability's schema-org-context-object)
        ("2024-12-07T12:43:39Z", "2024-12-06T22:00:40Z", "2024-12-07T12:43:39Z", datetime(2024, 12, 6, 22, 0, 40)),
        # two months later in the meta tag (medium-3)
        ("2015-12-11T14:28:34Z", "2015-10-15T02:19:15Z", "2018-04-22T22:24:24Z", datetime(2015, 10, 15, 2, 19, 15)),
        # a date alone in JSON-LD: the meta tag's full time stays
        ("2019-11-19T11:21:08Z", "2019-11-19", "2019-11-19T11:21:08Z", datetime(2019, 11, 19, 11, 21, 8)),
        # hours apart, no update stamp equal to the meta tag's: the meta tag stays
        ("2022-01-06T08:29:34Z", "2022-01-06T01:00:00Z", None, datetime(2022, 1, 6, 8, 29, 34)),
    ],
)
def test_a_published_stamp_that_is_the_update_time_gives_way(meta_published, ld_published, ld_modified, expected):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": ld_published}
    if ld_modified:
        ld["dateModified"] = ld_modified
    html = page(
        f'<meta property="article:published_time" content="{meta_published}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('Whales.')}</article>",
    )
    assert extract_document(html, "html").published_at == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("logo", "headline", "site"),
    [
        # japanese_article2 in newspaper4k's test pages (AFPBB News)
        (
            "国際ニュース：AFPBB News",
            "動画：ナイジェリアで少女らによる自爆攻撃、ロケット弾も撃ち込まれ31人死亡",
            "AFPBB News",
        ),
        (
            "World news from Example Daily",
            "Floods close the main road to the airport for a second day",
            "Example Daily",
        ),
    ],
)
def test_the_h1_that_agrees_best_is_the_headline_not_the_site_logo_h1(logo, headline, site):
    html = page(
        f"<title>{headline}　{logo}</title>"
        f'<meta property="og:title" content="{headline}"><meta property="og:site_name" content="{site}">',
        f'<h1 class="hide-text"><span class="hide-text">{logo}</span></h1>'
        f'<article><h1 class="title">{headline}</h1>{BODY.format("Floods.")}</article>',
    )
    assert extract_document(html, "html").title == headline


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # Drupal's "submitted" line (thai_article in newspaper4k's test pages): a label and a date, no name
        ('<span class="submitted-by">Submitted on Mon, 2019-01-21 13:49</span>', ()),
        (
            '<span class="submitted-by">Submitted by <a href="/user/jroe">Jane Roe</a> on Mon, 2019-01-21</span>',
            ("Jane Roe",),
        ),
    ],
)
def test_a_submitted_line_gives_its_name_or_none(byline, expected):
    html = page("", f"<article><h1>Whale strandings worry the coast</h1>{byline}{BODY.format('Whales.')}</article>")
    assert extract_document(html, "html").authors == expected


# Found by a hostile probe of this session's byline changes
@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ('<p><svg width="10" height="10"><path d="M0 0"/></svg> By Jane Doe</p>', ("Jane Doe",)),
        ("<div><button>Follow</button> By Jane Doe</div>", ("Jane Doe",)),
        ("<div><script>var a=1;</script>By Jane Doe</div>", ("Jane Doe",)),
        ("<p>Submitted by Jane Doe on Mon, 01/02/2023</p>", ("Jane Doe",)),
        ("<p>By &lt;&lt;&lt;&gt;&gt;&gt;</p>", ()),
        ("<p>By van de</p>", ()),
        ("<p>Von zur Mühlen</p>", ("zur Mühlen",)),  # a name that opens with a particle
    ],
)
def test_byline_after_an_icon_and_odd_bylines(byline, expected):
    html = page("", f"<article><h1>Whale strandings worry the coast</h1>{byline}{BODY.format('Whales.')}</article>")
    assert extract_document(html, "html").authors == expected


@pytest.mark.parametrize("name", ['<a href="/x">Jane <b>Doe</b></a>', "Jane  <i></i> Doe"])
def test_a_name_with_markup_inside_has_single_spaces(name):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": name}}
    html = page(
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('Whales.')}</article>",
    )
    assert extract_document(html, "html").authors == ("Jane Doe",)


def test_a_story_never_updated_keeps_its_meta_time_over_a_midnight_json_ld_stamp():
    html = page(
        '<meta property="article:published_time" content="2024-05-10T15:30:00+00:00">'
        '<meta property="article:modified_time" content="2024-05-10T15:30:00+00:00">'
        '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-05-10T00:00:00+00:00"}'
        "</script>",
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('Whales.')}</article>",
    )
    assert extract_document(html, "html").published_at == datetime(2024, 5, 10, 15, 30, tzinfo=UTC)


# mozilla/readability's tmz-1 and la-nacion: a form's consent line and a teaser headline right after the headline
# open with a byline word ("By clicking", "Por qué"); cleaned as bylines they gave the authors '" you agree to
# the' and "oriental" (the last part of "… en occidental y oriental …").
@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", 'By clicking "Submit," you agree to the <a href="/privacy">Privacy Policy</a> and Terms of Use.'),
        ("es", '<a href="/n/2089730">Por qué Jerusalén está dividida en occidental y oriental</a>'),
        # a later part that looks like a name ("Нацбанк объясняет") survived the per-part checks
        ("ru", '<a href="/n/77">От чего зависит курс тенге, Нацбанк объясняет</a>'),
        # a sentence or a figure after the byline word (trafilatura's evaluation set)
        # schlosswirtjuval.it: its later parts looked like three names ("Kaminwurzen", "Hartbrot", "Kartoffeln.")
        (
            "de",
            "Von den umliegenden Höfen kaufte der Burgherr noch zusätzlich Speck, Kaminwurzen, Hartbrot und Kartoffeln.",
        ),
        # ladiaria.com.uy: "mes"
        ("es", "<i>por $195/mes</i>"),
        ("en", "By 2030, Solar, Wind and Storage"),
        # dtb.de: "vereine." ended a sentence that opened with "von"
        ("de", "von DOSB und dsj beteiligt sich der DTB an Leitlinien für Sportverbände und -vereine."),
    ],
)
def test_a_line_that_opens_with_a_byline_word_and_goes_on_as_prose_names_no_author(lang, line):
    assert authors_under_the_headline(line, lang) == ()


@pytest.mark.parametrize(
    "lang, byline, expected",
    [
        ("de", "Von dpa und Anna Berg", ("dpa", "Anna Berg")),
        ("es", "Por Ana María de la Cruz", ("Ana María de la Cruz",)),
    ],
)
def test_a_byline_of_agencies_or_a_particle_name_stays(lang, byline, expected):
    assert authors_under_the_headline(byline, lang) == expected


# htmldate's free-text search ends in a year or a month alone, given as the first of the month: a copyright or
# founding year became the publication date (mozilla/readability's mozilla-1, wikipedia; archive.org and
# harrypotter.fandom.com in trafilatura's evaluation pages), a CSS class "mjx-c2026" the date 2026-01-01 (mathjax).
@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "<footer><p>© 1998–2016 Mozilla Foundation. Portions of this content are © 1998–2016.</p></footer>"),
        ("ru", "<p>Компания основана в 1996 году и работает в 40 странах.</p>"),
        ("de", '<p>Stand: <span class="mjx-c2026">März 2019</span></p>'),
        # htmldate reads the year alone here: the first of January must not stand in for the first of November
        ("fr", "<footer><p>Communiqué publié le 1er novembre 2023 par l'institut</p></footer>"),
    ],
)
def test_a_year_or_a_month_alone_is_no_publication_date(lang, text):
    html = page("<title>About us</title>", f"<article><h1>About us</h1>{BODY.format('')}{text}</article>", lang)
    assert extract_document(html, "html").published_at is None


def test_a_first_of_the_month_in_the_url_stays_the_publication_date():
    html = page("<title>Whale strandings</title>", f"<article><h1>Whale strandings</h1>{BODY.format('')}</article>")
    article = extract_document(html, "html", source_url="https://news.example.org/2019/03/01/whale-strandings")
    assert article.published_at == datetime(2019, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("de", "<footer><p>Pressemitteilung vom 01.11.2023, Institut für Batterieforschung</p></footer>"),
        ("fr", "<footer><p>Communiqué publié le 01/11/2023 par l'institut</p></footer>"),
    ],
)
def test_a_first_of_the_month_written_out_in_the_text_stays_the_publication_date(lang, text):
    html = page(
        "<title>Hybridbatterie</title>", f"<article><h1>Hybridbatterie</h1>{BODY.format('')}{text}</article>", lang
    )
    published = extract_document(html, "html").published_at
    assert published is not None and published.date().isoformat() == "2023-11-01"


# The guards above reach the date through htmldate's search without free text, which finds these days itself; on
# idw-online.de ("<em>01.11.2023 11:35</em>") only the free-text search did, and the written-out check kept it.
@pytest.mark.parametrize(
    "text, day, written",
    [
        ("Pressemitteilung vom 01.11.2023 11:35", "2023-11-01", True),
        ("2023/11/01", "2023-11-01", True),
        ("on November 1, 2023.", "2023-11-01", True),
        ("1 ноября 2023 г.", "2023-11-01", True),
        ("1er mars 2020", "2020-03-01", True),
        ("1 January 2016", "2016-01-01", True),
        ("© 1998–2016 Mozilla", "2016-01-01", False),
        ("Stand: März 2019", "2019-03-01", False),
        ("11.01.2023", "2023-11-01", False),
        ("1er novembre 2023", "2023-01-01", False),  # another month's first is not January's
    ],
)
def test_a_first_of_the_month_is_written_out_only_as_that_very_day(text, day, written):
    assert writes_the_first(text, day) is written


# Words that are no names, found on pages no rule was written on (trafilatura's evaluation set, mozilla/readability's
# test pages): a weekday left of a dateline, a control's caption, a sentence or a price after a byline word, a
# form's label, a publisher's address.
@pytest.mark.parametrize(
    "lang, byline, expected",
    [
        ("en", "By Sherif Saed, Wednesday, 20 November 2019 08:05 GMT", ("Sherif Saed",)),
        ("de", "Von Anna Berg, Donnerstag, 12. März 2024", ("Anna Berg",)),
        ("ru", "Автор: Иван Петров, среда, 12 марта 2024", ("Иван Петров",)),
        ("de", "Autorin: Sylvia Grossgasteiger, IFZ, Oktober 2008", ("Sylvia Grossgasteiger",)),
    ],
)
def test_a_weekday_or_a_month_in_a_byline_is_no_author(lang, byline, expected):
    assert authors_under_the_headline(byline, lang) == expected


@pytest.mark.parametrize(
    "lang, controls, byline, expected",
    [
        # finanztreff.de: a read-aloud button before the byline gave the author "vorlesen"
        ("de", "<span>Text vorlesen</span><span>Stop</span>", "Von David Hutzler, dpa", ("David Hutzler", "dpa")),
        # motorsport-total.com: "contact the author" gave "kontaktieren"
        ("de", "<span>teilen</span><span>Autor kontaktieren</span>", "", ()),
        ("en", "<span>Author profile</span>", "Author: Jane Doe", ("Jane Doe",)),
        ("en", "", "Author Jane Doe", ("Jane Doe",)),
    ],
)
def test_a_label_word_without_its_colon_opens_a_caption_not_a_byline(lang, controls, byline, expected):
    html = page(
        "",
        f"<article><h1>Whale strandings worry the coast</h1><div>{controls}</div><p>{byline}</p>"
        f"{BODY.format('')}</article>",
        lang,
    )
    assert extract_document(html, "html").authors == expected


@pytest.mark.parametrize(
    "byline, expected",
    [
        # mixed.de: the e-mail link after the byline
        (
            '<span>von</span> <span>Dennis Ziesecke</span> <span>|</span> <a href="mailto:x@y.de">E-Mail</a>',
            ("Dennis Ziesecke",),
        ),
        ("<span>Follow Author</span>", ()),  # royal-road
        ("<span>Last Updated January 7</span>", ()),  # spiceworks
    ],
)
def test_a_label_after_or_instead_of_a_byline_is_no_author(byline, expected):
    assert authors_under_the_headline(f"<span class='byline'>{byline}</span>", "en") == expected


@pytest.mark.parametrize(
    "author, site, expected",
    [
        ("Olympia-Verlag GmbH, Nürnberg, Germany", "ALPIN", ("Olympia-Verlag GmbH",)),
        ("SPIEGEL ONLINE, Hamburg, Germany", "SPIEGEL ONLINE", ("SPIEGEL ONLINE",)),
        ("Sebastian Held, Daniel Hentschel ebrosia, Germany", "ebrosia", ("Sebastian Held",)),
        ("Jane Roe, Kazakhstan", "Example Daily", ("Jane Roe", "Kazakhstan")),  # no place before it: left alone
    ],
)
def test_a_publishers_address_in_the_author_tag_is_no_author(author, site, expected):
    html = page(
        f'<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">',
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('')}</article>",
        "de",
    )
    assert extract_document(html, "html").authors == expected


def test_a_byline_split_at_an_escaped_entity_names_no_author():
    # trafilatura's author on paginasiete.bo: "Redacci&oacute;n Diario …" split at "&" and ";"
    from service.extraction.metadata_authors import clean_names

    assert clean_names("Redacci; Oacute; N Diario Pagina Siete") == []
    assert clean_names("Ana Pérez; Diario Pagina Siete") == ["Ana Pérez", "Diario Pagina Siete"]


@pytest.mark.parametrize(
    ("lang", "section", "headline"),
    [
        # eawag.ch in trafilatura's evaluation set: <h1>News</h1> above <h1>headline</h1>, <title>News - Eawag</title>
        ("de", "News", "Auf das erste Elektron kommt es an"),
        ("en", "Press releases", "Floods close the main road to the airport for a second day"),
    ],
)
def test_the_h1_equal_to_og_title_wins_over_a_section_h1_equal_to_the_title_tag(lang, section, headline):
    html = page(
        f'<title>{section} - Eawag</title><meta property="og:title" content="{headline}">',
        f"<div class='section'><h1>{section}</h1></div><article><h1>{headline}</h1>{BODY.format('')}</article>",
        lang,
    )
    assert extract_document(html, "html", source_url="https://www.eawag.ch/de/news/x/").title == headline


@pytest.mark.parametrize(
    ("lang", "headline"),
    [
        # bundespolizei.de in trafilatura's evaluation set: trafilatura's site name is the title's first part with a
        # dot in it, here the headline's figure; the headline was then cut from the title as the site's name
        ("de", "Illegale Migration aus Belarus über Polen: Bereits 9.087 Feststellungen durch die Bundespolizei"),
        ("en", "Border checks: 4.5 million crossings counted by the police in the current year so far"),
    ],
)
def test_a_headline_with_a_figure_is_not_taken_for_the_sites_name(lang, headline):
    html = page(
        f"<title>Bundespolizei - Aktuelles - {headline}</title>",
        f"<article><h1>{headline}</h1>{BODY.format('')}</article>",
        lang,
    )
    article = extract_document(html, "html", source_url="https://www.bundespolizei.de/Web/DE/04Aktuelles/x.html")
    assert (article.title, article.site_name) == (headline, "bundespolizei.de")  # the host, as trafilatura gives


# Found by a hostile probe of this session's byline rules: names they must keep
@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Anna Berg and Peter Schmidt.", ["Anna Berg", "Peter Schmidt."]),  # a name's full stop is no sentence
        ("By 24.kg and Anna Berg", ["Anna Berg"]),  # a digit is no price: 24.kg is an agency, Anna Berg stays
        ("Text von Anna Berg", ["Anna Berg"]),  # a label, then a byline word
        ("By Ali Hassan, Omar Khalid, Jordan", ["Ali Hassan", "Omar Khalid"]),  # two names, then no city
        ("Kazinform, Astana, Kazakhstan", ["Kazinform"]),
        ("ავტორი: გიორგი ბერიძე", ["გიორგი ბერიძე"]),  # Georgian letters are lowercase to Unicode
        ("ავტორი გიორგი ბერიძე", ["გიორგი ბერიძე"]),  # and its label word needs no colon before a name
        ("Updated by Anna Berg", ["Anna Berg"]),
        ("Publicado por Ana García", ["Ana García"]),
        ("Dring, Emma", ["Dring", "Emma"]),  # "Dring" is no HTML entity's name
    ],
)
def test_byline_rules_keep_real_names(byline, expected):
    from service.extraction.metadata_authors import clean_names

    assert clean_names(byline) == expected


@pytest.mark.parametrize("name", ["Domingo", "Nisan", "Sunday"])
def test_a_declared_author_named_like_a_weekday_or_a_month_stays(name):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": name}}
    html = page(
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('')}</article>",
    )
    assert extract_document(html, "html").authors == (name,)


# goose3's test pages and trafilatura's evaluation set: controls and cut sentences read as bylines
@pytest.mark.parametrize(
    ("lang", "byline", "expected"),
    [
        # aol.com, cnbc.com: a font-size control between the date and the byline
        ("en", "<span>Text Size</span><span>By:</span><a href='/p/1'>Patti Domm</a>", ("Patti Domm",)),
        # houzz.de, internet-law.de: a sentence cut after a preposition ("… vor", "… at")
        ("de", "<span>Von Houzz Deutschland vor</span>", ()),
        ("en", "<span>By Thomas Stadler at</span>", ()),
        # techcrunch.com: an arrow before a link's call to action
        ("en", "<span>By</span><a href='/author/x'>→ Learn More</a>", ()),
    ],
)
def test_a_control_or_a_cut_sentence_after_a_byline_word_is_no_author(lang, byline, expected):
    assert authors_under_the_headline(byline, lang) == expected


def test_an_outlet_byline_ending_in_a_lowercase_noun_stays():
    # "Detroit News wire services" is a labelled byline of the 181-page set
    assert authors_under_the_headline("By Detroit News wire services", "en") == ("Detroit News wire services",)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # four AP stories of the 181-page set: "GREG BEACHAM, AP Sports Writer"
        ("By GREG BEACHAM, AP Sports Writer", ("GREG BEACHAM",)),
        ("By RACHEL METZ - AP Technology Writers", ("RACHEL METZ",)),  # yahoo.com in goose3's test pages
        ("Автор: Иван Петров, корреспондент", ("Иван Петров",)),
        ("Von Anna Berg, Redakteurin", ("Anna Berg",)),
        ("By Staff Writer", ("Staff Writer",)),  # alone, the role is the byline
    ],
)
def test_a_job_title_after_a_name_is_the_persons_role_not_an_author(byline, expected):
    assert authors_under_the_headline(byline, "en") == expected


# postlight/parser's fixtures (no rule was written on them): pages that declare no headline (no og:title, no
# JSON-LD headline) give only a <title>, often a search-engine variant; the visible headline is the <h1> in the
# story's own <header> (qz.com, si.com, today.com) or the story's first <h1>, marked as its headline (newrepublic.com)
@pytest.mark.parametrize(
    ("lang", "title_tag", "body", "expected"),
    [
        (
            "en",
            "Zsa Zsa Gabor's Palm Springs home is for sale — see inside",
            "<article><header><h1>Take a tour inside Zsa Zsa Gabor's former Palm Springs retreat</h1></header>{}"
            "</article>",
            "Take a tour inside Zsa Zsa Gabor's former Palm Springs retreat",
        ),
        (
            "de",
            "Arbeit - BÜNDNIS 90/DIE GRÜNEN",
            "<main><section><header><h1>Wir kämpfen für gute Arbeit</h1></header>{}</section></main>",
            "Wir kämpfen für gute Arbeit",
        ),
        (
            "en",
            "Review: the new Fantastic Beasts film",
            "<article><h1 class='article-headline' itemprop='headline'>"
            "Fantastic Beasts: A Nice Place to Visit</h1>{}</article>",
            "Fantastic Beasts: A Nice Place to Visit",
        ),
    ],
)
def test_without_a_declared_headline_the_story_h1_beats_the_title_tag(lang, title_tag, body, expected):
    html = page(f"<title>{title_tag}</title>", body.format(BODY.format("")), lang)
    assert extract_document(html, "html").title == expected


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # a page that declares its headline keeps it against a teaser card's <h1> in an <article><header> (a front
        # page's featured story: 680c2848 in the 181-page set)
        (
            '<meta property="og:title" content="The early reviews for the new console are not great">',
            "<article class='featured'><header><h1>Why not go and fight for the reindeer?</h1></header></article>"
            "<div class='story'>{}</div>",
            "The early reviews for the new console are not great",
        ),
        # a marked <h1> that shares no word with the <title> is no headline ("Original text": a translation
        # widget's <h1 class="title"> saved with pages of elecom.co.jp and jvndb.jvn.jp)
        (
            "<title>Thin keyboard with a lighter touch goes on sale in six models</title>",
            "<div><h1 class='title gray'>Original text</h1></div><article>{}</article>",
            "Thin keyboard with a lighter touch goes on sale in six models",
        ),
        # a theme's site name in a marked <h1>
        (
            "<title>Floods close the airport road - Example</title>",
            "<div><h1 class='site-title'>Floods Example</h1></div><article>{}</article>",
            "Floods close the airport road - Example",
        ),
        # found by a hostile probe: a sidebar's "widget-title", a section's "section-title" and a later related
        # teaser's "entry-title" sharing a word with the <title>; a listing page's lone teaser <h1>
        (
            "<title>Floods close the airport road - Example News</title>",
            "<div class='sidebar'><h1 class='widget-title'>Latest News</h1></div><article><h1>Floods close the "
            "airport road</h1>{}</article>",
            "Floods close the airport road",
        ),
        (
            "<title>Politics - Floods close the airport road</title>",
            "<main><header><h1 class='section-title'>Politics</h1></header><article><h2>Floods close the airport"
            "</h2>{}</article></main>",
            "Politics - Floods close the airport road",
        ),
        (
            "<title>Floods close the airport road</title>",
            "<article><h1>Floods close the airport road</h1>{}</article><div><h3>Mehr zum Thema</h3><article>"
            "<header><h1 class='entry-title'>More floods close the harbour road</h1></header></article></div>",
            "Floods close the airport road",
        ),
        (
            "<title>Example News - Front page</title>",
            "<section><article><header><h1><a href='/x'>Council approves the harbour budget</a></h1></header>"
            "</article></section><div>{}</div>",
            "Example News - Front page",
        ),
    ],
)
def test_a_marked_or_story_header_h1_does_not_overrule_what_it_should_not(head, body, expected):
    html = page(head, body.format(BODY.format("")), "en")
    assert extract_document(html, "html").title == expected


@pytest.mark.parametrize(
    ("lang", "byline", "expected"),
    [
        # mueritzurlauber.de: a booking calendar's "Von" (from) and then the weekdays "Mo Di Mi"
        ("de", "<span>Von</span> <span>Mi</span>", ()),
        ("fr", "<span>Par</span> <span>Me</span>", ()),
        ("ru", "<span>Автор:</span> <span>Ср</span>", ()),
        ("en", "<span>by</span> <span>oz</span>", ("oz",)),  # a blogger's name (hearya.com)
        ("pl", "<span>autor:</span> <span>jd</span>", ("jd",)),  # a journalist's initials
    ],
)
def test_a_weekdays_short_form_read_off_the_page_is_no_author(lang, byline, expected):
    assert authors_under_the_headline(byline, lang) == expected


# postlight/parser's fixtures and trafilatura's evaluation set: the element trafilatura's author search finds holds
# a dateline or a reading time; trafilatura's normalize_authors strips the figures and keeps their words
@pytest.mark.parametrize(
    ("lang", "element", "expected"),
    [
        ("en", "By Laura E. Adkins December 28, 2016", ("Laura E. Adkins",)),  # forward.com
        ("en", "Dec 1st 2016 1:01PM", ()),  # aol.com
        ("de", "| Lesedauer: 8 Minuten Melanie Wassink", ("Melanie Wassink",)),  # abendblatt.de
        ("de", "Von Jörn Mecher am 08.12.2022", ("Jörn Mecher",)),  # humanresourcesmanager.de
        ("en", "posted by Stadler at 12:53", ("Stadler",)),  # internet-law.de
        ("es", "José Miguel Wilson Tiempo de lectura: 3 min", ("José Miguel Wilson",)),  # latercera.com
    ],
)
def test_a_dateline_or_reading_time_in_the_author_element_is_no_part_of_a_name(lang, element, expected):
    html = page(
        "",
        f"<article><h1>Whale strandings worry the coast</h1>{BODY.format('')}"
        f"<div class='meta'><span class='author'>{element}</span></div></article>",
        lang,
    )
    assert extract_document(html, "html").authors == expected


# deadspin.com in postlight/parser's fixtures: <body class="… blog-recirc-group-… f_ad_…"> (a theme's feature flags)
# put the whole page "outside the story", so the headline and the byline under it were never read
@pytest.mark.parametrize(
    ("lang", "body_class", "byline", "expected"),
    [
        (
            "en",
            "permalink has-sidebar f_related_posts_on",
            "<span>By</span><a href='/author/ct'>Chris Thompson</a>",
            ("Chris Thompson",),
        ),
        ("de", "single right-sidebar", "<span>Von</span> <a href='/autor/ab'>Anna Berg</a>", ("Anna Berg",)),
    ],
)
def test_the_pages_own_body_classes_do_not_put_the_story_outside_itself(lang, body_class, byline, expected):
    html = page(
        "", f"<article><h1>Whale strandings worry the coast</h1><div>{byline}</div>{BODY.format('')}</article>", lang
    )
    html = html.replace("<body>", f'<body class="{body_class}">')
    assert extract_document(html, "html").authors == expected


def test_a_place_after_an_agencys_acronym_is_its_dateline_not_an_author():
    # deccanherald.com (the 181-page set): <a class="article-author__name">PTI, </a><span class="…name">Washington
    from service.extraction.metadata_authors import clean_names

    assert clean_names(["PTI,", "Washington,"]) == []
    assert clean_names("AFP, Paris") == []
    assert clean_names(["Jane Roe,", "Washington"]) == ["Jane Roe", "Washington"]  # after a person: left alone


# found by a hostile probe of the rules above: names they must keep
@pytest.mark.parametrize(
    ("raw", "declared", "expected"),
    [
        ("By Minh Le 10:30 AM", False, ["Minh Le"]),  # "Le", "Um" are surnames, not prepositions left by a time
        ("Jiwon Um 2024-03-01", False, ["Jiwon Um"]),
        ("10:45 Uhr | Anna Berg", False, ["Anna Berg"]),  # a time or date before the name
        ("12.03.2024 | Anna Berg", False, ["Anna Berg"]),
        (["AFP", "Sutrisno"], True, ["Sutrisno"]),  # declared: no dateline place (the acronym drops, as before)
    ],
)
def test_names_around_a_date_or_an_agency_are_kept(raw, declared, expected):
    from service.extraction.metadata_authors import clean_names, without_timestamps

    values = raw if isinstance(raw, list) else without_timestamps(raw)
    assert clean_names(values, declared=declared) == expected


@pytest.mark.parametrize(
    ("byline", "site", "expected"),
    [
        ("Pete Evans · CBC News", "CBC", ["Pete Evans"]),  # cbc.ca in postlight/parser's fixtures
        ("Anna Berg • Example Zeitung", "Example Zeitung", ["Anna Berg"]),
        ("Marcel·lí Puig", "Diari", ["Marcel·lí Puig"]),  # the Catalan middle dot inside a word stays
    ],
)
def test_a_spaced_middle_dot_separates_a_name_from_the_outlet(byline, site, expected):
    from service.extraction.metadata_authors import clean_names

    assert clean_names(byline, (site,)) == expected
