"""Safe, polite fetching of article pages, and the SSRF-guarded client for webhooks.

Public interface (stable; everything else in this package is internal):

- ``fetch_page(url, settings, *, etag=None, last_modified=None, resolver=None) -> FetchedPage``
  GETs an HTML/XHTML/text page: URL rules and SSRF guard on every hop, robots.txt, per-host concurrency and
  rate limits shared through Redis, at most ``fetch_max_redirects`` manual redirects, connect/read/total
  deadlines, a size cap on raw and decompressed bytes, charset from BOM/header/<meta>/detection, and up to
  ``fetch_max_retries`` quick retries of transient failures inside the total deadline. With ``etag`` or
  ``last_modified`` it sends a conditional request; a 304 gives ``FetchedPage(not_modified=True, text="")``.
- ``FetchError(type, detail, retryable, retry_after)``: every failure. ``type`` is one of ``invalid_url``,
  ``blocked_address``, ``dns_error``, ``dns_error_temporary``, ``fetch_timeout``, ``connection_error``,
  ``too_many_redirects``, ``robots_disallowed``, ``robots_unreachable``, ``host_busy``, ``too_large``,
  ``not_html``, ``bad_encoding``, ``http_<status>``. A Celery task retries when ``retryable`` is true, no
  sooner than ``retry_after`` seconds when that is set.
- ``guarded_client(settings, *, timeout, resolver=None) -> httpx.Client`` for webhook deliveries: never
  follows redirects, guarded at connect time, raises ``FetchError(type="blocked_address")`` for denied
  targets and ``FetchError(type="invalid_url")`` for other schemes or credentials in the URL.
- ``check_url(url, settings, resolver=None) -> list[ip]``: the guard's decision without connecting.
- ``normalize_url(url)``, ``canonical_if_same_site(page_url, canonical)``: duplicate detection.
- ``warn_if_guard_disabled(settings, logger)``: entry points call it at start.

``resolver`` is a callable ``host -> list[str]`` of IP addresses (default: the system resolver); tests
inject one. The guard resolves once and connects to the address it checked, so DNS rebinding cannot
slip a different address in between.
"""

from __future__ import annotations

import importlib

# name -> submodule. Loaded on first use (PEP 562): the URL helpers must not load httpx, Redis and the
# fetcher for callers that never fetch (the record mapping, `article-ingest extract` of a file).
_EXPORTS = {
    "FetchError": ".errors",
    "FetchedPage": ".fetcher",
    "fetch_page": ".fetcher",
    "check_url": ".guard",
    "warn_if_guard_disabled": ".guard",
    "guarded_client": ".transport",
    "canonical_if_same_site": ".urls",
    "normalize_url": ".urls",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
