"""trafilatura's metadata (trafilatura.metadata.extract_metadata, 2.3.1), one field at a time and only on demand.

`extract_metadata` computes every field whatever is asked: on every 8th real page of benchmarks/ it ran on 73 of
147 pages, 59 of them for a missing author alone, and each time also ran htmldate's `find_date` (a deep copy of
the tree and, in its extensive search, dateparser over every locale: 3-12 s of regex compilation per process
the first few times a string matches no locale), the categories, tags and licence scans. Here each field is
computed the way `extract_metadata` computes it, from the same helpers, only when the pipeline's own sources
leave it open:

- the page's markup (OpenGraph and <meta> tags, then JSON-LD: `examine_meta` + `extract_meta_json`) once,
  shared by every field;
- author: that, else `extract_author` (XPath search of a pruned deep copy);
- title: that, else `extract_title`;
- site name: that, else `extract_sitename`, else the host of the page's URL;
- date: htmldate's `find_date` with trafilatura's parameters (`set_date_params`) and the URL trafilatura
  would give it.

`bounded=True` (trees past limits.FULL_PATH_MAX_ELEMENTS, documents past limits.METADATA_SEARCH_MAX_CHARS)
leaves out the page-wide searches (`extract_author`, `extract_title`, `find_date`, and trafilatura's JSON
regexes): on a flat page of 200,000 <p> they took 9.5 s of the 13.6 s of the whole pipeline, on a 5 MB broken
JSON-LD block 13 s, and real article pages are far below those sizes (the 1,171 pages of benchmarks/ have at
most ~10,100 elements and 1.59 MB).
Never raises: a failure in trafilatura's code on hostile markup gives None for that field.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from copy import deepcopy
from typing import Any, TypeVar

from htmldate import find_date
from lxml import etree
from trafilatura import metadata as tm
from trafilatura.json_metadata import normalize_authors
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import trim
from trafilatura.xml import delete_element

from .metadata_dates import writes_the_first

T = TypeVar("T")
_LOG = logging.getLogger(__name__)


# extract_sitename takes the first part of the <title> with a dot in it ("example.com"); a headline with a figure
# ("Bereits 9.087 Feststellungen …", bundespolizei.de in trafilatura's evaluation set) became the site's name, and
# the headline was then cut from the title as the site's. Names the page declares (meta tags) have no such limit.
_MAX_SITE_NAME_WORDS = 8  # site names seen: 1-6 words; that headline: 15


def _short_name(name: str | None) -> str | None:
    return name if name and len(name.split()) <= _MAX_SITE_NAME_WORDS else None


class TrafilaturaFields:
    """trafilatura's value for one metadata field at a time (see the module doc); each computed at most once.

    `root`: the page's parsed tree (not modified: trafilatura's searches prune deep copies); `source_url`: the
    page's address or None; `bounded`: skip the page-wide searches (huge pages, see the module doc)."""

    def __init__(self, root: etree._Element, source_url: str | None, *, bounded: bool = False) -> None:
        self._root, self._source_url, self.bounded = root, source_url, bounded
        self._cache: dict[str, Any] = {}

    def author(self, prepare: Callable[[str], str] | None = None) -> str | None:
        """The author(s) as trafilatura gives them ("Name; Name"), or None. `prepare`, when given, is applied to
        the found element's text (found_author_text) before trafilatura's normalize_authors; a markup author is
        as trafilatura gives it."""
        if prepare is None or (text := self.found_author_text()) is None:
            return self._once("author", self._author)
        return _trimmed(normalize_authors(None, prepare(text)))

    def found_author_text(self) -> str | None:
        """When the page's markup names no author: the text of the element trafilatura's search takes the author
        from, before trafilatura's normalize_authors (which strips figures and so leaves a dateline's words:
        "By Laura E. Adkins December 28, 2016" -> "Laura E Adkins December", "Dec 1st 2016 1:01PM" -> "Dec" on
        forward.com and aol.com in postlight/parser's fixtures). None otherwise."""
        if self._markup().author or self.bounded:
            return None
        return self._once("found_author", lambda: find_author_text(self._root))

    def title(self) -> str | None:
        return self._once("title", self._title)

    def sitename(self) -> str | None:
        return self._once("sitename", self._sitename)

    def date(self) -> str | None:
        """ "YYYY-MM-DD" (htmldate's format with trafilatura's parameters), or None."""
        return self._once("date", self._date)

    def _once(self, name: str, make: Callable[[], T]) -> T | None:
        if name not in self._cache:
            try:
                self._cache[name] = make()
            except Exception:  # trafilatura and htmldate on hostile markup: the field stays open
                _LOG.debug("trafilatura metadata field %s failed", name, exc_info=True)
                self._cache[name] = None
        value: T | None = self._cache[name]
        return value

    def _markup(self) -> Document:
        """The fields the page's own markup gives (extract_metadata's first steps, same order and rules)."""
        if "markup" not in self._cache:
            doc = tm.examine_meta(self._root)
            if doc.author and " " not in doc.author:
                doc.author = None
            try:
                doc = doc if self.bounded else tm.extract_meta_json(self._root, doc)
            except Exception:
                _LOG.debug("trafilatura JSON metadata failed", exc_info=True)
            self._cache["markup"] = doc
        markup: Document = self._cache["markup"]
        return markup

    def _author(self) -> str | None:
        author = self._markup().author
        if not author and (text := self.found_author_text()):
            author = normalize_authors(None, text)
        return _trimmed(author)

    def _title(self) -> str | None:
        title = self._markup().title
        return _trimmed(title if title or self.bounded else tm.extract_title(self._root))

    def _url(self) -> str | None:
        return self._once("url", lambda: self._markup().url or tm.extract_url(self._root, self._source_url))

    def _sitename(self) -> str | None:
        sitename = self._markup().sitename or _short_name(tm.extract_sitename(self._root))
        if sitename:
            sitename = sitename.lstrip("@")
            if sitename and "." not in sitename and not sitename[0].isupper():
                sitename = sitename.title()
        elif url := self._url():
            match = tm.META_URL.match(url)
            sitename = match[1] if match else None
        return _trimmed(sitename)

    def _date(self) -> str | None:
        """htmldate's date, less its guesses from a year or a month alone. Its free-text search falls back to a
        copyright year, a lone four-digit number or a "month/year", each given as the first of the month
        ("2026-01-01" from a CSS class "mjx-c2026" on mozilla/readability's mathjax page; "1996-01-01" from a site's
        founding year on archive.org and harrypotter.fandom.com), and a record cannot tell that guess from a day.
        A first of the month stays when the search without free text (markup, URL) finds it too, or when the
        page's text writes that day out (`metadata_dates.writes_the_first`: "01.11.2023" on idw-online.de, which
        htmldate's free-text search found as a day)."""
        if self.bounded:
            return None
        params = {**set_date_params(True), "url": self._url()}
        found = _trimmed(find_date(self._root, **params))
        if (
            found
            and found.endswith("-01")
            and find_date(self._root, **{**params, "extensive_search": False}) != found
            and not writes_the_first(etree.tostring(self._root, method="text", encoding="unicode"), found)
        ):
            return None
        return found


# trafilatura.xpaths.AUTHOR_DISCARD_XPATHS and AUTHOR_XPATHS (2.3.1) as Python tests of one element's tag and
# attributes; EXSLT re:test(@attr, p) is re.search(p, value or "") (lxml's _ExsltRegExp), contains(@a, s) is
# s in (value or "").
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)|"
    r"print|category|meta-date|meta-reviewer"
)
_AUTHOR_TAGS = (
    frozenset({"a", "address", "div", "link", "p", "span", "strong"}),
    frozenset({"a", "div", "h3", "h4", "p", "span"}),
)
_AUTHOR_CLASS_1 = re.compile(r"author-?name|AuthorName|authorName")
_AUTHOR_ID_2 = re.compile(r"author|zuozhe|bianji|xiaobian")
_AUTHOR_CLASS_2 = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_AUTHOR_ID_3 = re.compile(r"[Aa]uthor")
_AUTHOR_CLASS_3 = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")


def _discarded(el: etree._Element, tag: str) -> bool:
    """AUTHOR_DISCARD_XPATHS: comment lists, sidebars, dates, figures... pruned before the author search."""
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    ident, cls = el.get("id"), el.get("class")
    return (
        ident == "comments"
        or cls in ("comments", "title", "date")
        or bool(_DISCARD_ID.search(ident or ""))
        or bool(_DISCARD_CLASS.search(cls or ""))
        or "Figure" in (el.get("data-component") or "")
    )


def _author_expressions(el: etree._Element, tag: str, rel_me: set[etree._Element]) -> tuple[bool, bool, bool]:
    """Which of the three AUTHOR_XPATHS select `el`; `rel_me`: the parents of <rel>me</rel> elements."""
    cls, ident, itemprop = el.get("class"), el.get("id"), el.get("itemprop") or ""
    first = tag == "author" or (
        tag in _AUTHOR_TAGS[0]
        and (
            el.get("rel") == "author"
            or ident == "author"
            or cls == "author"
            or itemprop == "author name"
            or el.get("data-testid") in ("AuthorCard", "AuthorURL")
            or bool(_AUTHOR_CLASS_1.search(cls or ""))
            or el in rel_me
        )
    )
    second = tag in _AUTHOR_TAGS[1] and (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or bool(_AUTHOR_ID_2.search(ident or ""))
        or bool(_AUTHOR_CLASS_2.search(cls or ""))
    )
    third = (
        "Byline" in (el.get("data-component") or "")
        or "author" in itemprop
        or bool(_AUTHOR_ID_3.search(ident or ""))
        or bool(_AUTHOR_CLASS_3.search(cls or ""))
    )
    return first, second, third


def extract_author(root: etree._Element) -> str | None:
    """trafilatura.metadata.extract_author(root) (2.3.1): find_author_text's text as trafilatura's
    normalize_authors gives it ("Name; Name"), or None. Equal to trafilatura's result on all 1,171 real pages of
    benchmarks/ (2026-11-30, issue 16; 47 of them read a candidate holding pruned elements)."""
    text = find_author_text(root)
    return normalize_authors(None, text) if text else None


def find_author_text(root: etree._Element) -> str | None:
    """The text of the element trafilatura.metadata.extract_author (2.3.1) takes the author from, trimmed, or
    None; without its deep copy of the page and its three regular-expression XPaths: one walk of the tree finds
    the elements AUTHOR_DISCARD_XPATHS would prune and the ones each of AUTHOR_XPATHS selects; the first of those
    outside a pruned element (expression by expression, in document order) whose text is 3..119 characters is
    the author, as in trafilatura's extract_metainfo. A candidate holding pruned elements is read from a pruned
    copy of its own subtree."""
    discarded: set[etree._Element] = set()
    found: tuple[list[etree._Element], list[etree._Element], list[etree._Element]] = ([], [], [])
    rel_me = {rel.getparent() for rel in root.iter("rel") if "".join(rel.itertext()) == "me"}
    worth: dict[str, bool] = {}  # "class\0id" -> may match (class names repeat down a page)
    for el in root.iter():
        keys = el.keys()  # a prefilter in one pass: most elements have no attribute any expression reads
        if el.tag in _ALWAYS_LOOK or not _OTHER_ATTRIBUTES.isdisjoint(keys):
            pass
        elif not keys:
            continue
        else:
            key = f"{el.get('class')}\x00{el.get('id')}"
            verdict = worth.get(key)
            if verdict is None:
                verdict = worth[key] = _ANY_CLASS_OR_ID.search(key) is not None
            if not verdict:
                continue
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not root and _discarded(el, tag):  # .//* and //time|//figure; the root is never pruned
            discarded.add(el)
            continue
        for expression, selected in zip(found, _author_expressions(el, tag, rel_me), strict=True):
            if selected:
                expression.append(el)
    for parent in rel_me:  # <x><rel>me</rel></x>: passed over by the prefilter when x has no other mark
        if parent is not None and parent not in discarded and _author_expressions(parent, parent.tag, rel_me)[0]:
            found[0].append(parent)
    if rel_me:
        found[0].sort(key=_document_order(root))
    for expression in found:
        for el in expression:
            if any(a in discarded for a in el.iterancestors()):
                continue
            content = trim(" ".join(_pruned(el, discarded).itertext()))
            if content and 2 < len(content) < 120:
                return content
    return None


# A prefilter: an element can be selected by a discard or author expression only when it is a <time>, <figure>
# or <author>, has one of the other attributes those expressions read, or its "class\0id" matches one of their
# class/id patterns or exact values (a walk in Python reading every attribute cost more than the XPaths).
_ALWAYS_LOOK = frozenset({"time", "figure", "author"})
_OTHER_ATTRIBUTES = frozenset({"itemprop", "rel", "data-testid", "data-component"})
_ANY_CLASS_OR_ID = re.compile(  # every pattern unanchored, anywhere in "class\0id": a superset
    "|".join(
        p.pattern.replace("^", "")
        for p in (_DISCARD_CLASS, _DISCARD_ID, _AUTHOR_CLASS_1, _AUTHOR_CLASS_2, _AUTHOR_ID_2, _AUTHOR_CLASS_3)
    )
    + "|^(?:title|date|username|byl|BBL)\x00"
)


def _pruned(el: etree._Element, discarded: set[etree._Element]) -> etree._Element:
    """`el`, or when it holds pruned elements a copy of its subtree with them deleted as trafilatura's
    prune_unwanted_nodes deletes them (delete_element: each one's tail joined to the text before it). Deleting
    inside `el` changes no text outside it, and the joined tails do not depend on the order of deletion."""
    if not any(d in discarded for d in el.iterdescendants()):
        return el
    copy = deepcopy(el)
    doomed = [twin for original, twin in zip(el.iter(), copy.iter(), strict=True) if original in discarded]
    for twin in doomed:
        delete_element(twin)
    return copy


def _document_order(root: etree._Element) -> Any:
    order = {el: n for n, el in enumerate(root.iter())}
    return order.__getitem__


def _trimmed(value: str | None) -> str | None:
    """trafilatura's Document.clean_and_trim for one value: length cap, HTML entities, spaces and controls."""
    if not isinstance(value, str):
        return None
    doc = Document()
    doc.title = value
    doc.clean_and_trim()
    trimmed: str | None = doc.title
    return trimmed or None
