"""Bearer-key authentication, scope checks and per-key rate limits, as one Litestar guard driven by each route's
`scope` opt. The key is only ever hashed, never logged or echoed: errors name the problem, not the key. A large
body is counted against the key's body allowance here from its Content-Length; a body without one gets a
`BodyMeter` (connection.state.body_meter) that the request (json_body.BoundedJsonRequest) feeds as it reads.

The guard runs on the event loop: a key looked up in the last `key_cache_seconds` is answered from memory
(service/api_keys/cache.py) and the rate limit (with, for a submission, its fair-share count) is one awaited
Redis round trip, so a request with a known key takes no thread and no database round trip here; only a cache
miss hops to a thread for the lookup."""

from __future__ import annotations

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from service.api_keys.cache import KeyCache
from service.api_keys.scopes import Scope
from service.api_keys.service import Principal, authenticate, hash_key
from service.errors import Forbidden
from service.ratelimit.guard import (
    BodyMeter,
    counts_body,
    enforce_rate_limit,
    meters_body,
    rate_limiter,
    recent_refusals,
)
from service.ratelimit.limiter import limit_class
from service.ratelimit.unauthenticated import AuthFailures

UNKNOWN = "the API key is unknown or revoked"
# Route opts: `opt=INGEST` or `opt=ADMIN` on a handler makes this guard require that scope.
INGEST = {"scope": Scope.INGEST}
ADMIN = {"scope": Scope.ADMIN}
# A live submission (POST /v1/articles): counted for its key's fair share of the queue with its rate limit, in one
# Redis round trip; the handler sends its job with `priority_of(request)`.
SUBMISSION = {"scope": Scope.INGEST, "submission": True}


async def require_scope(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    scope = handler.opt.get("scope")
    if scope is None:
        return
    header = connection.headers.get("authorization", "")
    kind, _, key = header.partition(" ")
    key = key.strip() if kind.lower() == "bearer" else ""
    address = connection.client.host if connection.client else "unknown"
    state, method = connection.app.state, connection.scope["method"]
    key_hash = hash_key(key) if key else ""
    # A blocked address gets its 429 from memory (no Redis, no database: a flood's cost per request); a key seen
    # valid lately still passes (see AuthFailures).
    _failures(state).check_address(address, key_hash)
    body_bytes = _declared_length(connection)
    if key_hash:  # a key over its limit: 429 from memory until its Retry-After (the body is never read)
        refusals = recent_refusals(state)
        refusals.check(key_hash, limit_class(scope, method))
        if counts_body(scope, method, body_bytes):
            refusals.check(key_hash, "body")
    principal = await _principal(state, key, key_hash, address)
    if not principal.allows(scope):
        raise Forbidden(f"this route needs the `{scope}` scope")
    submission = bool(handler.opt.get("submission"))
    priority = await enforce_rate_limit(state, principal, scope, method, key_hash, body_bytes, submission=submission)
    connection.state.principal = principal
    if submission:
        connection.state.priority = priority
    if meters_body(scope, method, "content-length" in connection.headers):  # chunked: counted as it is read
        connection.state.body_meter = BodyMeter(state, principal, key_hash)


def _declared_length(connection: ASGIConnection) -> int:
    """The request's Content-Length in bytes (0 when absent or malformed: a chunked body is bounded while it is
    read, by INGEST_MAX_REQUEST_BYTES)."""
    try:
        return max(0, int(connection.headers.get("content-length", "0")))
    except ValueError:
        return 0


async def _principal(state: State, key: str, key_hash: str, address: str) -> Principal:
    """The key's principal; raises Unauthorized (401) or AddressRateLimited (429) otherwise."""
    failures = _failures(state)
    if not key:
        raise await failures.refuse(address, "send the API key as `Authorization: Bearer <key>`")
    if failures.is_unknown(key_hash):
        raise await failures.refuse(address, UNKNOWN)  # answered from memory: no database lookup
    cache = key_cache(state)
    principal = cache.get(key_hash)
    if principal is None:
        principal = await to_thread.run_sync(_lookup, state, key)
        failures.remember(key_hash, principal)
        if principal is not None:
            cache.put(key_hash, principal)
    if principal is None:
        raise await failures.refuse(address, UNKNOWN)
    return principal


def _lookup(state: State, key: str) -> Principal | None:
    with state.session_factory() as session:
        return authenticate(session, key)


def key_cache(state: State) -> KeyCache:
    """The app's cache of valid keys (admin routes call `forget` on it after a revoke or rotate)."""
    cache = state.get("key_cache")
    if cache is None:
        cache = state["key_cache"] = KeyCache(state.settings.key_cache_seconds)
    return cache


def _failures(state: State) -> AuthFailures:
    failures = state.get("auth_failures")
    if failures is None:  # created on first use, in the serving process
        failures = state["auth_failures"] = AuthFailures(state.settings, rate_limiter(state))
    return failures


def principal_of(connection: ASGIConnection) -> Principal:
    return connection.state.principal


def priority_of(connection: ASGIConnection) -> int:
    """The queue priority of a live submission (a `SUBMISSION` route), set by the guard (ratelimit.fair_share)."""
    return connection.state.priority
