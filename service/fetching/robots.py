"""robots.txt rules per origin, fetched through the guarded fetcher and cached in the process.

RFC 9309: 4xx means no rules (allow all); 5xx or no answer means "assume disallowed" - we report that as
the retryable `robots_unreachable` so the task tries again later instead of fetching blind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from ..settings import Settings
from .errors import FetchError
from .http import RawResponse

_MAX_ENTRIES = 10_000


class RobotsCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Protego | None]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def allowed(self, url: str, settings: Settings, fetch: Callable[[str], RawResponse]) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            entry = self._entries.get(origin)
        if entry is None or entry[0] < time.monotonic():
            entry = (time.monotonic() + settings.robots_cache_seconds, self._load(origin, fetch))
            with self._lock:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._entries.clear()  # crude bound; robots files are cheap to refetch
                self._entries[origin] = entry
        rules = entry[1]
        return rules is None or rules.can_fetch(url, settings.user_agent)

    @staticmethod
    def _load(origin: str, fetch: Callable[[str], RawResponse]) -> Protego | None:
        try:
            response = fetch(f"{origin}/robots.txt")
        except FetchError as exc:
            if exc.type in ("too_many_redirects", "too_large", "not_html"):
                return None  # RFC 9309: treat as unavailable
            if exc.type == "connection_error":
                raise  # the host itself cannot be reached: that, not robots.txt, is the page's problem
            if exc.retryable:
                raise FetchError("robots_unreachable", f"{origin}/robots.txt: {exc}", retry_after=60.0) from None
            raise
        if 200 <= response.status_code < 300:
            return Protego.parse(response.body.decode("utf-8", "replace"))
        if response.status_code >= 500:
            raise FetchError(
                "robots_unreachable", f"{origin}/robots.txt answered {response.status_code}", retry_after=60.0
            )
        return None


ROBOTS_CACHE = RobotsCache()
