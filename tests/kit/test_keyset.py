"""One keyset-pagination codec and next-page rule (service.kit.keyset) for the feed, webhook deliveries and
failed jobs; cursors handed out before it still decode."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from service.articles.feed import FEED_CURSOR
from service.errors import InvalidQueryParameter
from service.jobs.admin import JOB_CURSOR
from service.kit.keyset import page
from service.webhooks.service import DELIVERY_CURSOR

WHEN = datetime(2026, 11, 30, 9, 15, 1, 250000, tzinfo=UTC)
JOB = uuid.UUID("5b0c1c2e-8d1f-4f57-9a55-1f0c2b7f6a10")


def test_feed_cursors_keep_their_stored_spelling():
    # "xid:seq" base64url without padding: consumers store these, so the spelling can never change
    assert FEED_CURSOR.encode(123456, 7) == base64.urlsafe_b64encode(b"123456:7").decode().rstrip("=")
    assert FEED_CURSOR.decode(FEED_CURSOR.encode(123456, 7)) == (123456, 7)


def test_cursors_from_before_the_shared_codec_decode():
    old_job_cursor = base64.urlsafe_b64encode(f"{WHEN.isoformat()}|{JOB}".encode()).decode()  # padded
    assert JOB_CURSOR.decode(old_job_cursor) == (WHEN, JOB)
    old_delivery_cursor = base64.urlsafe_b64encode(f"{WHEN.isoformat()}|msg_ab12".encode()).decode().rstrip("=")
    assert DELIVERY_CURSOR.decode(old_delivery_cursor) == (WHEN, "msg_ab12")


@pytest.mark.parametrize("codec", [FEED_CURSOR, JOB_CURSOR, DELIVERY_CURSOR])
@pytest.mark.parametrize(
    "bad",
    [
        "",
        "!!!",
        "bm90IGEgY3Vyc29y",
        base64.urlsafe_b64encode(b"1:2:3").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_anything_else_is_a_typed_400_naming_the_parameter(codec, bad):
    with pytest.raises(InvalidQueryParameter) as caught:
        codec.decode(bad)
    assert [e["key"] for e in caught.value.extra["errors"]] in (["updated_after"], ["before"], ["cursor"])


def test_next_page_exactly_when_the_extra_row_came_back():
    rows = list(range(5))
    assert page(rows[:3], 3, FEED_CURSOR, lambda r: (r, 0)) == ([0, 1, 2], None)  # a full last page: no cursor
    served, cursor = page(rows[:4], 3, FEED_CURSOR, lambda r: (r, 0))
    assert served == [0, 1, 2] and FEED_CURSOR.decode(cursor) == (2, 0)
    assert page([], 3, FEED_CURSOR, lambda r: (r, 0)) == ([], None)


@pytest.mark.parametrize("key", ["99999999999999999999999:1", "1:9223372036854775808", "-1:5"])
def test_feed_cursors_outside_bigint_are_refused(key):
    """A forged cursor reached Postgres as an out-of-range bigint and broke the export mid-stream."""
    with pytest.raises(InvalidQueryParameter):
        FEED_CURSOR.decode(base64.urlsafe_b64encode(key.encode()).decode().rstrip("="))


def test_a_cursor_holding_nul_is_a_typed_400_not_a_storage_error():
    """Hostile probe (issue 14): "2026-01-01T00:00:00+00:00|a\\0b" decoded, and Postgres then refused the NUL: a 422
    "cannot be stored" where any other unreadable cursor gets 400."""
    forged = base64.urlsafe_b64encode(b"2026-01-01T00:00:00+00:00|a\x00b").decode().rstrip("=")
    with pytest.raises(InvalidQueryParameter):
        DELIVERY_CURSOR.decode(forged)
