"""GET /metrics: Prometheus text format (not part of the public API schema)."""

from __future__ import annotations

from litestar import Request, Response, get
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from service.observability.metrics import DatabaseStateCollector


def state_registry(session_factory) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseStateCollector(session_factory))
    return registry


@get("/metrics", include_in_schema=False, sync_to_thread=True)
def metrics(request: Request) -> Response:
    state = request.app.state
    if "metrics_registry" not in state:
        state.metrics_registry = state_registry(state.session_factory)
    body = generate_latest(REGISTRY) + generate_latest(state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
