"""Schemathesis against openapi.yaml, in-process on the ASGI app with a valid admin key: no 5xx, every response
matches the schema, every error is application/problem+json. Positive and negative cases, a bounded number per
operation, derandomized so CI sees the same cases every run."""

from __future__ import annotations

import zlib
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.fetching import FetchedPage, FetchError

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"
EXAMPLES_PER_MODE = 10  # ~1 s per operation and mode on 2 shared cores: the whole test stays under 60 s
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PAGE = (
    "<html><head><title>Canned</title></head><body><article><p>"
    + "A canned story sentence. " * 20
    + "</p></article></body></html>"
)


def offline_fetch(url: str, settings, **_) -> FetchedPage:
    """No network from the fuzzer: half the URLs 'fetch' a canned page, the others fail the way fetches fail."""
    if zlib.crc32(url.encode()) % 2:
        raise FetchError("connection_error", "canned failure")
    return FetchedPage(
        requested_url=url,
        final_url=url,
        status_code=200,
        content_type="text/html",
        text=PAGE,
        encoding="utf-8",
        etag=None,
        last_modified=None,
    )


def _problem_json_for_errors(response, case) -> None:
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (
            f"{case.method} {case.path} -> {response.status_code} with {content_type!r}"
        )


def test_every_operation_survives_fuzzing(settings, session_factory, dispatcher, admin_key):
    settings = settings.model_copy(
        update={
            "rate_limit_ingest_writes_per_minute": 0,
            "rate_limit_ingest_reads_per_minute": 0,
            "rate_limit_admin_per_minute": 0,
        }
    )
    app = create_app(
        settings, session_factory=session_factory, dispatcher=dispatcher, fetch=offline_fetch, broker_check=lambda: None
    )
    schema = schemathesis.openapi.from_path(OPENAPI)
    schema.app = app
    auth = {"Authorization": f"Bearer {admin_key.key}"}
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, auth, statuses)
            except Unsatisfiable:  # nothing to break: the operation takes no input (GET /healthz)
                assert not mode.is_positive, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
    # Positive cases got past parsing and validation into the handlers (which answer 2xx, 404 or 422).
    assert all(seen - {400} for seen in statuses.values()), statuses


def _fuzz(operation, mode, auth, statuses) -> None:
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )  # no shrinking: bounded time
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.headers = {**(case.headers or {}), **auth}  # the generated Authorization would only test the guard
        response = case.call()
        if mode.is_positive:
            statuses.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS)
        _problem_json_for_errors(response, case)

    run()
