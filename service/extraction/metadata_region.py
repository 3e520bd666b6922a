"""The story region for metadata: the visible text right after the headline, and what lies outside the story.

One home for the rule "never from a sidebar, teaser or 'Latest' rail": an element is outside the story when it
sits in <aside>/<nav>/<footer> (not an <article>'s own footer) or in a container whose class/id names a
sidebar, related/latest/popular list, teaser, widget, rail, menu, promo or comments (8 ancestors are looked at;
Drupal's "node-promoted" class marks the story itself as promoted to the front page, not a promo box). The
classes of <body> and <html> are the page's own ("has-sidebar", a theme's feature flags) and never count.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree

from .text import normalize_line

_OUTSIDE_TAGS = frozenset({"aside", "nav", "footer"})  # not <form>: ASP.NET pages wrap everything in one
_OUTSIDE_HINT = re.compile(
    r"(?i)sidebar|related|teaser|latest|popular|trending|recommend|widget|more-stories|comment|footer|\bnav|"
    r"menu|promo(?!ted)|newsletter|\brail|carousel|author-bio|about-the-author"
)
_ANCESTOR_LEVELS = 8
_PAGE = frozenset({"body", "html"})
_SKIP = frozenset({"script", "style", "noscript", "template", "option", "select", "button", "svg"})
_MAX_H1S = 30


def outside_story(el: etree._Element, cache: dict[etree._Element, bool] | None = None) -> bool:
    """True when `el` is inside a sidebar, teaser list, navigation, footer or comments (see module doc).
    `cache` (element -> verdict for its own class/id) saves work when many siblings are checked."""
    node = el
    for _ in range(_ANCESTOR_LEVELS):
        node = node.getparent()
        if node is None or node.tag in _PAGE:
            return False  # the page's own classes ("has-sidebar", "blog-recirc-group-…" on deadspin.com) say nothing
        verdict = cache.get(node) if cache is not None else None
        if verdict is None:
            hint = f"{node.get('class', '')} {node.get('id', '')}"
            verdict = (node.tag in _OUTSIDE_TAGS and not _articles_own_footer(node)) or bool(
                hint.strip() and _OUTSIDE_HINT.search(hint)
            )
            if cache is not None:
                cache[node] = verdict
        if verdict:
            return True
    return False


def _articles_own_footer(node: etree._Element) -> bool:
    """A <footer> inside an <article> is that article's own (HTML: "information about its section", e.g. who
    wrote it and when; Drupal prints the story's date there), not the page's footer."""
    return node.tag == "footer" and any(a.tag == "article" for a in node.iterancestors())


def headline_element(root: etree._Element, title: str | None) -> etree._Element | None:
    """The heading (<h1>, else <h2>/<h3>, when the <h1> is a logo) whose text is the chosen title, or None."""
    if not title:
        return None
    for tags in (("h1",), ("h2", "h3")):
        for count, heading in enumerate(root.iter(*tags)):
            if count >= _MAX_H1S:
                break
            if normalize_line(heading.text_content()) == title and not outside_story(heading):
                return heading
    return None


def pieces_after(root: etree._Element, start: etree._Element, limit: int) -> Iterator[tuple[etree._Element, str]]:
    """(element, text) for the first `limit` non-empty text pieces (element text and tails) that follow the
    end of `start` in document order, skipping scripts, form controls and anything outside the story."""
    cache: dict[etree._Element, bool] = {}
    for el, text in itertools.islice(_texts_following(root, start), limit):
        if not outside_story(el, cache):
            yield el, normalize_line(text)


def _texts_following(root: etree._Element, start: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(element, text) after `start`'s subtree in reading order: an element's text where it opens, its tail
    where it closes, after its descendants' texts ("by <span><a>NAME</a></span> (reporting) and X": the name
    before the tail; guardian-1 in mozilla/readability's pages took X as the author). The text inside scripts,
    icons (svg) and form controls is skipped, not the text after them ("<svg/> By NAME")."""
    node: etree._Element | None = start
    while node is not None and node is not root:
        for sibling in node.itersiblings():
            if not isinstance(sibling.tag, str):  # a comment or processing instruction: lxml walks no such node
                if sibling.tail and not sibling.tail.isspace():
                    yield sibling, sibling.tail
                continue
            walker = etree.iterwalk(sibling, events=("start", "end"))
            for event, el in walker:
                if event == "start":
                    if not isinstance(el.tag, str) or el.tag in _SKIP:
                        walker.skip_subtree()  # its own text is not shown; its tail is
                    elif el.text and not el.text.isspace():
                        yield el, el.text
                elif el.tail and not el.tail.isspace():
                    yield el, el.tail
        node = node.getparent()


def pieces_before(root: etree._Element, start: etree._Element, limit: int) -> list[tuple[etree._Element, str]]:
    """The last `limit` non-empty text pieces before `start` (nearest first), outside sidebars and navigation:
    datelines printed above the headline. The pieces are those of the elements before `start` in document
    order (an ancestor's tail counts where the ancestor starts), each element's text before its tail."""
    nearest: list[tuple[etree._Element, str]] = []
    for el in _preceding(root, start):
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag in ("head", "title", "meta"):
            continue
        for text in (el.tail, el.text):  # walking backwards: the tail comes first
            if text and not text.isspace():
                nearest.append((el, text))
                if len(nearest) == limit:
                    return [(e, normalize_line(t)) for e, t in nearest if not outside_story(e)]
    return [(e, normalize_line(t)) for e, t in nearest if not outside_story(e)]


# Walks that start at the headline instead of the top of the page (the headline sits a long way down on pages with
# big menus). `_texts_following` above and `_preceding` give the same order as a walk from the top, in C.


def _preceding(root: etree._Element, start: etree._Element) -> Iterator[etree._Element]:
    """The nodes root.iter() gives before `start`, nearest first: the preceding siblings' subtrees (each in
    reverse document order), then the parent, and so on up to `root` itself."""
    node: etree._Element | None = start
    while node is not None and node is not root:
        for sibling in node.itersiblings(preceding=True):
            yield from reversed(list(sibling.iter()))
        node = node.getparent()
        if node is not None:
            yield node
