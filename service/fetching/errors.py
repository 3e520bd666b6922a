"""The one exception type of the fetcher: a typed, retry-aware failure."""

from __future__ import annotations

from collections.abc import Callable

# Failures worth retrying later: the same request may well succeed in a minute.
RETRYABLE_TYPES = frozenset(
    {
        "fetch_timeout",
        "connection_error",
        "dns_error_temporary",
        "host_busy",
        "robots_unreachable",
        "http_408",
        "http_425",
        "http_429",
    }
)


class FetchError(Exception):
    """A fetch that ended without a usable page.

    `type` is a stable machine-readable code (`fetch_timeout`, `http_404`, `robots_disallowed`,
    `blocked_address`, `too_large`, `not_html`, `connection_error`, `too_many_redirects`, `invalid_url`...),
    `retryable` says whether trying again later can help, `retry_after` (seconds) is the server's or the
    limiter's hint for when.
    """

    def __init__(
        self, type: str, detail: str = "", *, retryable: bool | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{type}: {detail}" if detail else type)
        self.type = type
        self.detail = detail
        self.retryable = is_retryable(type) if retryable is None else retryable
        self.retry_after = retry_after

    # Keeps the fields when Celery pickles the exception.
    def __reduce__(self) -> tuple[Callable[..., FetchError], tuple[str, str, bool, float | None]]:
        return (_rebuild, (self.type, self.detail, self.retryable, self.retry_after))


def _rebuild(type: str, detail: str, retryable: bool, retry_after: float | None) -> FetchError:
    return FetchError(type, detail, retryable=retryable, retry_after=retry_after)


def is_retryable(type: str) -> bool:
    return type in RETRYABLE_TYPES or (type.startswith("http_5") and type != "http_501")
