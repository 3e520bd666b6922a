"""Preparing lines (worker side): URL checks, normalisation and in-file de-duplication, one range of line
numbers per transaction. The range is taken under the backfill's row lock and recorded in the same
transaction, so a worker killed mid-batch leaves the range to the next run, and two runs never share one."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.articles.records import dedupe_url, site_of
from service.articles.validation import check_http_url
from service.errors import InvalidInput

from .models import Backfill

_INSERT_ITEMS = text("""
INSERT INTO backfill_items (backfill_id, line, url, normalized_url, url_hash, site, external_id, callback_url, state)
SELECT :backfill_id, * , 'pending'
FROM unnest(CAST(:lines AS bigint[]), CAST(:urls AS text[]), CAST(:normalized AS text[]), CAST(:hashes AS uuid[]),
            CAST(:sites AS text[]), CAST(:external_ids AS text[]), CAST(:callbacks AS text[]))
ON CONFLICT (backfill_id, url_hash) DO NOTHING
RETURNING line
""")
_DELETE_GOOD_LINES = text("""
DELETE FROM backfill_lines WHERE backfill_id = :backfill_id AND line > :start AND line <= :end
  AND error_type IS NULL AND NOT (line = ANY(CAST(:bad AS bigint[])))
""")
_MARK_BAD_LINES = text("""
UPDATE backfill_lines AS l SET error_type = 'invalid_url', error_detail = b.detail
FROM unnest(CAST(:bad AS bigint[]), CAST(:details AS text[])) AS b(line, detail)
WHERE l.backfill_id = :backfill_id AND l.line = b.line
""")


def prepare_next_batch(session: Session, backfill_id, batch: int) -> int | None:
    """Prepare the next `batch` line numbers. Returns how many lines were read, None when nothing was left
    (or another worker holds the backfill right now)."""
    backfill = (
        session.query(Backfill)
        .filter(
            Backfill.id == backfill_id,
            Backfill.status.in_(("preparing", "paused")),
            Backfill.prepared_through < Backfill.last_line,
        )
        .with_for_update(skip_locked=True)
        .one_or_none()
    )
    if backfill is None:
        return None
    start, end = backfill.prepared_through, min(backfill.prepared_through + batch, backfill.last_line)
    rows = session.execute(
        text(
            "SELECT line, url, external_id, callback_url FROM backfill_lines WHERE backfill_id = :b "
            "AND line > :start AND line <= :end AND error_type IS NULL ORDER BY line"
        ),
        {"b": backfill_id, "start": start, "end": end},
    ).all()
    columns: dict[str, list] = {
        k: [] for k in ("lines", "urls", "normalized", "hashes", "sites", "external_ids", "callbacks")
    }
    bad, details, seen, duplicates = [], [], set(), 0
    for line, url, external_id, callback_url in rows:
        try:
            url = check_http_url(url, "url")
            if callback_url is not None:
                callback_url = check_http_url(callback_url, "callback_url")
        except InvalidInput as exc:
            bad.append(line)
            details.append(exc.detail)
            continue
        normalized = dedupe_url(url)
        digest = uuid.UUID(bytes=hashlib.md5(normalized.encode("utf-8", "surrogatepass")).digest())
        if digest in seen:
            duplicates += 1
            continue
        seen.add(digest)
        for key, value in zip(
            columns,
            (line, url, normalized, digest, (site_of(url) or "")[:255] or None, external_id, callback_url),
            strict=True,
        ):
            columns[key].append(value)
    inserted = len(session.execute(_INSERT_ITEMS, {"backfill_id": backfill_id, **columns}).all()) if rows else 0
    duplicates += len(columns["lines"]) - inserted
    params = {"backfill_id": backfill_id, "bad": bad}
    session.execute(_DELETE_GOOD_LINES, {**params, "start": start, "end": end})
    if bad:
        session.execute(_MARK_BAD_LINES, {**params, "details": details})
    backfill.prepared_through = end
    backfill.invalid_lines += len(bad)
    backfill.duplicates_in_file += duplicates
    backfill.unique_items += inserted
    if end >= backfill.last_line and backfill.status == "preparing":
        backfill.status = "running"
    session.flush()
    return len(rows)
