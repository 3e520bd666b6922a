"""Bearer-key authentication and scope checks, as a Litestar guard driven by each route's `scope` opt."""
from __future__ import annotations

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from service.api_keys.service import Principal, authenticate
from service.errors import Forbidden, Unauthorized


async def require_scope(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    scope = handler.opt.get("scope")
    if scope is None:
        return
    header = connection.headers.get("authorization", "")
    kind, _, key = header.partition(" ")
    if kind.lower() != "bearer" or not key.strip():
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    session_factory = connection.app.state.session_factory
    principal = await to_thread.run_sync(_lookup, session_factory, key.strip())
    if principal is None:
        raise Unauthorized("the API key is unknown or revoked")
    if not principal.allows(scope):
        raise Forbidden(f"this route needs the `{scope}` scope")
    connection.state.principal = principal


def _lookup(session_factory, key: str) -> Principal | None:
    with session_factory() as session:
        return authenticate(session, key)


def principal_of(connection: ASGIConnection) -> Principal:
    return connection.state.principal
