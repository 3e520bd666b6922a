"""Which kind of broker a URL names: the one place that tells Redis from the others (RabbitMQ, the dev
SQLAlchemy transport), because priorities, visibility timeouts and transport options differ per kind."""

from __future__ import annotations

REDIS_SCHEMES = ("redis", "rediss", "redis+socket")
AMQP_SCHEMES = ("amqp", "amqps", "pyamqp")


def is_redis(broker_url: str) -> bool:
    """True for kombu's Redis transport URLs (``redis://``, ``rediss://``, ``redis+socket://``)."""
    return broker_url.split("://", 1)[0].lower() in REDIS_SCHEMES


def is_amqp(broker_url: str) -> bool:
    """True for AMQP (RabbitMQ) URLs (``amqp://``, ``amqps://``, ``pyamqp://``)."""
    return broker_url.split("://", 1)[0].lower() in AMQP_SCHEMES


def is_sql(broker_url: str) -> bool:
    """True for kombu's SQLAlchemy transport URLs (``sqla+<database URL>``), the broker `article-ingest dev` uses."""
    return broker_url.split("://", 1)[0].lower().startswith("sqla+")
