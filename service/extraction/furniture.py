"""Page furniture trafilatura keeps as story lines: blocks the page itself marks, by their class or id, as
something other than the story: photo credits and short image captions, affiliate disclosures, author boxes,
newsletter/subscription/paywall calls, advertising boxes, date and byline lines, footer, breadcrumb and menu
blocks that trafilatura's choice of container took along; and the values of a schema.org microdata block the page
hides (`display:none`), which only machines read.

A story line is taken out only when its whole text is the text of such a block (or of a block inside a small
one), so a story paragraph that merely sits in a container with one of these names stays. Which kinds are on
was chosen by benchmarks/extraction_quality.py over all real sets (benchmarks/RESULTS.md, issue 11, fourth
pass): each kind removes leaked snippets on trafilatura's evaluation pages without losing a found one or F1.
Which block a class names is the page's own statement; no site is named here.
"""

from __future__ import annotations

import functools
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
_STORY_SHARE = 1 / 3  # one mark's blocks holding this much of the story are the story (see furniture_lines)
_MAX_BLOCK_CHARS = 600  # an author box or a disclosure is a few sentences; a container of the story is not
# A caption longer than this is a gallery's story text (popsugar, zdf: the eval set counts it as story).
_KIND_MAX = {"caption": 150}
_SPLIT = re.compile(r"[\s_-]+")
_SKIP = ("script", "style", "noscript", "template", "head")


def class_words(cls: str, id_: str) -> set[str]:
    """The words of an element's class and id, case-folded: the runs between whitespace, "_" and "-"
    ("post-editors_note" → post, editors, note). How the page's own marks are read, here and in story notes."""
    words = set(_SPLIT.split(f"{cls} {id_}".casefold()))
    words.discard("")
    return words


@functools.lru_cache(maxsize=4096)  # a page repeats its class values: the words are split once per value
def _kinds(cls: str, id_: str) -> tuple[str, ...]:
    """The FURNITURE_MARKS kinds whose words are among the words of a class and id."""
    if _ANY_MARK.search(f"{cls} {id_}".casefold()) is None:
        return ()  # most class values name no kind: one regex search instead of a split and ten set tests
    words = class_words(cls, id_)
    return tuple(kind for kind, marks in FURNITURE_MARKS.items() if words & marks)


# Any mark as a whole word of the case-folded "class id" (words are what _SPLIT leaves: runs between whitespace,
# "-" and "_"), so a value it does not match has no word among the marks: the same answer as the split, cheaper.
_ANY_MARK = re.compile(
    r"(?:^|[\s_-])(?:"
    + "|".join(sorted((re.escape(m) for marks in FURNITURE_MARKS.values() for m in marks), key=len, reverse=True))
    + r")(?=[\s_-]|$)"
)
# The elements furniture_lines reads, in document order: those with a class or id attribute, and figcaptions
# (one XPath in C instead of a Python walk of every element; most elements carry neither).
_MARKED = etree.XPath("descendant-or-self::*[@class or @id or self::figcaption]")
# A schema.org microdata block the page hides (`<div style="display:none;" itemscope itemtype=".../NewsArticle">`
# holding the headline, ISO 8601 stamps, image URLs and keywords: businessinsider.de in the 181-page set), read by
# machines, never shown: trafilatura took its values into the story. Only the values of schema.org's metadata
# properties (https://schema.org/CreativeWork, /ImageObject, /QuantitativeValue) count, each one an element's own
# text: the same block may hold the story itself (articleBody, description, a recipe's ingredients), which a page
# shows elsewhere or reveals with a script, and that text stays.
_HIDDEN = "[@itemscope][contains(translate(@style, ' ', ''), 'display:none') or @hidden]"
_HIDDEN_MICRODATA = etree.XPath(f"descendant-or-self::*{_HIDDEN}[not(ancestor::*{_HIDDEN})]")
_METADATA_PROPERTIES = frozenset(
    {"name", "headline", "alternativeHeadline", "url", "image", "thumbnailUrl", "contentUrl", "logo"}
    | {"datePublished", "dateModified", "dateCreated", "uploadDate", "keywords", "mainEntityOfPage", "inLanguage"}
    | {"articleSection", "width", "height", "value", "wordCount", "copyrightYear", "isAccessibleForFree"}
)


def _is_metadata_value(el: etree._Element) -> bool:
    """An element holding only text, whose itemprop is one of _METADATA_PROPERTIES."""
    return len(el) == 0 and bool(el.text) and el.get("itemprop") in _METADATA_PROPERTIES


def _squash(text: str) -> str:
    return " ".join(strip_bullet(" ".join(text.split())).split())


def furniture_lines(root: etree._Element, keys: set[str], max_chars: int = _MAX_BLOCK_CHARS) -> set[str]:
    """The texts among `keys` (whitespace-collapsed story lines) that are the text of a block the page marks as
    furniture (FURNITURE_MARKS) of at most `max_chars` characters (and `_MAX_BLOCK_CHARS`, or its kind's own
    limit), or of an element inside such a block. A block's inner elements are read only when one of `keys` is
    part of its text (their texts are parts of it), so a page costs one text read per marked block. Pure.

    A mark whose blocks together hold `_STORY_SHARE` of the story's text or more (`keys`), sentences, names the
    story's own paragraphs, not furniture: Condé Nast pages mark every paragraph behind the paywall
    `<p class="paywall">` (wired_001 in newspaper4k's test pages lost two thirds of its story); they all stay."""
    by_mark: dict[tuple[str, str], set[str]] = {}
    limit = min(max_chars, _MAX_BLOCK_CHARS)
    for el in _MARKED(root):
        if el.tag in _SKIP:
            continue
        cls, id_ = el.get("class"), el.get("id")
        hit = list(_kinds(cls or "", id_ or "")) if cls or id_ else []
        if el.tag == "figcaption":
            hit.append("caption")
        if not hit:
            continue
        text = _squash(el.text_content())
        if not text or len(text) > min(limit, max(_KIND_MAX.get(kind, _MAX_BLOCK_CHARS) for kind in hit)):
            continue
        inside = {key for key in keys if key in text}
        if not inside:
            continue
        lines = inside & ({text} | {_squash(d.text_content()) for d in el.iterdescendants() if isinstance(d.tag, str)})
        by_mark.setdefault((el.tag, cls) if cls else (el.tag, f"#{id_}"), set()).update(lines)  # ids: one each
    hidden = by_mark.setdefault(("", "hidden microdata"), set())
    for block in _HIDDEN_MICRODATA(root):  # outermost blocks only; each element is read once, by its own text
        values = (_squash(d.text) for d in block.iterdescendants() if _is_metadata_value(d))
        hidden.update(value for value in values if value in keys)
    story = sum(map(len, keys))
    return {line for lines in by_mark.values() if not _story_paragraphs(lines, story) for line in lines}


def _story_paragraphs(lines: set[str], story: int) -> bool:
    """Lines of one mark that are the story's own: `_STORY_SHARE` of its text or more, two or more of them
    sentences (a feed's timestamps or a gallery's credits are no sentences)."""
    return sum(map(len, lines)) >= story * _STORY_SHARE and sum(line.endswith(_SENTENCE_END) for line in lines) >= 2


_SENTENCE_END = (".", "!", "?", ":", ";", "。", "！", "？", "…", "»", '"', "”", ")")


def remove_furniture_lines(lines: list[str], root: etree._Element) -> list[str]:
    """`lines` without those whose whole text (bullet stripped, whitespace collapsed) is the text of a block
    the page marks as furniture (see FURNITURE_MARKS), except a line inside a sentence that trafilatura broke
    around it (the line before ends without a sentence mark and the line after starts in lower case: a linked
    word such as "Strava" that is also an image's credit), and never a block holding half the story or more (a
    short story inside a container whose class names a kind). Other lines stay unchanged and in order."""
    keys = [_squash(line) for line in lines]
    texts = furniture_lines(root, {k for k in keys if k}, sum(map(len, keys)) // 2)
    if not texts:
        return lines
    out = []
    for n, line in enumerate(lines):
        if keys[n] in texts:
            before = next((k for k in reversed(keys[:n]) if k), "")
            after = next((k for k in keys[n + 1 :] if k), "")
            if not (before and not before.endswith(_SENTENCE_END) and after[:1].islower()):
                continue
        out.append(line)
    return out
