"""`article-ingest keys`: the API's field names, and every error as one line with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from service.api_keys.schemas import KeyIssued, KeyRead
from tests.support.database import fresh_database
from tests.support.processes import REPO, service_env


@pytest.fixture(scope="module")
def database_url():
    with fresh_database("keys") as url:
        yield url


def _keys(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", *args],
        capture_output=True,
        text=True,
        env=service_env(database_url=database_url),
        cwd=REPO,
        timeout=60,
    )


def _one_line_error(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("article-ingest"), result.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_create_rotate_revoke_print_the_api_fields(database_url):
    created = _keys(database_url, "create", "--name", "cms", "--scopes", "ingest", "admin")
    assert created.returncode == 0, created.stderr
    issued = json.loads(created.stdout)
    assert set(issued) == set(KeyIssued.__struct_fields__)  # as POST /v1/admin/keys returns it
    assert issued["scopes"] == ["admin", "ingest"] and issued["key"].startswith("aik_")
    rotated = json.loads(_keys(database_url, "rotate", issued["id"]).stdout)
    assert set(rotated) == set(KeyIssued.__struct_fields__) and rotated["key"] != issued["key"]
    revoked = _keys(database_url, "revoke", issued["id"])
    assert revoked.returncode == 0, revoked.stderr
    record = json.loads(revoked.stdout)
    assert set(record) == set(KeyRead.__struct_fields__) and record["revoked_at"]


def test_the_old_scope_spelling_still_works(database_url):
    created = _keys(database_url, "create", "--name", "old", "--scope", "ingest", "--scope", "admin")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["scopes"] == ["admin", "ingest"]


def test_a_key_id_that_is_not_a_uuid_is_a_usage_error(database_url):
    _one_line_error(_keys(database_url, "revoke", "not-a-uuid"), 2, "not-a-uuid", "UUID")
    _one_line_error(_keys(database_url, "rotate", "42"), 2, "'42'")


def test_an_unknown_key_and_an_unknown_scope_are_one_line_errors(database_url):
    missing = str(uuid.uuid4())
    _one_line_error(_keys(database_url, "revoke", missing), 1, "no API key", missing)
    _one_line_error(_keys(database_url, "rotate", missing), 1, "no API key", missing)
    _one_line_error(_keys(database_url, "create", "--name", "x", "--scopes", "root"), 2, "root")


def test_an_unreachable_database_is_a_one_line_error():
    result = _keys("postgresql+psycopg://nobody@127.0.0.1:1/none", "create", "--name", "x", "--scopes", "ingest")
    _one_line_error(result, 1, "article-ingest keys: error:")


def test_with_no_dev_and_no_database_url_the_command_says_which_database_it_falls_back_to(tmp_path):
    env = {k: v for k, v in service_env(database_url="unused").items() if k != "INGEST_DATABASE_URL"}
    env["INGEST_DEV_DATA_DIR"] = str(tmp_path / "no-dev-here")
    # A key id that exists nowhere: whatever the default database holds, nothing is changed.
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", "revoke", str(uuid.uuid4())],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "no running `article-ingest dev`" in result.stderr and "INGEST_DATABASE_URL is not set" in result.stderr
    assert "postgresql+psycopg://postgres@127.0.0.1:5432/postgres" in result.stderr
