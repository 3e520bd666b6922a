"""Text normalisation shared by every input kind."""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", html.unescape(line)).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


def normalize_paragraphs(paragraphs: list[str]) -> str:
    """Join non-empty normalised paragraphs with exactly one blank line between them."""
    cleaned = (normalize_line(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def split_paragraphs(text: str) -> list[str]:
    return [p for p in (normalize_line(x) for x in _BLANK_LINES.split(text)) if p]


def count_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def content_hash(title: str | None, body_text: str) -> str:
    digest = hashlib.sha256()
    digest.update((title or "").encode())
    digest.update(b"\x00")
    digest.update(body_text.encode())
    return "sha256:" + digest.hexdigest()
