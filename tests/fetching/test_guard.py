"""SSRF guard: address rules, odd spellings, and a matrix run through fetch_page and the webhook client.

No packet leaves loopback: every dial goes through a test dialer that records it and connects to the
canary (or, for the stub public address, to the local site), so a guard failure shows up as a canary
connection or a recorded dial instead of traffic to a real address.
"""

from __future__ import annotations

import ipaddress
import logging
import uuid

import httpcore
import pytest
import redis

from service.fetching import FetchError, check_url, fetch_page, guarded_client, warn_if_guard_disabled
from service.fetching.guard import is_denied_address, parse_ip_literal
from service.fetching.transport import direct_dialer
from service.settings import Settings

from .servers import Canary, LocalSite, respond

PUBLIC_STUB = "93.184.216.34"  # never dialed: the test dialer maps it to the local site

# host name -> addresses, answered by the injected resolver
RESOLVES = {
    "public.test": [PUBLIC_STUB],
    "private10.test": ["10.0.0.1"],
    "private172.test": ["172.16.5.4"],
    "private192.test": ["192.168.1.1"],
    "metadata.test": ["169.254.169.254"],
    "cgnat.test": ["100.64.0.1"],
    "zero.test": ["0.1.2.3"],
    "multicast.test": ["224.0.0.1"],
    "reserved.test": ["240.0.0.1"],
    "broadcast.test": ["255.255.255.255"],
    "benchmark.test": ["198.18.0.1"],
    "docnet.test": ["192.0.2.1"],
    "loop.test": ["127.0.0.1"],
    "loop6.test": ["::1"],
    "unspecified6.test": ["::"],
    "ula.test": ["fd12:3456::1"],
    "ula-fc.test": ["fc00::1"],
    "linklocal6.test": ["fe80::1"],
    "sitelocal6.test": ["fec0::1"],
    "multicast6.test": ["ff02::1"],
    "mapped.test": ["::ffff:169.254.169.254"],
    "mapped-private.test": ["::ffff:10.0.0.1"],
    "compat.test": ["::127.0.0.1"],
    "nat64.test": ["64:ff9b::a9fe:a9fe"],
    "sixto4.test": ["2002:a9fe:a9fe::1"],
    "teredo.test": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    "public-then-loop.test": [PUBLIC_STUB, "127.0.0.1"],
    "public6-then-loop6.test": ["2606:4700:4700::1111", "::1"],
    "public-then-metadata.test": [PUBLIC_STUB, "169.254.169.254"],
}

BLOCKED_URLS = [f"http://{host}/" for host in RESOLVES if not host.startswith("public.")] + [
    # odd spellings of loopback and friends: literals, never sent to the resolver
    "http://127.0.0.1/",
    "http://127.0.0.2/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://0/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[fe80::1%25eth0]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://0xa9fea9fe/",
    "http://2852039166/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://api.localhost/",
    "http://printer.local/",
    "HTTP://127.0.0.1/",
    # URL rules: schemes, credentials, ports
    "file:///etc/passwd",
    "gopher://public.test/",
    "ftp://public.test/",
    "dict://public.test:11211/",
    "http://user:pass@public.test/",
    "http://user@public.test/",
    "http://public.test:22/",
    "http://public.test:6379/",
    "javascript:alert(1)",
    "http:///nohost",
    "http://public.test\t/",
]

# A page on an allowed host that redirects to a denied one: every hop must be checked again.
REDIRECT_TARGETS = [
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://[::1]/",
    "http://metadata.test/latest/",
    "http://private10.test/",
    "http://nat64.test/",
    "file:///etc/passwd",
    "http://user:pw@public.test/x",
]


class Dials:
    """Test dialer: the stub public address reaches the local site, everything else the canary."""

    def __init__(self, site_port: int, canary_port: int) -> None:
        self.site_port, self.canary_port = site_port, canary_port
        self.dialed: list[str] = []

    def __call__(self, ip, port, timeout, socket_options) -> httpcore.NetworkStream:
        if ip == PUBLIC_STUB:
            return direct_dialer("127.0.0.1", self.site_port, timeout, socket_options)
        self.dialed.append(ip)
        return direct_dialer("127.0.0.1", self.canary_port, timeout, socket_options)


def resolver(host: str) -> list[str]:
    if host not in RESOLVES:
        raise AssertionError(f"unexpected lookup of {host!r}")
    return RESOLVES[host]


@pytest.fixture(scope="module")
def guard_env():
    """One site, canary and settings for the whole matrix: ~150 cases stay fast."""
    site, canary = LocalSite(), Canary()
    for index, target in enumerate(REDIRECT_TARGETS):
        site.routes[f"/to/{index}"] = lambda h, t=target: respond(h, 302, headers={"Location": t})
    site.routes["/robots.txt"] = lambda h: respond(h, 404)
    site.routes["/ok"] = lambda h: respond(h, 200, b"<html><p>ok</p></html>")
    prefix = f"test:fetching:{uuid.uuid4().hex}:"
    settings = Settings(
        allow_private_networks=False,
        politeness_key_prefix=prefix,
        per_host_rate_per_second=1000.0,
        fetch_total_timeout=5.0,
    )
    yield site, canary, settings
    site.close()
    canary.close()
    client = redis.Redis.from_url(settings.redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def guarded(guard_env):
    site, canary, settings = guard_env
    dials = Dials(site.port, canary.port)
    yield settings, dials
    assert dials.dialed == [], "the guard let a denied address be dialed"
    assert canary.connections == 0


@pytest.fixture
def guard_site(guard_env):
    return guard_env[0]


def test_matrix_has_enough_vectors():
    assert len(BLOCKED_URLS) + len(REDIRECT_TARGETS) >= 40


@pytest.mark.parametrize("url", BLOCKED_URLS)
def test_fetch_refuses(url, guarded):
    settings, dials = guarded
    with pytest.raises(FetchError) as info:
        fetch_page(url, settings, resolver=resolver, dialer=dials)
    assert info.value.type in ("blocked_address", "invalid_url")
    assert not info.value.retryable


@pytest.mark.parametrize("url", BLOCKED_URLS)
def test_webhook_post_refuses(url, guarded):
    settings, dials = guarded
    with (
        guarded_client(settings, timeout=2.0, resolver=resolver, dialer=dials) as client,
        pytest.raises(FetchError) as info,
    ):
        client.post(url, json={"event": "article.ready"})
    assert info.value.type in ("blocked_address", "invalid_url")


@pytest.mark.parametrize("index", range(len(REDIRECT_TARGETS)))
def test_redirect_to_denied_host_is_refused(index, guarded, guard_site):
    settings, dials = guarded
    with pytest.raises(FetchError) as info:
        fetch_page(f"http://public.test/to/{index}", settings, resolver=resolver, dialer=dials)
    assert info.value.type in ("blocked_address", "invalid_url")
    assert guard_site.hits[f"/to/{index}"] >= 1


def test_webhook_client_does_not_follow_redirects(guarded, guard_site):
    settings, dials = guarded
    with guarded_client(settings, timeout=2.0, resolver=resolver, dialer=dials) as client:
        response = client.post("http://public.test/to/0", json={})
    assert response.status_code == 302
    assert guard_site.request_headers[-1]["User-Agent"] == settings.user_agent


def test_allowed_public_host_is_fetched_with_its_name(guarded, guard_site):
    settings, dials = guarded
    page = fetch_page("http://public.test/ok", settings, resolver=resolver, dialer=dials)
    assert page.text == "<html><p>ok</p></html>"
    assert guard_site.request_headers[-1]["Host"] == "public.test"  # connected to the IP, Host kept


def test_real_dialer_never_reaches_the_canary(canary, make_settings):
    # The default dialer, aimed at the canary port on loopback literals and spellings.
    settings = make_settings(allow_private_networks=False, allowed_ports=[80, 443, canary.port])
    for host in ("127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]"):
        with pytest.raises(FetchError) as info:
            fetch_page(f"http://{host}:{canary.port}/", settings)
        assert info.value.type == "blocked_address"
        with guarded_client(settings, timeout=1.0) as client, pytest.raises(FetchError):
            client.post(f"http://{host}:{canary.port}/hook", content=b"{}")
    assert canary.connections == 0


def test_rebinding_resolver_is_asked_once_and_its_answer_is_dialed(site, canary, make_settings):
    answers = iter([[PUBLIC_STUB], ["127.0.0.1"]])  # first answer public, any second one loopback
    calls = []

    def rebinding(host):
        calls.append(host)
        return next(answers)

    settings = make_settings(allow_private_networks=False, respect_robots=False)
    site.routes["/ok"] = lambda h: respond(h, 200, b"<p>ok</p>")
    dials = Dials(site.port, canary.port)
    page = fetch_page("http://rebind.test/ok", settings, resolver=rebinding, dialer=dials)
    assert page.status_code == 200 and calls == ["rebind.test"] and dials.dialed == []
    assert canary.connections == 0


@pytest.mark.parametrize(
    "spelling", ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.0.0.1", "127.0.1", "017700000001"]
)
def test_odd_ipv4_spellings_read_as_loopback(spelling):
    assert parse_ip_literal(spelling) == ipaddress.IPv4Address("127.0.0.1")


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::", "::ffff:a9fe:a9fe", "2001::1", "100.64.0.1", "169.254.169.254"],
)
def test_forms_of_metadata_address_denied_even_where_is_global_says_otherwise(address):
    assert is_denied_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC_STUB, "8.8.8.8", "2606:4700:4700::1111", "2a00:1450::1"])
def test_public_addresses_allowed(address, make_settings):
    assert not is_denied_address(ipaddress.ip_address(address))
    settings = make_settings(allow_private_networks=False)
    assert check_url(f"https://{address if ':' not in address else f'[{address}]'}/", settings) == [
        ipaddress.ip_address(address)
    ]


def test_check_url_uses_injected_resolver(make_settings):
    settings = make_settings(allow_private_networks=False)
    assert check_url("https://public.test/a", settings, resolver) == [ipaddress.ip_address(PUBLIC_STUB)]
    with pytest.raises(FetchError, match="blocked_address"):
        check_url("https://public-then-loop.test/", settings, resolver)


def test_allow_private_networks_lifts_only_the_address_rules(make_settings):
    settings = make_settings(allow_private_networks=True)
    assert check_url("http://loop.test/", settings, resolver) == [ipaddress.ip_address("127.0.0.1")]
    for url in ("file:///etc/passwd", "http://u:p@loop.test/", "http://loop.test:22/"):
        with pytest.raises(FetchError):
            check_url(url, settings, resolver)


def test_warning_when_guard_disabled(make_settings, caplog):
    logger = logging.getLogger("test.entrypoint")
    with caplog.at_level(logging.WARNING):
        assert warn_if_guard_disabled(make_settings(allow_private_networks=True), logger)
        assert not warn_if_guard_disabled(make_settings(allow_private_networks=False), logger)
    assert len(caplog.records) == 1 and "INGEST_ALLOW_PRIVATE_NETWORKS" in caplog.text


@pytest.mark.parametrize(
    "host",
    ["a" * 64 + ".example", "news..example", ".".join(["abcdefghi"] * 26)],  # label > 63, empty label, > 253
    ids=["label-64", "empty-label", "name-over-253"],
)
def test_a_host_name_dns_cannot_carry_is_an_invalid_url_never_asked_of_the_resolver(host, make_settings):
    def resolver_must_not_be_asked(name: str) -> list[str]:
        raise AssertionError(f"resolver asked for {name!r}")

    with pytest.raises(FetchError) as caught:
        check_url(f"https://{host}/a", make_settings(allow_private_networks=False), resolver_must_not_be_asked)
    assert caught.value.type == "invalid_url" and "not a valid DNS name" in caught.value.detail
