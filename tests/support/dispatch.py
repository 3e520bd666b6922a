from __future__ import annotations


class RecordingDispatcher:
    """Stands in for the broker in API tests: records what would have been sent, after commit."""

    def __init__(self) -> None:
        self.ingest: list[tuple[str, int]] = []
        self.webhooks: list[str] = []

    def send_ingest(self, job_id: str, *, priority: int = 5, countdown: float | None = None) -> None:
        self.ingest.append((job_id, priority))

    def send_webhook(self, delivery_id: str, *, countdown: float | None = None) -> None:
        self.webhooks.append(delivery_id)
