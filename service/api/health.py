"""Liveness and readiness."""

from __future__ import annotations

from litestar import Request, Response, get
from sqlalchemy import text

from .problems import problem, problem_responses


@get("/healthz", sync_to_thread=False, summary="The process is alive", tags=["health"])
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/readyz",
    sync_to_thread=True,
    summary="The database and the broker are reachable",
    tags=["health"],
    responses=problem_responses(503),
)
def readyz(request: Request) -> Response:
    state = request.app.state
    checks = {"database": "ok", "broker": "ok"}
    try:
        with state.session_factory() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:
        checks["database"] = f"unavailable: {exc.__class__.__name__}"
    try:
        state.broker_check()
    except Exception as exc:
        checks["broker"] = f"unavailable: {exc.__class__.__name__}"
    if all(v == "ok" for v in checks.values()):
        return Response({"status": "ready", "checks": checks})
    return problem(503, "not_ready", "Not ready", "a backing service is unavailable", "/readyz", checks=checks)
