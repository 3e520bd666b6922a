"""Typed service errors; the API renders them as application/problem+json (RFC 9457)."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    type = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, extra: dict | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}


class InvalidInput(ServiceError):
    status, type, title = 422, "invalid_input", "The request is not valid"


class MalformedRequest(ServiceError):
    status, type, title = 400, "malformed_request", "The request could not be parsed"


class InvalidQueryParameter(MalformedRequest):
    """A query parameter the route cannot take as given: unknown, repeated, not a cursor, a timestamp without
    an offset, out of range, a callback_url webhooks would refuse. Every invalid query parameter is this 400
    (README, "Using the API"). `parameters` maps each bad parameter to why, in words without its name; the
    problem's `errors` are [{"message": why, "key": parameter, "source": "query"}], the shape of Litestar's own
    validation errors, and its detail "query parameter <name>: <why>" joined by "; "."""

    def __init__(self, parameters: dict[str, str]) -> None:
        errors = [{"message": why, "key": name, "source": "query"} for name, why in parameters.items()]
        detail = "; ".join(f"query parameter {name}: {why}" for name, why in parameters.items())
        super().__init__(detail, extra={"errors": errors})


class NotFound(ServiceError):
    status, type, title = 404, "not_found", "Not found"


class IdempotencyConflict(ServiceError):
    status, type, title = 422, "idempotency_key_reused", "Idempotency-Key reused with a different request"


class PayloadTooLarge(ServiceError):
    status, type, title = 413, "payload_too_large", "The document is too large"


class Unauthorized(ServiceError):
    status, type, title = 401, "unauthorized", "A valid API key is required"


class Forbidden(ServiceError):
    status, type, title = 403, "forbidden", "This key lacks the scope for this operation"


class Unavailable(ServiceError):
    status, type, title = 503, "unavailable", "A backing service is unavailable"
