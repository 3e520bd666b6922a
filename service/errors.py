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
