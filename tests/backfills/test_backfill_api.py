"""POST /v1/admin/backfills → prepare → release, through the app and the releaser, on a real Postgres."""

from __future__ import annotations

import json

from sqlalchemy import func, select, text

from service.articles.models import Article
from service.backfills.priority import backfill_priority
from service.backfills.releaser import run_tick
from service.jobs.models import Job


def _ndjson(*objects) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objects)


def _post(client, admin, body: bytes, **params):
    return client.post(
        "/v1/admin/backfills", content=body, headers={**admin, "Content-Type": "application/x-ndjson"}, params=params
    )


def test_backfill_counts_bad_lines_and_duplicates_and_releases_each_unique_url_once(
    client, admin, auth, session_factory, settings, dispatcher
):
    stored = client.post("/v1/articles", json={"url": "https://news.example.org/already"}, headers=auth)
    assert stored.status_code == 202
    body = _ndjson(
        {"url": "https://news.example.org/a", "external_id": "a"},
        {"url": "https://NEWS.example.org/a?utm_source=x"},  # the same page as line 1 once normalised
        b"{not json",
        b"",
        {"url": "ftp://news.example.org/b"},  # not http(s): found when prepared
        {"url": "https://news.example.org/already"},  # stored before: linked, not fetched
        {"url": "https://other.example.net/c", "callback_url": "https://hooks.example.net/c"},
        {"url": "https://news.example.org/a"},
        {"link": "https://news.example.org/d"},
    )
    response = _post(client, admin, body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["lines"] == 8 and accepted["invalid_lines"] == 2
    assert [(e["line"], e["type"]) for e in accepted["errors"]] == [(3, "invalid_json"), (9, "invalid_line")]
    assert response.headers["location"] == f"/v1/admin/backfills/{accepted['id']}"

    tick = run_tick(session_factory, settings)
    assert tick.prepared_lines == 6
    with session_factory() as session:
        jobs = session.scalars(select(Job).where(Job.backfill_id == accepted["id"])).all()
        assert {j.priority for j in jobs} == {backfill_priority(settings)}
        urls = sorted(session.scalars(select(Article.source_url).where(Article.id.in_([j.article_id for j in jobs]))))
    assert urls == ["https://news.example.org/a", "https://other.example.net/c"]
    assert sorted(job_id for job_id, _ in tick.jobs) == sorted(str(j.id) for j in jobs)

    again = run_tick(session_factory, settings)
    assert again.jobs == [] and again.prepared_lines == 0

    report = client.get(f"/v1/admin/backfills/{accepted['id']}", headers=admin).json()
    assert report["status"] == "running"
    assert report["totals"] == {
        "lines": 8,
        "invalid": 3,
        "duplicates_in_file": 2,
        "existing": 1,
        "unique": 3,
        "unprepared_lines": 0,
        "pending": 0,
        "released": 2,
        "cancelled": 0,
        "settled": 6,
    }
    assert report["jobs"]["queued"] == 2
    assert report["errors_by_type"] == {"invalid_json": 1, "invalid_line": 1, "invalid_url": 1}
    assert [e["line"] for e in report["invalid_lines"]] == [3, 5, 9]

    with session_factory.begin() as session:  # the workers finish the jobs
        session.execute(text("UPDATE jobs SET status = 'done' WHERE backfill_id = :b"), {"b": accepted["id"]})
    finished = run_tick(session_factory, settings)
    assert finished.finished == [accepted["id"]]
    report = client.get(f"/v1/admin/backfills/{accepted['id']}", headers=admin).json()
    assert report["status"] == "done" and report["eta_seconds"] == 0.0 and report["totals"]["settled"] == 8


def test_json_array_body_and_refresh_fetches_stored_urls_again(client, admin, auth, session_factory, settings):
    client.post("/v1/articles", json={"url": "https://news.example.org/x"}, headers=auth)
    body = json.dumps([{"url": "https://news.example.org/x"}, {"url": "https://news.example.org/y"}, 5]).encode()
    response = client.post("/v1/admin/backfills", content=body, headers=admin, params={"refresh": "true"})
    assert response.status_code == 202, response.text
    assert response.json()["lines"] == 3 and response.json()["errors"][0]["line"] == 3
    tick = run_tick(session_factory, settings)
    assert len(tick.jobs) == 2
    with session_factory() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Article).where(Article.normalized_url == "https://news.example.org/x")
            )
            == 2
        )


def test_bad_requests_are_typed_problems(client, admin, auth, settings):
    empty = _post(client, admin, b"  \n\n")
    assert empty.status_code == 422 and empty.headers["content-type"].startswith("application/problem+json")
    assert _post(client, auth, _ndjson({"url": "https://a.example/"})).status_code == 403
    bad_rate = _post(client, admin, _ndjson({"url": "https://a.example/"}), rate_per_second="100000")
    assert bad_rate.status_code == 400  # query parameters: 400 like every invalid one
    bad_callback = _post(client, admin, _ndjson({"url": "https://a.example/"}), callback_url="ftp://x")
    assert bad_callback.status_code == 400
    missing = client.get("/v1/admin/backfills/00000000-0000-0000-0000-000000000000", headers=admin)
    assert missing.status_code == 404


def test_body_over_the_backfill_cap_is_413(client, admin, settings):
    settings.backfill_max_request_bytes = 1000
    response = _post(client, admin, _ndjson(*({"url": f"https://a.example/{i}"} for i in range(100))))
    assert response.status_code == 413, response.text


def test_a_body_with_no_valid_line_is_refused_with_its_errors_and_leaves_no_backfill(client, admin, session_factory):
    response = _post(client, admin, _ndjson(b"{not json", {"link": "https://news.example.org/d"}, b"[1, 2]"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("invalid_input") and "no valid line" in problem["detail"]
    assert [(e["line"], e["type"]) for e in problem["errors"]] == [
        (1, "invalid_json"),
        (2, "invalid_line"),
        (3, "invalid_line"),
    ]
    with session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM backfills")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM backfill_lines")).scalar() == 0
