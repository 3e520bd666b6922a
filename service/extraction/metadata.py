"""Page metadata: trafilatura's own extractor (trafilatura.metadata.extract_metadata, with htmldate and courlan)
as the base, plus the project's steps where benchmarks/metadata_quality.py (--ablations) measured a win over it
on tests/extraction/data/metadata_labels.json:

- title: sources cross-checked, the best-agreeing <h1> wins, site names cut only when they are the site's
  (metadata_title.py);
- authors, first source that gives a clean name other than the site's own (that one only when no source
  names a person): the visible byline after the headline ("By NAME", "Por:" + links, links to an author's page),
  JSON-LD author of any creative-work type, <meta name="byl">, meta author / article:author, trafilatura, then
  byline-marked elements of the story region; never from a sidebar or teaser (metadata_authors.py, metadata_region.py);
- date: every structured source (meta tags, JSON-LD, itemprop, RDFa dc:date in the story) tried in order until
  one parses (a meta published_time that is the page's update time after the JSON-LD datePublished), keeping
  the page's own UTC offset (a UTC-labelled one gets the offset its visible dateline shows, else the one its
  other timestamps state); then the visible dateline after or just above the
  headline, or an agency dateline opening a paragraph there (dateparser, the region's languages); then
  htmldate via trafilatura (metadata_dates.py).
trafilatura's extractor runs field by field, only when the page's own markup leaves that field open
(metadata_trafilatura.py: its whole extract_metadata, htmldate included, was most of this module's cost).
Never raises for hostile markup (broken/huge JSON-LD, year-0 dates, thousands of author elements).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import metadata_jsonld as jsonld
from .metadata_authors import (
    MAX_AUTHORS,
    clean_names,
    linked_byline,
    only_the_site,
    story_byline,
    visible_byline,
    without_timestamps,
)
from .metadata_dates import local_offset, looks_like_dateline, opening_dateline, parse_date, parse_dateline
from .metadata_jsonld import JsonObject
from .metadata_region import headline_element, outside_story, pieces_after, pieces_before
from .metadata_title import choose_title, site_labels
from .metadata_trafilatura import TrafilaturaFields
from .text import normalize_line, remove_control_characters

T = TypeVar("T")
_MAX_META = 2_000
_DATELINE_SCAN = 40  # text pieces after the headline looked at for a visible dateline
_DATELINE_ABOVE = 8  # and pieces just above it (kicker lines: "Wednesday 20 November 2019 9:22 am")
_DATELINE_TRIES = 4  # date-shaped pieces handed to dateparser per page (about 1 ms each)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None  # UTC
    published_at_offset: str | None = None  # the page's own offset, e.g. "+05:00"
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()


def extract_metadata(root: etree._Element, source_url: str | None, *, bounded: bool = False) -> PageMetadata:
    """Metadata of a parsed page (`root` is not modified). `source_url` is the page's address or None;
    `bounded`: a page too large for page-wide searches (limits.FULL_PATH_MAX_ELEMENTS, METADATA_SEARCH_MAX_CHARS):
    trafilatura's author, title and JSON searches, htmldate and the byline-marked element search are left out
    (metadata_trafilatura.py; 0.45 s of XPath on a flat page of 200,000 <p>, idle machine).

    Returns a PageMetadata; published_at is UTC with the page's own offset in published_at_offset (None when
    the page gives no offset). Never raises for page content."""
    meta = _meta_tags(root)
    nodes = jsonld.json_ld_nodes(root)
    ld = jsonld.main_node(nodes)
    base = TrafilaturaFields(root, source_url, bounded=bounded)
    publisher = jsonld.names(ld.get("publisher"), nodes)
    site = _first(meta.get("og:site_name"), publisher[0] if publisher else None, meta.get("application-name"))
    site = site or base.sitename()
    site = normalize_line(site) if site else None
    canonical = _web_url(
        _first(_attr(root, "//link[@rel='canonical']/@href"), meta.get("og:url"), source_url), source_url
    )
    sites = site_labels(site, source_url or canonical)
    declared = [meta.get("og:title"), jsonld.text(ld.get("headline"))]
    title = choose_title(
        root, [*declared, meta.get("twitter:title"), root.findtext(".//title")], sites, declared=any(declared)
    ) or choose_title(root, [base.title()], sites)
    headline = headline_element(root, title)
    region = _Region(root, headline)
    published, offset = _published(root, meta, ld, base, region)
    image = _first(meta.get("og:image"), meta.get("twitter:image"), _ld_image(ld.get("image")))
    return PageMetadata(
        title=title,
        authors=_authors(root, meta, ld, nodes, base, sites, region),
        published_at=published,
        published_at_offset=offset,
        description=_first(meta.get("description"), meta.get("og:description"), meta.get("twitter:description")),
        site_name=site,
        canonical_url=canonical,
        # resolved against the document's own address: the canonical may still be refused as another site's
        image_url=_web_url(image, source_url or canonical),
        tags=_tags(root, meta, ld),
    )


def _authors(
    root: etree._Element,
    meta: dict[str, str],
    ld: JsonObject,
    nodes: list[JsonObject],
    base: TrafilaturaFields,
    sites: tuple[str, ...],
    region: _Region,
) -> tuple[str, ...]:
    sources = (  # (names, declared: the page states them as its authors, see clean_names)
        (lambda: visible_byline(region.after(), sites), False),
        (lambda: linked_byline(region.after(), sites), False),
        (lambda: jsonld.names(ld.get("author"), nodes), True),
        (lambda: meta.get("byl"), True),
        (lambda: [v for v in meta.get("author[]", "").split("\x1f") if v and not v.startswith("http")], True),
        (lambda: [v for v in meta.get("article:author[]", "").split("\x1f") if v and not v.startswith("http")], True),
        # "A; B", tested whole first; the found element read without its dates, times and reading time, which
        # normalize_authors would strip of their figures only ("Laura E Adkins December", "Dec", "Lesedauer")
        (lambda: base.author(prepare=without_timestamps), False),
        (lambda: [] if base.bounded else story_byline(root, sites), False),  # a page-wide XPath search
    )
    site_only: list[str] = []
    for source, declared in sources:
        names = clean_names(source(), sites, declared=declared)
        if names and only_the_site(names, sites):
            site_only = site_only or names  # the site as its own author: only when no source names a person
        elif names:
            return tuple(names[:MAX_AUTHORS])
    return tuple(site_only[:MAX_AUTHORS])


_DATE_META = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "og:published_time",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "publish-date",
    "cxenseparse:recs:publishtime",
)


_DATE_XPATHS = (
    "//*[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//time[@pubdate]/@datetime",
)


# RDFa Dublin Core (Drupal prints <span property="dc:date" content="2019-02-08T00:00:00+01:00"> under the headline)
_RDFA_DATES = etree.XPath(
    "//*[@content][@property='dc:date' or @property='dc:created' or @property='dcterms:date'"
    " or @property='dcterms:created' or @property='dcterms:issued']"
)
_MAX_RDFA_DATES = 50


def _rdfa_date(root: etree._Element) -> str | None:
    """The first RDFa Dublin Core date in the story region (teasers in a 'Latest' block carry their own)."""
    for el in _limited(_RDFA_DATES(root), _MAX_RDFA_DATES):
        if not outside_story(el):
            return normalize_line(el.get("content") or "")
    return None


class _Region:
    """The text pieces right after (and just above) the headline, read once and shared by the byline and
    dateline searches; the visible dateline parsed at most once."""

    def __init__(self, root: etree._Element, headline: etree._Element | None) -> None:
        self.root, self.headline = root, headline
        self._after: list[tuple[etree._Element, str]] | None = None
        self._datelines: tuple[datetime | None, datetime | None] | None = None

    def after(self) -> list[tuple[etree._Element, str]]:
        if self._after is None:
            self._after = [] if self.headline is None else list(pieces_after(self.root, self.headline, _DATELINE_SCAN))
        return self._after

    def datelines(self) -> tuple[datetime | None, datetime | None]:
        """(first visible dateline, first one showing a time of day), as local wall time with tz=UTC standing
        for "unknown offset"; after the headline first, then just above it; never outside the story."""
        if self._datelines is None:
            self._datelines = _scan_datelines(self) if self.headline is not None else (None, None)
        return self._datelines


def _scan_datelines(region: _Region) -> tuple[datetime | None, datetime | None]:
    languages = _languages(region.root)
    first = None
    tries = 0
    for el, piece in _after_then_above(region):
        parsed = None
        if el.tag == "time" and el.get("datetime"):
            parsed, offset = parse_date(el.get("datetime"))
            parsed = parsed if offset is None else None
        if parsed is None and tries < _DATELINE_TRIES:
            line = piece if looks_like_dateline(piece) else opening_dateline(piece)
            if line:
                tries += 1
                parsed = parse_dateline(line, languages)[0]
        if parsed is None:
            continue
        first = first or parsed
        if (parsed.hour, parsed.minute) != (0, 0):
            return first, parsed
    return first, None


def _after_then_above(region: _Region) -> Iterator[tuple[etree._Element, str]]:
    """The pieces after the headline, then those just above it: read only if the ones after it hold no dateline
    with a time of day (the scan stops there)."""
    yield from region.after()
    yield from pieces_before(region.root, region.headline, _DATELINE_ABOVE)


def _published(
    root: etree._Element, meta: dict[str, str], ld: JsonObject, base: TrafilaturaFields, region: _Region
) -> tuple[datetime | None, str | None]:
    """Structured sources in order until one parses; a UTC-labelled one gets the page's real offset from the
    visible dateline's wall time, else from its other timestamps; then the visible dateline; then htmldate
    (through trafilatura)."""
    structured: Iterator[str | None] = itertools.chain(
        _first_publication(meta, ld),
        (meta.get(k) for k in _DATE_META[1:]),
        # page-wide searches last and lazily: each walks the whole tree (~1 ms a page)
        (_attr(root, xpath) for xpath in _DATE_XPATHS),
        (_rdfa_date(root) for _ in (1,)),
    )
    for value in structured:
        published, offset = parse_date(value)
        if published is not None:
            if offset in (None, "+00:00"):
                offset = local_offset(published, region.datelines()[1]) or _stated_offset(meta, ld) or offset
            return published, offset
    visible = region.datelines()[0]
    if visible is not None:
        return visible, None
    return parse_date(base.date())


_MIDNIGHT = re.compile(r"T00:00(?::00(?:\.0+)?)?(?:Z|[+-]|$)")  # a date written as a time: its time is unknown
_UPDATE_GAP = timedelta(days=2)  # apart by more than a time zone or a date-only stamp's missing time can make


def _first_publication(meta: dict[str, str], ld: JsonObject) -> tuple[str | None, ...]:
    """The two main publication stamps, article:published_time first, unless the JSON-LD datePublished is
    earlier and the meta tag's stamp is the page's update time: the JSON-LD dateModified, set apart from a
    datePublished with its time of day (mozilla/readability's schema-org-context-object), or `_UPDATE_GAP`
    later (medium-3: two months), the JSON-LD stamp stating its offset. A story is published before it is
    updated; a closer pair differs by time zone or precision, and the meta tag's full time stays."""
    meta_value, ld_value = meta.get("article:published_time"), jsonld.text(ld.get("datePublished"))
    if meta_value and ld_value:
        meta_date, (ld_date, ld_offset) = parse_date(meta_value)[0], parse_date(ld_value)
        # a stamp without its offset (or a date alone) is no instant to compare
        if meta_date is not None and ld_date is not None and ld_offset is not None and ld_date < meta_date:
            ld_modified = parse_date(jsonld.text(ld.get("dateModified")))[0]
            # the JSON-LD itself tells publication and update apart, and the meta tag holds the update;
            # a midnight datePublished is a date without its time (the meta tag's time stays)
            updated = ld_modified == meta_date and ld_modified != ld_date and not _MIDNIGHT.search(ld_value)
            if meta_date - ld_date >= _UPDATE_GAP or updated:
                return ld_value, meta_value
    return meta_value, ld_value


_OTHER_TIMESTAMPS = ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified")


def _stated_offset(meta: dict[str, str], ld: JsonObject) -> str | None:
    """The page's own UTC offset as its other timestamps state it (article:modified_time, og:updated_time, JSON-LD
    dateModified/dateCreated), for a publication time the page writes in UTC ("03:05Z" beside "22:15-05:00");
    None when they are UTC or absent (an offset is never invented)."""
    values = [meta.get(key) for key in _OTHER_TIMESTAMPS]
    values += [jsonld.text(ld.get("dateModified")), jsonld.text(ld.get("dateCreated"))]
    for value in values:
        offset = parse_date(value)[1] if isinstance(value, str) else None
        if offset not in (None, "+00:00"):
            return offset
    return None


def _languages(root: etree._Element) -> list[str] | None:
    lang = (root.get("lang") or "").split("-")[0].strip().lower()
    return [lang] if len(lang) == 2 else None


def _meta_tags(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _limited(root.iterfind(".//meta"), _MAX_META):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        value = normalize_line(m.get("content") or "")
        if key and value:
            out.setdefault(key, value)
            if key in ("article:tag", "article:author", "author"):
                out[key + "[]"] = out.get(key + "[]", "") + "\x1f" + value
    return out


def _limited(items: Iterable[T], limit: int) -> Iterator[T]:
    for count, item in enumerate(items):
        if count >= limit:
            return
        yield item


def _tags(root: etree._Element, meta: dict[str, str], ld: JsonObject) -> tuple[str, ...]:
    tags = [t for t in meta.get("article:tag[]", "").split("\x1f") if t]
    keywords = ld.get("keywords") or meta.get("keywords") or meta.get("news_keywords")
    if not tags and keywords:
        tags = keywords if isinstance(keywords, list) else re.split(r"\s*,\s*", str(keywords))
    section = meta.get("article:section") or _str(jsonld.text(ld.get("articleSection")))
    if section:
        tags.append(section)
    return tuple(dict.fromkeys(normalize_line(str(t)) for t in tags if str(t).strip()))[:50]


def _web_url(value: str | None, base: str | None) -> str | None:
    """`value` resolved against `base` when it is an absolute http(s) URL with a host; else None (javascript:,
    data:, mailto: and relative links with nothing to resolve them against never reach a record; nor does a URL
    with a control character or a lone surrogate, as JSON-LD's "\\ud800" gives, which no record could carry)."""
    if not value or remove_control_characters(value) != value:
        return None
    try:
        url = urljoin(base, value.strip()) if base else value.strip()
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _attr(root: etree._Element, xpath: str) -> str | None:
    values = _compiled(xpath)(root)
    return normalize_line(str(values[0])) if values else None


@functools.lru_cache(maxsize=16)
def _compiled(xpath: str) -> etree.XPath:
    """The expression compiled once per process (root.xpath(str) compiles it on every call)."""
    return etree.XPath(xpath)


def _first(*values: Any) -> str | None:
    return next((v for v in values if isinstance(v, str) and v.strip()), None)


def _str(value: Any) -> str | None:
    return normalize_line(value) if isinstance(value, str) else None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url")
    return value if isinstance(value, str) else None
