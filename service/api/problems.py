"""Every error leaves the API as application/problem+json (RFC 9457), never as a bare 500."""

from __future__ import annotations

import logging
from http import HTTPStatus

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.errors import MalformedRequest, ServiceError
from service.extraction import ExtractionError
from service.fetching.errors import FetchError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://article-ingest.dev/problems/"
MALFORMED_TITLE = MalformedRequest.title  # one title per type, wherever a 400 malformed_request is made


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details. Extension members (errors, checks, retry_after) may be added per problem type."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


# Every status an authenticated /v1 route can answer with besides success: 400 unparsable, 401 no/unknown key,
# 403 scope, 404 unknown or not yours, 408 body stalled (body_timeout.py), 413 body too large, 415 body not JSON,
# 422 invalid, 429 rate limited, 503 backing service down.
PROBLEM_STATUSES = (400, 401, 403, 404, 408, 413, 415, 422, 429, 503)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` for a route: declares the problem+json answers so the OpenAPI (and clients) know them."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=HTTPStatus(status).phrase,
            generate_examples=False,
        )
        for status in statuses or PROBLEM_STATUSES
    }


PROBLEM_RESPONSES = problem_responses(*PROBLEM_STATUSES)


def problem(status: int, type_: str, title: str, detail: str, instance: str | None = None, **extra) -> Response:
    body = {"type": TYPE_BASE + type_, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(int(extra["retry_after"]))
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def service_error(request: Request, exc: ServiceError) -> Response:
    return problem(exc.status, exc.type, exc.title, exc.detail, request.url.path, **exc.extra)


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        errors = exc.extra if isinstance(exc.extra, list) else None
        extra = {"errors": errors} if errors else {}
        return problem(
            400, "malformed_request", MALFORMED_TITLE, _validation_detail(exc, errors), request.url.path, **extra
        )
    type_ = {
        400: "malformed_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        408: "request_timeout",
        413: "payload_too_large",
        415: "unsupported_media_type",
        429: "rate_limited",
        503: "unavailable",
    }.get(status, "http_error")
    headers = getattr(exc, "headers", None) or {}
    title = MALFORMED_TITLE if type_ == "malformed_request" else type_.replace("_", " ").capitalize()
    response = problem(status, type_, title, str(exc.detail), request.url.path)
    response.headers.update(headers)
    return response


def _validation_detail(exc: ValidationException, errors: list[object] | None) -> str:
    """Litestar's detail ("Validation failed for GET /v1/articles?limit=0") names neither the parameter nor why:
    for query parameters, say both, as InvalidQueryParameter does ("query parameter limit: Expected `int` >= 1")."""
    query = [e for e in errors or () if isinstance(e, dict) and e.get("source") == "query"]
    if not query or len(query) != len(errors or ()):
        return str(exc.detail)
    return "; ".join(f"query parameter {e.get('key')}: {e.get('message')}" for e in query)


def undecodable_body(request: Request, exc: UnicodeError) -> Response:
    return problem(400, "malformed_request", MALFORMED_TITLE, "the body is not valid UTF-8", request.url.path)


def database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable: %s", exc.__class__.__name__)
    return problem(
        503, "database_unavailable", "The database is unavailable", "try again shortly", request.url.path, retry_after=5
    )


def unstorable_value(request: Request, exc: DataError) -> Response:
    # The database refused a value the client sent (a NUL character, a number out of range): the client's fault.
    return problem(
        422, "invalid_input", "The request is not valid", "a value in the request cannot be stored", request.url.path
    )


def fetch_failed(request: Request, exc: FetchError) -> Response:
    # A synchronous fetch (POST /v1/extract) that failed: the page's fault, not ours. Transient failures are 503
    # with a hint for when to retry; the rest (blocked address, 404, not HTML, too large...) are 422.
    if exc.retryable:
        return problem(
            503,
            "fetch_unavailable",
            "The page could not be fetched right now",
            exc.detail or exc.type,
            request.url.path,
            fetch_error=exc.type,
            retry_after=max(1, int(exc.retry_after or 5)),
        )
    return problem(
        422,
        "fetch_failed",
        "The page could not be fetched",
        exc.detail or exc.type,
        request.url.path,
        fetch_error=exc.type,
    )


def extraction_failed(request: Request, exc: ExtractionError) -> Response:
    # A synchronous extraction (POST /v1/extract) that refused the document (no content, not a document, too
    # complex or past the preview time limit): the document's fault, with the pipeline's type as in a record.
    return problem(
        422,
        "extraction_failed",
        "The document could not be extracted",
        exc.detail,
        request.url.path,
        extraction_error=exc.type,
    )


def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "internal_error", "Internal error", "an unexpected error occurred", request.url.path)


EXCEPTION_HANDLERS = {
    ServiceError: service_error,
    HTTPException: http_error,
    UnicodeError: undecodable_body,
    OperationalError: database_unavailable,
    DataError: unstorable_value,
    FetchError: fetch_failed,
    ExtractionError: extraction_failed,
    DBAPIError: database_unavailable,
    PoolTimeout: database_unavailable,  # every pooled connection is stuck on an unreachable database
    Exception: unexpected,
}
