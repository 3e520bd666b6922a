"""The headline: title sources cross-checked (<h1>, og:title, JSON-LD headline, <title>), site names cut only
when they are the site's.

Rules (each measured on tests/extraction/data/metadata_labels.json, benchmarks/metadata_quality.py):
- an <h1> that agrees with another source (as written or with the site's name cut) is the visible headline and
  wins, the best agreeing of several (the <title>/og:title are often SEO variants of it; a JSON-LD headline
  disagreeing with an <h1> and <title> that agree loses);
- else, on a page that declares no headline (no og:title, no JSON-LD headline: only a <title>, often an SEO
  variant), the story's first <h1> (outside header/nav/aside/footer/forms and sidebars) wins when its markup
  marks it as the headline (itemprop="headline", "entry-title", "post-title", "article-title", "headline":
  trafilatura.xpaths.TITLE_XPATHS) and it shares a word of 4+ letters with another source;
- a lone story <h1> of 4+ words outside header, nav and aside wins too (site-logo and "Log In" <h1>s do not); on
  a page that declares no headline, a <header> inside an <article>, <section> or <main> counts as the story's
  own when its <h1> shares a word of 4+ letters with the <title> (postlight/parser's fixtures: qz.com, si.com,
  today.com, usmagazine.com; a lone teaser's <h1> on a listing page need not);
- else og:title, JSON-LD headline, twitter:title, <title>, in that order;
- " | Site" / " - Site" is cut only when the last part names the site (og:site_name, JSON-LD publisher, the
  host's label), so "… — МИД Армении" (the source of a claim) stays.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

from lxml import etree

from .metadata_region import outside_story
from .text import normalize_line

_SEPARATORS = re.compile(r"\s+[-|–—·•:»›/]\s+|\s+[|–—·•»›]|[|–—·•»›]\s+")
_WORDS = re.compile(r"\w+")
_MIN_LONE_H1_WORDS = 4
_MAX_H1S = 30
_OUTSIDE = frozenset({"header", "nav", "aside", "footer", "form"})
_SCOPES = frozenset({"article", "section", "main"})  # a <header> inside one of these is that content's header
# trafilatura.xpaths.TITLE_XPATHS (2.3.1), its first expression: an h1 whose class or id says it is the story's title
_MARKED = re.compile(r"(?:post-|entry-|article-|post__)title|headline", re.IGNORECASE)
_MIN_SHARED_LETTERS = 4


def site_labels(site_name: str | None, url: str | None) -> tuple[str, ...]:
    """Names the site goes by: its declared name and its host's labels ("www.dw.com" -> "dw.com", "dw")."""
    labels: list[str] = [site_name] if site_name else []
    host = (urlsplit(url).hostname or "") if url and "://" in url else ""
    host = host.removeprefix("www.")
    if host:
        labels += [host, host.split(".")[0]]
    return tuple(label for label in labels if label)


def choose_title(
    root: etree._Element, candidates: list[str | None], sites: tuple[str, ...], *, declared: bool = False
) -> str | None:
    """`candidates`: og:title, JSON-LD headline, twitter:title, <title>, trafilatura's title (any may be None);
    `declared`: the page declares its headline (og:title or a JSON-LD headline), so a marked <h1> that agrees
    with no source does not overrule it.

    Returns the headline with a matching site name cut, or None."""
    others = [normalize_line(c) for c in candidates if c and normalize_line(c)]
    h1s = [h for h in (_h1_text(el) for el in root.iter("h1")) if h][:_MAX_H1S]
    h1s = [h for h in h1s if not _names_site(h, sites)]
    without_site = [strip_site_suffix(other, sites) for other in others]  # "Aldi Beef Maker Test - CHIP" -> "…Test"
    # the best agreeing, as written or with the site's name cut; of equals, the one agreeing with the earlier source
    # (og:title before <title>: an <h1> "News" equal to the <title> "News - Eawag" less its site lost to the
    # headline's <h1> equal to og:title, eawag.ch in trafilatura's evaluation set); then the first
    agreement = [
        max(
            (
                (max(_agreement(h1, other), _agreement(h1, cut)), -n)
                for n, (other, cut) in enumerate(zip(others, without_site, strict=True))
            ),
            default=(0, 0),
        )
        for h1 in h1s
    ]
    if h1s and max(agreement)[0]:
        return h1s[agreement.index(max(agreement))]
    # without a declared headline, a <header> inside an <article>, <section> or <main> may hold the story's
    # headline; with one, such an <h1> disagreeing with it is as likely a teaser card's (a front page's
    # <article class="featured-story"><header><h1>, 680c2848 in the 181-page set)
    story_headers = not declared
    candidates = [el for el in itertools.islice(root.iter("h1"), _MAX_H1S) if _h1_text(el) in h1s]
    inside = [el for el in candidates if not _outside(el, story_headers) and not outside_story(el)]
    # the first <h1> of the story, marked as its headline and sharing a word with the <title>: a sidebar's
    # "widget-title", a section's "section-title" or a later teaser's "entry-title" is none
    if not declared and inside and _marked(inside[0]) and _shares_a_word(_h1_text(inside[0]), others):
        return _h1_text(inside[0])
    lone = [el for el in candidates if not _outside(el, story_headers)]
    # an <h1> let in only as a story <header>'s must share a word with the <title>: a listing page's lone teaser
    if (
        len(lone) == 1
        and len(_WORDS.findall(h1s[0])) >= _MIN_LONE_H1_WORDS
        and len(h1s) == 1
        and (not _outside(lone[0]) or (lone[0] in inside and _shares_a_word(h1s[0], others)))
    ):
        return h1s[0]
    for other in others:
        cut = strip_site_suffix(other, sites)
        if cut:
            return cut
    return None


def _h1_text(el: etree._Element) -> str:
    return normalize_line(el.text_content())[:500]


def _agreement(h1: str, other: str) -> int:
    """How an <h1> agrees with another title source: 3 equal, 2 contained in it (12+ characters), 1 sharing 60%
    of the words, 0 not at all. The best agreeing <h1> wins: a site-logo <h1> is contained in the <title>
    ("国際ニュース：AFPBB News" in "<headline>　国際ニュース：AFPBB News", japanese_article2 in newspaper4k's
    test pages) while the headline's <h1> equals og:title."""
    a, b = h1.casefold(), other.casefold()
    if a == b:
        return 3
    if len(a) >= 12 and a in b:
        return 2
    wa, wb = set(_WORDS.findall(a)), set(_WORDS.findall(b))
    return 1 if wa and len(wa & wb) / len(wa | wb) >= 0.6 else 0


def _names_site(text: str, sites: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(folded == s.casefold() or folded.replace(" ", "") == s.casefold().replace(" ", "") for s in sites)


def _shares_a_word(h1: str, others: list[str]) -> bool:
    """Whether the <h1> has a word of 4+ letters in common with another source, or there is none: a marked <h1>
    unrelated to all of them is no headline ("Original text", the <h1 class="title"> of a translation widget
    saved with jvndb.jvn.jp and elecom.co.jp pages in postlight/parser's fixtures)."""
    words = {w for w in _WORDS.findall(h1.casefold()) if len(w) >= _MIN_SHARED_LETTERS}
    return not others or any(words & set(_WORDS.findall(other.casefold())) for other in others)


def _marked(el: etree._Element) -> bool:
    """The h1's markup names it the story's headline: itemprop="headline", or a class or id as in the first of
    trafilatura.xpaths.TITLE_XPATHS (2.3.1: "post-title", "entry-title", "article-title", "headline"); a bare
    "title" is as often a widget's, a section's or a block's ("widget-title", "section-title")."""
    return "headline" in (el.get("itemprop") or "") or bool(_MARKED.search(f"{el.get('class', '')} {el.get('id', '')}"))


def _outside(el: etree._Element, story_headers: bool = False) -> bool:
    """Whether `el` sits in page furniture (`_OUTSIDE`); with `story_headers`, a <header> counts only when it is
    the page's (no <article>, <section> or <main> above it). One walk up the tree."""
    ancestors = list(el.iterancestors())
    scoped = [False] * len(ancestors)  # scoped[i]: an <article>, <section> or <main> above ancestors[i]
    seen = False
    for i in range(len(ancestors) - 1, -1, -1):
        scoped[i] = seen
        seen = seen or ancestors[i].tag in _SCOPES
    return any(
        node.tag in _OUTSIDE and not (node.tag == "header" and story_headers and scoped[i])
        for i, node in enumerate(ancestors)
    )


def strip_site_suffix(title: str, sites: tuple[str, ...]) -> str:
    """Cut trailing (or leading) parts of `title` that name the site: "Story | News | Site" -> "Story"."""
    parts = [p for p in _SEPARATORS.split(title) if p]
    if len(parts) < 2:
        return title
    while len(parts) > 1 and _part_is_site(parts[-1], sites):
        parts.pop()
        title = _join(title, parts)
    if len(parts) > 1 and _part_is_site(parts[0], sites):
        title = title[title.find(parts[1]) :]
    return title.strip(" -|–—·•:»›")


def _join(title: str, parts: list[str]) -> str:
    """The prefix of `title` that ends with the last kept part (separators kept as written)."""
    end = 0
    for part in parts:
        end = title.find(part, end) + len(part)
    return title[:end]


def _part_is_site(part: str, sites: tuple[str, ...]) -> bool:
    folded = part.casefold().strip()
    squashed = folded.replace(" ", "").replace("-", "")
    for site in sites:
        s = site.casefold()
        if (
            folded == s
            or squashed == s.replace(" ", "").replace("-", "")
            or (len(s) >= 4 and s in folded)
            or (len(folded) >= 4 and folded in s)
        ):
            return True
    return False
