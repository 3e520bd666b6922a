"""SSRF guard: which URLs may be fetched and which addresses may be connected to.

The address rule is an explicit deny list checked *together with* `is_global`: neither alone is enough
(Python 3.11.7 calls the NAT64 and 6to4 forms of 169.254.169.254 global; a deny list alone misses ranges
IANA adds later). The transport connects only to addresses that passed `check_addresses`, so a DNS answer
cannot change between check and connect (rebinding).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterable
from urllib.parse import SplitResult, urlsplit

from ..settings import Settings
from .errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]

DENIED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        # IPv4
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches localhost on Linux
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",  # private
        "100.64.0.0/10",  # CGNAT, often internal in clouds
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata 169.254.169.254
        "192.0.0.0/24",
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",  # IETF / documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
        # IPv6
        "::/128",
        "::1/128",  # unspecified, loopback
        "::/96",  # IPv4-compatible (deprecated) addresses
        "::ffff:0:0/96",  # IPv4-mapped: would reach the embedded IPv4 address
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",
        "64:ff9b:1::/48",  # NAT64 prefixes: 64:ff9b::a9fe:a9fe is the metadata server
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, includes Teredo 2001::/32
        "2001:db8::/32",
        "3fff::/20",  # documentation
        "2002::/16",  # 6to4: embeds an IPv4 address
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)

# Hosts that are local by name, refused before any lookup.
DENIED_HOST_NAMES = ("localhost", "localhost.localdomain")
DENIED_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")

_log = logging.getLogger(__name__)
_NUMERIC_PART = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


def is_denied_address(ip: IPAddress) -> bool:
    """True for every address a fetch must never connect to."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return True  # zone ids only make sense for link-local
    return any(ip in net for net in DENIED_NETWORKS if net.version == ip.version) or not ip.is_global


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string spells, read the way inet_aton and browsers read it.

    Accepts the odd IPv4 spellings (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) so they are checked
    as the address they reach, not waved through as "host names".
    """
    host = host.strip("[]")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            return None
    parts = host.rstrip(".").split(".")
    if not parts or len(parts) > 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        return None
    try:
        values = [_parse_part(p) for p in parts]
    except ValueError:  # "08": not octal, and not a host name either
        raise FetchError("invalid_url", f"malformed numeric host {host!r}") from None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise FetchError("invalid_url", f"numeric host out of range {host!r}")
    number = last
    for i, v in enumerate(head):
        number += v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def _parse_part(part: str) -> int:
    if part.lower().startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def system_resolver(host: str) -> list[str]:
    """All addresses the system resolver gives for `host` (A and AAAA)."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        temporary = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None))
        raise FetchError("dns_error_temporary" if temporary else "dns_error", f"{host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def split_url(url: str, settings: Settings) -> SplitResult:
    """Checks the URL-level rules (scheme, userinfo, port, host) and returns the parsed URL."""
    if not isinstance(url, str) or len(url) > 4096 or any(c <= " " or c == "\x7f" for c in url):
        raise FetchError("invalid_url", "URL is empty, too long or has whitespace/control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("invalid_url", str(exc)) from None
    if parts.scheme not in ("http", "https"):
        raise FetchError("invalid_url", f"scheme {parts.scheme!r} is not allowed")
    if "@" in parts.netloc:
        raise FetchError("invalid_url", "credentials in URLs are not allowed")
    if not parts.hostname:
        raise FetchError("invalid_url", "URL has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    if not settings.allow_any_port and port not in settings.allowed_ports:
        raise FetchError("blocked_address", f"port {port} is not allowed")
    if parse_ip_literal(parts.hostname) is not None:
        # Address literals are decided here, before httpx (which rejects some spellings as invalid URLs)
        resolve_checked(parts.hostname, settings)
    else:
        check_dns_name(parts.hostname)
    return parts


MAX_DNS_NAME = 253  # octets of a name in text form without the root's dot (RFC 1035 section 2.3.4: 255 on the wire)


def check_dns_name(host: str) -> None:
    """Refuse (FetchError invalid_url) a host name that DNS cannot carry: an empty label, a label over 63 octets
    once IDNA-encoded, or a name over 253 octets (RFC 1035 section 2.3.4). Python's IDNA codec checks the labels;
    without this the resolver's own encoding error read as "resolver returned a non-address"."""
    name = host.rstrip(".")
    try:
        encoded = name.encode("idna")
    except UnicodeError as exc:
        raise FetchError("invalid_url", f"host {host[:80]!r} is not a valid DNS name ({exc})") from None
    if len(encoded) > MAX_DNS_NAME:
        raise FetchError("invalid_url", f"host {host[:80]!r} is not a valid DNS name (over {MAX_DNS_NAME} octets)")


def resolve_checked(host: str, settings: Settings, resolver: Resolver | None = None) -> list[IPAddress]:
    """Resolves `host` once and returns its addresses, refusing the host if any of them is denied.

    One bad address refuses the whole host: a resolver that answers a public address first and loopback
    next must not get a second chance through happy-eyeballs fallback.
    """
    host = host.strip("[]").lower()
    literal = parse_ip_literal(host)
    if literal is not None:
        addresses: Iterable[IPAddress] = [literal]
    else:
        name = host.rstrip(".")
        if not settings.allow_private_networks and (name in DENIED_HOST_NAMES or name.endswith(DENIED_HOST_SUFFIXES)):
            raise FetchError("blocked_address", f"host {host!r} is local")
        try:
            addresses = [ipaddress.ip_address(a) for a in (resolver or system_resolver)(name)]
        except ValueError as exc:
            raise FetchError("dns_error", f"resolver returned a non-address for {host!r}: {exc}") from None
    addresses = list(addresses)
    if not addresses:
        raise FetchError("dns_error", f"no addresses for {host!r}")
    if not settings.allow_private_networks:
        denied = [str(a) for a in addresses if is_denied_address(a)]
        if denied:
            # The addresses go to the log only: an error detail reaches the client, and internal DNS is ours.
            _log.info("refused %r: resolves to denied %s", host, ", ".join(denied))
            what = "is a denied address" if literal is not None else "resolves to a denied address"
            raise FetchError("blocked_address", f"{host!r} {what} (private, loopback, link-local or reserved)")
    return addresses


def check_url(url: str, settings: Settings, resolver: Resolver | None = None) -> list[IPAddress]:
    """The guard's decision for `url` without connecting: its checked addresses, or FetchError."""
    return resolve_checked(split_url(url, settings).hostname or "", settings, resolver)


def warn_if_guard_disabled(settings: Settings, logger: logging.Logger) -> bool:
    """Entry points call this at start so a lifted guard never goes unnoticed in logs."""
    lifted = False
    if settings.allow_private_networks:
        logger.warning(
            "INGEST_ALLOW_PRIVATE_NETWORKS is on: the SSRF guard lets fetches and webhooks reach loopback "
            "and private networks. Use this only for tests and local demos."
        )
        lifted = True
    if settings.allow_any_port:
        logger.warning(
            "INGEST_ALLOW_ANY_PORT is on: fetches and webhooks may connect to any port, not only "
            "INGEST_ALLOWED_PORTS. Use this only for local demos."
        )
        lifted = True
    return lifted
