"""Closed-set filters accept exactly their values: no trailing newline slips past a `$`-anchored pattern."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path, params",
    [
        ("/v1/articles", {"status": "done\n"}),
        ("/v1/articles/export", {"status": "failed\n"}),
        ("/v1/admin/jobs", {"status": "dead\n"}),
        ("/v1/admin/jobs", {"kind": "ingest\n"}),
        ("/v1/webhooks/deliveries", {"status": "failed\n"}),
    ],
)
def test_a_value_with_a_trailing_newline_is_rejected(client, admin_key, path, params):
    response = client.get(path, params=params, headers={"Authorization": f"Bearer {admin_key.key}"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    valid = {key: value.strip() for key, value in params.items()}
    assert client.get(path, params=valid, headers={"Authorization": f"Bearer {admin_key.key}"}).status_code == 200
