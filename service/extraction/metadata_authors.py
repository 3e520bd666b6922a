"""Author names: cleaning bylines, and finding the byline in the story region (never in a sidebar or teaser).

Cleaning drops "By"/"Von"/"Por"/"Par"/"Posted by"/"Analysis by"/"View all posts by", @handles, e-mail addresses,
dates and times, and parts that name the site or an outlet ("CNN", "Fox News"); it splits "A, B and C" into names.
No name is: a form's or a control's label ("E-Mail", "Text vorlesen"), a sentence or a price after a byline word,
a publisher's address ("SPIEGEL ONLINE, Hamburg, Germany"), a fragment of a split entity, and, in bylines read
off the page (not in declared JSON-LD or meta authors), a lone weekday or month name ("Wednesday").
"""

from __future__ import annotations

import html.entities
import re

import pytz
from lxml import etree

from .metadata_dates import is_calendar_abbreviation, is_calendar_word
from .metadata_region import outside_story
from .text import normalize_line

MAX_AUTHORS = 20
_MAX_NAME_CHARS = 80
_MAX_BYLINE_NODES = 400  # byline candidates looked at per page (bounded time on pages with 500+ author elements)
_BY_WORDS = (
    r"(?:(?:view|see) all (?:posts|articles|stories) by|more (?:articles|stories) by|posted by|written by|"
    r"published by|submitted by|article by|story by|reported by|(?:eine )?analyse von|(?:an )?analysis by|"
    r"(?:last )?(?:updated|modified|posted) by|publicado por|actualizado por|publié par|mis à jour par|"
    r"veröffentlicht von|aktualisiert von|by|von|por|par|di|от)"
)
# Label words lead a byline with their colon ("Text: Anna Berg", "Autor: …") or before a capital ("Author Bo");
# before a lowercase word they open a control's caption: "Text vorlesen" (read aloud, finanztreff.de), "Autor
# kontaktieren" (motorsport-total.com); see _without_lead
# "Text und Fotos:"; Georgian, Armenian, Azerbaijani, Uzbek (Latin), Turkish and Mongolian words for "author" too
_LABEL_WORDS = (
    r"(?:text|autor(?:in)?|author|автор|муаллиф|ავტორი|հեղինակ|müəllif|muallif|yazar|зохиогч)"
    r"(?:\s+(?:und|and|&)\s+\w+)?"
)
_LEAD_WORDS = rf"(?:{_BY_WORDS}|{_LABEL_WORDS})"
_LEAD = re.compile(rf"(?i)^(?:{_BY_WORDS}\s*:?|(?P<label>{_LABEL_WORDS})\s*(?P<colon>:)?)(?:\s+|$)")
_BY = re.compile(rf"(?i)^\W*{_BY_WORDS}\s*:?\s+")
_LEAD_ONLY = re.compile(rf"(?i)^{_LEAD_WORDS}\s*:?$")
# A timestamp's label ("Updated", "Published", "Aktualisiert" ...): it ends a byline piece ("Jane Doe Updated
# 2 hours ago": _TRAILING) and is no name standing alone after the byline ("@handle", "Updated", "Jul 24, 2018":
# videos-1 of mozilla/readability's pages; Drupal's "Submitted on Mon, <date>": thai_article of newspaper4k's)
_TIMESTAMP_LABELS = (
    r"(?:last )?(?:updated|published|posted|modified|submitted)|veröffentlicht|aktualisiert|geändert|publicado|"
    r"actualizado|publié|mis à jour|опубликовано|обновлено|обновлён"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"  # what a date leaves of "on Mon, 01/02/2023"
# also at the start: "Last Updated January 7" (spiceworks in mozilla/readability's pages) left "Last"
_TRAILING = re.compile(rf"(?i)(?:^|\s+)(?:on {_WEEKDAY}\b|{_TIMESTAMP_LABELS})\b.*$")
_HANDLE_ONLY = re.compile(r"^@\w[\w.]*$")  # "@aprilroach28" between two names ends the first one
_SEPARATOR_ONLY = re.compile(r"(?i)^(?:[,/&|;·•]|and|und|y|et|и)$")
_BYLINE_SCAN = 30  # text pieces after the headline looked at for a byline
_HANDLE = re.compile(r"@\w[\w.]*|\S+@\S+\.\w+|https?://\S+|\([^)]*\)")
_DATE_OR_TIME = re.compile(
    r"(?i)\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{4})\b.*$"
)
# A reading-time label with its figure, anywhere in a byline ("| Lesedauer: 8 Minuten Melanie Wassink" on
# abendblatt.de, "José Miguel Wilson Tiempo de lectura: 3 min" on latercera.com)
_READING_TIME = re.compile(
    r"(?i)(?:lesedauer|lesezeit|tiempo de lectura|reading time|temps de lecture|tempo di lettura|время чтения)"
    r"\s*:?\s*(?:ca\.?\s*)?(?:\d+\s*(?:min(?:uten|utes?|utos|uti|\.)?)?)?|\b\d+\s*min(?:ute)?s?\.?\s+read\b"
)


# a preposition a removed date or time leaves at the end ("Von Jörn Mecher am 08.12.2022", "… said, on August 3")
_DANGLING = re.compile(r"[\s,]+(?:on|at|am|um|le|el|il|в)\s*$")  # lowercase: "Minh Le", "Jiwon Um" are names
# a date or time opening the text, with "Uhr" and a separator after it ("10:45 Uhr | Anna Berg", "12.03.2024 ·")
_LEADING_STAMP = re.compile(
    r"(?i)^\W*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)(?:\s*uhr)?[\s|·•,–—-]*"
)


def without_timestamps(text: str) -> str:
    """`text` less its dates and times (those opening it, and any later one with all after it), its timestamp
    labels ("Updated …", not "Posted by" opening it) and reading times ("Lesedauer: 8 Minuten"): what a byline
    element holds besides names."""
    text = _READING_TIME.sub(" ", text)
    for _ in range(3):  # "12.03.2024 10:45 | Anna Berg": each stamp before the name, not all after it
        text = _LEADING_STAMP.sub("", text, count=1)
    by = _BY.match(text)
    head, text = (text[: by.end()], text[by.end() :]) if by else ("", text)
    undated = _DATE_OR_TIME.sub("", text)
    if undated != text:  # "posted by Stadler at 12:53" (internet-law.de); "By Thomas Stadler at" is a cut sentence
        undated = _DANGLING.sub("", undated)
    return head + _TRAILING.sub("", undated)


# parts of a byline: names, an outlet; a spaced middle dot or bullet too ("Pete Evans · CBC News" on cbc.ca), not
# the unspaced one inside Catalan words ("Marcel·lí")
_SPLIT = re.compile(r"\s*(?:;|,|/|\||\s+and\s+|\s+und\s+|\s+y\s+|\s+et\s+|\s+и\s+|\s+&\s+|\s+[·•]\s+)\s*")
_AGENCY = re.compile(r"^[A-Z]{2,5}$")  # "AP", "AFP", "PTI", "TASS": an agency's acronym (no name by _CREDENTIAL)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{1,4}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")
_NOT_A_NAME = re.compile(
    r"(?i)^(?:staff|admin|administrator|redacción|redaktion|editorial staff|editor|"
    r"contributor|guest|anonymous|unknown|null|none|\d+ min(?:ute)?s? read|share|comments?|"
    # a form's or a widget's labels taken for a byline: "E-Mail" after "von Dennis Ziesecke |" (mixed.de), "Name"
    # and "Datum" (comment forms), "User", "publisher", "Follow Author" (royal-road), "Unbenannt" ("untitled")
    r"e-?mail|mail|name|datum|date|user|publisher|follow(?: author| us)?|untitled|unbenannt|"
    # "Text Size" (a font-size control after the byline: aol.com, cnbc.com), "View Author Page" (a link to the
    # author's page: techcrunch.com; goose3's test pages)
    r"size|(?:view )?author(?:'s)? (?:page|profile)|view profile|"
    rf"(?:{_TIMESTAMP_LABELS})(?: on| at)?(?: {_WEEKDAY})?)$"
)
# tags inside an author value: JSON-LD "name": "<a href=\"/pl/eksperci/…\">Mateusz Gniazdowski</a>" (osw.waw.pl)
_MARKUP = re.compile(r"<[^<>]*>")
_SENTENCE_END = re.compile(r"(?:^|\s)[a-zà-ÿа-яё][^\W\d_]{4,}\.$")  # "… -vereine." ends a sentence; "Schmidt." no
# "and X" left at the start of a part, the name before it having gone with its parenthesis or tag
_LEADING_JOIN = re.compile(r"^(?:and|und|y|et|и|&)\s+")  # lowercase: a join, not a name's initial
# The class tests only on elements with a class (libxml2 builds a string for each test, absent attribute or not;
# two to four times faster on the real pages, same elements).
_BYLINE_XPATH = etree.XPath(
    "//*[@rel='author' or @itemprop='author' or (@class and (contains(@class, 'byline')"
    " or contains(@class, 'author-name') or contains(@class, 'article-author') or contains(@class, 'author_name')"
    " or @class='author' or contains(@class, 'post-author')))]"
)


def clean_names(raw: str | list[str] | None, site_names: tuple[str, ...] = (), *, declared: bool = False) -> list[str]:
    """A byline string (or a list of them) to clean person/outlet names, in order, without repeats.

    `site_names` are names of the site itself (og:site_name, host label) that are never authors. `declared`: the
    page states these are its authors (JSON-LD, an author meta tag), so a name that is also a weekday or a month
    ("Domingo", "Sunday", "Nisan") is kept; a byline found by reading the page drops such a word."""
    values = raw if isinstance(raw, list) else [raw]
    sites = {s.casefold() for s in site_names if s}
    out: list[str] = []
    agency = False  # the part before was an agency's acronym: a lone word after it is its dateline's place
    for value in values[: MAX_AUTHORS * 5]:
        if not isinstance(value, str):
            continue
        text = _without_address(
            _HANDLE.sub(" ", _MARKUP.sub(" ", normalize_line(value)[:500])).strip(" -–—|:·•"), sites
        )
        led = _without_lead(text)
        if led is None:
            continue  # "Text vorlesen", "Autor kontaktieren": a control's caption
        if led != text and _goes_on_as_a_sentence(led):
            continue  # "By clicking Submit, you agree…", "Por qué Jerusalén…": prose, not a byline
        parts = _SPLIT.split(without_timestamps(led))
        if led != text and _opens_with_prose_or_a_figure(parts[0]):
            continue  # "Von den umliegenden Höfen kaufte der Burgherr …", "por $195/mes": no byline
        if any(_is_entity_name(part.strip()) for part in parts):
            continue  # "Redacci; Oacute; N Diario …": markup split at an entity, no names left to trust
        named = False  # a person named earlier in this value: a later part that ends in a role is theirs
        for part in parts:
            name = _LEADING_JOIN.sub("", _LEAD.sub("", part.strip(" -–—|:·•,()")).strip(" -–—|:·•,()"))
            name = " ".join(_ROLE_AFTER_DASH.sub("", name).split())  # spaces left by a tag or a handle taken out
            if named and _ROLE.search(name):
                continue  # "TOM KRISHER, AP Auto Writer", "Иван Петров, корреспондент": a role, not an author
            if not name:
                continue
            after_agency, agency = agency, _AGENCY.match(name) is not None
            if after_agency and not named and not declared and " " not in name:
                continue  # "PTI, Washington" (deccanherald.com in the 181-page set): the agency's dateline place
            if _plausible(name) and name not in out and (declared or _read_as_a_name(name)):
                out.append(name)
                named = True
    people = [name for name in out if not _is_site(name, sites)]
    return (people or out)[:MAX_AUTHORS]  # "Jill Disis, CNN Business" -> the person; a site-only byline stays


# A named character reference's name left as a word when a value with an escaped entity was split at its "&" and
# ";" ("Redacci&oacute;n" → "Redacci", "Oacute", "N": trafilatura's author on paginasiete.bo); no name is one.
_ENTITY_NAME = re.compile(
    r"(?i)^(?:[a-z](?:acute|grave|circ|tilde|uml|ring|cedil|slash|caron|lig)|amp|quot|nbsp|apos)$"
)


def _is_entity_name(part: str) -> bool:
    """An HTML5 named character reference for a letter or a quote, without its "&" and ";" ("Oacute", "uuml"),
    as the WHATWG list has it (html.entities.html5): "Dring" and "Bring" are names."""
    return _ENTITY_NAME.match(part) is not None and f"{part};" in html.entities.html5


# A job title ends the part after a person's name: the byline's role, not a second author ("AP Sports Writer" after
# "GREG BEACHAM" on four AP stories of the 181-page set; "Staff Writer", "Senior Washington Correspondent"). Alone,
# such a part is the byline ("HNN Staff", "Staff Reports") and stays. Words of the region's and the sets' languages.
_ROLE_WORDS = (
    r"writers?|correspondents?|reporters?|editors?|columnist|contributor|journalist|photographer|producer|analyst|"
    r"корреспондент\w*|журналист\w*|редактор\w*|обозреватель|тілші|мухбир|muxbir|müxbir|muhabir|"
    r"redakteur\w*|korrespondent\w*|journalist\w+|reporter\w+|rédact\w+|correspondant\w*|"
    r"envoyée? spéciale?|periodista|corresponsal|redactor\w*|giornalista|inviat[oa]|corrispondente|jornalista|"
    r"correspondente|repórter|კორესპონდენტი|ჟურნალისტი|թղթակից|լրագրող"
)
_ROLE = re.compile(rf"(?i)(?:^|\s)(?:{_ROLE_WORDS})$")
_ROLE_AFTER_DASH = re.compile(rf"(?i)\s+[-–—]\s+[^-–—]*(?:{_ROLE_WORDS})$")  # "RACHEL METZ - AP Technology Writers"
_PRICE = re.compile(r"[$€£¥₽₸₺₴₩₹]\s?\d|\d\s?[$€£¥₽₸₺₴₩₹]")  # "$195/mes", "1 500 ₸"
_COUNTRIES = frozenset(name.casefold() for name in pytz.country_names.values())  # ISO 3166 names, English
_ADDRESS = re.compile(r"^(?P<who>.+?)[,;]\s*(?P<place>[^,;]+?)\s*[,;]\s*(?P<country>[^,;]+?)\s*$")


def _without_lead(text: str) -> str | None:
    """`text` without its byline word ("By", "Von", "Autor:"), or None when it opens with a label word that has no
    colon and goes on with a lowercase word (a control's caption, _LABEL_WORDS)."""
    match = _LEAD.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    if match["label"] and not match["colon"] and rest and _opens_lowercase(rest):
        then = _LEAD.match(rest)  # "Text von Anna Berg": the label, then the byline word
        return rest[then.end() :] if then and not then["label"] else None
    return rest


def _without_address(value: str, sites: set[str]) -> str:
    """`value` without a publisher's address: "<who>, <place>, <country>" → "<who>". A CMS's author meta tag gives
    it ("SPIEGEL ONLINE, Hamburg, Germany", "Olympia-Verlag GmbH, Nürnberg, Germany": eight pages of
    trafilatura's evaluation set; trafilatura's own reading "Kirche; Leben; Münster; Germany" too); the place and
    the country became two authors. The country must be one of ISO 3166's English names (pytz.country_names); the
    place, one word (a person's name has two or more) or after the site's own name ("GIROMATCH; Frankfurt a M;
    Germany"), or else only the country goes ("Ali Hassan, Omar Khalid, Jordan")."""
    match = _ADDRESS.match(value)
    if match is None or match["country"].casefold() not in _COUNTRIES:
        return value
    place = match["place"]
    if len(place.split()) == 1 or place.endswith(".") or _is_site(match["who"], sites):  # "Frankfurt a. M."
        return match["who"]
    return value[: match.start("country")].rstrip(" ,;")  # "Ali Hassan, Omar Khalid, Jordan": names stay


def _opens_with_prose_or_a_figure(first: str) -> bool:
    """True when the first part after a byline word holds a price or more than six words: a sentence that opens
    with "Von"/"By" ("Von den umliegenden Höfen kaufte der Burgherr noch zusätzlich Speck, Kaminwurzen, Hartbrot
    und Kartoffeln.": its later parts looked like three names) or a price ("Suscribite por $195/mes" gave "mes").
    Dates and times are out before this test (_DATE_OR_TIME); "By 24.kg and Anna Berg" (an agency) stays."""
    words = _LEADING_JOIN.sub("", first.strip(" -–—|:·•,()")).split()
    return len(words) > 6 or _PRICE.search(first) is not None


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
    return len(words) > 1 and _opens_lowercase(words[0]) and _PARTICLE_PART.split(words[0])[0] not in _PARTICLES


def _read_as_a_name(name: str) -> bool:
    """For a byline read off the page (not declared): not a lone weekday or month (_calendar_word_alone), and not
    several words ending in a short lowercase word, a preposition or an article where a sentence was cut ("Stadler
    at", "Eingetragen bei", "Houzz Deutschland vor", "Michiel de"). A longer one stays: "Detroit News wire
    services" is a labelled byline of the 181-page set."""
    if _calendar_word_alone(name):
        return False
    words = name.split()
    return len(words) < 2 or len(words[-1]) > _MAX_CUT_WORD or not _opens_lowercase(words[-1])


_MAX_CUT_WORD = 3


def _calendar_word_alone(name: str) -> bool:
    """A name that is one word naming a weekday or a month (metadata_dates.is_calendar_word): "Wednesday" from
    "By Sherif Saed, Wednesday, 20 November 2019", "Dienstag" from a calendar widget after "Di", "Oktober" from
    "IFZ, Oktober 2008" (trafilatura's evaluation set); or a weekday's two-letter abbreviation
    (metadata_dates.is_calendar_abbreviation: "Mi" from a booking calendar's "Von Mo Di Mi" on mueritzurlauber.de).
    Other short words stay: "by oz" (a blogger's name, hearya.com), "autor: jd" (initials, a Polish site)."""
    return " " not in name and (is_calendar_word(name) or is_calendar_abbreviation(name))


def _opens_lowercase(word: str) -> bool:
    """The word starts with a lowercase letter of a script that has capitals in use: Georgian's Mkhedruli letters
    are lowercase to Unicode (their capitals, Mtavruli, are not used in running text), so a Georgian name would
    read as a phrase."""
    first = word[0]
    return first.islower() and not ("\u10d0" <= first <= "\u10ff" or "\u2d00" <= first <= "\u2d2f")


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
    if len(words) > 1 and _opens_lowercase(words[0]) and _PARTICLE_PART.split(words[0])[0] not in _PARTICLES:
        return False
    if not name[0].isalpha() or all(_PARTICLE_PART.split(w)[0] in _PARTICLES for w in words):
        return False  # "< >" left of markup, "→ Learn More" (a link's arrow: techcrunch.com), "van de" alone
    if _SENTENCE_END.search(name):
        return False  # "-vereine." ends a sentence that opened with "von"; "Peter Schmidt." stays
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
