"""Every operation in openapi.yaml against every kind of caller: no key, a wrong scheme, an unknown key, a revoked
key (401), an ingest key on an admin route (403), and a second ingest key that must not see the first one's
articles, deliveries or endpoints (404 / absent from lists) while an admin key sees them.

New routes are picked up from openapi.yaml automatically. A route with a new kind of path id needs a row in
OWNED_RESOURCES (how to make one owned by a given key); a body that the guard never reads needs nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from service.api.problems import PROBLEM_JSON, PROBLEM_STATUSES
from service.api_keys.service import revoke_key
from service.articles.events import enqueue_article_event
from service.articles.models import Article
from service.webhooks import endpoints
from service.webhooks.models import WebhookEndpoint
from tests.conftest import _key

OPENAPI = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = sorted(
    (method.upper(), path, op)
    for path, item in OPENAPI["paths"].items()
    for method, op in item.items()
    if method in METHODS
)
SECURED = [(m, p) for m, p, op in OPERATIONS if op.get("security")]
# Served without a key: probes, and (not in openapi.yaml) the schema itself and Prometheus' /metrics.
PUBLIC_OPERATIONS = {("GET", "/healthz"), ("GET", "/readyz")}
PUBLIC_APP_ONLY = ("/schema", "/metrics")
CALLBACK = "https://hooks.example.com/in"


def _routes(app) -> dict[tuple[str, str], str | None]:
    """(method, openapi path) -> the scope the route's guard demands."""
    return {
        (method, route.path_format): handler.opt.get("scope")
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in handler.http_methods
        if method not in ("OPTIONS", "HEAD")
    }


def _fill(path: str, values: dict[str, str] | None = None) -> str:
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        path = path.replace("{" + name + "}", str((values or {}).get(name, uuid.uuid4())))
    return path


def _send(client, method: str, path: str, headers: dict | None = None):
    return client.request(method, path, headers=headers or {}, json={} if method != "GET" else None)


def _assert_problem(response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    assert response.json()["status"] == status


def _bearer(issued) -> dict[str, str]:
    return {"Authorization": f"Bearer {issued.key}"}


def test_operations_without_security_are_exactly_the_public_ones_and_match_the_guards(client):
    routes = _routes(client.app)
    assert {(m, p) for m, p, op in OPERATIONS if not op.get("security")} == PUBLIC_OPERATIONS
    for method, path, op in OPERATIONS:
        scope = routes[(method, path)]
        assert (scope is not None) == bool(op.get("security")), f"{method} {path}: scope {scope!r} vs openapi"
        if path.startswith("/v1/admin/"):
            assert scope == "admin", f"{method} {path} is under /v1/admin/ but needs {scope!r}"
    documented = {(m, p) for m, p, _ in OPERATIONS}
    for (method, path), scope in routes.items():
        if (method, path) not in documented:  # served but not in openapi.yaml: must be public by design
            assert scope is None and path.startswith(PUBLIC_APP_ONLY), f"undocumented route {method} {path}"


@pytest.mark.parametrize(("method", "path"), SECURED, ids=[f"{m} {p}" for m, p in SECURED])
def test_every_secured_operation_declares_the_problem_responses(method, path):
    responses = OPENAPI["paths"][path][method.lower()]["responses"]
    for status in PROBLEM_STATUSES:
        content = responses.get(str(status), {}).get("content", {})
        assert content.get(PROBLEM_JSON, {}).get("schema") == {"$ref": "#/components/schemas/Problem"}, (
            f"{method} {path} does not declare {status}: add responses=PROBLEM_RESPONSES to the route"
        )


@pytest.mark.parametrize(("method", "path"), SECURED, ids=[f"{m} {p}" for m, p in SECURED])
def test_keys_are_required_revocation_is_immediate_and_admin_routes_refuse_ingest_keys(
    method, path, client, session_factory, ingest_key
):
    url = _fill(path)
    _assert_problem(_send(client, method, url), 401)
    _assert_problem(_send(client, method, url, {"Authorization": f"Basic {ingest_key.key}"}), 401)
    _assert_problem(_send(client, method, url, {"Authorization": "Bearer aik_" + "x" * 43}), 401)
    revoked = _key(session_factory, "revoked", ["admin", "ingest"])
    with session_factory.begin() as session:
        revoke_key(session, revoked.id)
    _assert_problem(_send(client, method, url, _bearer(revoked)), 401)
    if _routes(client.app)[(method, path)] == "admin":
        _assert_problem(_send(client, method, url, _bearer(ingest_key)), 403)


# ---- ownership -------------------------------------------------------------------------------------------------


def _make_article(client, session_factory, owner) -> dict[str, str]:
    created = client.post(
        "/v1/articles", json={"text": "Owned\nA story.", "callback_url": CALLBACK}, headers=_bearer(owner)
    )
    assert created.status_code == 202, created.text
    return {"article_id": created.json()["id"]}


def _make_delivery(client, session_factory, owner) -> dict[str, str]:
    article_id = _make_article(client, session_factory, owner)["article_id"]
    with session_factory.begin() as session:
        article = session.get(Article, uuid.UUID(article_id))
        article.status = "done"
        return {"delivery_id": enqueue_article_event(session, article).id}


def _make_endpoint(client, session_factory, owner) -> dict[str, str]:
    url = f"https://hooks.example.com/{uuid.uuid4().hex}"
    with session_factory.begin() as session:
        endpoints.disable(session, owner.id, url, "test")
        return {"endpoint_id": str(session.query(WebhookEndpoint.id).filter_by(api_key_id=owner.id, url=url).scalar())}


# Path parameter -> how to make a resource of that kind owned by a key. Admin-only routes need no row: an
# ingest key is refused there (403) and every admin key sees everything.
OWNED_RESOURCES = {"article_id": _make_article, "delivery_id": _make_delivery, "endpoint_id": _make_endpoint}


def _owned_by(client, session_factory, owner) -> dict[str, str]:
    ids: dict[str, str] = {}
    for make in OWNED_RESOURCES.values():
        ids.update(make(client, session_factory, owner))
    return ids


def _ingest_operations(with_params: bool) -> list[tuple[str, str]]:
    return [
        (m, p)
        for m, p, op in OPERATIONS
        if op.get("security")
        and not p.startswith("/v1/admin/")
        and ("{" in p) == with_params
        and (with_params or m == "GET")
    ]


ITEM_OPERATIONS = _ingest_operations(with_params=True)
LIST_OPERATIONS = _ingest_operations(with_params=False)


@pytest.mark.parametrize(("method", "path"), ITEM_OPERATIONS, ids=[f"{m} {p}" for m, p in ITEM_OPERATIONS])
def test_another_key_cannot_reach_a_keys_resources_but_an_admin_can(
    method, path, client, session_factory, ingest_key, admin_key
):
    params = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    missing = [p for p in params if p not in OWNED_RESOURCES]
    assert not missing, f"{method} {path}: add a builder for {missing} to OWNED_RESOURCES"
    if _routes(client.app)[(method, path)] == "admin":
        pytest.skip("admin route: every admin key sees everything")
    owned = _owned_by(client, session_factory, ingest_key)
    other = _key(session_factory, "other", ["ingest"])
    url = _fill(path, owned)
    _assert_problem(_send(client, method, url, _bearer(other)), 404)
    for caller in (ingest_key, admin_key):
        response = _send(client, method, url, _bearer(caller))
        assert response.status_code not in (401, 403, 404), (caller, response.text)


@pytest.mark.parametrize(("method", "path"), LIST_OPERATIONS, ids=[f"{m} {p}" for m, p in LIST_OPERATIONS])
def test_lists_show_a_key_only_its_own_resources_unless_admin(
    method, path, client, session_factory, ingest_key, admin_key
):
    owned = set(_owned_by(client, session_factory, ingest_key).values())
    other = _key(session_factory, "other", ["ingest"])
    own_view = _send(client, method, path, _bearer(ingest_key))
    assert own_view.status_code == 200, own_view.text
    shown = {value for value in owned if value in own_view.text}
    assert shown, f"{method} {path} shows none of the caller's own resources: the check would prove nothing"
    other_view = _send(client, method, path, _bearer(other))
    assert other_view.status_code == 200 and not {v for v in owned if v in other_view.text}, other_view.text
    admin_view = _send(client, method, path, _bearer(admin_key))
    assert admin_view.status_code == 200 and shown <= {v for v in owned if v in admin_view.text}
