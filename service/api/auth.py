"""Bearer-key authentication, scope checks and per-key rate limits, as one Litestar guard driven by each route's
`scope` opt. The key is only ever hashed, never logged or echoed: errors name the problem, not the key."""
from __future__ import annotations

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from service.api_keys.service import Principal, authenticate
from service.errors import Forbidden, Unauthorized
from service.ratelimit.guard import enforce_rate_limit


async def require_scope(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    scope = handler.opt.get("scope")
    if scope is None:
        return
    header = connection.headers.get("authorization", "")
    kind, _, key = header.partition(" ")
    if kind.lower() != "bearer" or not key.strip():
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    # One thread hop for the database lookup and the Redis round trip.
    connection.state.principal = await to_thread.run_sync(
        _authorize, connection.app.state, key.strip(), scope, connection.scope["method"])


def _authorize(state: State, key: str, scope: str, method: str) -> Principal:
    with state.session_factory() as session:
        principal = authenticate(session, key)
    if principal is None:
        raise Unauthorized("the API key is unknown or revoked")
    if not principal.allows(scope):
        raise Forbidden(f"this route needs the `{scope}` scope")
    enforce_rate_limit(state, principal, scope, method)
    return principal


def principal_of(connection: ASGIConnection) -> Principal:
    return connection.state.principal
