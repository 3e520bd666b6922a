"""What delivery or the worker would refuse later is refused at submission, by the same rules: callback_url by
the webhook guard (URL rules, denied addresses and names, ports), documents by the extraction size limit."""

from __future__ import annotations

import httpcore
import httpx
import pytest

from service.errors import InvalidInput
from service.extraction import ExtractionError, extract_document
from service.extraction.limits import MAX_TEXT_CHARS
from service.fetching.transport import guarded_client
from service.settings import Settings
from service.webhooks.delivery import _post

PUBLIC = "93.184.215.14"  # an address literal: accepted without any lookup, and nothing is ever sent to it
REFUSED = [
    f"https://user:secret@{PUBLIC}/hook",  # credentials
    f"https://{PUBLIC}/hook\r\nX-Injected: 1",  # CRLF
    f"https://{PUBLIC}/a hook",  # a space
    "http://127.0.0.1/hook",
    "http://[::1]/hook",
    "http://2130706433/hook",
    "http://0x7f.1/hook",  # loopback
    "http://169.254.169.254/latest/meta-data",  # metadata
    "http://localhost/hook",
    "http://printer.local/hook",  # local by name
    "http://vm/hook",  # /etc/hosts: resolves to 127.0.0.1 without a packet leaving the machine
    f"https://{PUBLIC}:8443/hook",  # a port outside allowed_ports
    "ftp://example.org/hook",
]


def _submit(api, body: dict) -> httpx.Response:
    return httpx.post(api.base + "/v1/articles", json=body, headers=api.auth("a"), timeout=30)


@pytest.mark.e2e
@pytest.mark.parametrize("callback_url", REFUSED)
def test_a_callback_url_delivery_would_refuse_is_422_at_submission(api, callback_url):
    r = _submit(api, {"text": "Title\n\nA short wire copy.", "callback_url": callback_url})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/invalid_input") and r.json()["field"] == "callback_url"


@pytest.mark.e2e
def test_a_callback_url_delivery_accepts_is_accepted(api):
    assert (
        _submit(api, {"text": "Title\n\nA short wire copy.", "callback_url": f"https://{PUBLIC}/hook"}).status_code
        == 202
    )


@pytest.mark.e2e
def test_text_the_worker_would_refuse_as_too_large_is_413_at_submission(api):
    text = "Title\n\n" + "word " * (MAX_TEXT_CHARS // 5)
    assert len(text) > MAX_TEXT_CHARS and len(text.encode()) < 5 * 1024 * 1024
    with pytest.raises(ExtractionError) as refused:  # what the worker would say later
        extract_document(text, "text")
    assert refused.value.type == "document_too_large"
    for path in ("/v1/articles", "/v1/extract"):
        r = httpx.post(api.base + path, json={"text": text}, headers=api.auth("a"), timeout=60)
        assert r.status_code == 413, r.text
        assert r.json()["type"].endswith("/payload_too_large")


# Names other than loopback ones are answered by a stub resolver: no packet leaves the machine.
STUB_DNS = {
    "cms.example": ["93.184.215.14"],
    "intranet.example": ["10.1.2.3"],
    "split.example": ["93.184.215.14", "192.168.0.7"],
    "nat64.example": ["64:ff9b::a9fe:a9fe"],
    "vm": ["127.0.0.1"],
}


def _stub_resolver(host: str) -> list[str]:
    return STUB_DNS[host]


@pytest.mark.parametrize("url", [f"https://{h}/hook" for h in STUB_DNS] + REFUSED)
def test_submission_and_delivery_refuse_exactly_the_same_callback_urls(url):
    from service.webhooks.targets import check_callback_url

    settings = Settings(broker_url="memory://")
    try:
        check_callback_url(url, settings, resolver=_stub_resolver)
        refused_at_submission = False
    except InvalidInput:
        refused_at_submission = True

    def dial(*_):
        raise httpcore.ConnectError("the test never connects")

    response = _post(
        lambda: guarded_client(settings, timeout=2, resolver=_stub_resolver, dialer=dial), url, "{}", {}, settings
    )
    assert refused_at_submission == response.permanent, (url, response.error)
    assert refused_at_submission == (url != "https://cms.example/hook")


# The fetcher's guard refuses these for good from the URL alone (no DNS needed): refused at submission too.
REFUSED_PAGES = [u for u in REFUSED if u != "http://vm/hook"]  # a name that needs resolving is judged when fetched


@pytest.mark.e2e
@pytest.mark.parametrize("url", REFUSED_PAGES)
def test_a_page_url_the_fetcher_would_refuse_is_422_at_submission(api, url):
    r = _submit(api, {"url": url.replace("/hook", "/story.html")})
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("/invalid_input") and r.json()["field"] == "url", r.text


@pytest.mark.e2e
def test_a_page_url_on_a_name_is_accepted_without_a_lookup(api):
    """Names are resolved when fetched (the guard checks every address then); submission makes no DNS query."""
    r = _submit(api, {"url": "https://news.example.invalid/2026/11/story.html"})
    assert r.status_code == 202, r.text
