"""The story region for metadata: the visible text right after the headline, and what lies outside the story.

One home for the rule "never from a sidebar, teaser or 'Latest' rail": an element is outside the story when it
sits in <aside>/<nav>/<footer> or in a container whose class/id names a sidebar, related/latest/popular
list, teaser, widget, rail, menu or comments (8 ancestors are looked at).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .text import normalize_line

_OUTSIDE_TAGS = frozenset({"aside", "nav", "footer"})  # not <form>: ASP.NET pages wrap everything in one
_OUTSIDE_HINT = re.compile(
    r"(?i)sidebar|related|teaser|latest|popular|trending|recommend|widget|more-stories|comment|footer|\bnav|"
    r"menu|promo|newsletter|\brail|carousel|author-bio|about-the-author"
)
_ANCESTOR_LEVELS = 8
_SKIP = frozenset({"script", "style", "noscript", "template", "option", "select", "button", "svg"})
_MAX_H1S = 30


def outside_story(el: etree._Element, cache: dict[etree._Element, bool] | None = None) -> bool:
    """True when `el` is inside a sidebar, teaser list, navigation, footer or comments (see module doc).
    `cache` (element -> verdict for its own class/id) saves work when many siblings are checked."""
    node = el
    for _ in range(_ANCESTOR_LEVELS):
        node = node.getparent()
        if node is None:
            return False
        verdict = cache.get(node) if cache is not None else None
        if verdict is None:
            hint = f"{node.get('class', '')} {node.get('id', '')}"
            verdict = node.tag in _OUTSIDE_TAGS or bool(hint.strip() and _OUTSIDE_HINT.search(hint))
            if cache is not None:
                cache[node] = verdict
        if verdict:
            return True
    return False


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
    # the elements themselves, not id(): a set keeps their lxml proxies alive, so root.iter() below returns the
    # same objects; ids of proxies freed at once are reused by unrelated elements (pages skipped at random)
    inside = set(start.iter())
    started = False
    seen = 0
    cache: dict[etree._Element, bool] = {}
    for el in root.iter():
        if el is start:
            started = True
            continue
        if not started or el in inside or not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        parent = el.getparent()
        for text, owner in ((el.text, el), (el.tail, parent)):
            if not text or text.isspace() or owner is None or owner.tag in _SKIP:
                continue
            seen += 1
            if seen > limit:
                return
            if not outside_story(el, cache):
                yield el, normalize_line(text)


def pieces_before(root: etree._Element, start: etree._Element, limit: int) -> list[tuple[etree._Element, str]]:
    """The last `limit` non-empty text pieces before `start` (nearest first), outside sidebars and navigation:
    datelines printed above the headline."""
    pieces: list[tuple[etree._Element, str]] = []
    for el in root.iter():
        if el is start:
            break
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag in ("head", "title", "meta"):
            continue
        for text in (el.text, el.tail):
            if text and not text.isspace():
                pieces.append((el, text))
    nearest = pieces[-limit:][::-1]
    return [(el, normalize_line(text)) for el, text in nearest if not outside_story(el)]
