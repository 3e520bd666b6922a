"""GET /v1/admin/jobs (failed and dead jobs with reasons, filterable) and POST /v1/admin/jobs/retry."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from service.articles.models import Article
from service.jobs.models import Job


def _failed(session, key_id, status: str, error_type: str, kind: str = "ingest") -> Job:
    article = Article(
        id=uuid.uuid4(),
        api_key_id=key_id,
        status="failed",
        input_kind="url",
        source_url=f"https://s.example/{uuid.uuid4().hex[:6]}",
        error_type=error_type,
        error_detail="boom",
        authors=[],
        tags=[],
        sidebars=[],
    )
    session.add(article)
    session.flush()
    job = Job(
        article_id=article.id,
        kind=kind,
        status=status,
        priority=5,
        attempts=5,
        max_attempts=5,
        error_type=error_type,
        error_detail=f"{error_type} detail",
    )
    session.add(job)
    session.flush()
    return job


def test_list_failed_jobs_with_filters_and_cursor(client, admin, admin_key, session_factory):
    with session_factory.begin() as session:
        not_found = [_failed(session, admin_key.id, "failed", "http_404") for _ in range(3)]
        _failed(session, admin_key.id, "dead", "max_attempts_exceeded")
        session.add(Job(article_id=not_found[0].article_id, status="done", priority=5, attempts=1, max_attempts=5))
    all_failed = client.get("/v1/admin/jobs", headers=admin).json()
    assert len(all_failed["items"]) == 4 and all_failed["next_cursor"] is None
    assert {j["status"] for j in all_failed["items"]} == {"failed", "dead"}
    dead = client.get("/v1/admin/jobs", headers=admin, params={"status": "dead"}).json()["items"]
    assert [j["error_type"] for j in dead] == ["max_attempts_exceeded"]
    assert dead[0]["source_url"].startswith("https://s.example/")
    seen, cursor = [], None
    while True:
        params = {"error_type": "http_404", "limit": 2, **({"before": cursor} if cursor else {})}
        page = client.get("/v1/admin/jobs", headers=admin, params=params).json()
        seen += [j["id"] for j in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(str(j.id) for j in not_found)
    assert client.get("/v1/admin/jobs", headers=admin, params={"status": "done"}).status_code == 400
    assert client.get("/v1/admin/jobs", headers=admin, params={"before": "nonsense"}).status_code == 400


def test_retry_by_ids_and_by_filter(client, admin, auth, admin_key, session_factory, dispatcher):
    with session_factory.begin() as session:
        one = _failed(session, admin_key.id, "failed", "fetch_timeout")
        others = [_failed(session, admin_key.id, "dead", "max_attempts_exceeded") for _ in range(2)]
        untouched = _failed(session, admin_key.id, "failed", "http_404")
    response = client.post("/v1/admin/jobs/retry", headers=admin, json={"ids": [str(one.id)]})
    assert response.status_code == 200 and response.json() == {"retried": 1, "ids": [str(one.id)]}
    assert dispatcher.ingest == [(str(one.id), 5)]
    with session_factory() as session:
        job = session.get(Job, one.id)
        assert (job.status, job.attempts, job.error_type) == ("queued", 0, None)
        assert session.get(Article, job.article_id).status == "queued"
    by_filter = client.post("/v1/admin/jobs/retry", headers=admin, json={"status": "dead"}).json()
    assert sorted(by_filter["ids"]) == sorted(str(j.id) for j in others)
    again = client.post("/v1/admin/jobs/retry", headers=admin, json={"ids": [str(one.id)]}).json()
    assert again["retried"] == 0  # queued now: nothing to retry
    with session_factory() as session:
        assert session.scalar(select(Job.status).where(Job.id == untouched.id)) == "failed"
    assert client.post("/v1/admin/jobs/retry", headers=admin, json={}).status_code == 422
    assert client.post("/v1/admin/jobs/retry", headers=auth, json={"status": "dead"}).status_code == 403


def test_every_job_kind_can_be_listed_and_retried_by_filter(client, admin, admin_key, session_factory, dispatcher):
    """`refresh` jobs (a re-fetch of a stored URL) are jobs like the others: the filters take every JobKind."""
    from service.jobs.models import JobKind

    with session_factory.begin() as session:
        made = {kind: _failed(session, admin_key.id, "failed", "http_503", kind=kind).id for kind in JobKind}
    for kind in JobKind:
        listed = client.get("/v1/admin/jobs", headers=admin, params={"kind": kind.value})
        assert listed.status_code == 200, listed.text
        assert [j["id"] for j in listed.json()["items"]] == [str(made[kind])]
    retried = client.post("/v1/admin/jobs/retry", headers=admin, json={"kind": "refresh"})
    assert retried.status_code == 200, retried.text
    assert retried.json()["ids"] == [str(made[JobKind.REFRESH])]
