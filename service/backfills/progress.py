"""The progress report of a backfill: counters from its row, job totals and errors grouped in SQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from .models import Backfill
from .schemas import BackfillRead, BackfillTotals, JobTotals, LineError

SAMPLE_LINES = 20


def report(session: Session, backfill: Backfill) -> BackfillRead:
    b = {"b": backfill.id}
    jobs = JobTotals(
        **{
            status: count
            for status, count in session.execute(
                text("SELECT status, count(*) FROM jobs WHERE backfill_id = :b GROUP BY status"), b
            )
            if status in JobTotals.__struct_fields__
        }
    )
    errors: dict[str, int] = {}
    for error_type, count in session.execute(
        text(
            "SELECT error_type, count(*) FROM backfill_lines WHERE backfill_id = :b AND error_type IS NOT NULL "
            "GROUP BY 1 UNION ALL "
            "SELECT coalesce(error_type, 'unknown'), count(*) FROM jobs WHERE backfill_id = :b "
            "AND status IN ('failed', 'dead') GROUP BY 1"
        ),
        b,
    ):
        errors[error_type] = errors.get(error_type, 0) + count
    sample = [
        LineError(line=line, type=t, detail=d or "")
        for line, t, d in session.execute(
            text(
                "SELECT line, error_type, error_detail FROM backfill_lines "
                "WHERE backfill_id = :b AND error_type IS NOT NULL "
                "ORDER BY line LIMIT :n"
            ),
            {**b, "n": SAMPLE_LINES},
        )
    ]
    finished = jobs.done + jobs.failed + jobs.dead
    pending = max(0, backfill.unique_items - backfill.released - backfill.existing - backfill.cancelled_items)
    totals = BackfillTotals(
        lines=backfill.total_lines,
        invalid=backfill.invalid_lines,
        duplicates_in_file=backfill.duplicates_in_file,
        existing=backfill.existing,
        unique=backfill.unique_items,
        unprepared_lines=0
        if backfill.status == "cancelled"
        else max(
            0, backfill.total_lines - backfill.invalid_lines - backfill.duplicates_in_file - backfill.unique_items
        ),
        pending=pending,
        released=backfill.released,
        cancelled=backfill.cancelled_items,
        settled=backfill.invalid_lines
        + backfill.duplicates_in_file
        + backfill.existing
        + backfill.cancelled_items
        + finished,
    )
    end = backfill.finished_at or datetime.now(UTC)
    elapsed = max((end - backfill.created_at).total_seconds(), 1e-3)
    rate = finished / elapsed
    remaining = totals.unprepared_lines + pending + jobs.queued + jobs.running
    if backfill.status in ("done", "cancelled") or not remaining:
        eta = 0.0
    elif backfill.status == "paused" or rate == 0:
        eta = None
    else:
        eta = round(remaining / rate, 1)
    return BackfillRead(
        id=backfill.id,
        kind=backfill.kind,
        status=backfill.status,
        refresh=backfill.refresh,
        callback_url=backfill.callback_url,
        filter=backfill.filter,
        release_rate_per_second=backfill.rate_per_second,
        completion_rate_per_second=round(rate, 3),
        eta_seconds=eta,
        totals=totals,
        jobs=jobs,
        errors_by_type=errors,
        invalid_lines=sample,
        created_at=backfill.created_at,
        updated_at=backfill.updated_at,
        finished_at=backfill.finished_at,
        failure=backfill.failure,
    )
