"""Text normalisation shared by every input kind."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

SECTION_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")  # the elements that head a story's sections

# Zero-width and invisible characters (NUL too: Postgres text refuses it). The Hangul fillers (U+115F, U+1160,
# U+3164, U+FFA0) are letters to Unicode that show nothing: a body of them is no story (re-probe, issue 14).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\x00\u115f\u1160\u3164\uffa0"), None
)
# C0 and C1 control characters other than tab, line feed and carriage return: vertical tab and form feed become
# spaces, the rest go. lxml and trafilatura drop a whole story over one of them (XML forbids them), and a title
# must not carry a terminal escape. A regex search first: pages almost never hold one (0.3 ms per page against
# 7 ms for a translate of every character). Lone surrogates go too: JSON-LD's "\ud800" escape gives one, which
# UTF-8 cannot encode (a record's site name or author that no database write or JSON answer could carry).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Any character but spaces and the bidirectional controls (Unicode TR #9: ALM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/
# PDI; LRM and RLM are among _INVISIBLE): a line of controls alone is blank; around visible text they stay.
_VISIBLE = re.compile(r"[^\s\u061c\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^(?:[-–—•·*▪►»‣◦●]|\d{1,2}[.)])\s+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def remove_control_characters(text: str) -> str:
    """`text` without C0/C1 control characters and lone surrogates (tab, LF, CR kept; VT and FF become spaces);
    linear, in C."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


def normalize_line(line: str) -> str:
    """One line of text as records hold it: entities decoded, NFC, invisible and control characters out, any
    run of spaces (line breaks included) one space, stripped."""
    if line.isascii() and "&" not in line:
        # the same result without the steps that cannot change ASCII without entities (NFC, the invisible
        # characters, of which NUL, the one ASCII one, goes with the control characters): most lines
        return _SPACES.sub(" ", remove_control_characters(line).replace("\n", " ")).strip()
    line = remove_control_characters(unicodedata.normalize("NFC", html.unescape(line)).translate(_INVISIBLE))
    line = _SPACES.sub(" ", line.replace("\n", " ")).strip()
    return line if _VISIBLE.search(line) else ""  # bidi controls alone show nothing: a blank line


def normalize_paragraphs(paragraphs: list[str]) -> str:
    """Join non-empty normalised paragraphs with exactly one blank line between them."""
    cleaned = (normalize_line(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def join_normalized(lines: list[str]) -> str:
    """`normalize_paragraphs(lines)` for lines that already came out of normalize_line (non-empty): a line
    is normalised again only where a second pass can change it (an entity its text spelled out, `&amp;lt;`,
    or NFC undone by an invisible character taken out between a letter and its accent), so the result is
    the same string at a fraction of the cost."""
    cleaned = (
        p if "&" not in p and (p.isascii() or unicodedata.is_normalized("NFC", p)) else normalize_line(p) for p in lines
    )
    return "\n\n".join(p for p in cleaned if p)


def split_paragraphs(text: str) -> list[str]:
    return [p for p in (normalize_line(x) for x in _BLANK_LINES.split(text)) if p]


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def has_bullet(line: str) -> bool:
    return _BULLET.match(line) is not None


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def is_headline_like(text: str) -> bool:
    """Short, title-shaped text: a few words, no sentence-final full stop or colon.

    Story paragraphs are long or end with a full stop; list intros ("The plan includes:") end with a colon.
    """
    text = text.strip()
    if not 8 <= len(text) <= 180 or text[-1] in ".。:;：,":
        return False
    cjk = len(_CJK.findall(text))
    if cjk >= 6:
        return cjk <= 80
    return 3 <= count_words(text) <= 28


def content_hash(title: str | None, body_text: str) -> str:
    digest = hashlib.sha256()
    digest.update((title or "").encode())
    digest.update(b"\x00")
    digest.update(body_text.encode())
    return "sha256:" + digest.hexdigest()
