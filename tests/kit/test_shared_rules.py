"""Rules that used to be written in two places, now with one home each (issue 15), tested where they live;
each caller imports the one function (the duplicates check in CI lists a second copy)."""

from __future__ import annotations

import multiprocessing

import pytest

from service.backfills.priority import backfill_priority, tick_priority
from service.jobs.service import MAX_RETRY_DELAY, retry_delay
from service.kit.redis_clients import process_client
from service.queue.celery_config import transport_options
from service.queue.transport import is_amqp, is_redis
from service.settings import Settings


@pytest.mark.parametrize(
    "url, redis, amqp",
    [
        ("redis://127.0.0.1:6379/0", True, False),
        ("rediss://cache:6380/1", True, False),
        ("redis+socket:///tmp/redis.sock", True, False),
        ("REDIS://h/0", True, False),
        ("amqp://guest:guest@127.0.0.1:5672//", False, True),
        ("amqps://h//", False, True),
        ("pyamqp://h//", False, True),
        ("sqla+postgresql://h/db", False, False),
        ("memory://", False, False),
        ("redisx://h", False, False),
    ],
)
def test_broker_kind_is_told_in_one_place(url, redis, amqp):
    assert (is_redis(url), is_amqp(url)) == (redis, amqp)
    settings = Settings(broker_url=url)
    # both callers follow it: priorities (backfills) and transport options (Celery configuration)
    assert (backfill_priority(settings), tick_priority(settings)) == ((9, 0) if redis else (1, 9))
    options = transport_options(settings)
    assert ("visibility_timeout" in options) == redis
    assert (options == {"confirm_publish": True}) == amqp


def test_retry_delay_is_exponential_with_jitter_and_capped():
    for attempt in range(1, 12):
        base = min(MAX_RETRY_DELAY, 2.0**attempt)
        delays = {retry_delay(attempt) for _ in range(50)}
        assert all(0.8 * base <= d <= 1.2 * base for d in delays)
        assert len(delays) > 1  # jitter: jobs that failed together do not come back together
    assert retry_delay(3, retry_after=42.0) == 42.0


def _child_client_identity(url, queue):
    queue.put((id(process_client(url, timeout=1.0)), id(process_client(url, timeout=1.0))))


def test_redis_clients_are_per_process_and_reused_within_one():
    url = "redis://127.0.0.1:6379/0"
    parent = process_client(url, timeout=1.0)
    assert process_client(url, timeout=1.0) is parent
    assert process_client(url, timeout=2.0) is not parent
    assert parent.ping()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_client_identity, args=(url, queue))
    child.start()
    first, second = queue.get(timeout=30)
    child.join(30)
    assert first == second != id(parent)  # a fork makes its own client and then keeps it


def test_retry_after_is_read_one_way_for_pages_and_webhooks():
    from datetime import UTC, datetime

    from service.kit.retry_after import parse_retry_after

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0 and parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0  # in the past
    assert parse_retry_after("999999", cap=10.0) == 10.0
    for bad in (None, "", "soon", "1.5", "-3", "١٢", "Thu, 99 Foo 2026"):  # RFC 9110: digits or an HTTP-date
        assert parse_retry_after(bad) is None, bad


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://WWW.Example.org:443/a?utm_source=x", "https://www.example.org/a"),
        ("http://[::1/x", "http://[::1/x"),  # normalisation cannot parse: kept as given, for both callers
        ("  http://[::1/x  ", "http://[::1/x"),
    ],
)
def test_dedupe_url_is_one_spelling_for_submit_and_backfill(url, expected):
    from service.articles.records import dedupe_url

    assert dedupe_url(url) == expected


def test_site_is_spelled_one_way_for_records_and_the_feed_filter():
    from service.articles.records import site_key, site_of

    assert site_of("https://WWW.Kun.uz/news/1") == site_key("www.KUN.uz ") == "kun.uz"
    assert site_of(None) is None and site_of("not a url") is None
