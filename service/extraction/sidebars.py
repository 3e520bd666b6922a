"""Find the blocks of an HTML page that are not the story ("Latest news", "Most read", teaser feeds ...),
return them as Sidebars with the elements they came from. The tree is never changed: trafilatura reads the
untouched page, and the pipeline takes the detected items out of its result afterwards.

A candidate is a run of repeated sibling items (same tag and class, same link-or-text shape): `li`s, feed
`div`s, paragraphs of links, `<br>`-separated links in a cell. It is scored on what marks a list as not
being the story: a heading from the multilingual table, class/id hints, link density, timestamps, a
heading element of its own; every item must look like a headline. A second pass handles flat markup,
where a table heading is followed by headline-like siblings of the same shape as the story paragraphs.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .sidebar_headings import (
    NAVIGATION_HINTS,
    SIDEBAR_CLASS_HINTS,
    is_heading_only,
    is_sidebar_heading,
    split_inline_heading,
)
from .text import SECTION_HEADINGS, is_headline_like, normalize_line, strip_bullet
from .types import Sidebar, SidebarItem

_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "head", "nav", "select", "form", "iframe")
_HINT_LEVELS = 3  # ancestors whose class/id are checked for hints
_SKIP = frozenset(_SKIP_TAGS)
_NAV_HINTS = ("navigation", *NAVIGATION_HINTS)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "header", "legend", "caption"})
_SEPARATORS = frozenset({"br", "hr", "wbr"})
_MAX_RULE_CHILDREN = 3  # an image wrapper holds a link or picture, a few sources at most
_CARD_HEADINGS = ("h2", "h3", "h4", "h5", "h6")  # a teaser card's title sits in one of these
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MAX_HEADING_CHARS = 80
_MIN_ITEMS_TABLE_HEADING = 2
_MIN_ITEMS_STRUCTURE = 3
_ACCEPT_SCORE = 3.0
# A two-item run needs all of class hint, links and a heading element of its own ("Story Timeline" over a
# ul.st-related-posts of two links)
_ACCEPT_SHORT_SCORE = 4.0
_MAX_ITEM_NODES = 24  # a teaser card (link, image, title, time, label) fits; story sections do not
_MAX_HEADING_NODES = 6
_MAX_CHILDREN = 1_500  # the flat fixture layout has ~40; real pages rarely pass a few hundred siblings
_MAX_ITEMS = 100
# An article's address: a path segment that is a slug of three or more words or holds a long number, or a
# /yyyy/mm/ date (section and tag pages have none of these)
_ARTICLE_PATH = re.compile(r"/[^/]*\w+[-_]\w+[-_]\w+[^/]*(?:/|$)|/[^/]*\d{5,}[^/]*(?:/|$)|/(?:19|20)\d\d/[01]?\d/")
_MIN_TEASER_RUN = 2
_MAX_INLINE_LINE_CHARS = 300
_LONG = "\x00"  # stands for a long line: not empty, never a heading or a headline
_ADDRESS = re.compile(r"://|\bwww\.|@")


# Within one find_sidebars call (the tree unchanged): element -> its text, element -> its main link. The same
# items are read by the flat scan, the run shapes and the run scores (~3 reads of each item's text and link).
_MEMO: ContextVar[tuple[dict[etree._Element, str], dict[etree._Element, etree._Element | None]] | None] = ContextVar(
    "sidebar_memo", default=None
)


@dataclass(slots=True)
class _Found:
    position: tuple[int, int] | int
    sidebar: Sidebar
    elements: list[etree._Element]  # items and heading element, removed from the tree once all are found


def find_sidebars(root: etree._Element, base_url: str | None = None) -> list[tuple[Sidebar, list[etree._Element]]]:
    """Detect sidebars under `root` without changing it: [(sidebar, [heading element?, item elements...])] in
    document order."""
    found: list[_Found] = []
    inside: set[etree._Element] = set()  # elements within items already taken
    token = _MEMO.set(({}, {}))  # the tree does not change during the scan: each item's text is read once
    try:
        for n, (el, in_nav) in enumerate(_candidates(root)):
            if el in inside:
                continue
            start = len(found)
            for item in _scan_children(el, base_url, found, menu=in_nav):
                inside.update(item.iter())
            for f in found[start:]:
                f.position = (n, min((el.index(e) for e in f.elements if e.getparent() is el), default=0))
    finally:
        _MEMO.reset(token)
    found.sort(key=lambda f: f.position)
    return [(f.sidebar, f.elements) for f in found if f.sidebar.items]  # ad slots only (see _items): no list


def _candidates(root: etree._Element) -> list[tuple[etree._Element, bool]]:
    """(element, in navigation) for elements with two or more children (only they can hold a list), in document
    order, outside the skipped tags. "In navigation": inside `<nav>` or within `_HINT_LEVELS` levels under a
    navigation-marked element; there only teaser cards count (`_is_menu_teaser_run`).

    The elements with two or more children come from one XPath in C; each one's state (skipped, in navigation,
    levels left under a navigation mark) is derived from its parent's, computed once per element on the way up
    and kept, so only candidates and their ancestors are read in Python (a walk of every element in Python cost
    3x as much: issue 16, benchmarks/RESULTS.md)."""
    state: dict[etree._Element, tuple[bool, bool, int]] = {}
    out: list[tuple[etree._Element, bool]] = []
    for el in _WITH_CHILDREN(root):
        chain = []
        node: etree._Element | None = el
        while node is not None and node not in state:
            chain.append(node)
            node = node.getparent() if node is not root else None
        skipped, in_nav, left = state[node] if node is not None else (False, False, 0)
        for n in reversed(chain):
            tag = n.tag
            if skipped or (tag in _SKIP and tag != "nav"):
                skipped = True
            else:
                in_nav = in_nav or tag == "nav"
                left = max(left - 1, 0)
                if n.get("class") or n.get("id") or n.get("role"):
                    marks = f"{n.get('class', '')} {n.get('id', '')} {n.get('role', '')}".lower()
                    if _NAV_MARK.search(marks):
                        left = _HINT_LEVELS + 1
            state[n] = (skipped, in_nav, left)
        if not skipped:
            out.append((el, in_nav or left > 0))
    return out


# elements with two or more element children, the element itself included, in document order. lxml's len()
# also counts comments and processing instructions, which parse_html's parsers drop.
_WITH_CHILDREN = etree.XPath("descendant-or-self::*[count(*) > 1]")
_NAV_MARK = re.compile("|".join(map(re.escape, _NAV_HINTS)))


def extract_sidebars(root: etree._Element, base_url: str | None = None) -> tuple[Sidebar, ...]:
    """Detect sidebars under `root`, remove them from the tree in place, return them in document order
    (the cheap path for huge pages, which reads the whole remaining tree as the story)."""
    found = find_sidebars(root, base_url)
    for _, elements in found:
        for el in elements:
            _drop(el)
    return tuple(sidebar for sidebar, _ in found)


def find_inline_inserts(
    lines: list[str], root: etree._Element, base_url: str | None = None, known: tuple[Sidebar, ...] = ()
) -> tuple[Sidebar, ...]:
    """One-item inserts inside the story text: a line "Читайте также: <headline>" whose headline is the text
    of a link on the page, or a lone heading line ("Read also") followed by such a headline line. Read on
    the extractor's story lines (cheap: no tree walk unless a line starts with a table heading). Items of
    the `known` sidebars are not reported again."""
    links: dict[str, str | None] | None = None
    seen = {i.text.casefold() for sidebar in known for i in sidebar.items}
    found: list[Sidebar] = []
    # long lines are story paragraphs, never an insert or a teaser: kept as a placeholder, not normalised
    text = [normalize_line(strip_bullet(line)) if len(line) <= _MAX_INLINE_LINE_CHARS else _LONG for line in lines]
    for n, line in enumerate(text):
        split = split_inline_heading(line) if line else None
        if split is None and line and is_heading_only(line) and n + 1 < len(text):
            split = line, text[n + 1]
        if split is None or not is_headline_like(split[1]):
            continue
        if links is None:
            links = _link_texts(root, base_url)
        key = normalize_line(split[1]).casefold()
        if key in links and key not in seen:
            seen.add(key)
            found.append(Sidebar(_clean_heading(split[0]), (SidebarItem(normalize_line(split[1]), links[key]),)))
    found += _teaser_runs(text, root, base_url, seen)
    return tuple(found)


def _teaser_runs(text: list[str], root: etree._Element, base_url: str | None, seen: set[str]) -> list[Sidebar]:
    """Headlines left in the story lines with no heading: two or more consecutive lines that are each the
    whole text of a link on the page and read as headlines (no sentence end, not an address), all different
    (an exercise list's repeated "Solution" links are not teasers)."""
    nonempty = [n for n, t in enumerate(text) if t]
    if not nonempty:
        return []
    candidates = [
        n
        for n in nonempty
        if is_headline_like(text[n]) and text[n].casefold() not in seen and not _ADDRESS.search(text[n])
    ]
    place = {n: k for k, n in enumerate(nonempty)}
    if not any(place[b] == place[a] + 1 for a, b in itertools.pairwise(candidates)):
        return []  # no two candidate lines in a row: no run possible, no need to read the page's links
    links = _link_texts(root, base_url)
    hits = {n for n in candidates if text[n].casefold() in links}
    found: list[Sidebar] = []
    run: list[int] = []
    for n in [*nonempty, None]:
        if n is not None and n in hits:
            run.append(n)
            continue
        if len(run) >= _MIN_TEASER_RUN and len({text[m] for m in run}) == len(run):
            before = place[run[0]] - 1
            above = text[nonempty[before]] if before >= 0 else ""
            found.append(
                Sidebar(
                    _clean_heading(above) if above and _is_list_intro(above) else None,
                    tuple(SidebarItem(text[m], links[text[m].casefold()]) for m in run),
                )
            )
        run = []
    return found


def _is_list_intro(line: str) -> bool:
    """A short line ending with a colon right above a run of teasers is its heading ("Editors' picks:")."""
    return line.endswith((":", "：")) and len(line) <= _MAX_HEADING_CHARS and len(line.split()) <= 6


class _Links(dict[str, etree._Element]):
    """Case-folded text of every link on the page -> the link; `[text]` gives its absolute URL."""

    def __init__(self, root: etree._Element, base_url: str | None) -> None:
        super().__init__()
        self.base_url = base_url
        for a in root.iter("a"):
            text = normalize_line(_text(a)).casefold()
            if text and text not in self:
                super().__setitem__(text, a)

    def __getitem__(self, text: str) -> str | None:  # the link's absolute URL, not the element
        return _url(super().__getitem__(text), self.base_url)


def _link_texts(root: etree._Element, base_url: str | None) -> _Links:
    return _Links(root, base_url)


def _scan_children(
    el: etree._Element, base_url: str | None, found: list[_Found], menu: bool = False
) -> set[etree._Element]:
    if len(el) > _MAX_CHILDREN:
        return set()  # a list this long is a directory or a machine-made page, not a sidebar; bounded work
    children = [c for c in el if isinstance(c.tag, str) and c.tag not in _SEPARATORS and not _is_rule(c)]
    if len(children) < 2:
        return set()
    consumed: set[etree._Element] = set()
    if not menu:
        _scan_flat(children, base_url, found, consumed)
    for run in _runs(children, consumed):
        if menu and not _is_menu_teaser_run(run, base_url):
            continue
        hit = _evaluate_run(el, run, base_url)
        if hit is not None:
            found.append(hit)
            consumed.update(run)
    return consumed


def _is_rule(el: etree._Element) -> bool:
    """An element without text between items: a drawn divider (`<div class="rule"></div>`) or a card's image
    laid out as its own sibling (`<div class="row-image"><a><img></a></div>` before each title block), read
    like `<hr>` so it does not cut a run of teasers in pieces of one."""
    if el.tag not in ("div", "span", "li", "figure"):
        return False
    text = el.text
    if text and not text.isspace():
        return False
    if len(el) == 0:
        return True
    # cheapest tests first (this runs on every child of every candidate): few children, then any text at all
    # (itertext stops at the first text and makes no element objects)
    return len(el) <= _MAX_RULE_CHILDREN and not any(t.strip() for t in el.itertext())


def _scan_flat(
    children: list[etree._Element], base_url: str | None, found: list[_Found], consumed: set[etree._Element]
) -> None:
    """A heading from the table followed by headline-like siblings, whatever their markup."""
    i = 0
    while i < len(children) - 1:
        head = children[i]
        text = _text(head) if _is_small(head, _MAX_HEADING_NODES) else ""
        if text and len(text) <= _MAX_HEADING_CHARS and is_sidebar_heading(text):
            j = i + 1
            while (
                j < len(children) and is_headline_like(_item_text(children[j])) and not _is_section_heading(children[j])
            ):
                j += 1
            if j - i - 1 >= _MIN_ITEMS_TABLE_HEADING:
                items = children[i + 1 : j]
                heading = _clean_heading(normalize_line(text))
                found.append(_Found(0, Sidebar(heading, _items(items, base_url)), [head, *items]))
                consumed.update([head, *items])
                i = j
                continue
        i += 1


def _is_section_heading(el: etree._Element) -> bool:
    """A heading element whose text no link carries: the story's next section ("See also: <link>" above a
    wiki section's `<h3>`: mozilla/readability's wikipedia-2 page), never a teaser, which links to its article."""
    if el.tag not in SECTION_HEADINGS:
        return False
    link = _main_link(el)
    return link is None or not _link_dominates(link, el)


def _runs(children: list[etree._Element], consumed: set[etree._Element]) -> Iterator[list[etree._Element]]:
    """Maximal runs of consecutive siblings with the same shape."""
    tags = [c.tag for c in children]
    alike = [a == b for a, b in itertools.pairwise(tags)]  # alike[i]: children i and i + 1 share a tag
    if not any(alike):
        return  # a shape includes the tag: no two neighbours alike, no run (most candidates; cheap test first)
    alike.append(False)
    # the class shape only where a neighbour has the same tag: elsewhere no neighbour can have the same shape
    base = [
        None if c in consumed else (tags[i], _shape_class(c) if alike[i] or (i and alike[i - 1]) else None)
        for i, c in enumerate(children)
    ]
    run: list[etree._Element] = []
    shape = None
    for i, c in enumerate(children):
        neighbours = (base[i - 1] if i else None, base[i + 1] if i + 1 < len(base) else None)
        # the link shape is computed only where tags repeat: keeps the scan cheap
        here = base[i]
        s = (*here, _link_shape(c)) if here is not None and here in neighbours and _is_small(c) else None
        if s is not None and s == shape:
            run.append(c)
            continue
        if len(run) >= _MIN_ITEMS_TABLE_HEADING:
            yield run
        run, shape = ([c], s) if s is not None else ([], None)
    if len(run) >= _MIN_ITEMS_TABLE_HEADING:
        yield run


# Class words that mark an item's place or state, not its kind: "teaserStatus first", "row-desc top", "active"
_POSITION_CLASSES = re.compile(
    r"^(?:is-|has-)?(?:odd|even|top|bottom|active|current|selected|visible|hidden|open|"
    r"(?:item|col|slide|post|teaser|nth)?-?\d+|(?:small|medium|large|xlarge|col-xs|col-sm|col-md|col-lg)-\d+)$|"
    r"(?:^|[-_])(?:first|last|featured)(?:[-_]|$)"
)


def _shape_class(el: etree._Element) -> str:
    """The class of a list item without words of position or state, so a run of teasers is not cut where the
    first one carries "first" (measured on the labelled set: grazia-magazin, autoindustriya)."""
    cls = el.get("class")
    return _shape_of_class(cls) if cls else ""


@functools.lru_cache(maxsize=4096)  # siblings of one run share their class value
def _shape_of_class(cls: str) -> str:
    return " ".join(sorted(w for w in cls.lower().split() if not _POSITION_CLASSES.search(w)))


def _evaluate_run(parent: etree._Element, run: list[etree._Element], base_url: str | None) -> _Found | None:
    if len(run) > _MAX_ITEMS:
        return None
    texts = [_item_text(c) for c in run]
    headline = sum(map(is_headline_like, texts)) / len(texts)
    titles = None
    if headline < 0.75:
        # teaser cards (title, date, a line of summary) under a table heading: the titles are the items
        heading_el, heading = _heading_for(parent, run[0])
        titles = [_title_link(c) for c in run] if heading and is_sidebar_heading(heading) else [None]
        if any(t is None for t in titles):
            return None
        items = tuple(SidebarItem(normalize_line(_text(t)), _url(t, base_url)) for t in titles)
        return _Found(
            0, Sidebar(_clean_heading(heading or ""), items), [e for e in (heading_el, *run) if e is not None]
        )
    heading_el, heading = _heading_for(parent, run[0])
    if heading and heading.rstrip().endswith((":", "：")) and not is_sidebar_heading(heading):
        return None  # "The plan includes:" introduces a list that belongs to the story
    table = is_sidebar_heading(heading) if heading else False
    if not table:
        links = sum(1 for c in run if _is_link_item(c)) / len(run)
        score = (
            1.5 * _has_class_hint(parent)
            + 1.5 * (links >= 0.8)
            + 1.0 * _has_times(run)
            + 1.0 * (heading_el is not None and heading_el.tag in _HEADING_TAGS)
            + 0.5 * (len(run) >= 5)
            + 1.0 * (links >= 0.8 and _to_site_articles(run, base_url))
            + 1.0 * (links >= 0.8 and _titles_in_headings(run))
        )
        if score < _ACCEPT_SCORE or (len(run) < _MIN_ITEMS_STRUCTURE and score < _ACCEPT_SHORT_SCORE):
            return None
    elements = list(run) if heading_el is None else [heading_el, *run]
    return _Found(0, Sidebar(_clean_heading(heading) if heading else None, _items(run, base_url)), elements)


def _heading_for(parent: etree._Element, first: etree._Element) -> tuple[etree._Element | None, str | None]:
    """The short text right before the run: a previous sibling, the parent's leading text, or the previous
    sibling of an ancestor whose only content starts with the run."""
    prev = _prev_element(first)
    if prev is not None:
        return _as_heading(prev)
    if parent.text and parent.text.strip():
        text = normalize_line(parent.text)
        return (None, text) if len(text) <= _MAX_HEADING_CHARS else (None, None)
    node = parent
    for _ in range(_HINT_LEVELS):
        prev = _prev_element(node)
        if prev is not None:
            return _as_heading(prev)
        node = node.getparent()
        if node is None or (node.text and node.text.strip()):
            break
    return None, None


def _as_heading(el: etree._Element) -> tuple[etree._Element | None, str | None]:
    """`el` and its text when it can head a list: small, short, no list inside, and no script: an ad slot
    between two teasers (`<li><script>adverts.addToArray(…)</script>Advertisement</li>`, dailymail.co.uk in
    trafilatura's evaluation set) gave the heading 'adverts.addToArray({"pos":"mpu_puff_10"})Advertisement'."""
    if not _is_small(el, _MAX_HEADING_NODES) or next(el.iter("script"), None) is not None:
        return None, None
    text = _text(el)
    if 0 < len(text) <= _MAX_HEADING_CHARS and el.find(".//li") is None:
        return el, normalize_line(text)
    return None, None


def _is_small(el: etree._Element, limit: int = _MAX_ITEM_NODES) -> bool:
    """At most `limit` nodes: the size of a heading or a teaser, and cheap to read."""
    return next(itertools.islice(el.iter(), limit, None), None) is None  # no node past the first `limit`


def _prev_element(el: etree._Element) -> etree._Element | None:
    prev = el.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or prev.tag in _SEPARATORS or _is_rule(prev)):
        prev = prev.getprevious()
    return prev


# WordPress's post_class() puts the post's categories and tags on its container ("category-popular-posts",
# "tag-sidebar", https://developer.wordpress.org/reference/functions/get_post_class/): they name what the post is
# about, not what the element is, so they are no hint (thepostpartumparty: a story section read as a list).
_TAXONOMY_CLASSES = re.compile(r"(?<!\S)(?:category|tag)-\S*")


def _has_class_hint(el: etree._Element) -> bool:
    """`el` or one of its `_HINT_LEVELS` ancestors is an `<aside>` or carries a SIDEBAR_CLASS_HINTS word in its
    class or id (taxonomy classes aside). The climb stops at `<main>` and `<body>`: what wraps the page's main
    content names the layout ("content-sidebar-wrap" holds the story and the sidebar), not the list."""
    for _ in range(_HINT_LEVELS + 1):
        if el is None or el.tag in ("main", "body"):
            return False
        marks = _TAXONOMY_CLASSES.sub(" ", f"{el.get('class', '')} {el.get('id', '')}".lower())
        if el.tag == "aside" or any(h in marks for h in SIDEBAR_CLASS_HINTS):
            return True
        el = el.getparent()
    return False


def _card_title(el: etree._Element) -> etree._Element | None:
    """The title link of a teaser card: a headline-like link inside a heading element (h2-h6) of the card, or
    for a card without heading elements (link + summary: "crp_related" cards) its main link when that reads as
    a headline."""
    for heading in el.iter(*_CARD_HEADINGS):
        for link in heading.iter("a"):
            if is_headline_like(_text(link)):
                return link
        link = next((a for a in heading.iterancestors("a") if el in a.iterancestors()), None)
        if link is not None and _text(link) == _text(heading) and is_headline_like(_text(link)):
            return link  # <a href><h5>title</h5></a>: the heading is the link's whole text
        return None
    link = _main_link(el)
    return link if link is not None and is_headline_like(_text(link)) else None


def _to_site_articles(run: list[etree._Element], base_url: str | None) -> bool:
    """Four in five items link to other article pages of one site: a relative link or the page's own host,
    with a path that names an article (`_ARTICLE_PATH`), not a section page or a place on this page (a table
    of contents links to "#section")."""
    hosts = set()
    hits = 0
    here = urlsplit(base_url or "").path
    for el in run:
        link = _main_link(el)
        href = (link.get("href") or "").strip() if link is not None else ""
        parts = urlsplit(urljoin(base_url or "", href))
        hosts.add(parts.netloc)
        elsewhere = not href.startswith("#") and (not here or parts.path != here)
        hits += elsewhere and _ARTICLE_PATH.search(parts.path) is not None
    own = {urlsplit(base_url).netloc} if base_url else set()
    return hits * 5 >= len(run) * 4 and len(hosts - own - {""}) <= 1


def _title_link(el: etree._Element) -> etree._Element | None:
    title = _card_title(el)
    return title if title is not None else _whole_link(el)


def _whole_link(el: etree._Element) -> etree._Element | None:
    """The item's link when it carries the item and reads as a headline but for a final full stop ("… Premier
    League & Co."): under a table heading such an item is a teaser, not a sentence of the story."""
    link = _main_link(el)
    if link is None or not _link_dominates(link, el):
        return None
    return link if is_headline_like(_text(link).rstrip(".")) else None


def _titles_in_headings(run: list[etree._Element]) -> bool:
    """Every item's main link holds or sits in a heading element (h2-h6): teaser cards, each titled like an
    article; a story's links sit in running text."""
    for el in run:
        link = _main_link(el)
        if link is None:
            return False
        inside = next(link.iter(*_CARD_HEADINGS), None) is not None
        if not inside and not any(a.tag in _CARD_HEADINGS for a in link.iterancestors()):
            return False
    return True


def _is_menu_teaser_run(run: list[etree._Element], base_url: str | None) -> bool:
    """In navigation, only article previews count: three or more link items, each titled in a heading element,
    linking to article pages of the site (a mega menu's "latest in <section>" previews: chron.com, soy502 in
    the labelled set); menu entries link to section pages and carry no headings."""
    return (
        len(run) >= _MIN_ITEMS_STRUCTURE
        and all(_is_link_item(c) for c in run)
        and _titles_in_headings(run)
        and _to_site_articles(run, base_url)
    )


def _has_times(run: list[etree._Element]) -> bool:
    hits = sum(1 for c in run if c.find(".//time") is not None or _TIME.search(_text(c)))
    return hits * 2 >= len(run)


def _is_link_item(el: etree._Element) -> bool:
    if el.tag == "a":
        return True
    link = _main_link(el)
    return link is not None and (_link_dominates(link, el) or _leads_card(link, el))


def _link_shape(el: etree._Element) -> bool:
    """The shape that groups a run: a link item, or an item that opens with its link whatever the link's text
    (a "Popular" list where one title is the one word "EKO" followed by "10 comments" stays one run)."""
    if _is_link_item(el):
        return True
    link = _main_link(el)
    return link is not None and _text(el).startswith(_text(link))


def _leads_card(link: etree._Element, el: etree._Element) -> bool:
    """The item opens with its main link and that link reads as a headline: a teaser card (title + summary of
    any length), the same shape whether its summary is short or long."""
    title = _text(link)
    return _text(el).startswith(title) and is_headline_like(title)


def _link_dominates(link: etree._Element, el: etree._Element) -> bool:
    """The link carries at least half of the item's text, timestamps aside."""
    return len(_untimed(_text(link))) * 2 >= len(_untimed(_text(el)).strip())


@functools.lru_cache(maxsize=8192)  # an item's and its link's texts are asked of again for shape, score and text
def _untimed(text: str) -> str:
    return _TIME.sub("", text)


def _main_link(el: etree._Element) -> etree._Element | None:
    memo = _MEMO.get()
    if memo is None:
        return _find_main_link(el)
    links = memo[1]
    if el not in links:
        links[el] = _find_main_link(el)
    return links[el]


def _find_main_link(el: etree._Element) -> etree._Element | None:
    if el.tag == "a":
        return el
    links = [a for a in el.iter("a") if _text(a)]
    return max(links, key=lambda a: len(_text(a)), default=None)


def _item_text(el: etree._Element, read: Callable[[etree._Element], str] | None = None) -> str:
    """An item's text: its link's when the link carries or opens it, the title of a card with a linked heading
    (category label, title, summary, byline: the title), else the whole text; read with `read` (_text)."""
    read = read or _text
    link = _main_link(el)
    if link is not None and (_link_dominates(link, el) or _leads_card(link, el)):
        return strip_bullet(read(link))
    title = _card_title(el) if link is not None else None
    return strip_bullet(read(title if title is not None else el))


def _items(run: list[etree._Element], base_url: str | None) -> tuple[SidebarItem, ...]:
    """The list's items, in order, each read without script text; an item with no other text is none. An ad slot
    among them (`<li><script>googletag.cmd.push(…)</script></li>` in a "Latest News" list, jamaicaobserver.com in
    trafilatura's evaluation set) was an item whose text was the script's."""
    items = []
    for el in run:
        link = _main_link(el)
        # '//<![CDATA[ window.__mirage2 = …' inside a teaser's link: the item is read without its script
        text = normalize_line(_item_text(el, _script_free_text if el.find(".//script") is not None else None))
        if text:  # an ad slot is a script and nothing else
            items.append(SidebarItem(text, _url(link, base_url) if link is not None else None))
    return tuple(items)


_SCRIPT_FREE_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _script_free_text(el: etree._Element) -> str:
    return " ".join(" ".join(_SCRIPT_FREE_TEXT(el)).split())


def _url(link: etree._Element, base_url: str | None) -> str | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return None
    return urljoin(base_url, href) if base_url else href


def _text(el: etree._Element) -> str:
    # whitespace-collapsed only: this runs on many elements; output strings get normalize_line
    memo = _MEMO.get()
    if memo is None:
        return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())
    texts = memo[0]
    text = texts.get(el)
    if text is None:
        text = texts[el] = " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())
    return text


def _clean_heading(text: str) -> str:
    return text.strip().rstrip(":：-–—").strip()


def _drop(el: etree._Element) -> None:
    """Remove `el` but keep its tail text unless it is only separators."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    if tail.strip(" \t\n|•·,;-–—"):
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
