"""Test data written straight to Postgres, for tests and benchmarks that need many stored records at once."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Connection

from service.articles.models import Article


def insert_done_articles(conn: Connection, api_key_id: object, count: int, *, body_words: int = 400) -> None:
    """`count` finished text articles of key `api_key_id` ("Story 0"…, a body of `body_words` words), in one
    multi-row INSERT on `conn` (the caller's transaction): ~2 KB of body per 400 words."""
    conn.execute(
        Article.__table__.insert(),
        [
            {
                "id": uuid.uuid4(),
                "api_key_id": api_key_id,
                "status": "done",
                "input_kind": "text",
                "title": f"Story {i}",
                "body_text": "word " * body_words,
                "authors": [],
                "tags": [],
                "sidebars": [],
            }
            for i in range(count)
        ],
    )
