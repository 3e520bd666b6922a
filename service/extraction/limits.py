"""Work bounds. trafilatura's cost grows much faster than the page (a flat page of 50,000 tiny <p> took 23 s),
so large or deeply built documents take a cheaper path or fail with a typed error instead of holding a worker."""

from __future__ import annotations

import re

from lxml import etree

from .types import ExtractionError, ExtractionErrorType

# HTML: as many characters as the fetcher's 5 MiB page cap can decode to; real article pages are well under
# 3 MB even with inline scripts.
MAX_INPUT_CHARS = 5 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000  # plain-text input: a very long book chapter at most
MAX_ELEMENTS = 300_000  # beyond this even the cheap path is not worth running
FULL_PATH_MAX_ELEMENTS = 12_000  # the 181 benchmark pages have at most ~1,700; trafilatura stays < ~1 s here
MAX_BODY_CHARS = 1_000_000  # cap on extracted story text
MAX_TITLE_CHARS = 250  # a record's title; a plain-text first line longer than this is story text, no headline
# trafilatura's and htmldate's page-wide metadata searches (author XPaths on a deep copy, htmldate's text search,
# trafilatura's JSON regexes) run on documents up to this size: the 1,171 real pages of benchmarks/ are at most
# 1.59 MB; a 4.9 MB page of text spent 10 s in htmldate alone, a 5 MB broken JSON-LD block 13 s in both.
METADATA_SEARCH_MAX_CHARS = 2_000_000
# Checked by complexity.scan_markup before parsing. On the 1,180 real pages of benchmarks/ the most are 64
# attributes on one element, 10,154 in a page, 10,106 elements and 51 levels of nesting; libxml2 parses 256
# attributes on one element in well under a millisecond (20,000: 0.5 s; 200,000: minutes).
MAX_ATTRIBUTES_PER_ELEMENT = 256
MAX_ATTRIBUTES = 500_000
# libxml2 (without XML_PARSE_HUGE) stops building the tree at 256 levels and the rest of the page is lost: a page
# nested deeper is refused as too complex instead of coming out cut (a story past that depth gave no_content)
MAX_DEPTH = 255


def check_input_size(content: str, kind: str) -> None:
    """The one document size limit: called by the pipeline (worker, CLI, preview) and at submission (API).

    `kind` is "html" or "text"; the limit is in characters. Raises ExtractionError("document_too_large")."""
    limit = MAX_TEXT_CHARS if kind == "text" else MAX_INPUT_CHARS
    if len(content) > limit:
        raise ExtractionError(ExtractionErrorType.DOCUMENT_TOO_LARGE, f"{len(content)} characters, limit {limit}")


# Characters no text or markup carries: C0 controls but tab, LF, FF and CR; DEL; C1 controls; and U+FFFD, which
# a decoder puts where bytes were not in the charset. Random bytes read as windows-1252 or Latin-1 are ~13% such
# characters, read as UTF-8 over half. On the 1,185 real pages of benchmarks/ and the shared cases the most is
# 0.016% (harrypotter.fandom.com, trafilatura-eval): 1% leaves a margin of 60 on the one side and 13 on the other.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_NOT_TEXT_ASCII = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # the same set, in ASCII
MAX_NOT_TEXT_SHARE = 0.01
MIN_NOT_TEXT = 64  # a few stray controls (a NUL pasted into a wire copy) in a short text do not make it binary
# Characters scanned per regex call: the count stops as soon as it passes the limit, and the API's event loop
# gets the GIL back between calls (one call over megabytes held it for ~0.1 s: issue 14's isolation benchmark).
_SCAN_CHUNK = 64 * 1024


def check_is_document(content: str) -> int:
    """Refuse binary data read as text: raise ExtractionError("not_a_document") when more than 1% of the
    characters, and more than 64, are controls or replacement characters (see _NOT_TEXT). Returns how many
    there are (0: the text holds no C0/C1 control but tab, LF, FF, CR, so nothing for the pipeline to remove).

    Linear, in C, and stops at the limit: ASCII text ~1 ms per MB (bytes.translate), other text ~5 ms per MB
    (the regex, in 64k-character steps); 3 MB of random bytes is refused after its first ~150k characters."""
    limit = max(MIN_NOT_TEXT, MAX_NOT_TEXT_SHARE * len(content))
    scanned = len(content)
    if content.isascii():
        raw = content.encode("ascii")
        bad = len(raw) - len(raw.translate(None, _NOT_TEXT_ASCII))
    else:
        bad = 0
        for start in range(0, len(content), _SCAN_CHUNK):
            bad += len(_NOT_TEXT.findall(content, start, start + _SCAN_CHUNK))
            if bad > limit:
                scanned = min(len(content), start + _SCAN_CHUNK)
                break
    if bad > limit:
        raise ExtractionError(
            ExtractionErrorType.NOT_A_DOCUMENT,
            f"{bad / scanned:.0%} of the characters are control or replacement characters: binary data, not text",
        )
    return bad


# The same characters as they appear inside a JSON string literal (RFC 8259 section 7): escaped (\uXXXX, or \b
# for U+0008), or raw in UTF-8 (C1 controls, U+FFFD, DEL). One pattern each, each starting with a fixed byte, so
# that re skips to candidates at memchr speed (one alternation over all of them tried every position: ~10 ns per
# byte of ordinary text). In _JSON_ESCAPE group 1 takes an escaped backslash, so that the text after it is not
# read as an escape; raw C0 controls cannot appear in valid JSON and are left to the decoder.
_JSON_ESCAPE = re.compile(rb"\\(?:(\\)|u00(?:0[0-8bBeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|u[fF][fF][fF][dD]|b)")
_RAW_NOT_TEXT = (re.compile(rb"\xc2[\x80-\x9f]"), re.compile(rb"\xef\xbf\xbd"), re.compile(rb"\x7f"))
_LONGEST_ESCAPE = 6  # \uXXXX
_NO_ESCAPE_RUN = re.compile(rb"[^\\]{%d}" % _LONGEST_ESCAPE)


def check_json_string_is_document(literal: bytes | memoryview) -> None:
    """`check_is_document` for a document still inside its JSON body, before it is decoded: `literal` is the
    raw bytes of a JSON string (quotes included, as msgspec.Raw gives it). Raises the same
    ExtractionError("not_a_document") only when `check_is_document` would raise on the decoded string: the
    count is exact and a string has at most as many characters as its literal has bytes, so the share over the
    bytes is a lower bound of the share over the characters. Passing is no verdict: decode and check the text.

    In C, in 64 KiB steps cut where no escape straddles them; it returns as soon as the share so far is within
    the limit (ordinary text: after the first step, ~0.1 ms) and raises as soon as the count passes it: 6 MB of
    random bytes as JSON is refused after ~0.6 MB (~6 ms), where decoding the whole body first cost ~23 ms."""
    limit = max(MIN_NOT_TEXT, MAX_NOT_TEXT_SHARE * len(literal))
    bad = start = 0
    while start < len(literal) and bad <= limit:
        end = start + _SCAN_CHUNK
        if end < len(literal):  # cut after six bytes without a backslash: no escape runs past the cut
            clear = _NO_ESCAPE_RUN.search(literal, end - _LONGEST_ESCAPE)
            end = clear.end() if clear else len(literal)
        bad += _JSON_ESCAPE.findall(literal, start, end).count(b"")
        bad += sum(len(raw.findall(literal, start, end)) for raw in _RAW_NOT_TEXT)
        start = end
        if bad <= MAX_NOT_TEXT_SHARE * start:
            return  # text so far: the check of the decoded string decides (an ordinary page costs one step)
    if bad > limit:
        raise ExtractionError(
            ExtractionErrorType.NOT_A_DOCUMENT,
            f"{bad / start:.0%} of the characters are control or replacement characters: binary data, not text",
        )


def count_elements(tree: etree._Element) -> int:
    """Count elements, stopping early once the hard limit is passed."""
    n = 0
    for _ in tree.iter():
        n += 1
        if n > MAX_ELEMENTS:
            raise ExtractionError(ExtractionErrorType.DOCUMENT_TOO_COMPLEX, f"more than {MAX_ELEMENTS} elements")
    return n
