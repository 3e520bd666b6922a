"""POST /v1/admin/reprocess: select by filter, release `reprocess` jobs, re-extract stored raw input without
fetching; the new record shows the extractor version and moves ahead in the change feed."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from service.api_keys.service import Principal
from service.articles.ingest import ingest
from service.articles.models import Article
from service.articles.records import compress
from service.backfills.releaser import run_tick
from service.extraction import EXTRACTOR_VERSION
from service.jobs.models import Job

PAGE = (
    "<html><head><title>Harbour Budget Passes</title></head><body><article><h1>Harbour Budget Passes</h1>"
    + "".join(
        f"<p>The council approved the harbour budget on Tuesday after a debate, part {i}, with the tram "
        f"line and the schools funded as well.</p>"
        for i in range(5)
    )
    + "</article></body></html>"
)


def _article(session, key_id, *, version, raw=True, status="done", site="news.example", language="en") -> Article:
    article = Article(
        id=uuid.uuid4(),
        api_key_id=key_id,
        status=status,
        input_kind="url",
        source_url=f"https://{site}/{uuid.uuid4().hex[:6]}",
        site=site,
        language=language,
        extractor_version=version,
        raw_input=compress(PAGE) if raw else None,
        title="old title",
        authors=[],
        tags=[],
        sidebars=[],
    )
    session.add(article)
    session.flush()
    return article


def test_reprocess_reextracts_stored_raw_input_without_fetching(client, admin, admin_key, session_factory, settings):
    with session_factory.begin() as session:
        old = _article(session, admin_key.id, version="2026.11.1")
        newer = _article(session, admin_key.id, version="2026.11.10")  # numerically newer than 2026.11.2
        unversioned = _article(session, admin_key.id, version=None)
        _article(session, admin_key.id, version="1.0", raw=False)  # nothing stored to re-extract
        _article(session, admin_key.id, version="1.0", status="queued")  # still being ingested
        _article(session, admin_key.id, version="1.0", site="elsewhere.example")
        _article(session, admin_key.id, version="2026.99999999999999999999.1")  # newer; too long for int
        before = session.get(Article, old.id).change_seq
    response = client.post(
        "/v1/admin/reprocess", headers=admin, json={"extractor_version_before": "2026.11.2", "site": "news.example"}
    )
    assert response.status_code == 202, response.text
    run = response.json()
    assert run["kind"] == "reprocess" and run["totals"]["unique"] == 2
    assert run["filter"] == {"extractor_version_before": "2026.11.2", "site": "news.example", "all": False}

    tick = run_tick(session_factory, settings)
    assert len(tick.jobs) == 2
    with session_factory() as session:
        jobs = session.scalars(select(Job).where(Job.backfill_id == run["id"])).all()
    assert {j.kind for j in jobs} == {"reprocess"} and {j.article_id for j in jobs} == {old.id, unversioned.id}

    def no_fetch(*args, **kwargs):
        raise AssertionError("reprocess must not fetch")

    for job in jobs:
        assert ingest(session_factory, job.id, settings, fetch=no_fetch).status == "done"
    with session_factory() as session:
        record = session.get(Article, old.id)
        assert record.title == "Harbour Budget Passes" and record.extractor_version == EXTRACTOR_VERSION
        assert record.change_seq > before  # feed consumers see the new extraction
        assert session.get(Article, newer.id).title == "old title"
    run_tick(session_factory, settings)
    report = client.get(f"/v1/admin/backfills/{run['id']}", headers=admin).json()
    assert report["status"] == "done" and report["jobs"]["done"] == 2


def test_reprocess_by_ids_and_the_all_switch(client, admin, admin_key, session_factory, settings):
    with session_factory.begin() as session:
        chosen = _article(session, admin_key.id, version="2026.11.2")
        _article(session, admin_key.id, version="2026.11.2", language="de")
    by_ids = client.post("/v1/admin/reprocess", headers=admin, json={"ids": [str(chosen.id)]}).json()
    assert by_ids["totals"]["unique"] == 1
    by_language = client.post("/v1/admin/reprocess", headers=admin, json={"language": "de"}).json()
    assert by_language["totals"]["unique"] == 1
    everything = client.post("/v1/admin/reprocess", headers=admin, json={"all": True}).json()
    assert everything["totals"]["unique"] >= 2
    huge = client.post("/v1/admin/reprocess", headers=admin, json={"extractor_version_before": "1." + "9" * 29})
    assert huge.status_code == 202 and huge.json()["totals"]["unique"] == 0  # 2026.11.2 is newer than that
    nothing = client.post("/v1/admin/reprocess", headers=admin, json={"site": "nowhere.example"}).json()
    assert nothing["status"] == "done" and nothing["totals"]["unique"] == 0


def test_reprocess_needs_a_filter_and_the_admin_scope(client, admin, auth):
    bodies = (
        {},
        {"extractor_version_before": "new"},
        {"created_after": "yesterday"},
        {"created_after": "2026-01-01T00:00:00"},  # no UTC offset: refused, as in query parameters (probe, issue 14)
        {"bogus": 1},
    )
    for body in bodies:
        response = client.post("/v1/admin/reprocess", headers=admin, json=body)
        assert response.status_code in (400, 422), body
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.post("/v1/admin/reprocess", headers=auth, json={"all": True}).status_code == 403


def test_principal_of_the_run_owns_it(session_factory, admin_key, settings):
    from service.backfills.reprocess import create_reprocess
    from service.backfills.schemas import ReprocessRequest

    with session_factory.begin() as session:
        run = create_reprocess(
            session, Principal(admin_key.id, "admin", frozenset({"admin"})), ReprocessRequest(all=True), settings
        )
        assert run.api_key_id == admin_key.id and run.kind == "reprocess"
