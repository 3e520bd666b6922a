"""API keys through the admin routes: a recognisable prefix, only a hash at rest, revocation and rotation that
take effect on the next request, and a rotated key keeps its id, scopes and records."""

from __future__ import annotations

import hashlib
import time
import uuid

from litestar.testing import TestClient
from sqlalchemy import text

from service.api_keys.service import KEY_PREFIX
from service.app import create_app
from tests.support.waiting import wait_for


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _create(client, admin_key, **body):
    response = client.post(
        "/v1/admin/keys", json={"name": "partner", "scopes": ["ingest"], **body}, headers=_bearer(admin_key.key)
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()


def test_created_keys_have_the_prefix_and_only_their_hash_is_stored(client, admin_key, session_factory):
    issued = _create(client, admin_key)
    key = issued["key"]
    assert key.startswith(KEY_PREFIX) and len(key) >= 40 and issued["prefix"] == key[:12]
    assert issued["scopes"] == ["ingest"] and issued["webhook_secret"].startswith("whsec_")
    assert client.get("/v1/articles", headers=_bearer(key)).status_code == 200
    with session_factory() as session:
        row = session.execute(text("SELECT * FROM api_keys WHERE id = :id"), {"id": issued["id"]}).mappings().one()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not [column for column, value in row.items() if isinstance(value, str) and key in value]
    listed = client.get("/v1/admin/keys", headers=_bearer(admin_key.key))
    assert listed.status_code == 200
    mine = [k for k in listed.json() if k["id"] == issued["id"]]
    assert mine == [
        {
            "id": issued["id"],
            "name": "partner",
            "prefix": key[:12],
            "scopes": ["ingest"],
            "created_at": mine[0]["created_at"],
            "revoked_at": None,
        }
    ]
    assert key not in listed.text and "key_hash" not in listed.text


def test_rotation_replaces_the_secret_at_once_and_keeps_id_scopes_and_records(client, admin_key):
    issued = _create(client, admin_key)
    article = client.post("/v1/articles", json={"text": "Mine\nA story."}, headers=_bearer(issued["key"])).json()
    rotated = client.post(f"/v1/admin/keys/{issued['id']}/rotate", headers=_bearer(admin_key.key))
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["id"] == issued["id"] and new["scopes"] == ["ingest"] and new["key"] != issued["key"]
    assert new["key"].startswith(KEY_PREFIX) and new["prefix"] == new["key"][:12]
    assert new["webhook_secret"] == issued["webhook_secret"]  # webhook signing has its own rotation
    assert client.get("/v1/articles", headers=_bearer(issued["key"])).status_code == 401
    assert client.get(f"/v1/articles/{article['id']}", headers=_bearer(new["key"])).status_code == 200


def test_revocation_is_immediate_and_a_revoked_key_cannot_be_rotated_back(client, admin_key):
    issued = _create(client, admin_key)
    assert client.get("/v1/articles", headers=_bearer(issued["key"])).status_code == 200  # now in the key cache
    revoked = client.post(f"/v1/admin/keys/{issued['id']}/revoke", headers=_bearer(admin_key.key))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert client.get("/v1/articles", headers=_bearer(issued["key"])).status_code == 401
    again = client.post(f"/v1/admin/keys/{issued['id']}/rotate", headers=_bearer(admin_key.key))
    assert again.status_code == 422 and again.headers["content-type"].startswith("application/problem+json")


def test_unknown_ids_and_bad_bodies_are_problems(client, admin_key):
    admin = _bearer(admin_key.key)
    for action in ("revoke", "rotate"):
        response = client.post(f"/v1/admin/keys/{uuid.uuid4()}/{action}", headers=admin)
        assert response.status_code == 404 and response.json()["type"].endswith("not_found")
    for body in (
        {"name": "x", "scopes": ["root"]},
        {"name": "x", "scopes": []},
        {"name": "", "scopes": ["ingest"]},
        {"name": "x", "scopes": ["ingest"], "key": "aik_chosen"},
    ):
        response = client.post("/v1/admin/keys", json=body, headers=admin)
        assert response.status_code == 400, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_revocation_made_elsewhere_takes_effect_within_the_key_cache_lifetime(
    settings, session_factory, dispatcher, ingest_key
):
    """Another process (the CLI, another API process) revokes the key in Postgres: this process answers from its
    key cache (no lookup per request) and refuses the key once the entry is `key_cache_seconds` old."""
    ttl = 1.0
    app = create_app(
        settings.model_copy(update={"key_cache_seconds": ttl}),
        session_factory=session_factory,
        dispatcher=dispatcher,
        broker_check=lambda: None,
    )
    with TestClient(app) as client:
        assert client.get("/v1/articles", headers=_bearer(ingest_key.key)).status_code == 200
        with session_factory.begin() as session:
            session.execute(text("UPDATE api_keys SET revoked_at = now() WHERE id = :id"), {"id": ingest_key.id})
        revoked_at = time.monotonic()
        assert client.get("/v1/articles", headers=_bearer(ingest_key.key)).status_code == 200  # still cached
        wait_for(
            lambda: client.get("/v1/articles", headers=_bearer(ingest_key.key)).status_code == 401,
            timeout=ttl + 2,
            what="the revoked key to be refused",
            interval=0.1,
        )
        assert time.monotonic() - revoked_at <= ttl + 1.0
