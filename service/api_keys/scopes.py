"""The closed set of API-key scopes: the one home of their names (keys, routes, rate-limit classes, CLI)."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    """What a key may do: `ingest` submits, reads, follows the feed, previews and manages its own webhooks;
    `admin` may do all of that and manage keys, backfills, re-extraction, jobs and every key's webhooks."""

    INGEST = "ingest"  # submit, read, the change feed, previews, its own webhooks
    ADMIN = "admin"  # keys, backfills, re-extraction, failed jobs, every tenant's webhooks


SCOPES = tuple(Scope)
