"""Author names: cleaning bylines, and finding the byline in the story region (never in a sidebar or teaser).

Cleaning drops "By"/"Von"/"Por"/"Par"/"Posted by"/"Analysis by"/"View all posts by", @handles, e-mail addresses,
dates and times, and parts that name the site or an outlet ("CNN", "Fox News"); it splits "A, B and C" into names.
"""

from __future__ import annotations

import re

from lxml import etree

from .metadata_region import outside_story
from .text import normalize_line

MAX_AUTHORS = 20
_MAX_NAME_CHARS = 80
_MAX_BYLINE_NODES = 400  # byline candidates looked at per page (bounded time on pages with 500+ author elements)
_LEAD_WORDS = (
    r"(?:(?:view|see) all (?:posts|articles|stories) by|more (?:articles|stories) by|posted by|written by|"
    r"published by|submitted by|article by|story by|reported by|(?:eine )?analyse von|(?:an )?analysis by|text|"
    r"autor(?:in)?|author|by|von|por|par|di|от|автор|муаллиф)"
)
_LEAD = re.compile(rf"(?i)^{_LEAD_WORDS}\s*:?(?:\s+|$)")
_LEAD_ONLY = re.compile(rf"(?i)^{_LEAD_WORDS}\s*:?$")
# A timestamp's label ("Updated", "Published", "Aktualisiert" ...): it ends a byline piece ("Jane Doe Updated
# 2 hours ago": _TRAILING) and is no name standing alone after the byline ("@handle", "Updated", "Jul 24, 2018":
# videos-1 of mozilla/readability's pages; Drupal's "Submitted on Mon, <date>": thai_article of newspaper4k's)
_TIMESTAMP_LABELS = (
    r"(?:last )?(?:updated|published|posted|modified|submitted)|veröffentlicht|aktualisiert|geändert|publicado|"
    r"actualizado|publié|mis à jour|опубликовано|обновлено|обновлён"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"  # what a date leaves of "on Mon, 01/02/2023"
_TRAILING = re.compile(rf"(?i)\s+(?:on {_WEEKDAY}\b|{_TIMESTAMP_LABELS})\b.*$")
_HANDLE_ONLY = re.compile(r"^@\w[\w.]*$")  # "@aprilroach28" between two names ends the first one
_SEPARATOR_ONLY = re.compile(r"(?i)^(?:[,/&|;·•]|and|und|y|et|и)$")
_BYLINE_SCAN = 30  # text pieces after the headline looked at for a byline
_HANDLE = re.compile(r"@\w[\w.]*|\S+@\S+\.\w+|https?://\S+|\([^)]*\)")
_DATE_OR_TIME = re.compile(
    r"(?i)\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{4})\b.*$"
)
_SPLIT = re.compile(r"\s*(?:;|,|/|\||\s+and\s+|\s+und\s+|\s+y\s+|\s+et\s+|\s+и\s+|\s+&\s+)\s*")
_CREDENTIAL = re.compile(r"^(?:[A-Z]{1,4}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")
_NOT_A_NAME = re.compile(
    r"(?i)^(?:staff|admin|administrator|redacción|redaktion|editorial staff|editor|"
    r"contributor|guest|anonymous|unknown|null|none|\d+ min(?:ute)?s? read|share|comments?|"
    rf"(?:{_TIMESTAMP_LABELS})(?: on| at)?(?: {_WEEKDAY})?)$"
)
# tags inside an author value: JSON-LD "name": "<a href=\"/pl/eksperci/…\">Mateusz Gniazdowski</a>" (osw.waw.pl)
_MARKUP = re.compile(r"<[^<>]*>")
# "and X" left at the start of a part, the name before it having gone with its parenthesis or tag
_LEADING_JOIN = re.compile(r"^(?:and|und|y|et|и|&)\s+")  # lowercase: a join, not a name's initial
# The class tests only on elements with a class (libxml2 builds a string for each test, absent attribute or not;
# two to four times faster on the real pages, same elements).
_BYLINE_XPATH = etree.XPath(
    "//*[@rel='author' or @itemprop='author' or (@class and (contains(@class, 'byline')"
    " or contains(@class, 'author-name') or contains(@class, 'article-author') or contains(@class, 'author_name')"
    " or @class='author' or contains(@class, 'post-author')))]"
)


def clean_names(raw: str | list[str] | None, site_names: tuple[str, ...] = ()) -> list[str]:
    """A byline string (or a list of them) to clean person/outlet names, in order, without repeats.

    `site_names` are names of the site itself (og:site_name, host label) that are never authors."""
    values = raw if isinstance(raw, list) else [raw]
    sites = {s.casefold() for s in site_names if s}
    out: list[str] = []
    for value in values[: MAX_AUTHORS * 5]:
        if not isinstance(value, str):
            continue
        text = _HANDLE.sub(" ", _MARKUP.sub(" ", normalize_line(value)[:500])).strip(" -–—|:·•")
        led = _LEAD.sub("", text)
        if led != text and _goes_on_as_a_sentence(led):
            continue  # "By clicking Submit, you agree…", "Por qué Jerusalén…": prose, not a byline
        text = led
        text = _TRAILING.sub("", _DATE_OR_TIME.sub("", text))
        for part in _SPLIT.split(text):
            name = _LEADING_JOIN.sub("", _LEAD.sub("", part.strip(" -–—|:·•,()")).strip(" -–—|:·•,()"))
            name = " ".join(name.split())  # a tag or a handle taken out of the middle leaves its spaces
            if _plausible(name) and name not in out:
                out.append(name)
    people = [name for name in out if not _is_site(name, sites)]
    return (people or out)[:MAX_AUTHORS]  # "Jill Disis, CNN Business" -> the person; a site-only byline stays


def only_the_site(names: list[str], site_names: tuple[str, ...]) -> bool:
    """True when every name in `names` is the site itself ("Snopes" on snopes.com, "Sky" for "Sky News"): such a
    byline is kept only when no source names a person (metadata._authors)."""
    sites = {s.casefold() for s in site_names if s}
    return bool(names) and all(_is_site(name, sites) for name in names)


# Lowercase words that open a person's name ("van Gogh", "de la Cruz", "al-Hassan", "d'Alembert")
_PARTICLES = frozenset(
    {"van", "von", "de", "da", "di", "del", "della", "der", "den", "du", "dos", "das", "la", "le", "bin", "ibn"}
    | {"al", "el", "ter", "ten", "zu", "zur", "vom", "af", "av", "ben", "d"}
)
_PARTICLE_PART = re.compile(r"[-'’]")


def _goes_on_as_a_sentence(rest: str) -> bool:
    """True when what follows a byline word ("By", "Por", "Von", "От") is a sentence: its first part (up to the
    first separator) is several words opening with a lowercase word that is no name particle ("clicking "Submit",
    "qué Jerusalén está dividida en occidental"), after a join that continues the byline word ("Text und Interview:
    …" stays a byline). One word stays a name ("Von dpa und Anna Berg"). Without this,
    a later part of the sentence survived as a name: "oriental" from "… en occidental y oriental" (la-nacion),
    '" you agree to the' (tmz-1; both mozilla/readability's test pages)."""
    words = _SPLIT.split(_LEADING_JOIN.sub("", rest), maxsplit=1)[0].split()  # "Autorin und Netzphilosophin …"
    return len(words) > 1 and words[0][0].islower() and _PARTICLE_PART.split(words[0])[0] not in _PARTICLES


def _plausible(name: str) -> bool:
    """A person's or an outlet's name: 1-6 words, no digit, not a role or a label (_NOT_A_NAME). Several words
    opening with a lowercase word that is no name particle are a phrase ("a deputy editor", "other outlets."
    from a bio after the byline: theverge in mozilla/readability's pages); one lowercase word stays ("dpa"). A
    name written all in lowercase ("bell hooks") is lost by that rule: on the 1,266 real pages, every such
    multi-word "name" was a phrase of the text ("seinem Vorgänger unterscheidet", "providing a").
    Needs a letter, and a word that is not a particle."""
    if not name or len(name) > _MAX_NAME_CHARS or _CREDENTIAL.match(name) or _NOT_A_NAME.match(name):
        return False
    words = name.split()
    if len(words) > 1 and words[0][0].islower() and _PARTICLE_PART.split(words[0])[0] not in _PARTICLES:
        return False
    if not any(ch.isalpha() for ch in name) or all(_PARTICLE_PART.split(w)[0] in _PARTICLES for w in words):
        return False  # "< >" left of markup, "van de" alone
    return 1 <= len(words) <= 6 and not any(ch.isdigit() for ch in name)


def _is_site(name: str, sites: set[str]) -> bool:
    folded = name.casefold()
    return any(folded == s or (len(s) >= 3 and (s in folded or folded in s)) for s in sites)


def story_byline(root: etree._Element, site_names: tuple[str, ...] = ()) -> list[str]:
    """Names from the first byline-marked elements (rel/itemprop=author, class *byline*/*author*) that are in
    the story region: not inside aside/nav/footer or a container whose class/id says sidebar, related,
    latest, teaser, comments... Only the first group (elements sharing the first one's container) counts."""
    first_parent = None
    names: list[str] = []
    for count, el in enumerate(_BYLINE_XPATH(root)):
        if count >= _MAX_BYLINE_NODES:
            break
        if outside_story(el):
            continue
        container = _container(el)
        if first_parent is None:
            first_parent = container
        elif container is not first_parent:
            break
        names.extend(clean_names(el.text_content(), site_names))
    return list(dict.fromkeys(names))[:MAX_AUTHORS]


def visible_byline(pieces: list[tuple[etree._Element, str]], site_names: tuple[str, ...] = ()) -> list[str]:
    """The byline as a reader sees it right after the headline: "By NAME" (a line of at most 160 characters),
    or a lone "By"/"Por:"/"Article by" followed by name pieces ("A", ",", "B"; an "@handle" piece separates too).
    `pieces`: (element, text) after the headline, in the story region
    (metadata_region.pieces_after)."""
    collected: list[str] = []
    state = "scan"  # scan -> (lead) -> name -> (name) -> separator -> (separator) -> name ...
    for _el, piece in pieces[:_BYLINE_SCAN]:
        if state == "scan":
            if _LEAD_ONLY.match(piece):
                state = "name"
            elif _LEAD.match(piece) and len(piece) <= _MAX_NAME_CHARS * 2:  # longer: prose opening with "Von"
                names = clean_names(piece, site_names)
                if names:
                    return names
            continue
        if state != "scan" and _HANDLE_ONLY.match(piece):
            state = "name"
            continue
        if state == "separator":
            if _SEPARATOR_ONLY.match(piece):
                state = "name"
                continue
            break
        names = clean_names(piece, site_names) if len(piece) <= _MAX_NAME_CHARS * 2 else []
        if not names:
            break
        collected.extend(names)
        state = "separator"
    return list(dict.fromkeys(collected))[:MAX_AUTHORS]


# path segments of links to an author's page ("/author/tom-gillespie-726", "/user/profile/rmonge", "/autor/x")
_AUTHOR_PAGE_SEGMENTS = frozenset(
    {
        "author",
        "authors",
        "autor",
        "autoren",
        "autores",
        "auteur",
        "auteurs",
        "profile",
        "people",
        "journalist",
        "journalists",
        "reporter",
        "reporters",
        "staff",
    }
)


def linked_byline(pieces: list[tuple[etree._Element, str]], site_names: tuple[str, ...] = ()) -> list[str]:
    """Names of the first links to an author's page right after the headline (a byline shown without "By":
    `<a href="/author/tom-gillespie-726">Tom Gillespie</a>`); consecutive author links (with separators or
    @handles between) form one byline. `pieces` as for visible_byline."""
    collected: list[str] = []
    for el, piece in pieces[:_BYLINE_SCAN]:
        if el.tag == "a" and _links_to_author_page(el.get("href")) and piece == normalize_line(el.text_content()):
            collected.extend(name for name in clean_names(piece, site_names) if name not in collected)
        elif collected and not (_SEPARATOR_ONLY.match(piece) or _HANDLE_ONLY.match(piece)):
            break
    return [] if only_the_site(collected, site_names) else collected[:MAX_AUTHORS]


def _links_to_author_page(href: str | None) -> bool:
    if not href:
        return False
    path = href.split("?")[0].split("#")[0]
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    return any(segment.casefold() in _AUTHOR_PAGE_SEGMENTS for segment in path.split("/")[:-1])


def _container(el: etree._Element) -> etree._Element:
    """The byline's block: the nearest ancestor that holds more than the byline itself."""
    node = el
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        if len(node) > 1:
            break
    return node
