"""Every invalid query parameter of a /v1 route is one answer: 400 malformed_request (problem+json) whose `errors`
name each bad parameter and why ({"message", "key", "source": "query"}, Litestar's own shape). Before, a bad
`limit` was a 400 but a bad `updated_after` a 422, and a typo such as `limt=5` was ignored."""

from __future__ import annotations

import pytest


def _query_problem(response, parameter: str) -> dict:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/malformed_request") and body["status"] == 400, body
    assert {"key": parameter, "source": "query"}.items() <= body["errors"][0].items(), body
    assert body["errors"][0]["message"]
    assert f"query parameter {parameter}: " in body["detail"]
    return body


@pytest.mark.parametrize(
    "path, params, parameter",
    [
        # read by Litestar from the declared type
        ("/v1/articles", {"limit": "0"}, "limit"),
        ("/v1/articles", {"limit": "ten"}, "limit"),
        ("/v1/articles", {"status": "nope"}, "status"),
        ("/v1/webhooks/deliveries", {"created_after": "yesterday"}, "created_after"),
        # read by the service: cursors and timestamps without an offset (these were 422)
        ("/v1/articles", {"updated_after": "%%%"}, "updated_after"),
        ("/v1/articles", {"updated_after": "2026-01-01T00:00:00"}, "updated_after"),
        ("/v1/articles/export", {"updated_after": "%%%"}, "updated_after"),
        ("/v1/articles/export", {"updated_after": "2026-01-01T00:00:00"}, "updated_after"),
        ("/v1/admin/jobs", {"before": "nonsense"}, "before"),
        ("/v1/webhooks/deliveries", {"cursor": "not-a-cursor"}, "cursor"),
        ("/v1/webhooks/deliveries", {"created_before": "2026-01-01T00:00:00"}, "created_before"),
        # not taken by the route (were ignored: the answer was a page of something else)
        ("/v1/articles", {"limt": "5"}, "limt"),
        ("/v1/articles/export", {"limit": "5"}, "limit"),
        ("/v1/webhooks/deliveries", {"before": "x"}, "before"),
        ("/v1/admin/jobs", {"cursor": "x"}, "cursor"),
        ("/v1/admin/keys", {"page": "2"}, "page"),
        # a single-valued parameter given twice (which one counted was up to the framework)
        ("/v1/articles", {"limit": ["5", "6"]}, "limit"),
    ],
)
def test_an_invalid_query_parameter_is_a_400_naming_it(client, admin_key, path, params, parameter):
    response = client.get(path, params=params, headers={"Authorization": f"Bearer {admin_key.key}"})
    _query_problem(response, parameter)


def test_an_unknown_parameter_is_reported_with_the_routes_own(client, auth):
    body = _query_problem(client.get("/v1/articles", params={"limt": "5", "limit": "5"}, headers=auth), "limt")
    assert len(body["errors"]) == 1
    assert "limit" in body["errors"][0]["message"] and "updated_after" in body["errors"][0]["message"]
    both = client.get("/v1/articles", params={"limt": "5", "stauts": "done"}, headers=auth).json()
    assert sorted(e["key"] for e in both["errors"]) == ["limt", "stauts"]


def test_valid_queries_still_pass_and_authentication_comes_first(client, auth):
    assert client.get("/v1/articles", params={"limit": "5", "status": "done"}, headers=auth).status_code == 200
    assert client.get("/v1/articles", params={"updated_after": "2026-01-01T00:00:00Z"}, headers=auth).status_code == 200
    assert client.get("/v1/articles?", headers=auth).status_code == 200
    assert client.get("/v1/articles", params={"limt": "5"}).status_code == 401  # no key: nothing about the route
    assert client.get("/healthz", params={"probe": "1"}).status_code == 200  # outside /v1: left as it is


def test_a_backfill_upload_refuses_its_query_parameters_alike(client, admin_key):
    admin = {"Authorization": f"Bearer {admin_key.key}", "Content-Type": "application/x-ndjson"}
    body = b'{"url": "https://a.example/"}\n'
    for params, parameter in [
        ({"rate_per_second": "100000"}, "rate_per_second"),
        ({"callback_url": "ftp://x"}, "callback_url"),
        ({"refresh": "maybe"}, "refresh"),
        ({"rate": "10"}, "rate"),
    ]:
        _query_problem(client.post("/v1/admin/backfills", content=body, headers=admin, params=params), parameter)
