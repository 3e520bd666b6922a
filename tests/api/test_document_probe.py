"""api/document_probe refuses a large body's binary `html` or `text` from its raw JSON, naming the field, and
leaves everything else to the full decode: small bodies, malformed JSON, non-string members, ordinary text."""

from __future__ import annotations

import json
import random

import pytest

from service.api.document_probe import PROBE_MIN_BYTES, refuse_binary_documents
from service.articles.validation import DocumentRefused

GARBAGE = random.Random(3).randbytes(PROBE_MIN_BYTES).decode("latin-1")  # ~2 MB as JSON
TEXT = "Council budget. " * (PROBE_MIN_BYTES // 16 + 1)


@pytest.mark.parametrize("field", ["html", "text"])
def test_binary_data_in_a_large_body_is_refused_before_decoding_naming_its_field(field):
    body = json.dumps({"external_id": "x", field: GARBAGE}, ensure_ascii=False).encode()
    with pytest.raises(DocumentRefused) as refused:
        refuse_binary_documents(body)
    assert refused.value.type == "not_a_document"
    assert refused.value.extra["field"] == field


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"html": GARBAGE[: PROBE_MIN_BYTES // 4]}, ensure_ascii=False).encode(),  # under the size
        json.dumps({"html": TEXT}).encode(),  # text
        json.dumps({"html": [GARBAGE]}, ensure_ascii=False).encode(),  # not a string: the decoder's 4xx
        json.dumps({"html": GARBAGE}, ensure_ascii=False).encode()[:-2],  # malformed: the decoder's 400
        json.dumps([{"html": GARBAGE}], ensure_ascii=False).encode(),  # not an object
    ],
    ids=["small", "text", "not a string", "malformed", "not an object"],
)
def test_everything_else_is_left_to_the_full_decode(body):
    refuse_binary_documents(body)


BINARY = "\x01" * (PROBE_MIN_BYTES // 5)  # as JSON, 6 bytes each (\u0001): ~1.2 MB
SPACES = "\x1c\x1f\x85" * (PROBE_MIN_BYTES // 8)  # controls that are also whitespace: str.strip() leaves nothing


@pytest.mark.parametrize(
    "body",
    [
        {"html": BINARY, "text": "Title\n\nA short wire copy."},  # two documents: 422 invalid_input, exactly one
        {"url": "https://example.org/a", "text": BINARY},  # a URL and a document: the same
        {"text": SPACES},  # blank to str.strip(): 422 invalid_input "text is empty"
    ],
    ids=["html and text", "url and text", "text of whitespace controls"],
)
def test_a_body_the_decoded_checks_refuse_for_something_else_is_left_to_them(body):
    """The probe refuses only what input_kind would refuse as not_a_document: checks that come first there
    (exactly one of url/html/text, empty) keep their own answer whatever the body's size."""
    refuse_binary_documents(json.dumps(body, ensure_ascii=False).encode())
