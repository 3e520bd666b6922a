"""The direction of dependencies from ARCHITECTURE.md, enforced: extraction is pure; service never imports
workers; the web framework and the task queue stay at the edges."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


# Entry points compose every layer: the CLI starts Celery workers as well as the API.
ENTRY_POINTS = {"service/cli.py"}


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{file}: {name}" for file, names in _imports(package).items() if file not in ENTRY_POINTS
            for name in sorted(names)
            if name.split(".")[0] in forbidden or name.startswith(tuple(f"{f}." for f in forbidden))]


@pytest.mark.parametrize("package, forbidden", [
    # Pure: HTML/text in, value objects out.
    ("service/extraction", ("sqlalchemy", "psycopg", "litestar", "celery", "kombu", "httpx", "redis", "service.db",
                            "service.api", "service.fetching", "workers")),
    # The service layer is shared by API and workers and knows neither the workers nor Celery's worker side.
    ("service", ("workers",)),
    # Fetching is a library: no web framework, no database.
    ("service/fetching", ("litestar", "sqlalchemy", "celery", "workers")),
])
def test_dependency_direction(package, forbidden):
    assert _offenders(package, forbidden) == []
