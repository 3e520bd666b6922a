"""A look at a large JSON body's documents before the body is decoded.

Decoding a JSON string costs its full length (UTF-8 validation, unescaping: ~23 ms for the 6 MB that 3 MB of
random bytes makes as JSON), and the API then refused such a body anyway as not_a_document. For bodies of
PROBE_MIN_BYTES or more sent to a document route (`DOCUMENT_ROUTE` in its opt: POST /v1/articles and /v1/extract),
msgspec first reads only the raw literals of the top-level `url`, `html` and `text` members (~1 ms per MB: no
unescaping) and `limits.check_json_string_is_document` refuses binary data from the literal, by the same rule and
with the same 422 as after decoding (`articles.validation.input_kind`).

The probe answers only where input_kind would answer not_a_document, but for the size: when exactly one of
url/html/text is given and it is html or text, and that document is not blank. A body input_kind refuses for one
of those earlier checks (several documents, or a URL with one; a blank one: 422 invalid_input) is decoded and
gets that answer, as a small body does. Left as it is: a binary document over its size limit (input_kind: 413
first) is refused here 422 not_a_document, as a refusal either way; telling its decoded length from the literal
costs a pass over it (~15-25 ms for 6 MB of random bytes as JSON: bytes.count, bytes.translate), what the probe
saves.
"""

from __future__ import annotations

import re

import msgspec

from service.articles.validation import DocumentRefused
from service.extraction import ExtractionError
from service.extraction.limits import check_json_string_is_document

# Below this, decoding first costs little (~4 ms per MB in the worst case), and the probe would be extra work.
PROBE_MIN_BYTES = 1024 * 1024
DOCUMENT_FIELDS = ("html", "text")
# Route opt of the routes whose body is an ArticleSubmit: only their bodies are probed (another route's `html` or
# `text` member is no document, and its decoder has its own answer).
DOCUMENT_ROUTE = {"documents": True}


def is_document_route(opt: dict) -> bool:
    """Whether a route handler's `opt` carries DOCUMENT_ROUTE (its large bodies are probed)."""
    return all(opt.get(key) == value for key, value in DOCUMENT_ROUTE.items())


# Whitespace to str.isspace inside a JSON string literal, raw in UTF-8 or escaped: a literal made only of these
# decodes to a string that str.strip() leaves empty (input_kind's "is empty"). Some of them (U+000B, U+001C-U+001F,
# U+0085) are also controls check_is_document counts, so a long run of them reads as binary data from the literal.
_BLANK_RUN = re.compile(
    rb"(?:[ ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80|\\[tnrf]"
    rb"|\\u(?:00(?:0[9a-d]|1[c-f]|20|85|a0)|1680|200[0-9a]|202[89f]|205f|3000))*",
    re.IGNORECASE,
)
_BLANK_SCAN_BYTES = 4096  # a document blank this far is left to the decoder (the regex costs ~40 ns per byte)
_LONGEST_BLANK = 6  # \uXXXX


class _Documents(msgspec.Struct):
    """The raw JSON literals of a body's documents; other members are skipped, not decoded."""

    url: msgspec.Raw = msgspec.Raw()
    html: msgspec.Raw = msgspec.Raw()
    text: msgspec.Raw = msgspec.Raw()


_probe = msgspec.json.Decoder(_Documents)


def _given(literal: msgspec.Raw) -> bool:
    """Whether a member was sent with a value (input_kind reads a missing member and `null` alike: not given)."""
    return len(literal) > 0 and not (len(literal) == 4 and bytes(literal) == b"null")


def refuse_binary_documents(body: bytes) -> None:
    """Raise DocumentRefused (422, extraction_error not_a_document) when the JSON `body` is an object whose one
    document (exactly one of url/html/text given, and it is a string `html` or `text`, not blank) is binary data
    by `limits.check_is_document`'s rule, read before decoding. Does nothing for bodies under PROBE_MIN_BYTES, for
    bodies that are not a JSON object (the decoder then answers as before), and wherever input_kind answers
    otherwise first (see the module docstring)."""
    if len(body) < PROBE_MIN_BYTES:
        return
    try:
        documents = _probe.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return  # malformed, not an object, or too deep: the full decode gives the client its error
    given = [field for field in ("url", *DOCUMENT_FIELDS) if _given(getattr(documents, field))]
    if len(given) != 1 or given[0] not in DOCUMENT_FIELDS:
        return  # none, several, or a URL: input_kind's 422 invalid_input
    field = given[0]
    literal = memoryview(getattr(documents, field))  # the body's own bytes, not a copy
    if literal[:1] != b'"':
        return  # not a string: the decoder's 400
    try:
        check_json_string_is_document(literal)
    except ExtractionError as exc:
        if _blank_so_far(literal):
            return  # perhaps blank: input_kind's "is empty" comes first
        raise DocumentRefused(exc, field) from None


def _blank_so_far(literal: memoryview) -> bool:
    """False when the JSON string `literal` has a character that is not whitespace within its first
    _BLANK_SCAN_BYTES (so str.strip() of it is not empty); True when it may be blank."""
    end = min(len(literal) - 1, _BLANK_SCAN_BYTES)  # the closing quote, or the end of the look
    run = _BLANK_RUN.match(literal, 1, end)
    return run is None or run.end() > end - _LONGEST_BLANK  # a run up to the end (or to a cut escape)
