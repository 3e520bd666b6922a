"""Bytes to text, the one decoder for every entry point that takes bytes (URL fetch, CLI files and stdin).

Order: BOM, HTTP header charset, `<meta>` charset (anywhere in `<head>`), then detection (charset-normalizer);
never silent mojibake and no U+FFFD for bytes that have a plausible reading.

Each declared charset is only trusted if the bytes decode under it. Pages labelled with any legacy charset
(windows-1252, windows-1251, KOI8-R, Shift_JIS ...) that are valid UTF-8 with non-ASCII bytes are read as UTF-8:
multi-byte UTF-8 sequences almost never occur by chance in real text of another charset (Cyrillic letters in
windows-1251 are all bytes UTF-8 reads as lead bytes, never as continuations), while the mislabelling is
common. Pages that are UTF-8 but for a few stray legacy bytes (a Latin-1 alt text pasted into a UTF-8
template: 3 of the 990 trafilatura-eval pages) are read as UTF-8 with each stray byte read as windows-1252,
instead of sending the whole page to detection.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_BODY_START = re.compile(rb"<body[\s>]", re.IGNORECASE)
_META_SCAN_BYTES = 64 * 1024  # 26 of the trafilatura-eval pages declare their charset after byte 4096 (one at 58 KB)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG Encoding: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
# Printable ASCII that a page's markup is written in. Every encoding of the WHATWG Encoding Standard but UTF-16
# (handled in _normalize) reads these bytes as themselves. A codec that does not (EBCDIC cp037/cp500/cp1140;
# raw_unicode_escape reads "\\u0041" as "A"; utf-7 reads "+" as a shift) cannot be how a page whose label we read
# as ASCII is encoded, and browsers ignore such labels. "~" is left out: HZ, a legacy Chinese web encoding, reads
# "~{" as a shift.
_ASCII_MARKUP = rb'<!DOCTYPE html><meta charset="x"> The 42 quick-brown_foxes; (a) [b]: 7/8, 9 = 10? A! @#$%&*+| \u0041'
_DETECT_BYTES = 64 * 1024


def _normalize(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # declared UTF-16 on an ASCII-compatible page is a lie (WHATWG ignores it too)
    if _decodes(_ASCII_MARKUP, name) != _ASCII_MARKUP.decode("ascii"):
        return None  # not ASCII-compatible (see _ASCII_MARKUP): read as if undeclared
    return _WEB_ALIASES.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def charset_from_meta(data: bytes) -> str | None:
    """The charset label of the first `<meta charset>` / `<meta http-equiv content="...charset=">` before
    `<body>` (within the first 64 KB), or None."""
    head = data[:_META_SCAN_BYTES]
    body = _BODY_START.search(head)
    match = _META_CHARSET.search(head, 0, body.start() if body else len(head))
    return match.group(1).decode("ascii", "replace") if match else None


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)  # registered for decoding only
    piece = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in piece), error.end


codecs.register_error("article_ingest.cp1252_fallback", _stray_bytes_as_cp1252)
_LEGACY_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


# Under a UTF-8 label, this many stray bytes are read as windows-1252 even with no valid multi-byte sequence
# beside them: a byte or two is no evidence of another charset, and detection on a page that is all ASCII but
# them guesses at random (it read "Title \xfe here" as cp866). A page in another charset mislabelled UTF-8 has
# a stray byte for nearly every non-ASCII letter, far more than this.
_STRAY_UNDER_UTF8_LABEL = 4


def _mostly_utf8(data: bytes, stray_allowed: int = 0) -> str | None:
    """UTF-8 text with a few stray legacy bytes read as windows-1252, when valid multi-byte UTF-8 sequences
    outnumber the stray bytes or there are at most `stray_allowed` of them; else None (the page is in some
    other charset)."""
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = len(_LEGACY_BYTE.findall(data)) - sum(map(len, sequences))
    if stray > stray_allowed and (not sequences or stray > len(sequences)):
        return None
    return data.decode("utf-8", "article_ingest.cp1252_fallback")


def decode_body(data: bytes, content_type: str | None) -> tuple[str, str]:
    """Decodes a page or text document: `data` raw bytes (Content-Encoding already removed), `content_type`
    the HTTP header value or None. Returns (text, Python codec name used). Never raises for any bytes.
    Rules: WHATWG Encoding (BOM first; latin-1/ascii labels mean windows-1252; UTF-16 labels on
    ASCII-compatible bytes ignored); see the module docstring for the UTF-8 rules."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace"), encoding
    for label in (charset_from_content_type(content_type), charset_from_meta(data)):
        declared = _normalize(label)
        if declared is None:
            continue
        text = _decodes(data, declared)
        if text is None and declared == "utf-8":
            text = _mostly_utf8(data, stray_allowed=_STRAY_UNDER_UTF8_LABEL)
        if text is None:
            continue  # mislabelled: the bytes are not in that charset
        if declared != "utf-8" and not data.isascii():
            utf8 = _decodes(data, "utf-8")
            if utf8 is not None:
                return utf8, "utf-8"  # valid multi-byte UTF-8 under a legacy label: mislabelled UTF-8
        return text, declared
    utf8 = _decodes(data, "utf-8") or _mostly_utf8(data)
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
