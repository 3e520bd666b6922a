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
from collections.abc import Callable
from typing import Any, TypeVar

from htmldate import find_date
from lxml import etree
from trafilatura import metadata as tm
from trafilatura.settings import Document, set_date_params

T = TypeVar("T")
_LOG = logging.getLogger(__name__)


class TrafilaturaFields:
    """trafilatura's value for one metadata field at a time (see the module doc); each computed at most once.

    `root`: the page's parsed tree (not modified: trafilatura's searches prune deep copies); `source_url`: the
    page's address or None; `bounded`: skip the page-wide searches (huge pages, see the module doc)."""

    def __init__(self, root: etree._Element, source_url: str | None, *, bounded: bool = False) -> None:
        self._root, self._source_url, self.bounded = root, source_url, bounded
        self._cache: dict[str, Any] = {}

    def author(self) -> str | None:
        """The author(s) as trafilatura gives them ("Name; Name"), or None."""
        return self._once("author", self._author)

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
        if not author and not self.bounded:
            author = tm.extract_author(self._root)
        return _trimmed(author)

    def _title(self) -> str | None:
        title = self._markup().title
        return _trimmed(title if title or self.bounded else tm.extract_title(self._root))

    def _url(self) -> str | None:
        return self._once("url", lambda: self._markup().url or tm.extract_url(self._root, self._source_url))

    def _sitename(self) -> str | None:
        sitename = self._markup().sitename or tm.extract_sitename(self._root)
        if sitename:
            sitename = sitename.lstrip("@")
            if sitename and "." not in sitename and not sitename[0].isupper():
                sitename = sitename.title()
        elif url := self._url():
            match = tm.META_URL.match(url)
            sitename = match[1] if match else None
        return _trimmed(sitename)

    def _date(self) -> str | None:
        if self.bounded:
            return None
        found = find_date(self._root, **{**set_date_params(True), "url": self._url()})
        return _trimmed(found)


def _trimmed(value: str | None) -> str | None:
    """trafilatura's Document.clean_and_trim for one value: length cap, HTML entities, spaces and controls."""
    if not isinstance(value, str):
        return None
    doc = Document()
    doc.title = value
    doc.clean_and_trim()
    trimmed: str | None = doc.title
    return trimmed or None
