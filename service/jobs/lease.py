"""Keeping a job's lease while its attempt runs.

The lease is short (`job_lease_seconds`, 30 s by default) so that the reconciler finds the job of a dead worker
soon after the death; a live attempt renews it every third of that from a background thread. The thread needs
the GIL for a moment every few seconds, which the markup limits (extraction.complexity) keep available.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from .service import Claim, renew_lease

log = logging.getLogger(__name__)


@contextmanager
def kept_lease(session_factory: sessionmaker[Session], claim: Claim, lease_seconds: float) -> Iterator[None]:
    """Renew `claim`'s lease every `lease_seconds / 3` until the block ends. A renewal that finds the claim lost
    stops renewing (the result is then refused at store time by `holds_claim`); a failed one is retried."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease_seconds / 3):
            try:
                with session_factory.begin() as session:
                    if not renew_lease(session, claim, lease_seconds=lease_seconds):
                        log.warning("job %s lost its lease on attempt %d", claim.job_id, claim.attempt)
                        return
            except Exception:  # the database is briefly away: try again at the next tick
                log.warning("job %s: lease renewal failed", claim.job_id, exc_info=True)

    thread = threading.Thread(target=renew, name=f"lease-{claim.job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
