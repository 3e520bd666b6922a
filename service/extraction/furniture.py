"""Page furniture trafilatura keeps as story lines: blocks the page itself marks, by their class or id, as
something other than the story: photo credits and short image captions, affiliate disclosures, author boxes,
newsletter/subscription/paywall calls, advertising boxes, date and byline lines, footer, breadcrumb and menu
blocks that trafilatura's choice of container took along.

A story line is taken out only when its whole text is the text of such a block (or of a block inside a small
one), so a story paragraph that merely sits in a container with one of these names stays. Which kinds are on
was chosen by benchmarks/extraction_quality.py over all real sets (benchmarks/RESULTS.md, issue 11, fourth
pass): each kind removes leaked snippets on trafilatura's evaluation pages without losing a found one or F1.
Which block a class names is the page's own statement; no site is named here.
"""

from __future__ import annotations

import re

from lxml import etree

from .text import strip_bullet

# Kind -> words of a class or id (split at spaces, "-" and "_", case-folded) that mark it. Each kind was measured
# alone on all real sets (benchmarks/RESULTS.md, issue 11, fourth pass); kinds that lost a found snippet or F1
# are left out: "tags"/"category" (topic boxes that hold story text), "toc", "comment" (live tickers),
# "share", "twitter"/"tweet" embeds (quoted as story), blocks the page hides (responsive copies of the story).
FURNITURE_MARKS: dict[str, frozenset[str]] = {
    "credit": frozenset({"credit", "credits", "copyright"}),
    "caption": frozenset({"caption", "captions", "figcaption", "dida"}),
    "disclosure": frozenset({"disclosure", "disclaimer", "affiliate"}),
    "author": frozenset({"author", "authorbox", "bio", "saboxplugin"}),
    "subscribe": frozenset({"newsletter", "cta", "paywall", "payant", "subscribe", "subscription", "signup"}),
    "ad": frozenset({"ad", "ads", "advert", "advertisement", "anzeige", "sponsor", "sponsored", "promo", "promotion"}),
    "meta": frozenset({"date", "time", "meta", "updated", "byline", "dateline", "published"}),
    "footer": frozenset({"footer"}),
    "breadcrumb": frozenset({"breadcrumb", "breadcrumbs", "navbreadcrumbs"}),
    "menu": frozenset({"menu", "navbar", "navigation"}),
}
KINDS_ON: tuple[str, ...] = tuple(FURNITURE_MARKS)
_MAX_BLOCK_CHARS = 600  # an author box or a disclosure is a few sentences; a container of the story is not
# A caption longer than this is a gallery's story text (popsugar, zdf: the eval set counts it as story).
_KIND_MAX = {"caption": 150}
_SPLIT = re.compile(r"[\s_-]+")
_SKIP = ("script", "style", "noscript", "template", "head")


def _marks(el: etree._Element) -> set[str]:
    words = set(_SPLIT.split(f"{el.get('class', '')} {el.get('id', '')}".casefold()))
    words.discard("")
    return words


def _squash(text: str) -> str:
    return " ".join(strip_bullet(" ".join(text.split())).split())


def furniture_texts(
    root: etree._Element, kinds: tuple[str, ...] = KINDS_ON, max_chars: int = _MAX_BLOCK_CHARS
) -> dict[str, set[str]]:
    """{kind: whitespace-collapsed texts of the blocks marked as that kind}: each marked element of at most
    `max_chars` characters (and `_MAX_BLOCK_CHARS`) gives its own text and the text of every element inside
    it. Pure."""
    words = {kind: FURNITURE_MARKS[kind] for kind in kinds}
    out: dict[str, set[str]] = {kind: set() for kind in kinds}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        marks = _marks(el)
        hit = [k for k, w in words.items() if marks & w]
        if el.tag == "figcaption" and "caption" in words:
            hit.append("caption")
        if not hit:
            continue
        text = _squash(el.text_content())
        if not text or len(text) > min(max_chars, _MAX_BLOCK_CHARS):
            continue
        texts = {text} | {
            t for t in (_squash(d.text_content()) for d in el.iterdescendants() if isinstance(d.tag, str)) if t
        }
        for kind in hit:
            if len(text) <= _KIND_MAX.get(kind, _MAX_BLOCK_CHARS):
                out[kind] |= texts
    return out


_SENTENCE_END = (".", "!", "?", ":", ";", "。", "！", "？", "…", "»", '"', "”", ")")


def remove_furniture_lines(lines: list[str], root: etree._Element, kinds: tuple[str, ...] = KINDS_ON) -> list[str]:
    """`lines` without those whose whole text (bullet stripped, whitespace collapsed) is the text of a block
    the page marks as furniture (see FURNITURE_MARKS), except a line inside a sentence that trafilatura broke
    around it (the line before ends without a sentence mark and the line after starts in lower case: a linked
    word such as "Strava" that is also an image's credit), and never a block holding half the story or more (a
    short story inside a container whose class names a kind). Other lines stay unchanged and in order."""
    story_chars = sum(len(_squash(line)) for line in lines)
    texts = set().union(*furniture_texts(root, kinds, story_chars // 2).values())
    if not texts:
        return lines
    keys = [_squash(line) for line in lines]
    out = []
    for n, line in enumerate(lines):
        if keys[n] in texts:
            before = next((k for k in reversed(keys[:n]) if k), "")
            after = next((k for k in keys[n + 1 :] if k), "")
            if not (before and not before.endswith(_SENTENCE_END) and after[:1].islower()):
                continue
        out.append(line)
    return out
