"""The story after trafilatura: take out what the sidebar finder found, without changing trafilatura's choice
of story container (issue 11: removing sidebars before trafilatura ran made it pick another container)."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from lxml import etree

from .credits import is_credit_line
from .furniture import class_words
from .promo import is_promo_line
from .sidebar_headings import is_heading_only, normalize_heading, split_inline_heading
from .text import SECTION_HEADINGS, strip_bullet
from .types import Sidebar


def _key(text: str) -> str:
    return normalize_heading(strip_bullet(text.strip().lstrip("|").strip()))


def remove_sidebar_lines(
    lines: list[str], sidebars: tuple[Sidebar, ...], *, subheadings: frozenset[str] = frozenset()
) -> list[str]:
    """`lines` without those that are a sidebar's heading or item, alone or as "Heading: item".

    Lines are compared after `normalize_heading` (case, punctuation, apostrophes) and bullet stripping, so
    "- Item", "Item." and "READ ALSO: Item" all match. Lines of other text stay, whatever their words.

    `subheadings` (from `contents_targets`): texts of the page's table of contents, whose entries link to the
    story's own subheadings. A line with such a text leaves only where it stands with its list (next to another
    removed line or the list's heading); alone it is the subheading itself and stays (mozilla/readability's
    topicseed-1 and wikipedia-2 lost every subheading their contents list repeats).
    """
    if not sidebars:
        return lines
    drop: set[str] = set()
    headings: set[str] = set()
    for sidebar in sidebars:
        items = {_key(i.text) for i in sidebar.items} - {""}
        drop |= items
        if sidebar.heading:
            head = _key(sidebar.heading)
            headings.add(head)
            drop |= {f"{head} {item}" for item in items}
    keys = [_key(line) for line in lines]
    gone = [k in drop for k in keys]
    if subheadings:
        gone = _with_their_list(keys, gone, subheadings, headings)
    for n, k in enumerate(keys):
        # a heading line goes only where removed items follow it
        if k in headings and not gone[n]:
            nxt = next((m for m in range(n + 1, len(keys)) if keys[m]), None)
            gone[n] = nxt is not None and gone[nxt]
    return [line for line, g in zip(lines, gone, strict=True) if not g]


def _with_their_list(keys: list[str], gone: list[bool], subheadings: frozenset[str], headings: set[str]) -> list[bool]:
    """`gone` where the lines with a text in `subheadings` stay, but those of the contents list itself: the run
    of removed lines (and sidebar headings; blank lines aside) holding the most of those texts that the story
    has twice. A text the story has once is the subheading itself (the list is not in the lines), and two
    subheadings in a row are no list (an <h2> right above an <h3>, both in the contents: hostile probe)."""
    shown = [n for n, k in enumerate(keys) if k]
    run_of: dict[int, int] = {}
    run = -1
    for i, n in enumerate(shown):
        if gone[n] or keys[n] in headings:
            if i == 0 or shown[i - 1] not in run_of:
                run += 1
            run_of[n] = run
    candidates = [n for n in shown if gone[n] and keys[n] in subheadings]
    twice = {k for k, c in Counter(keys[n] for n in candidates).items() if c > 1}
    per_run = Counter(run_of[n] for n in candidates if keys[n] in twice)
    contents = max(per_run, key=lambda r: (per_run[r], -r)) if per_run else None
    out = list(gone)
    for n in candidates:
        out[n] = run_of[n] == contents
    return out


_IN_PAGE_LINKS = etree.XPath('//body//a[starts-with(normalize-space(@href), "#") and string-length(@href) > 1]')
_WITH_ID = etree.XPath("//*[@id]")  # in C: most elements carry no id


def contents_targets(root: etree._Element) -> frozenset[str]:
    """The texts (as `remove_sidebar_lines` compares them) of links to a place on this page that is a heading
    element or inside one: a table of contents' entries, whose texts the story repeats as subheadings. A link
    to another container (an infinite-scroll page's next `<article>`, an annex) is not one: there the story
    lines with its text are the next article's headline (hoy.com.py in the trafilatura set)."""
    links = _IN_PAGE_LINKS(root)
    if not links:
        return frozenset()
    ids = {el.get("id"): el for el in _WITH_ID(root)}
    out = set()
    for a in links:
        target = ids.get(a.get("href", "").strip()[1:])
        if target is not None and (
            target.tag in SECTION_HEADINGS or any(True for _ in target.iterancestors(*SECTION_HEADINGS))
        ):
            out.add(_key(etree.tostring(a, method="text", encoding="unicode", with_tail=False)))
    return frozenset(out - {""})


def clean_story_lines(
    lines: list[str], sidebars: tuple[Sidebar, ...], *, subheadings: frozenset[str] = frozenset()
) -> list[str]:
    """Story lines without the sidebars' lines, promo/subscribe lines, photo credit and copyright lines
    (credits.is_credit_line) and lone sidebar headings ("Read more:" left behind when the extractor dropped the
    list under it). `subheadings`: see remove_sidebar_lines."""
    lines = remove_sidebar_lines(lines, sidebars, subheadings=subheadings)
    return [
        line
        for line in lines
        if not is_promo_line(line) and not is_credit_line(line) and not is_heading_only(strip_bullet(line))
    ]


_SENTENCE_END = (".", "!", "?", "。", "！", "？", "…", "»", '"', "”", ")")
_MIN_SENTENCE_WORDS = 6
_MAX_RECOVERED_ITEMS = 30
_MAX_MEAN_ITEM_CHARS = 120  # story lists hold short points (case 12: 50-60); measured on the 181 pages
_FULLY_LINKED = 0.9  # share of a paragraph's text inside links: one whole link (case 21)


def recover_lead(
    root: etree._Element, lines: list[str], description: str | None, not_story: set[etree._Element]
) -> list[str]:
    """Put back the standfirst trafilatura left out: a visible block before the story's first paragraph that
    the page itself marks as its summary: it holds exactly the page's description (`<meta name=description>`,
    og:description, JSON-LD; bfn.de: the abstract field above the body), or it carries schema.org
    `itemprop="description"` (computerbild.de: the intro under the headline). Never a block inside a detected
    sidebar, a link, navigation or footer, nor one whose text the story already has, nor one inside a `<header>`
    element: there it is the dek shown with the headline, which the 181-page benchmark's ground truth leaves out
    (7 of the 15 bench pages the unnarrowed rule lost F1 on: nytimes, wired, zdnet, dealbreaker; issue 11).

    Returns `lines` with the lead inserted before the first paragraph, or `lines` unchanged.
    """
    at = next((n for n, line in enumerate(lines) if _is_sentence(_squash(line))), None)
    if at is None:
        return lines
    story = " ".join(_squash(line) for line in lines)
    first = _squash(lines[at])[:40]  # the first paragraph: the headline line above it does not count
    lead = _squash(description or "").rstrip(".…").rstrip()
    key = lead[:40] if len(lead.split()) >= _MIN_SENTENCE_WORDS and _fingerprint(lead) not in story else None
    marked = set(_MARKED_SUMMARY(root))
    word = lead.split()[0] if key else "\x00"
    for el in root.iter(_LEAD_BLOCKS):
        text = el.text
        if el in marked:
            block = _squash(_element_text(el))
        elif not text or (word not in text and first[:8] not in text):
            continue  # cheap test first: most blocks hold neither
        elif key and key in " ".join(text.split()):
            block = _squash(_element_text(el))
            if block.rstrip(".…").rstrip() != lead:
                continue
        elif first and first in " ".join(text.split()):
            return lines  # the story starts before any block that sums it up
        else:
            continue
        if _in_header(el):
            return lines  # the page shows its summary as the dek in the headline's <header>, not as story text
        if _is_sentence(block) and _fingerprint(block) not in story and _is_shown(el, not_story):
            return [*lines[:at], block, *lines[at:]]
    return lines


def recover_marked_lists(root: etree._Element, lines: list[str], not_story: set[etree._Element]) -> list[str]:
    """Put back a list the page marks item by item as the story's own with schema.org microdata
    (`itemprop="recipeIngredient"`: nestle-family.com's ingredient list in a tab beside the steps, which
    trafilatura leaves out). Items already in the story, or inside a detected sidebar, are not added; a list
    shown twice (desktop and mobile tabs) comes back once. Inserted before the first paragraph.
    """
    items = [el for el in _MARKED_ITEMS(root) if _is_shown(el, not_story)]
    if not items:
        return lines
    story = " ".join(_squash(line) for line in lines)
    texts = list(dict.fromkeys(t for t in (_squash(_element_text(el)) for el in items) if t and t not in story))
    if not texts or len(texts) > _MAX_RECOVERED_ITEMS:
        return lines
    at = next((n for n, line in enumerate(lines) if _is_sentence(_squash(line))), len(lines))
    return [*lines[:at], *(f"- {t}" for t in texts), *lines[at:]]


_MARKED_ITEMS = etree.XPath('//body//li[@itemprop="recipeIngredient"]')
_LEAD_BLOCKS = ("p", "div", "span", "h2", "h3", "section", "strong")
_MARKED_SUMMARY = etree.XPath('//body//*[@itemprop="description"][not(self::meta)]')


def _is_shown(el: etree._Element, not_story: set[etree._Element]) -> bool:
    return el not in not_story and not any(a.tag in ("a", "nav", "footer") for a in el.iterancestors())


def _in_header(el: etree._Element) -> bool:
    return any(a.tag == "header" for a in el.iterancestors())


def _is_sentence(text: str) -> bool:
    return text.endswith(_SENTENCE_END) and len(text.split()) >= _MIN_SENTENCE_WORDS


def recover_dropped_blocks(root: etree._Element, lines: list[str], not_story: set[etree._Element]) -> list[str]:
    """Put back the story's own blocks that trafilatura dropped from between two paragraphs it kept: a list
    whose items are not links (shared case 12: a `<ul>` right under `<body>`) and a paragraph that is one whole
    link but reads as a sentence (case 21). Only siblings lying between kept paragraphs of the same parent
    qualify, never elements in `not_story` (the detected sidebars), so the story container stays trafilatura's.

    Also the container's loose leading text (`_leading_text`) and, just before a container, a note or a lead
    written as the top photo's caption (`_notes_before`).

    `lines` are trafilatura's story lines; returns them with the recovered lines inserted in page order.
    """
    index = {_squash(line): n for n, line in enumerate(lines) if line.strip()}
    joined = " ".join(index)
    anchors: dict[etree._Element, list[tuple[int, int]]] = {}  # parent -> [(child position, line index)]
    for p in root.iter("p"):
        n = index.get(_squash(_element_text(p)))
        parent = p.getparent()
        if n is not None and parent is not None:
            anchors.setdefault(parent, []).append((parent.index(p), n))
    inserts: list[tuple[int, int, list[str]]] = []
    beside: set[etree._Element] = set()  # notes already taken (two containers may share an ancestor's sibling)
    for parent, first_line in _containers(root, index, anchors).items():
        lead = _leading_text(parent, not_story, index)
        if lead and _fingerprint(lead) not in joined:
            inserts.append((first_line - 1, -1, [lead]))
        for el, text in _notes_before(parent, not_story):
            if el not in beside and text not in index and _fingerprint(text) not in joined:
                beside.add(el)
                inserts.append((first_line - 1, -2, [text]))
    for parent, kept in anchors.items():
        if len(kept) < 2:
            continue
        kept.sort()
        for (pos, line_no), (nxt, _) in itertools.pairwise(kept):
            for offset, el in enumerate(parent[pos + 1 : nxt]):
                recovered = _recoverable(el, not_story, index)
                if recovered and not any(_fingerprint(r) in joined for r in recovered):
                    inserts.append((line_no, offset, recovered))
    if not inserts:
        return lines
    out = list(lines)
    for line_no, _, recovered in sorted(inserts, reverse=True):
        out[line_no + 1 : line_no + 1] = recovered
    return out


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _containers(
    root: etree._Element, index: dict[str, int], anchors: dict[etree._Element, list[tuple[int, int]]]
) -> dict[etree._Element, int]:
    """Story containers: parents with two or more kept paragraphs or subheadings -> the first kept line's index."""
    kept = {parent: [n for _, n in lines] for parent, lines in anchors.items()}
    for h in root.iter(_HEADINGS):
        n = index.get(_squash(_element_text(h)))
        parent = h.getparent()
        if n is not None and parent is not None:
            kept.setdefault(parent, []).append(n)
    return {parent: min(lines) for parent, lines in kept.items() if len(lines) >= 2}


# A note before the story: the block right before the story container (or one of its first ancestors)
# that the page marks as a note, by a class/id word or by setting its whole text in italics, and that holds a
# link: "This post originally appeared on <a>Grist</a>." (salon.com, p.editors_note before the <article>), "<em>Bu
# yazının Türkçe'sini <a>buradan okuyabilirsiniz</a>.</em>" (wikimediafoundation.org). Or a lead written as the
# caption of the story's top photo, longer than any photo caption (elmostrador.cl: two sentences, 110 words):
# trafilatura strips every <figure> when images are off. Labelled set, issue 11.
_NOTE_MARKS = frozenset({"note", "notes", "editorsnote", "editornote", "nota", "hinweis", "anmerkung"})
_EMPHASIS = ("em", "i")
_NOT_NOTE = ("img", "picture", "figure", "video", "iframe", "svg")  # a media block's caption or credit is no note
_NOTE_MAX_CHARS = 250
_RAW_PER_CHAR = 4
_MIN_NOTE_WORDS = 3
_MIN_LEAD_CAPTION_WORDS = 40  # furniture._KIND_MAX: captions are at most 150 characters (about 25 words)
_CLIMB = 3  # the container and this many ancestors (elmostrador: the figure is the sibling two levels up)
_SKIPPED = ("script", "style", "noscript", "template")
_SENTENCE_BREAK = re.compile(r"[.!?。！？]\s+(\S)")  # a sentence's end, then another's capital


def _notes_before(parent: etree._Element, not_story: set[etree._Element]) -> list[tuple[etree._Element, str]]:
    """(element, text) for the notes and lead captions just before a story container: at each level from the
    container up `_CLIMB` ancestors, the nearest preceding sibling with text, when it is one. Reads a few
    siblings, never the page. Only before: the blocks this finds after stories on the real sets were calls
    ("Join our Space Forums…", space.com) and a paywall notice (link.springer.com), none a story line."""
    found = []
    el: etree._Element | None = parent
    for _ in range(_CLIMB + 1):
        if el is None or el.tag in ("body", "html") or el in not_story:
            break
        sibling = next((s for s in el.itersiblings(preceding=True) if _has_text(s)), None)
        if sibling is not None and sibling not in not_story:
            text = _note_text(sibling) or _lead_caption(sibling)
            if text:
                found.append((sibling, text))
        el = el.getparent()
    return found


def _has_text(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag not in _SKIPPED and any(t.strip() for t in el.itertext())


def _note_text(el: etree._Element) -> str | None:
    """The text of a block the page marks as a note (a `_NOTE_MARKS` class/id word on it or inside it, or its
    whole text in italics) that holds a link and reads as one short sentence; None for anything else, and for
    any block holding media (its caption or credit). A longer block is given up at its `_NOTE_MAX_CHARS`th
    character, so a large sibling (a header, a whole column) costs no more than a note."""
    if el.tag != "a" and el.find(".//a") is None:
        return None
    text = _short_text(el, _NOTE_MAX_CHARS)
    if not text or not _is_note_sentence(text):
        return None
    marked = False
    for d in el.iter():
        if not isinstance(d.tag, str):
            continue
        if d.tag in _NOT_NOTE:
            return None
        marked = marked or not _NOTE_MARKS.isdisjoint(class_words(d.get("class") or "", d.get("id") or ""))
    if not marked:  # italics: the outermost <em>/<i> elements hold the whole text
        outer = [e for e in el.iter(_EMPHASIS) if not any(True for _ in e.iterancestors(_EMPHASIS))]
        marked = bool(outer) and _squash(" ".join(_element_text(e) for e in outer)) == text
    return text if marked else None


def _short_text(el: etree._Element, limit: int) -> str | None:
    """The element's text, whitespace collapsed, or None once it runs past `limit` characters (read no further
    than `_RAW_PER_CHAR` times `limit` characters of raw text: markup indentation, not a note's)."""
    parts, size = [], 0
    for part in el.itertext():
        size += len(part)
        if size > _RAW_PER_CHAR * limit:
            return None
        parts.append(part)
    text = _squash("".join(parts))
    return text if len(text) <= limit else None


def _is_note_sentence(text: str) -> bool:
    """One sentence: two are a disclosure or a call ("This post may contain affiliate links. Please see my
    disclosure page.": theantijunecleaver.com, two 181-benchmark pages whose ground truth leaves it out)."""
    return (
        text.endswith(_SENTENCE_END)
        and not any(m.group(1).isupper() for m in _SENTENCE_BREAK.finditer(text))
        and len(text.split()) >= _MIN_NOTE_WORDS
        and not is_promo_line(text)
        and split_inline_heading(text) is None
        and not is_heading_only(text)
    )


def _lead_caption(el: etree._Element) -> str | None:
    if el.tag != "figure":
        return None
    caption = el.find(".//figcaption")
    text = _squash(_element_text(caption)) if caption is not None else ""
    if len(text.split()) < _MIN_LEAD_CAPTION_WORDS or not text.endswith(_SENTENCE_END):
        return None
    return text


def _leading_text(parent: etree._Element, not_story: set[etree._Element], index: dict[str, int]) -> str | None:
    """The loose text a story container holds before its first child (IGN: the intro paragraph as the
    container's own text, then `<p/>`): trafilatura reads children and their tails, never this text."""
    text = _squash(parent.text or "")
    if (
        parent in not_story
        or text in index
        or not text.endswith(_SENTENCE_END)
        or len(text.split()) < _MIN_SENTENCE_WORDS
        or is_promo_line(text)
        or split_inline_heading(text) is not None
    ):
        return None
    return text


def _recoverable(el: etree._Element, not_story: set[etree._Element], index: dict[str, int]) -> list[str]:
    if not isinstance(el.tag, str) or el in not_story:
        return []
    if el.tag in ("ul", "ol"):
        items = list(el.iterchildren("li"))
        if not items or len(items) > _MAX_RECOVERED_ITEMS or any(li in not_story for li in items):
            return []
        texts = [_squash(_element_text(li)) for li in items]
        linked = sum(len(_element_text(a)) for li in items for a in li.iter("a"))
        if linked * 2 >= sum(map(len, texts)) or any(t in index for t in texts):
            return []  # a list of links is navigation or teasers; a list partly kept was handled by trafilatura
        if sum(map(len, texts)) > _MAX_MEAN_ITEM_CHARS * len(texts):
            return []  # long items: image captions or teaser blurbs laid out as a list
        return [f"- {t}" for t in texts if t]
    if el.tag == "p":
        text = _squash(_element_text(el))
        linked = sum(len(_squash(_element_text(a))) for a in el.iter("a"))
        if (
            text
            and linked >= _FULLY_LINKED * len(text)
            and text not in index
            and text.endswith(_SENTENCE_END)
            and len(text.split()) >= _MIN_SENTENCE_WORDS
            and not is_promo_line(text)
            and split_inline_heading(text) is None
        ):
            return [text]
    return []


def _fingerprint(line: str) -> str:
    """A piece of a recovered line that shows it is already in the story (trafilatura may have kept the text
    in another shape: joined to a neighbour, split at a line break)."""
    text = strip_bullet(line)
    return text[len(text) // 3 : len(text) // 3 + 40]


def _squash(text: str) -> str:
    """Whitespace collapsed: how a block's text and trafilatura's line for it compare (cheaper than
    normalize_line, which the pipeline applies to every line afterwards)."""
    return " ".join(text.split())


def _element_text(el: etree._Element) -> str:
    text: str = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    return text
