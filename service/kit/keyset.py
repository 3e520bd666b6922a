"""Keyset pagination (the "seek method"): a page continues after the sort key of the last row served, so pages
never overlap or skip rows when rows are added meanwhile, and every page costs one index range scan.

One cursor codec and one "is there a next page" rule for every paginated listing: a cursor is the last row's
key, its parts joined by a separator, base64url-encoded without padding (padded cursors handed out earlier
decode too); a listing fetches ``limit + 1`` rows and has a next page exactly when the extra row came back."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from service.errors import InvalidQueryParameter

T = TypeVar("T")


BIGINT_MAX = 2**63 - 1  # Postgres bigint


def bigint(text: str) -> int:
    """A cursor part that is compared with a Postgres bigint column: ValueError outside [0, 2^63 - 1] (a forged
    cursor must be a 422, not a database error halfway through a streamed response)."""
    value = int(text)
    if not 0 <= value <= BIGINT_MAX:
        raise ValueError(text)
    return value


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


@dataclass(frozen=True, slots=True)
class CursorCodec:
    """Encodes a sort key of ``len(parts)`` values; `parts` parse each one back (e.g. int, uuid.UUID,
    datetime.fromisoformat). `problem` says why a cursor that is not one of ours is refused, `field` names the
    query parameter that carries the cursor."""

    parts: tuple[Callable[[str], Any], ...]
    problem: str
    separator: str = "|"
    field: str = "cursor"

    def encode(self, *key: Any) -> str:
        text = self.separator.join(_text(v) for v in key)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, ...]:
        """The key `cursor` was made from. Raises InvalidQueryParameter (HTTP 400 problem) when it is not a
        cursor."""
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            values = text.split(self.separator)
            if len(values) != len(self.parts) or "\x00" in text:  # no cursor made here holds NUL
                raise ValueError(cursor)
            return tuple(parse(v) for parse, v in zip(self.parts, values, strict=True))
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise InvalidQueryParameter({self.field: self.problem}) from None


def page(
    rows: Sequence[T], limit: int, codec: CursorCodec, key: Callable[[T], tuple[Any, ...]]
) -> tuple[list[T], str | None]:
    """`rows` fetched with ``LIMIT limit + 1`` → (the page, the next page's cursor or None on the last page)."""
    if len(rows) <= limit:
        return list(rows), None
    served = list(rows[:limit])
    return served, codec.encode(*key(served[-1]))
