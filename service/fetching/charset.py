"""Bytes to text: BOM, HTTP header, <meta>, then detection; never silent mojibake.

Each declared charset is only trusted if the bytes decode under it. Pages labelled Latin-1/windows-1252
that are valid UTF-8 with non-ASCII bytes are read as UTF-8: multi-byte UTF-8 sequences almost never occur
by chance in real Latin-1 text, while the mislabelling is common.
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG Encoding: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_SINGLE_BYTE_WESTERN = {"cp1252", "iso8859-15"}
_DETECT_BYTES = 64 * 1024


def _normalize(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None  # declared UTF-16 on an ASCII-compatible page is a lie (WHATWG ignores it too)
    return _WEB_ALIASES.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def charset_from_meta(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(data: bytes, content_type: str | None) -> tuple[str, str]:
    """Returns (text, encoding used)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace"), encoding
    for label in (charset_from_content_type(content_type), charset_from_meta(data)):
        encoding = _normalize(label)
        if encoding is None:
            continue
        text = _decodes(data, encoding)
        if text is None:
            continue  # mislabelled: the bytes are not in that charset
        if encoding in _SINGLE_BYTE_WESTERN and not data.isascii():
            utf8 = _decodes(data, "utf-8")
            if utf8 is not None:
                return utf8, "utf-8"
        return text, encoding
    utf8 = _decodes(data, "utf-8")
    if utf8 is not None:
        return utf8, "utf-8"
    encoding = detect_encoding(data[:_DETECT_BYTES])
    return data.decode(encoding, "replace"), encoding


def detect_encoding(sample: bytes) -> str:
    """Detection with windows-1252 winning ties: on short Western text detectors often say cp1250 or
    EBCDIC with the same confidence, and windows-1252 is by far the most common undeclared legacy charset."""
    best = charset_normalizer.from_bytes(sample).best()
    western = charset_normalizer.from_bytes(sample, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos + 0.02):
        return "cp1252"
    return (_normalize(best.encoding) if best is not None else None) or "cp1252"
