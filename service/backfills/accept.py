"""Accepting a backfill: one streaming request, one transaction, one COPY. Nothing per line but a msgspec
decode, so 100,000 lines take well under the 2 s budget and memory stays flat whatever the body size."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.api_keys.service import Principal
from service.errors import InvalidInput, PayloadTooLarge
from service.settings import Settings
from service.webhooks.targets import check_callback_url

from .models import Backfill
from .parsing import parse_body

_COPY = ("COPY backfill_lines (backfill_id, line, url, external_id, callback_url, error_type, error_detail) "
         "FROM STDIN")
SAMPLE_ERRORS = 20


@dataclass(frozen=True, slots=True)
class BackfillOptions:
    refresh: bool = False
    callback_url: str | None = None
    rate_per_second: float | None = None


@dataclass(slots=True)
class AcceptCounts:
    lines: int = 0
    invalid: int = 0
    last_line: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # the first few bad lines


def accept_backfill(session: Session, principal: Principal, chunks: Iterable[bytes], options: BackfillOptions,
                    settings: Settings) -> tuple[Backfill, AcceptCounts]:
    """Stream an NDJSON file or a JSON array of URL items (`chunks`: the request body as it arrives, any
    chunking) into a new backfill owned by `principal`, with COPY; lines are only stored here (checked and
    released later by the releaser). Returns the backfill and the counts (lines, invalid lines with the first
    few errors by line number). Raises InvalidInput for a bad callback_url or rate, and for a body that is
    neither NDJSON nor a JSON array."""
    rate = _rate(options, settings)
    callback = check_callback_url(options.callback_url, settings) if options.callback_url else None
    backfill = Backfill(id=uuid.uuid4(), api_key_id=principal.key_id, kind="urls", status="preparing",
                        refresh=options.refresh, callback_url=callback, rate_per_second=rate)
    session.add(backfill)
    session.flush()
    # An upload of millions of lines may outlast the default statement timeout; it is one COPY statement.
    session.execute(text("SET LOCAL statement_timeout = '15min'"))
    rows = parse_body(_capped(chunks, settings.backfill_max_request_bytes),
                      max_line_bytes=settings.backfill_max_line_bytes)
    counts = copy_lines(session, backfill.id, rows)
    if counts.lines == 0:
        raise InvalidInput("the body has no lines: send NDJSON ({\"url\": ...} per line) or a JSON array")
    backfill.total_lines, backfill.invalid_lines, backfill.last_line = counts.lines, counts.invalid, counts.last_line
    session.flush()
    return backfill, counts


def copy_lines(session: Session, backfill_id: uuid.UUID, rows: Iterable[tuple]) -> AcceptCounts:
    counts = AcceptCounts()
    driver = session.connection().connection.driver_connection  # the psycopg 3 connection of this transaction
    with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
        write = copy.write_row
        for row in rows:
            write((backfill_id, *row))
            counts.lines += 1
            if row[4] is not None:
                counts.invalid += 1
                if len(counts.errors) < SAMPLE_ERRORS:
                    counts.errors.append((row[0], row[4], row[5]))
        counts.last_line = row[0] if counts.lines else 0
    return counts


def _rate(options: BackfillOptions, settings: Settings) -> float:
    rate = options.rate_per_second or settings.backfill_rate_per_second
    if not 0 < rate <= settings.backfill_max_rate_per_second:
        raise InvalidInput(f"rate_per_second must be in (0, {settings.backfill_max_rate_per_second}]",
                           extra={"field": "rate_per_second"})
    return rate


def _capped(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > limit:
            raise PayloadTooLarge(f"a backfill body may not exceed {limit} bytes; split the file")
        yield chunk
