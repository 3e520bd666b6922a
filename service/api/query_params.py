"""Query parameters a /v1 route does not take are refused, not ignored: a typo (`limt=5`) or a parameter of
another route (`cursor` on the feed) would otherwise give a page that silently differs from what was asked for.

A guard, run after authentication (`require_scope`), before Litestar reads the parameters: a parameter the route
does not declare, or a single-valued one given more than once, is a 400 InvalidQueryParameter naming each one
(README, "Using the API"). A request without a query string costs one dictionary lookup."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.routes import HTTPRoute

from service.errors import InvalidQueryParameter

_Declared = tuple[frozenset[str], frozenset[str]]  # (every query parameter, those that may repeat)
_STATE_KEY = "declared_query_parameters"  # in app.state: id(route handler) -> _Declared, None: reads the whole query


async def reject_unknown_query_parameters(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Raise InvalidQueryParameter (400) when a /v1 request carries a query parameter its route does not
    declare (its handler's and its dependencies' query parameters), or repeats one that takes a single value.
    Other routes (health, metrics, the OpenAPI pages) are left as they are."""
    scope = connection.scope
    if not scope.get("query_string") or not scope["path"].startswith("/v1/"):
        return
    declared = _declared(connection.app).get(id(scope["route_handler"]))
    if declared is None:
        return
    names, repeatable = declared
    problems: dict[str, str] = {}
    for name, values in connection.query_params.dict().items():
        if name not in names:
            takes = ", ".join(sorted(names)) or "none"
            problems[name] = f"unknown for this route (its query parameters: {takes})"
        elif len(values) > 1 and name not in repeatable:
            problems[name] = f"given {len(values)} times; it takes one value"
    if problems:
        raise InvalidQueryParameter(problems)


def _declared(app: Litestar) -> dict[int, _Declared | None]:
    """What each HTTP route handler of `app` declares, read once from the kwargs models Litestar built for its
    routes (they include the parameters of the handler's dependencies)."""
    table: dict[int, _Declared | None] | None = app.state.get(_STATE_KEY)
    if table is None:
        table = {}
        for route in app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for route_handler, model in route.route_handler_map.values():
                if "query" in model.expected_reserved_kwargs:  # takes the whole query: anything goes
                    table[id(route_handler)] = None
                    continue
                params = model.expected_query_params
                table[id(route_handler)] = (
                    frozenset(p.field_alias for p in params),
                    frozenset(p.field_alias for p in params if p.is_sequence),
                )
        app.state[_STATE_KEY] = table  # built the same by any thread that races here
    return table
