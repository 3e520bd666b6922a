"""Task names and queues: the contract between producers (API, reconciler) and Celery workers."""

INGEST_TASK = "articles.ingest"
DELIVER_WEBHOOK_TASK = "webhooks.deliver"
RECONCILE_TASK = "jobs.reconcile"
RELEASE_TASK = "backfills.release"

INGEST_QUEUE = "ingest"
WEBHOOK_QUEUE = "webhooks"
