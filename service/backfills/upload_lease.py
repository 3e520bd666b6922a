"""The lease of a backfill upload in progress: the API process reading the body renews it as chunks arrive;
an `uploading` backfill whose lease has lapsed (the process crashed, or the client sent nothing for a whole lease)
is ended `failed` with a reason by the releaser, and its stored lines are dropped (nothing would prepare them).

The lease is the row's `updated_at` plus `backfill_upload_lease_seconds`: the body's reader touches the row at
most every quarter lease, so a live upload costs one short UPDATE per quarter lease, not one per chunk.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from service.errors import ServiceError

from .models import BackfillStatus

FAILURE = "upload_interrupted: no part of the body arrived for {lease:g} s (the uploading API process stopped, or the client stalled); upload the file again"  # noqa: E501


class UploadExpired(ServiceError):
    status, type, title = 409, "upload_expired", "The upload's lease lapsed"


def renewing(
    chunks: Iterable[bytes], session_factory: sessionmaker[Session], backfill_id: uuid.UUID, lease_seconds: float
) -> Iterator[bytes]:
    """`chunks` unchanged, renewing the upload's lease at most every lease/4 seconds as they arrive. Raises
    UploadExpired (409) when the lease lapsed meanwhile and the backfill was already ended `failed`."""
    renewed = time.monotonic()
    for chunk in chunks:
        if time.monotonic() - renewed >= lease_seconds / 4:
            with session_factory.begin() as session:
                touched = session.execute(
                    text("UPDATE backfills SET updated_at = now() WHERE id = :b AND status = :s"),
                    {"b": backfill_id, "s": BackfillStatus.UPLOADING.value},
                ).rowcount
            if not touched:
                raise UploadExpired(FAILURE.format(lease=lease_seconds))
            renewed = time.monotonic()
        yield chunk


# Uploads whose lease lapsed: served by ix_backfills_status.
LAPSED = "status = 'uploading' AND updated_at < now() - make_interval(secs => :lease)"


def fail_lapsed_uploads(session: Session, lease_seconds: float) -> list[uuid.UUID]:
    """End every `uploading` backfill whose lease lapsed: status `failed`, `failure` says why, lines deleted.
    Returns their ids."""
    ids = list(
        session.execute(
            text(
                f"UPDATE backfills SET status = 'failed', failure = :why, finished_at = now() WHERE {LAPSED} "
                "RETURNING id"
            ),
            {"lease": lease_seconds, "why": FAILURE.format(lease=lease_seconds)},
        ).scalars()
    )
    if ids:
        session.execute(text("DELETE FROM backfill_lines WHERE backfill_id = ANY(:ids)"), {"ids": ids})
    return ids
