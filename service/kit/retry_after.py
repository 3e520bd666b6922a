"""The `Retry-After` header (RFC 9110 §10.2.3), read the same way for fetched pages and webhook receivers."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

DEFAULT_CAP = 86400.0  # seconds: a day; callers cap lower for what they will really wait


def parse_retry_after(value: str | None, *, now: datetime | None = None, cap: float = DEFAULT_CAP) -> float | None:
    """Seconds to wait, in [0, cap], from ``delay-seconds`` (digits only, per RFC 9110) or an HTTP-date
    (relative to `now`, default the current UTC time; a past date is 0). None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; obsolete forms may parse without a zone
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()), cap)
