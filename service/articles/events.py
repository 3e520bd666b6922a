"""The article's webhook events: `article.completed` and `article.failed`, with the record as `data`."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Row, inspect
from sqlalchemy.orm import Session

from service.webhooks.events import record_event

from .models import Article
from .records import to_read

ARTICLE_COMPLETED = "article.completed"
ARTICLE_FAILED = "article.failed"


def enqueue_article_event(session: Session, article: Article | Row[Any]) -> Row[Any] | None:
    """Record the completed/failed event for the article's callback URL (service.webhooks.events.record_event);
    None when the article has no callback URL. `article`: an Article, flushed first and read back only if the
    flush left columns the database set (updated_at) unknown; or a Core row of every column of `articles` (the
    worker's UPDATE … RETURNING), current as it is."""
    if not article.callback_url:
        return None
    if isinstance(article, Article):
        session.flush()
        if inspect(article).expired_attributes:  # updated_at after an ORM flush: the database sets it
            session.refresh(article)
    event_type = ARTICLE_COMPLETED if article.status == "done" else ARTICLE_FAILED
    return record_event(
        session,
        api_key_id=article.api_key_id,
        url=article.callback_url,
        event_type=event_type,
        data=msgspec.to_builtins(to_read(article)),
        article_id=article.id,
    )
