"""Imports every model so that Base.metadata is complete (for Alembic and for tests)."""

from service.api_keys.models import ApiKey
from service.articles.models import Article
from service.backfills.models import Backfill, BackfillItem, BackfillLine
from service.db.base import Base
from service.idempotency.models import IdempotencyKey
from service.jobs.models import Job
from service.webhooks.models import WebhookAttempt, WebhookDelivery

__all__ = [
    "ApiKey",
    "Article",
    "Backfill",
    "BackfillItem",
    "BackfillLine",
    "Base",
    "IdempotencyKey",
    "Job",
    "WebhookAttempt",
    "WebhookDelivery",
]
