"""No work done twice or not needed (issue 16, item 3): trafilatura's metadata field by field, htmldate's date
search only when the page's own sources give no date, no tree-wide search on huge trees (and the per-field values
are trafilatura's own: same helpers, same order); the story serialised to text once."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest
import trafilatura.core
import trafilatura.metadata
from lxml import etree
from trafilatura.utils import load_html

from service.extraction import extract_document, metadata
from service.extraction import html as html_module
from service.extraction import metadata_trafilatura as fields_module
from service.extraction.html import parse_html
from service.extraction.metadata_trafilatura import TrafilaturaFields

SHARED = Path(__file__).parents[3] / "shared" / "benchmarks"
LABELS = Path(__file__).parent / "data" / "metadata_labels.json"
STORY = (
    "<article><h1>Bishkek opens a new bridge over the Alamedin river</h1>"
    "<p>The bridge, 84 metres long, joins two housing estates on either bank of the river and took two years "
    "to build, the mayor's office said on Thursday.</p><p>Traffic will open next week after the final "
    "inspection by the city's road safety department, officials added.</p></article>"
)


@pytest.fixture
def date_searches(monkeypatch):
    """Counts calls of htmldate's find_date wherever trafilatura's metadata or the project call it from."""
    calls: list[str] = []
    original = trafilatura.metadata.find_date

    def counting(*args, **kwargs):
        calls.append("find_date")
        return original(*args, **kwargs)

    monkeypatch.setattr(trafilatura.metadata, "find_date", counting)
    monkeypatch.setattr(fields_module, "find_date", counting, raising=False)
    return calls


def _page(head: str) -> str:
    return f'<html lang="en"><head><meta charset="utf-8">{head}</head><body>{STORY}</body></html>'


def test_no_date_search_when_the_markup_gives_the_date(date_searches):
    # no author anywhere: the author fallback runs, but it must not bring htmldate's search with it
    article = extract_document(
        _page('<meta property="article:published_time" content="2024-04-18T09:30:00+06:00">'), "html"
    )
    assert article.published_at is not None and article.published_at_offset == "+06:00"
    assert article.authors == ()
    assert date_searches == []


def test_page_wide_date_searches_only_when_the_meta_tags_give_no_date(monkeypatch):
    searched: list[str] = []
    original = metadata._attr
    monkeypatch.setattr(metadata, "_attr", lambda root, xpath: searched.append(xpath) or original(root, xpath))
    head = '<meta property="article:published_time" content="2024-04-18T09:30:00+06:00">'
    extract_document(_page(head + '<meta property="article:author" content="Aigul Saparova">'), "html")
    assert not [xpath for xpath in searched if "datePublished" in xpath or "pubdate" in xpath]


def test_date_search_runs_once_when_nothing_else_gives_a_date(date_searches):
    article = extract_document(_page('<link rel="canonical" href="https://example.org/2024/04/18/bridge">'), "html")
    assert article.published_at is not None and article.published_at.date().isoformat() == "2024-04-18"
    assert date_searches == ["find_date"]


HUGE = {
    "15k_paragraphs": "".join(f"<p>paragraph number {i}</p>" for i in range(15_000)),
    "3mb_text": "<p>" + "word " * 600_000 + "</p>",
    "3mb_broken_json_ld": '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "'
    + "x" * 3_000_000
    + "</script><p>A short story of a few words.</p>",
}


@pytest.mark.parametrize("name", HUGE)
def test_huge_page_skips_the_page_wide_searches(monkeypatch, date_searches, name):
    searches: list[str] = []  # recorded, not raised: a failing field is caught and left open
    for function in ("extract_author", "extract_meta_json", "extract_title"):
        original = getattr(trafilatura.metadata, function)
        monkeypatch.setattr(
            trafilatura.metadata, function, lambda *a, _f=original, _n=function: searches.append(_n) or _f(*a)
        )
    bylines: list[str] = []
    original_byline = metadata.story_byline
    monkeypatch.setattr(metadata, "story_byline", lambda *a: bylines.append("byline") or original_byline(*a))
    article = extract_document(f"<html><head></head><body>{HUGE[name]}</body></html>", "html")
    assert article.title is None or article.title.startswith(("paragraph", "A short", "word"))
    assert (searches, date_searches, bylines) == ([], [], [])


def test_story_is_serialised_to_text_once(monkeypatch):
    calls: list[str] = []
    for module in (trafilatura.core, html_module):
        original = module.xmltotxt
        monkeypatch.setattr(module, "xmltotxt", lambda *a, _f=original, **k: calls.append("xmltotxt") or _f(*a, **k))
    article = extract_document(_page(""), "html")
    assert "84 metres long" in article.body_text
    assert calls == ["xmltotxt"]


def _labelled_pages(count: int) -> list[tuple[str, str | None]]:
    from service.fetching.charset import decode_body

    pages = json.loads(LABELS.read_text(encoding="utf-8"))["pages"][:count]
    out = []
    for page in pages:
        folder = SHARED / page["set"]
        raw = gzip.decompress((folder / "html" / f"{page['id']}.html.gz").read_bytes())
        out.append((decode_body(raw, None)[0], None))
    return out


@pytest.mark.skipif(not (SHARED / "article-extraction").is_dir(), reason="shared benchmark pages not present")
def test_each_field_is_what_trafilaturas_extract_metadata_gives():
    checked = 0
    for html, url in _labelled_pages(25):
        root = parse_html(html)
        whole = trafilatura.metadata.extract_metadata(root, default_url=url)
        fields = TrafilaturaFields(root, url)
        assert (fields.author(), fields.title(), fields.sitename(), fields.date()) == (
            whole.author,
            whole.title,
            whole.sitename,
            whole.date,
        )
        checked += 1
    assert checked == 25


# --- the tree: trafilatura's, with element classes chosen in C ---------------------------------------------------

FORM = (
    '<form action="/s"><label>Find</label><input name="q"><select><option>a</option></select>'
    "<textarea>t</textarea></form>"
)
PARSE_CASES = [
    _page(""),
    _page("").replace(STORY, STORY + FORM),
    '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html><html><body>' + STORY + "</body></html>",
    "<!DOCTYPE html>\n<html/>\n<body>" + STORY + "</body>",
    "<p>only a fragment</p>",
]


@pytest.mark.parametrize("document", PARSE_CASES)
def test_the_tree_is_the_one_trafilatura_builds(document):
    theirs = load_html(document)
    if theirs is not None and theirs.tag == "html":  # else parse_html parses the document with lxml itself
        assert etree.tostring(parse_html(document)) == etree.tostring(theirs)


def test_walking_the_tree_makes_no_python_class_lookups(monkeypatch):
    """lxml.html's HtmlElementClassLookup runs Python code for every element proxy made, on every walk of the
    tree (the pipeline's and trafilatura's on its copies): the pipeline's trees choose classes in C."""
    calls = []
    original = lxml.html.HtmlElementClassLookup.lookup

    def counting(self, *args):
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(lxml.html.HtmlElementClassLookup, "lookup", counting)
    for document in PARSE_CASES:
        elements = list(parse_html(document).iter(etree.Element))
        assert len(elements) >= 3
        assert all(isinstance(el, lxml.html.HtmlElement) for el in elements)
    assert calls == []


def test_sidebar_scan_reads_each_elements_text_once(monkeypatch):
    """find_sidebars reads an item's text for the flat scan, the run shapes and the run score: once per element
    within a scan (the tree does not change), and afresh in the next scan."""
    from collections import Counter

    from service.extraction import sidebars

    reads: Counter = Counter()
    original = etree.tostring

    def counting(el, *args, **kwargs):
        if kwargs.get("method") == "text":
            reads[el] += 1
        return original(el, *args, **kwargs)

    teasers = "".join(
        f'<li class="teaser"><a href="/news/2024/05/story-number-{i}">Teaser headline {i} about the city</a></li>'
        for i in range(6)
    )
    document = _page("").replace(
        STORY, STORY + f'<aside class="sidebar"><h3>Latest news</h3><ul>{teasers}</ul></aside>'
    )
    root = parse_html(document)
    monkeypatch.setattr(etree, "tostring", counting)
    for _ in range(2):
        reads.clear()
        found = sidebars.find_sidebars(root, "https://example.com/news/2024/05/this-story")
        assert [len(sidebar.items) for sidebar, _ in found] == [6]
        assert reads and max(reads.values()) == 1


# --- trafilatura's author search without its deep copy; dateparser only on lines that can be dates ----------------

AUTHOR_CASES = [
    '<div class="byline"><span class="author-name">Jane Doe</span></div>',
    '<p class="author">By <a rel="author" href="/a/jd">Jane Doe</a> and Max Roe</p>',
    # the byline holds a pruned <time>: its text on trafilatura's pruned copy is not the element's own
    '<div class="post-author">Jane Doe<time datetime="2024-01-02">2 Jan 2024</time>, Bishkek</div>',
    # tails of pruned elements joined to the text before them, nested and adjacent ones, no spaces between
    '<div class="author">By<span class="date">today<time>1</time>x</span>Jane<time>2</time><figure>f</figure>Doe'
    '<b>!<span class="print">p</span></b>end</div>',
    '<div class="comments"><span class="author">Commenter One</span></div><span itemprop="author">Jane Doe</span>',
    '<section class="sidebar"><p class="author">Side Writer</p></section><div data-component="Byline">Jane</div>',
    '<span class="author">X</span><span class="authorName">Jane Doe</span>',
    '<div id="author-box">Jane Doe</div><figure class="author"><figcaption>Photo Person</figcaption></figure>',
    '<div class="writer">Jane Doe</div><span class="screenname">@jd</span>',
    "<p>Jane Doe<rel>me</rel></p>",
    "<author>Jane Doe</author>",
    '<div class="meta-date author">Jane Doe</div><h4 class="journalist-name">Max Roe</h4>',
    "<p>No byline at all on this page.</p>",
]


@pytest.mark.parametrize("body", AUTHOR_CASES)
def test_author_search_is_trafilaturas(body):
    root = parse_html(f"<html><body>{STORY}{body}</body></html>")
    assert fields_module.extract_author(root) == trafilatura.metadata.extract_author(root)


def test_author_search_makes_no_deep_copy_of_the_page(monkeypatch):
    copies: list[str] = []
    original = trafilatura.metadata.deepcopy

    def counting(tree):
        copies.append("deepcopy")
        return original(tree)

    monkeypatch.setattr(trafilatura.metadata, "deepcopy", counting)
    root = parse_html(f'<html><body>{STORY}<p class="byline"><a rel="author">Jane Doe</a></p></body></html>')
    assert TrafilaturaFields(root, None).author() == "Jane Doe"
    assert copies == []


DATELINES = [
    ("Copyright 2020 Seaside Media. All Rights Reserved.", "en", False),
    ("15 – 30 Min", "de", False),
    ("Bis zu 1600 tote Hummeln", "de", False),
    ("Bis zu 1600 tote Hummeln pro Baum", "de", True),  # Czech "pro" (prosinec, December): dateparser decides
    ("80336 München", "de", False),
    ("21. Januar 2022", "de", True),
    ("Nov. 19, 2019 8:03 am ET", "en", True),
    ("12.03.2025", "de", True),
    ("2022年3月12日", "ja", True),
    ("3mar2022", "en", True),
    ("Marz 2022", "de", True),  # a month name (accents are stripped, as dateparser does), but no day
]


@pytest.mark.parametrize(("line", "language", "asked"), DATELINES)
def test_dateparser_is_asked_only_about_lines_that_can_be_dates(monkeypatch, line, language, asked):
    from dateparser.date import DateDataParser

    from service.extraction import metadata_dates

    expected = metadata_dates.parse_dateline(line, [language])
    calls: list[str] = []
    original = DateDataParser.get_date_data

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DateDataParser, "get_date_data", counting)
    assert metadata_dates.parse_dateline(line, [language]) == expected
    assert bool(calls) == asked
    if not asked:  # what dateparser itself says of the line: no date
        monkeypatch.setattr(metadata_dates, "_can_be_a_date", lambda *args: True, raising=False)
        assert metadata_dates.parse_dateline(line, [language]) == (None, None)
