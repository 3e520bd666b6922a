"""GET /v1/articles/export: NDJSON of the selection, in keyset batches, handing over to the feed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from service.api import export
from tests.feed.support import insert_article


def _lines(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.text.endswith("\n")
    return [json.loads(line) for line in response.text.splitlines()]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(export, "BATCH_SIZE", 2)  # so five rows cross several batch boundaries


def test_export_streams_every_selected_record_in_change_order_across_batches(
    client, auth, session, ingest_key, small_batches
):
    ids = [
        str(
            insert_article(
                session,
                ingest_key.id,
                status="done" if i % 2 else "queued",
                title=f"T{i}",
                language="kk" if i < 3 else "en",
                site="example.org",
            )
        )
        for i in range(7)
    ]
    session.commit()  # the savepoint: visible to the client, rolled back after the test
    records = _lines(client.get("/v1/articles/export", headers=auth))
    assert [r["id"] for r in records] == ids
    assert records[0]["title"] == "T0" and records[0]["sidebars"] == [] and "updated_at" in records[0]
    done = _lines(client.get("/v1/articles/export", params={"status": "done"}, headers=auth))
    assert [r["id"] for r in done] == ids[1::2]
    kazakh = _lines(
        client.get("/v1/articles/export", params={"language": "kk", "site": "www.Example.org"}, headers=auth)
    )
    assert [r["id"] for r in kazakh] == ids[:3]


def test_export_hands_over_to_the_feed_with_next_cursor(client, auth, session, ingest_key, small_batches):
    first = [str(insert_article(session, ingest_key.id)) for _ in range(3)]
    session.commit()
    response = client.get("/v1/articles/export", headers=auth)
    assert [r["id"] for r in _lines(response)] == first
    cursor = response.headers["next-cursor"]
    later = str(insert_article(session, ingest_key.id))
    session.execute(text("UPDATE articles SET title = 'changed' WHERE id = :id"), {"id": first[0]})
    session.commit()
    page = client.get("/v1/articles", params={"updated_after": cursor}, headers=auth).json()
    assert [(i["id"], i["title"]) for i in page["items"]] == [(later, None), (first[0], "changed")]
    # ...and an export from a feed cursor holds only what changed after it
    assert [
        r["id"] for r in _lines(client.get("/v1/articles/export", params={"updated_after": cursor}, headers=auth))
    ] == [later, first[0]]


def test_export_only_holds_the_keys_own_articles_and_rejects_bad_input(client, auth, session, admin_key, ingest_key):
    from service.api_keys.service import create_key

    other = create_key(session, name="other-export", scopes=["ingest"])
    insert_article(session, other.id)
    mine = str(insert_article(session, ingest_key.id))
    session.commit()
    assert [r["id"] for r in _lines(client.get("/v1/articles/export", headers=auth))] == [mine]
    admin = {"Authorization": f"Bearer {admin_key.key}"}
    assert len(_lines(client.get("/v1/articles/export", headers=admin))) == 2
    for params, status in [
        ({"updated_after": "%%%"}, 400),
        ({"status": "nope"}, 400),
        ({"updated_after": "2026-01-01T00:00:00"}, 400),
    ]:
        response = client.get("/v1/articles/export", params=params, headers=auth)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get("/v1/articles/export").status_code == 401


def test_a_forged_cursor_outside_bigint_is_a_400_before_streaming(client, auth):
    import base64

    for key in (b"99999999999999999999999:1", b"1:9223372036854775808"):
        cursor = base64.urlsafe_b64encode(key).decode().rstrip("=")
        for path in ("/v1/articles/export", "/v1/articles"):
            r = client.get(path, params={"updated_after": cursor}, headers=auth)
            assert r.status_code == 400, (path, r.status_code, r.text[:200])
            assert r.headers["content-type"].startswith("application/problem+json")
