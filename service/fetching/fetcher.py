"""fetch_page: robots, per-host limits, manual redirects, bounded retries, charset decoding."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from service.kit.retry_after import parse_retry_after

from ..settings import Settings
from .charset import decode_body
from .decoding import ACCEPT_ENCODING
from .errors import FetchError
from .guard import Resolver, split_url
from .http import HTML_TYPES, REDIRECT_STATUSES, RawResponse, request_once
from .politeness import HostLimiter
from .robots import ROBOTS_CACHE
from .transport import Dialer, GuardedTransport

PERMANENT_STATUSES = frozenset({404, 410, 451})


@dataclass
class FetchedPage:
    requested_url: str
    final_url: str
    status_code: int
    content_type: str | None
    text: str
    encoding: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    raw_bytes_len: int


class Fetcher:
    """One fetch's worth of state: a guarded client, the limiter, the deadline."""

    def __init__(self, settings: Settings, *, resolver: Resolver | None = None, dialer: Dialer | None = None) -> None:
        self.settings = settings
        self.client = httpx.Client(
            transport=GuardedTransport(settings, resolver=resolver, dialer=dialer),
            follow_redirects=False,  # by hand: every hop is checked again
            trust_env=False,  # no proxies or .netrc credentials from the environment
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
            },
        )
        self.limiter = HostLimiter(settings)

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchedPage:
        settings = self.settings
        deadline = time.monotonic() + settings.fetch_total_timeout
        split_url(url, settings)
        for attempt in range(settings.fetch_max_retries + 1):
            try:
                return self._fetch_once(url, deadline, etag, last_modified)
            except FetchError as exc:
                if not exc.retryable or attempt == settings.fetch_max_retries:
                    raise
                if exc.retry_after is not None:
                    if exc.retry_after > settings.fetch_max_retry_after:
                        raise  # a long outage: the task retries later
                    wait = exc.retry_after
                else:  # exponential backoff with full jitter: retries of many workers spread out
                    wait = random.uniform(0, settings.fetch_backoff_base * 2**attempt)
                if time.monotonic() + wait >= deadline:
                    raise
                time.sleep(wait)
        raise AssertionError("unreachable")

    def _fetch_once(self, url: str, deadline: float, etag: str | None, last_modified: str | None) -> FetchedPage:
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        response = self.follow(
            url,
            deadline,
            max_bytes=self.settings.fetch_max_bytes,
            accept_types=HTML_TYPES,
            check_robots=self.settings.respect_robots,
            conditional=conditional,
        )
        status = response.status_code
        if status == 304 and conditional:
            return FetchedPage(
                url,
                response.url,
                status,
                None,
                "",
                None,
                response.headers.get("etag", etag),
                response.headers.get("last-modified", last_modified),
                True,
                0,
            )
        if not 200 <= status < 300:
            raise self._status_error(response)
        if response.media_type is None and b"\x00" in response.body[:1024]:
            raise FetchError("not_html", "no content type and the body looks binary")
        text, encoding = decode_body(response.body, response.headers.get("content-type"))
        return FetchedPage(
            requested_url=url,
            final_url=response.url,
            status_code=status,
            content_type=response.media_type or "text/html",
            text=text,
            encoding=encoding,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            not_modified=False,
            raw_bytes_len=response.raw_bytes_len,
        )

    def _status_error(self, response: RawResponse) -> FetchError:
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status in (429, 503) and retry_after is not None:
            self.limiter.pause(urlsplit(response.url).netloc, retry_after)
        retryable = None if status not in PERMANENT_STATUSES else False
        return FetchError(
            f"http_{status}",
            f"{response.url} answered {status}",
            retryable=retryable,
            retry_after=retry_after if status in (429, 503) else None,
        )

    def follow(
        self,
        url: str,
        deadline: float,
        *,
        max_bytes: int,
        accept_types: frozenset[str] | None,
        check_robots: bool,
        conditional: dict[str, str] | None = None,
    ) -> RawResponse:
        """GETs `url`, following up to `fetch_max_redirects` redirects, each hop checked like the first."""
        first_host = urlsplit(url).netloc.lower()
        seen = {url}
        for _hop in range(self.settings.fetch_max_redirects + 1):
            parts = split_url(url, self.settings)
            host = parts.netloc.lower()
            if host != first_host:
                self.client.cookies.clear()  # nothing set by one host travels to another
            if check_robots and not ROBOTS_CACHE.allowed(url, self.settings, self._robots_fetcher(deadline)):
                raise FetchError("robots_disallowed", f"robots.txt of {host} disallows {url}")
            headers = dict(conditional or {}) if host == first_host else {}
            with self.limiter.slot(host, deadline):
                response = request_once(
                    self.client,
                    url,
                    self.settings,
                    headers=headers,
                    deadline=deadline,
                    max_bytes=max_bytes,
                    accept_types=accept_types,
                )
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response
            url = urljoin(url, location.strip())
            if url in seen:
                raise FetchError("too_many_redirects", f"redirect loop back to {url}")
            seen.add(url)
        raise FetchError("too_many_redirects", f"more than {self.settings.fetch_max_redirects} redirects")

    def _robots_fetcher(self, deadline: float) -> Callable[[str], RawResponse]:
        def fetch(robots_url: str) -> RawResponse:
            return self.follow(
                robots_url, deadline, max_bytes=self.settings.robots_max_bytes, accept_types=None, check_robots=False
            )

        return fetch


def fetch_page(
    url: str,
    settings: Settings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver | None = None,
    dialer: Dialer | None = None,
) -> FetchedPage:
    fetcher = Fetcher(settings, resolver=resolver, dialer=dialer)
    try:
        return fetcher.fetch(url, etag=etag, last_modified=last_modified)
    finally:
        fetcher.close()
