"""Publication dates: parse one date string, and read a visible dateline.

Parsing is ISO 8601 first (fast path, keeps the page's own UTC offset), then RFC 1123 / RFC 2822 (email.utils),
then python-dateutil. Visible datelines use dateparser, restricted to the page's language and the languages of
the region and of the shared page sets (all ~200 locales cost ~0.2 s a page); dateparser has no Tajik, so
Tajik month stems are read as the Russian months they are cognate with. A year outside 1990..next year is
refused: pages hold year-0 and 9999 placeholders.
"""

from __future__ import annotations

import email.utils
import functools
import re
from datetime import UTC, datetime

from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader
from dateparser.utils import normalize_unicode
from dateutil import parser as dateutil_parser

_MIN_YEAR = 1990
_OFFSET_TAIL = re.compile(r"([+-]\d{2})(\d{2})$")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MAX_DATE_CHARS = 80
_HAS_DIGIT = re.compile(r"\d")
_LATIN_OR_CYRILLIC_WORD = re.compile(r"[^\W\d_]{3,}")
# Byline words that carry no date; stripped before dateparser sees the line ("Published 21 April 2022").
_DATELINE_LANGUAGES = (
    "ru",
    "kk",
    "ky",
    "uz",
    "az",
    "hy",
    "ka",
    "mn",
    "uk",
    "en",
    "de",
    "fr",
    "es",
    "pt",
    "it",
    "pl",
    "tr",
    "nl",
    "cs",
)
_KNOWN_LOCALES = frozenset(default_loader.get_locale_map())
_TAJIK_MONTHS = dict(
    zip(
        ("январ", "феврал", "март", "апрел", "май", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"),
        (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ),
        strict=True,
    )
)
_TAJIK_MONTH = re.compile(r"(?i)\b(" + "|".join(_TAJIK_MONTHS) + r")[а-яӣӯҳқғҷ]*")
_DATELINE_NOISE = re.compile(
    r"(?i)\b(?:published|posted|updated|on|at|am|um|uhr|publicado|el|le|am|опубликовано|обновлено)\b[:|]?"
)


def parse_date(value: str | None, *, now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """A date string to (UTC datetime, the page's own offset "+05:00" or None when it gives none).

    Accepts ISO 8601 ("2024-04-18T09:30:00+06:00", "2024-04-18 09:30:00+0600", "2024-04-18"), RFC 1123
    ("Thu, 18 Apr 2024 09:30:00 GMT") and what python-dateutil reads. Returns (None, None) for anything
    unparseable or outside 1990..next year; never raises.
    """
    if not value or not isinstance(value, str):
        return None, None
    text = value.strip()[:_MAX_DATE_CHARS]
    if not text:
        return None, None
    parsed = _iso(text) or _year_as_written(text, _rfc(text) or _dateutil(text))
    return _checked(parsed, now)


def _year_as_written(text: str, parsed: datetime | None) -> datetime | None:
    """RFC 2822 reads years 0-99 as 2000-2099 (and dateutil may too): "Thu, 01 Jan 0000" is not 2000."""
    years = _FOUR_DIGITS.findall(text)
    if parsed is None or (years and str(parsed.year) not in years):
        return None
    return parsed


def _iso(text: str) -> datetime | None:
    candidate = _OFFSET_TAIL.sub(r"\1:\2", text.replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's tzinfos hook: a numeric offset is kept; a zone name alone ("IST", "EST") gives none, since
    names are ambiguous (IST is India, Ireland or Israel)."""
    return offset


def _dateutil(text: str) -> datetime | None:
    if not _HAS_DIGIT.search(text):
        return None
    try:
        parsed: datetime = dateutil_parser.parse(text, tzinfos=_zone_offset)
        return parsed
    except (ValueError, OverflowError, TypeError, dateutil_parser.ParserError):
        return None


def _checked(parsed: datetime | None, now: datetime | None) -> tuple[datetime | None, str | None]:
    if parsed is None:
        return None, None
    latest_year = (now or datetime.now(UTC)).year + 1
    if not _MIN_YEAR <= parsed.year <= latest_year:
        return None, None
    try:
        utc_offset = parsed.utcoffset()
    except (ValueError, OverflowError):  # an offset of a day or more ("+99:99"): no instant can be trusted
        return None, None
    if utc_offset is None:
        return parsed.replace(tzinfo=UTC), None
    offset = parsed.strftime("%z")
    try:
        return parsed.astimezone(UTC), f"{offset[:3]}:{offset[3:5]}"
    except OverflowError:
        return None, None


def parse_dateline(
    line: str, languages: list[str] | None = None, *, now: datetime | None = None
) -> tuple[datetime | None, str | None]:
    """A visible dateline ("18 апреля 2024, 09:30", "Published: Tuesday | April 26, 2022 | 9:52 PM") to
    (datetime, None): the page's offset is unknown, so the local wall time is returned with tzinfo=UTC standing
    for "unknown" (the calendar day stays right). `languages`: the page's ISO 639-1 code(s), tried first (they
    decide day/month order in "07/05/2022"). Never raises."""
    text = " ".join(line.split())[:_MAX_DATE_CHARS]
    if len(re.findall(r"\d", text)) < 4:
        return None, None
    cleaned = " ".join(_DATELINE_NOISE.sub(" ", text.replace("|", " ")).split())
    cleaned = _TAJIK_MONTH.sub(lambda m: _TAJIK_MONTHS[m.group(1).lower()], cleaned)
    page = tuple(code for code in (languages or ()) if code in _KNOWN_LOCALES)
    numeric = not re.search(r"[^\W\d_]{2,}", cleaned)  # "12.03.2025": day/month order is the page language's alone
    if not _can_be_a_date(cleaned, _dateline_languages(page, only_page=numeric)):
        return None, None
    try:
        parsed = _dateline_parser(page, only_page=numeric).get_date_data(cleaned).date_obj
    except (ValueError, OverflowError, TypeError, AttributeError):
        parsed = None
    if parsed is None:
        return None, None
    return _checked(parsed.replace(tzinfo=UTC), now)[0], None


def _dateline_languages(page_languages: tuple[str, ...], only_page: bool = False) -> tuple[str, ...]:
    if only_page:  # with several languages dateparser reads numeric dates month-first (its "en")
        return page_languages[:1] or ("en",)
    return tuple(dict.fromkeys(page_languages + _DATELINE_LANGUAGES))


# A day, month and year need a month: a month name of one of the parser's languages, or three numbers
# ("12.03.2025", "2022年3月12日"), or one run of 6+ digits ("20250312", a Unix timestamp).
_THREE_NUMBERS = re.compile(r"\d+\D+\d+\D+\d|\d{6}")


def _can_be_a_date(text: str, languages: tuple[str, ...]) -> bool:
    """False only for text from which dateparser (parsers timestamp, custom-formats, absolute-time; day, month
    and year required) cannot read a date: fewer than three numbers, no 6-digit run and no month name of
    `languages` (dateparser's own locale data, compared as dateparser compares, accents stripped and case
    folded). Saves dateparser's per-locale applicability test on lines such as "Copyright 2020 Seaside Media"
    or "15 – 30 Min" (about 5 ms each with 20 languages, issue 16)."""
    return bool(_THREE_NUMBERS.search(text)) or bool(_month_names(languages).search(normalize_unicode(text).casefold()))


@functools.lru_cache(maxsize=64)
def _month_names(languages: tuple[str, ...]) -> re.Pattern[str]:
    """Month names of `languages` as a regular expression; as in dateparser's word split (Dictionary.
    _construct_split_regex), a name counts only between non-letters, except in languages written without
    spaces between words (there: anywhere)."""
    spaced: set[str] = set()
    unspaced: set[str] = set()
    for code in languages:
        info = default_loader.get_locale(code).info
        names = unspaced if info.get("no_word_spacing") else spaced
        names.update(normalize_unicode(name).casefold() for month in _MONTHS for name in info.get(month, ()))
    spaced_group = "|".join(re.escape(name) for name in sorted(spaced, key=len, reverse=True) if name)
    unspaced_group = "|".join(re.escape(name) for name in sorted(unspaced, key=len, reverse=True) if name)
    pattern = rf"(?<![^\W\d_])(?:{spaced_group})(?![^\W\d_])" if spaced_group else r"(?!x)x"
    return re.compile(pattern + (f"|{unspaced_group}" if unspaced_group else ""))


def is_calendar_word(word: str) -> bool:
    """True when `word` (one word) is the name of a day of the week or of a month in dateparser's locale data for
    the languages of the region and of the shared page sets (_DATELINE_LANGUAGES: "Wednesday", "Donnerstag",
    "Oktober", "октября"), case folded, accents kept ("Marco" is no "março"); all ~200 locales would take "Julie"
    (Afrikaans) and "Augusto" (Esperanto).
    Names of fewer than five letters do not count: those lists hold abbreviations and short forms that are also
    given names ("Jan", "Mai", "Juma", "June"). Many day and month names are given names too ("Domingo", "Sunday",
    "Nisan"): metadata_authors applies this only to bylines read off the page, not to declared authors."""
    folded = word.casefold()
    return len(folded) >= 5 and folded in _calendar_words()


_MAX_ABBREVIATION = 2


def is_calendar_abbreviation(word: str) -> bool:
    """True when `word` is a one- or two-letter short form of a weekday or a month in the same locale data
    (German "Mi", French "Me", Russian "Ср"), case folded: the column heads of a calendar widget. Longer short
    forms ("Jan", "Mai") are also given names and do not count."""
    folded = word.casefold()
    return len(folded) <= _MAX_ABBREVIATION and folded in _calendar_words()


@functools.cache
def _calendar_words() -> frozenset[str]:
    words: set[str] = set()
    for code in _DATELINE_LANGUAGES:
        info = default_loader.get_locale(code).info
        for key in (*_MONTHS, *_WEEKDAYS):
            words.update(name.casefold() for name in info.get(key, ()))
    return frozenset(words)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


@functools.lru_cache(maxsize=64)
def _dateline_parser(page_languages: tuple[str, ...], only_page: bool = False) -> DateDataParser:
    return DateDataParser(
        languages=list(_dateline_languages(page_languages, only_page)),
        try_previous_locales=False,
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            # dateparser's default parsers less "relative-time": "15 – 30 Min" (a recipe's duration) or "2 hours
            # ago" read as relative to now gave the extraction's clock time as the publication date; REQUIRE_PARTS
            # does not apply to relative times (dateparser docs, "Settings": PARSERS).
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )


# An agency dateline opening the story's first paragraph: "Karlsruhe, (12.11.2021). Traditionell …",
# "Бишкек, 18.04.2024 — Мэрия …": up to three place words and a comma, a numeric date (in brackets or not), then
# ".", ":" or a dash. Numeric dates only: a month name at a paragraph's start is as often the story's own words.
_OPENING_DATELINE = re.compile(
    r"^(?:[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,2}\s*,\s*)?\(?"
    r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\)?\s*[.:–—-](?:\s|$)"
)


def opening_dateline(text: str) -> str | None:
    """The date of an agency dateline that opens a paragraph ("Karlsruhe, (12.11.2021). …" -> "12.11.2021"),
    to hand to parse_dateline; None when the paragraph does not open with one."""
    match = _OPENING_DATELINE.match(text)
    return match.group(1) if match else None


def looks_like_dateline(text: str) -> bool:
    """Short text with digits (a year or day) and at most a few words: worth giving to dateparser."""
    return (
        len(text) <= _MAX_DATE_CHARS
        and len(re.findall(r"\d", text)) >= 4
        and len(_LATIN_OR_CYRILLIC_WORD.findall(text)) <= 6
    )


def local_offset(instant: datetime, wall: datetime | None) -> str | None:
    """The page's UTC offset ("-06:00") when its visible dateline shows wall-clock time `wall` (tz=UTC standing
    for "unknown") for the instant `instant` that its metadata gives in UTC: wall - instant, when that is within
    10 minutes of a multiple of 15 minutes between -12:00 and +14:00 (ISO 8601 / IANA offsets) and the wall
    time carries a time of day. Else None."""
    if wall is None or (wall.hour, wall.minute, wall.second) == (0, 0, 0):
        return None
    minutes = (wall - instant.replace(second=0, microsecond=0)).total_seconds() / 60
    rounded = round(minutes / 15) * 15
    if abs(minutes - rounded) > 10 or not -12 * 60 <= rounded <= 14 * 60 or rounded == 0:
        return None
    sign = "-" if rounded < 0 else "+"
    return f"{sign}{abs(rounded) // 60:02d}:{abs(rounded) % 60:02d}"


def writes_the_first(text: str, day: str) -> bool:
    """True when `text` writes the first of the month `day` ("YYYY-MM-01") as a full date: 01.11.2023, 1/11/2023,
    2023-11-01, 11/01/2023; or a day 1 with a word and the year ("1 November 2023", "1er novembre 2023", "1 ноября
    2023", "November 1, 2023") that dateparser (`parse_dateline`) reads as that very day: a month's
    name in any language it knows, and never another month's first taken for January's."""
    year, month = day[:4], int(day[5:7])
    m = f"0?{month}"
    if re.search(rf"\b0?1[./-]{m}[./-]{year}\b|\b{year}[./-]{m}[./-]0?1\b|\b{m}/0?1/{year}\b", text):
        return True
    named = rf"\b0?1(?:st|er|\.)?\s+[^\W\d_]+\.?,?\s+{year}\b|\b[^\W\d_]+\.?\s+0?1(?:st)?,?\s+{year}\b"
    for count, match in enumerate(re.finditer(named, text)):
        if count >= _NAMED_DAYS_TRIED:
            break
        parsed, _ = parse_dateline(match.group(0))
        if parsed is not None and parsed.date().isoformat() == day:
            return True
    return False


_NAMED_DAYS_TRIED = 20  # dateparser calls per page at most (a page listing hundreds of "1 <word> 2023")
