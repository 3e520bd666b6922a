"""Repository contracts CI enforces: migrations match the models, openapi.yaml matches the app, lint is clean,
types check strictly where configured."""

from __future__ import annotations

import subprocess
import sys

from alembic import command

from service.db.migrate import alembic_config
from service.openapi import TARGET, render
from tests.support.processes import REPO as REPO_ROOT


def test_migrations_match_the_models(database_url):
    command.check(alembic_config(database_url))  # raises when autogenerate would emit operations


def test_openapi_yaml_matches_the_app():
    assert TARGET.read_text() == render(), "openapi.yaml is stale: run `python -m service.openapi` and commit"


def test_lint_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "service", "workers", "tests", "benchmarks"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    """`ruff format` is the one code style; run `ruff format .` before committing."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "service", "workers", "tests", "benchmarks", "migrations"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_types_check_strictly_where_configured():
    """mypy --strict over the modules listed in pyproject.toml [tool.mypy] files."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-1000:]
