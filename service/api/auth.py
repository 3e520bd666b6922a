"""Bearer-key authentication, scope checks and per-key rate limits, as one Litestar guard driven by each route's
`scope` opt. The key is only ever hashed, never logged or echoed: errors name the problem, not the key."""

from __future__ import annotations

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from service.api_keys.service import Principal, authenticate, hash_key
from service.errors import Forbidden
from service.ratelimit.guard import enforce_rate_limit, rate_limiter, recent_refusals
from service.ratelimit.limiter import limit_class
from service.ratelimit.unauthenticated import AuthFailures


async def require_scope(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    scope = handler.opt.get("scope")
    if scope is None:
        return
    header = connection.headers.get("authorization", "")
    kind, _, key = header.partition(" ")
    key = key.strip() if kind.lower() == "bearer" else ""
    address = connection.client.host if connection.client else "unknown"
    key_hash = hash_key(key) if key else ""
    # A blocked address gets its 429 from memory, on the event loop: no thread hop, no Redis, no database (a
    # flood's cost per request); a key seen valid lately still passes (see AuthFailures).
    known = _failures(connection.app.state).known_while_blocked(address, key_hash)
    if key_hash:  # a key over its limit: 429 from memory until its Retry-After
        recent_refusals(connection.app.state).check(key_hash, limit_class(scope, connection.scope["method"]))
    # One thread hop for the database lookup and the Redis round trips.
    connection.state.principal = await to_thread.run_sync(
        _authorize, connection.app.state, key, key_hash, known, scope, connection.scope["method"], address
    )


def _authorize(
    state: State, key: str, key_hash: str, known: Principal | None, scope: str, method: str, address: str
) -> Principal:
    failures = _failures(state)
    if not key:
        raise failures.refuse(address, "send the API key as `Authorization: Bearer <key>`")
    unknown = "the API key is unknown or revoked"
    if failures.is_unknown(key_hash):
        raise failures.refuse(address, unknown)  # answered from memory: no database lookup
    principal = known
    if principal is None:
        with state.session_factory() as session:
            principal = authenticate(session, key)
        failures.remember(key_hash, principal)
    if principal is None:
        raise failures.refuse(address, unknown)
    if not principal.allows(scope):
        raise Forbidden(f"this route needs the `{scope}` scope")
    enforce_rate_limit(state, principal, scope, method, key_hash)
    return principal


def _failures(state: State) -> AuthFailures:
    failures = state.get("auth_failures")
    if failures is None:  # created on first use, in the serving process
        failures = state["auth_failures"] = AuthFailures(state.settings, rate_limiter(state))
    return failures


def principal_of(connection: ASGIConnection) -> Principal:
    return connection.state.principal
