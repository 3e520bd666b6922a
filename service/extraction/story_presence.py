"""Whether an extraction found a story at all: the one rule that refuses a record without story text.

A record is an article only when its body holds story text: at least one paragraph that is not navigation.
Refused with ExtractionError `no_content` (never a `done` record that only looks right):
- no body: nothing at all, or a headline alone (a one-line wire text; a page with a title and no story text),
  or paragraphs without one letter or digit ("!!! ???", a row of emoji);
- a body of navigation only (`<nav>News Sport</nav>`, a row of links): text the page itself presents as
  navigation, that is inside a link (<a>), or inside <nav> or <menu> but not in a paragraph (<p>) there.

A paragraph is navigation when its letters and digits, in order, are a run of the page's navigation texts'
letters and digits, read in document order (so `<a>News</a> | <a>Sport</a>` gives "News | Sport", navigation;
"The bridge opens, the mayor said" around a link to "mayor" is not). Measured on the 1,171 real pages under
../shared/benchmarks (benchmarks/RESULTS.md, "Input without a story"): every one has a body with story text
(the first paragraph on 1,109, a later one on 62: a breadcrumb or menu line first), so no record changes;
the check costs about 1% of the pipeline's time per page.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from .types import ExtractionError, ExtractionErrorType

# The page's navigation text nodes, each once, in document order (an XPath union is a node set): any text in a
# link, and text in a <nav> or <menu> outside <p> (a <nav> left open by broken markup holds the story's
# paragraphs: two of the 1,171 real pages, fifplay.com.settings and rhein-neckar-loewen.de-vorverkauf, would
# fail without that exception). Tag names only: an @role test on every element tripled the query's cost (0.5
# -> 1.5 ms per page, every 10th eval page), and a role=navigation block's entries are links anyway.
_NAVIGATION = etree.XPath("//a//text() | //nav//text()[not(ancestor::p)] | //menu//text()[not(ancestor::p)]")
_NOT_LETTERS = re.compile(r"[\W_]+")


def require_story(paragraphs: list[str], root: etree._Element | None = None, *, title: str | None = None) -> None:
    """Raise ExtractionError(no_content) unless `paragraphs` (the record's body, normalised lines, headline
    already taken out; blank ones count as none) hold story text; return None when they do.

    `root` is the parsed page (None for plain text: no navigation to tell apart); `title` only words the
    detail ("a headline but no story text"). A paragraph counts only with a letter or digit in it. The check
    stops at the first story paragraph."""
    if not any(_letters(p) for p in paragraphs):  # none, or only punctuation, symbols and emoji
        if title:
            where = "the page has" if root is not None else "the text has"
            raise ExtractionError(ExtractionErrorType.NO_CONTENT, f"{where} a headline but no story text")
        raise ExtractionError(ExtractionErrorType.NO_CONTENT, "no article text could be found")
    if root is None:
        return
    navigation = _navigation_letters(root)
    for paragraph in paragraphs:
        letters = _letters(paragraph)
        if letters and letters not in navigation:
            return
    raise ExtractionError(
        ExtractionErrorType.NO_CONTENT, "the page's only text is navigation (menus and links), not a story"
    )


def _letters(text: str) -> str:
    """`text`'s letters and digits only, NFC and case-folded: how paragraphs and navigation are compared."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFC", text)).casefold()


def _navigation_letters(root: etree._Element) -> str:
    """The letters and digits of the page's navigation text (_NAVIGATION), in document order, as one string."""
    return _letters("".join(_NAVIGATION(root)))
