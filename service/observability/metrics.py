"""Prometheus metrics. Counters and histograms are recorded where the work happens (workers, in
multiprocess mode); state gauges (jobs by state, queue lag, webhook and backfill progress) are read from
Postgres at scrape time, so every API replica reports the same truth without shared memory."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import text

log = logging.getLogger(__name__)

EXTRACTION_SECONDS = Histogram(
    "ingest_extraction_seconds",
    "Time to extract one document (pipeline only)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
FETCH_OUTCOMES = Counter("ingest_fetch_outcomes_total", "Page fetches by outcome", ["outcome"])


class DatabaseStateCollector(Collector):
    """Gauges computed from the database on each scrape."""

    def __init__(self, session_factory) -> None:
        self._session_factory = session_factory

    def collect(self):
        jobs = GaugeMetricFamily("ingest_jobs", "Jobs by state", labels=["state"])
        lag = GaugeMetricFamily("ingest_queue_lag_seconds", "Age of the oldest queued job")
        webhooks = GaugeMetricFamily("ingest_webhook_deliveries", "Webhook deliveries by status", labels=["status"])
        backfills = GaugeMetricFamily("ingest_backfills", "Backfills by status", labels=["status"])
        backfill_items = GaugeMetricFamily(
            "ingest_backfill_items", "Unique items of unfinished backfills, by progress", labels=["progress"]
        )
        queries = [
            (jobs, "SELECT status, count(*) FROM jobs GROUP BY status"),
            (lag, "SELECT extract(epoch FROM now() - min(created_at)) FROM jobs WHERE status = 'queued'"),
            (webhooks, "SELECT status, count(*) FROM webhook_deliveries GROUP BY status"),
            (backfills, "SELECT status, count(*) FROM backfills GROUP BY status"),
            (
                backfill_items,
                "SELECT 'released', coalesce(sum(released), 0) FROM backfills "
                "WHERE finished_at IS NULL UNION ALL SELECT 'total', coalesce(sum(unique_items), 0) "
                "FROM backfills WHERE finished_at IS NULL",
            ),
        ]
        try:
            with self._session_factory() as session:
                for family, sql in queries:
                    try:
                        with session.begin_nested():
                            for row in session.execute(text(sql)):
                                *labels, value = row
                                family.add_metric([str(x) for x in labels], float(value or 0))
                    except Exception:  # one missing table must not hide the other gauges
                        log.warning("metrics: %s unavailable", family.name, exc_info=True)
        except Exception:  # a scrape must not fail because the database is briefly away
            log.warning("metrics: database state unavailable", exc_info=True)
            return
        yield from (jobs, lag, webhooks, backfills, backfill_items)
