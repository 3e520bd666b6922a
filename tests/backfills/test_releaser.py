"""The releaser's bounds (rate, in-flight cap, per-site cap) and the pause/resume/cancel lifecycle."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from service.backfills.prepare import prepare_next_batch
from service.backfills.releaser import release, run_tick
from service.webhooks.models import WebhookDelivery


def _start(client, admin, session_factory, urls, **params) -> str:
    body = "".join(json.dumps({"url": u}) + "\n" for u in urls).encode()
    response = client.post("/v1/admin/backfills", content=body, headers=admin, params=params)
    assert response.status_code == 202, response.text
    backfill_id = response.json()["id"]
    with session_factory.begin() as session:
        while prepare_next_batch(session, backfill_id, 10_000) is not None:
            pass
    return backfill_id


def _release(session_factory, backfill_id, settings, now) -> int:
    with session_factory.begin() as session:
        return len(release(session, backfill_id, settings, now=now))


def _finish_jobs(session_factory, backfill_id, status="done"):
    with session_factory.begin() as session:
        session.execute(text("UPDATE jobs SET status = :s WHERE backfill_id = :b"), {"s": status, "b": backfill_id})


def test_release_follows_the_rate_with_credit_capped_after_a_stall(client, admin, session_factory, settings):
    settings.backfill_tick_seconds = 1.0
    backfill_id = _start(
        client, admin, session_factory, [f"https://s{i % 40}.example/{i}" for i in range(200)], rate_per_second="10"
    )
    t0 = datetime.now(UTC)
    assert _release(session_factory, backfill_id, settings, t0) == 10  # one tick's worth
    assert _release(session_factory, backfill_id, settings, t0) == 0
    assert _release(session_factory, backfill_id, settings, t0 + timedelta(seconds=0.05)) == 0  # credit accrues...
    assert _release(session_factory, backfill_id, settings, t0 + timedelta(seconds=0.25)) == 2  # ...and is used
    assert _release(session_factory, backfill_id, settings, t0 + timedelta(seconds=100)) == 20  # 2 ticks at most


def test_a_rate_under_one_job_per_tick_starts_at_once_and_keeps_its_rate(client, admin, session_factory, settings):
    """rate_per_second 0.25 with 1 s ticks: the first tick releases one job, then one every 4 s. It used to release
    nothing, ever: a first tick earned int(0.25) = 0 jobs and never started the clock, and the credit window (two
    ticks) could not reach one job at rates under 0.5 (hostile probe, issue 14)."""
    settings.backfill_tick_seconds = 1.0
    backfill_id = _start(
        client, admin, session_factory, [f"https://s{i}.example/{i}" for i in range(20)], rate_per_second="0.25"
    )
    t0 = datetime.now(UTC)
    released = [_release(session_factory, backfill_id, settings, t0 + timedelta(seconds=s)) for s in range(13)]
    assert released == [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert _release(session_factory, backfill_id, settings, t0 + timedelta(seconds=1000)) == 1  # one after a stall


@pytest.mark.parametrize(("rate", "tick"), [(0.9, 1.0), (1.5, 1.0), (3.0, 0.25), (5.0, 0.3)])
def test_a_rate_that_is_not_a_whole_number_of_jobs_per_tick_keeps_its_rate(
    client, admin, session_factory, settings, rate, tick
):
    """Re-probe (issue 14): the fraction of a job earned in a tick was dropped at each release, so 0.9/s released
    0.52/s, 1.9/s 1.02/s and 5/s with 0.3 s ticks 3.35/s. Over 60 s of ticks each rate is now kept within a job."""
    settings.backfill_tick_seconds, settings.backfill_max_in_flight = tick, 1000  # no job finishes here
    backfill_id = _start(
        client, admin, session_factory, [f"https://s{i}.example/{i}" for i in range(400)], rate_per_second=str(rate)
    )
    t0 = datetime.now(UTC)
    ticks = round(60 / tick)
    released = sum(
        _release(session_factory, backfill_id, settings, t0 + timedelta(seconds=n * tick)) for n in range(ticks)
    )
    elapsed = (ticks - 1) * tick
    assert abs(released - (1 + rate * elapsed)) <= 1.5, (released, rate * elapsed)


def test_in_flight_cap_counts_every_backfill_and_frees_as_jobs_finish(client, admin, session_factory, settings):
    settings.backfill_max_in_flight = 15
    first = _start(client, admin, session_factory, [f"https://s{i}.example/a" for i in range(50)])
    second = _start(client, admin, session_factory, [f"https://s{i}.example/b" for i in range(50)])
    now = datetime.now(UTC)
    assert _release(session_factory, first, settings, now) == 15
    assert _release(session_factory, second, settings, now + timedelta(seconds=5)) == 0  # full
    _finish_jobs(session_factory, first)
    assert _release(session_factory, second, settings, now + timedelta(seconds=10)) == 15


def test_per_site_cap_keeps_one_site_from_taking_the_release(client, admin, session_factory, settings):
    settings.backfill_per_host_in_flight = 2
    urls = [f"https://big.example/{i}" for i in range(30)] + [
        "https://small.example/1",
        "https://www.small.example/2",
        "https://other.example/1",
    ]
    backfill_id = _start(client, admin, session_factory, urls)
    now = datetime.now(UTC)
    assert _release(session_factory, backfill_id, settings, now) == 5  # 2 big, 2 small (www. is the same site), 1
    with session_factory() as session:
        sites = session.execute(
            text(
                "SELECT site, count(*) FROM backfill_items WHERE backfill_id = :b AND state = 'released' GROUP BY site"
            ),
            {"b": backfill_id},
        ).all()
    assert sorted(sites) == [("big.example", 2), ("other.example", 1), ("small.example", 2)]
    assert _release(session_factory, backfill_id, settings, now + timedelta(seconds=5)) == 0
    _finish_jobs(session_factory, backfill_id, "failed")
    assert _release(session_factory, backfill_id, settings, now + timedelta(seconds=10)) == 2


def test_pause_resume_cancel(client, admin, session_factory, settings, dispatcher):
    backfill_id = _start(
        client,
        admin,
        session_factory,
        [f"https://s.example/{i}" for i in range(10)],
        callback_url="https://hooks.example/done",
    )
    settings.backfill_per_host_in_flight = 3
    url = f"/v1/admin/backfills/{backfill_id}"
    assert client.post(f"{url}/pause", headers=admin).json()["status"] == "paused"
    assert run_tick(session_factory, settings).jobs == []
    resumed = client.post(f"{url}/resume", headers=admin).json()
    assert resumed["status"] == "running" and resumed["eta_seconds"] is None  # nothing finished yet: no rate
    assert len(run_tick(session_factory, settings).jobs) == 3
    cancelled = client.post(f"{url}/cancel", headers=admin)
    assert cancelled.status_code == 200
    report = cancelled.json()
    assert report["status"] == "cancelled" and report["totals"]["cancelled"] == 7
    assert report["totals"]["pending"] == 0 and report["jobs"]["queued"] == 3  # released jobs still run
    with session_factory() as session:
        delivery = session.scalar(select(WebhookDelivery).where(WebhookDelivery.url == "https://hooks.example/done"))
    assert delivery.event_type == "backfill.cancelled" and delivery.payload["data"]["id"] == backfill_id
    assert dispatcher.webhooks == [delivery.id]
    for action in ("resume", "pause", "cancel"):
        conflict = client.post(f"{url}/{action}", headers=admin)
        assert conflict.status_code == 409 and conflict.json()["type"].endswith("backfill_state_conflict")
    assert run_tick(session_factory, settings).jobs == []


def test_finished_backfill_sends_its_webhook_once(client, admin, session_factory, settings):
    backfill_id = _start(
        client,
        admin,
        session_factory,
        ["https://s.example/1", "https://s.example/2"],
        callback_url="https://hooks.example/finished",
    )
    assert len(run_tick(session_factory, settings).jobs) == 2
    assert run_tick(session_factory, settings).finished == []  # jobs still open
    _finish_jobs(session_factory, backfill_id)
    tick = run_tick(session_factory, settings)
    assert tick.finished == [backfill_id] and len(tick.deliveries) == 1
    assert run_tick(session_factory, settings).deliveries == []
    with session_factory() as session:
        delivery = session.get(WebhookDelivery, tick.deliveries[0])
    assert delivery.event_type == "backfill.completed"
    assert delivery.payload["data"]["jobs"]["done"] == 2 and delivery.payload["data"]["status"] == "done"


def test_one_releaser_pass_at_a_time(client, admin, session_factory, settings, engine):
    from service.backfills.releaser import _TICK_LOCK

    _start(client, admin, session_factory, ["https://s.example/1"])
    with engine.connect() as other:  # another worker's pass holds the lock
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _TICK_LOCK})
        assert run_tick(session_factory, settings).jobs == []
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _TICK_LOCK})
    assert len(run_tick(session_factory, settings).jobs) == 1
