"""Per-host limits hold across OS processes; leases of crashed holders expire; rates are spread."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from service.fetching import FetchError, fetch_page
from service.fetching.politeness import HostLimiter

from .servers import respond
from .workers import fetch_many


def test_four_processes_never_exceed_per_host_limit_of_two(site, make_settings):
    def slow(h):
        time.sleep(0.25)
        respond(h, 200, b"<p>ok</p>")

    site.routes["/slow"] = slow
    settings = make_settings(
        site, per_host_concurrency=2, per_host_rate_per_second=1000.0, fetch_total_timeout=20.0, respect_robots=False
    )
    ctx = multiprocessing.get_context("spawn")
    workers = [
        ctx.Process(target=fetch_many, args=(settings.model_dump_json(), [site.url("/slow")] * 4)) for _ in range(4)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert site.hits["/slow"] == 16
    assert site.max_in_flight == 2  # the limit held, and was used


def test_crashed_holder_frees_its_slot_when_the_lease_ends(make_settings):
    limiter = HostLimiter(make_settings(per_host_concurrency=2))
    key = limiter._key("conc", "crash.test")
    # two holders that die without releasing, with 300 ms leases
    assert limiter._acquire(keys=[key], args=[2, 300, "a"]) == 1
    assert limiter._acquire(keys=[key], args=[2, 300, "b"]) == 1
    assert limiter._acquire(keys=[key], args=[2, 300, "c"]) == 0
    time.sleep(0.4)
    assert limiter._acquire(keys=[key], args=[2, 300, "c"]) == 1


def test_busy_host_gives_a_retryable_error_at_the_deadline(make_settings):
    settings = make_settings(per_host_concurrency=1)
    limiter = HostLimiter(settings)
    with (
        limiter.slot("busy.test", time.monotonic() + 1),
        pytest.raises(FetchError) as info,
        limiter.slot("busy.test", time.monotonic() + 0.3),
    ):
        pass
    assert info.value.type == "host_busy" and info.value.retryable


def test_request_rate_is_limited(site, make_settings):
    site.routes["/p"] = lambda h: respond(h, 200, b"<p>ok</p>")
    settings = make_settings(site, per_host_rate_per_second=10.0, respect_robots=False)
    started = time.monotonic()
    for _ in range(6):
        fetch_page(site.url("/p"), settings)
    assert time.monotonic() - started >= 0.45  # 6 requests at 10/s: 5 gaps of 100 ms
