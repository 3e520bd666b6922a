"""Error details name what the client sent, never what our resolver answered (internal DNS)."""

from __future__ import annotations

import socket

import httpx
import pytest

pytestmark = pytest.mark.e2e


def _resolved(host: str) -> set[str]:
    return {info[4][0] for info in socket.getaddrinfo(host, None)}


@pytest.mark.parametrize("host", ["vm", "runsc"])  # /etc/hosts names: resolved without a packet leaving
def test_a_refused_fetch_does_not_echo_resolved_addresses(api, host):
    addresses = _resolved(host)
    r = httpx.post(api.base + "/v1/extract", json={"url": f"http://{host}/story"}, headers=api.auth("a"), timeout=30)
    assert r.status_code == 422, r.text
    assert r.json()["fetch_error"] == "blocked_address" and host in r.json()["detail"]
    assert not any(a in r.text for a in addresses), r.text


@pytest.mark.parametrize("host", ["vm", "runsc"])
def test_a_refused_callback_url_does_not_echo_resolved_addresses(api, host):
    addresses = _resolved(host)
    r = httpx.post(
        api.base + "/v1/articles",
        json={"text": "T\n\nBody.", "callback_url": f"http://{host}/hook"},
        headers=api.auth("a"),
        timeout=30,
    )
    assert r.status_code == 422, r.text
    assert host in r.json()["detail"] and not any(a in r.text for a in addresses), r.text
