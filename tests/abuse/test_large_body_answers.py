"""A body of 1 MiB or more gets the answer a small one gets for the same fault: the raw-JSON document probe
(api/document_probe) answers not_a_document only where input_kind would, on the document routes only."""

from __future__ import annotations

import json

import httpx
import pytest

from service.api.document_probe import PROBE_MIN_BYTES

pytestmark = pytest.mark.e2e
BINARY = "\x01" * 10_000  # binary by limits.check_is_document's rule; x 40 as JSON (\u0001) is over 2 MB
SPACES = "\x1c\x85" * 5_000  # controls that are whitespace to str.strip(): a blank document


def _post(api, path: str, body: dict) -> httpx.Response:
    data = json.dumps(body, ensure_ascii=False).encode()
    return httpx.post(
        api.base + path, content=data, headers={**api.auth("a"), "content-type": "application/json"}, timeout=60
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "problem"),
    [
        ("/v1/articles", {"html": BINARY, "text": "Title\n\nA short wire copy."}, 422, "invalid_input"),
        ("/v1/articles", {"url": "https://example.org/a", "text": BINARY}, 422, "invalid_input"),
        ("/v1/extract", {"html": BINARY, "text": "Title\n\nA short wire copy."}, 422, "invalid_input"),
        ("/v1/articles", {"text": SPACES}, 422, "invalid_input"),  # blank to str.strip()
        ("/v1/webhooks/deliveries/replay", {"since": "2026-01-01T00:00:00Z", "html": BINARY}, 400, "malformed_request"),
    ],
    ids=["html and text", "url and text", "preview html and text", "whitespace controls", "not a document route"],
)
def test_a_large_body_is_answered_as_a_small_one_with_the_same_fault(api, path, body, status, problem):
    small = _post(api, path, body)
    assert small.status_code == status and small.json()["type"].endswith("/" + problem), small.text[:300]
    large_body = {k: v * 40 if v in (BINARY, SPACES) else v for k, v in body.items()}
    assert len(json.dumps(large_body, ensure_ascii=False).encode()) >= PROBE_MIN_BYTES
    large = _post(api, path, large_body)
    assert large.status_code == status, large.text[:300]
    assert large.json()["type"].endswith("/" + problem), large.text[:300]
