"""Which callback URLs a webhook may go to (and which page URLs the fetcher may): one rule for submission,
delivery and fetching.

Delivery runs through `guarded_client`, which applies `guard.split_url` to the URL (scheme, credentials,
whitespace and control characters, port, address literals) and `guard.resolve_checked` to the host when it
connects (denied names, every resolved address against the deny list). `check_callback_url` applies those same
two functions, in that order, so a URL that delivery would refuse for good is refused when it is submitted.
"""

from __future__ import annotations

from service.errors import InvalidInput
from service.fetching import FetchError
from service.fetching.guard import Resolver, resolve_checked, split_url
from service.fetching.resolver_deadline import deadline_resolver
from service.settings import Settings


def no_dns(name: str) -> list[str]:
    """A resolver that looks nothing up: only the URL itself, address literals and denied names are judged."""
    return []


# The guard's verdicts that no retry changes; any other failure (a DNS timeout, a refused connection) is
# transient: delivery retries it, so submission does not refuse on it either.
PERMANENT_TARGET_ERRORS = ("blocked_address", "invalid_url")


def check_callback_url(
    url: str, settings: Settings, *, field: str = "callback_url", resolver: Resolver | None = None
) -> str:
    """Return `url` if webhook delivery may go to it; raise InvalidInput (422, `extra.field`) if delivery would
    refuse it for good. Resolves the host once (system resolver unless `resolver` is given) when the SSRF guard
    is on, waiting at most `settings.callback_dns_timeout` seconds: a slower lookup is a transient DNS failure,
    so the URL is accepted and delivery resolves it again. With `allow_private_networks` the addresses are not
    checked, as in delivery."""
    try:
        host = split_url(url, settings).hostname or ""
        if not settings.allow_private_networks:
            resolve_checked(host, settings, deadline_resolver(settings.callback_dns_timeout, resolver))
    except FetchError as exc:
        if exc.type in PERMANENT_TARGET_ERRORS:
            raise InvalidInput(f"{field} is not allowed: {exc.detail}", extra={"field": field}) from None
    return url


def check_page_url(url: str, settings: Settings) -> str:
    """Return `url` unless the fetcher's guard would refuse it for good from the URL alone (scheme, credentials,
    port, an address literal or name that is local); no DNS at submission: names are resolved when fetched.
    Raises InvalidInput (422, `extra.field` = "url")."""
    return check_callback_url(url, settings, field="url", resolver=no_dns)
