"""A look at a large JSON body's documents before the body is decoded.

Decoding a JSON string costs its full length (UTF-8 validation, unescaping: ~23 ms for the 6 MB that 3 MB of
random bytes makes as JSON), and the API then refused such a body anyway as not_a_document. For bodies of
PROBE_MIN_BYTES or more, msgspec first reads only the raw literals of the top-level `html` and `text` members
(~1 ms per MB: no unescaping) and `limits.check_json_string_is_document` refuses binary data from the literal,
by the same rule and with the same 422 as after decoding (`articles.validation.input_kind`).
"""

from __future__ import annotations

import msgspec

from service.articles.validation import DocumentRefused
from service.extraction import ExtractionError
from service.extraction.limits import check_json_string_is_document

# Below this, decoding first costs little (~4 ms per MB in the worst case), and the probe would be extra work.
PROBE_MIN_BYTES = 1024 * 1024
DOCUMENT_FIELDS = ("html", "text")


class _Documents(msgspec.Struct):
    """The raw JSON literals of a body's documents; other members are skipped, not decoded."""

    html: msgspec.Raw = msgspec.Raw()
    text: msgspec.Raw = msgspec.Raw()


_probe = msgspec.json.Decoder(_Documents)


def refuse_binary_documents(body: bytes) -> None:
    """Raise DocumentRefused (422, extraction_error not_a_document) when a top-level `html` or `text` string of
    the JSON `body` is binary data by `limits.check_is_document`'s rule, read before decoding. Does nothing for
    bodies under PROBE_MIN_BYTES, for bodies that are not a JSON object (the decoder then answers as before) and
    for members that are not strings."""
    if len(body) < PROBE_MIN_BYTES:
        return
    try:
        documents = _probe.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return  # malformed, not an object, or too deep: the full decode gives the client its error
    for field in DOCUMENT_FIELDS:
        literal = memoryview(getattr(documents, field))  # the body's own bytes, not a copy
        if literal[:1] == b'"':
            try:
                check_json_string_is_document(literal)
            except ExtractionError as exc:
                raise DocumentRefused(exc, field) from None
