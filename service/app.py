"""The Litestar application factory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from anyio import to_thread
from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

import service.db.models  # noqa: F401 - every mapper registered before configure_mappers()
from service.api.auth import require_scope
from service.api.dependencies import DEPENDENCIES
from service.api.json_body import BoundedJsonRequest
from service.api.previews import PreviewRunner
from service.api.problems import EXCEPTION_HANDLERS
from service.api.query_params import reject_unknown_query_parameters
from service.api.routes import MIDDLEWARE, ROUTE_HANDLERS
from service.extraction.language import use_detector
from service.fetching import warn_if_guard_disabled
from service.kit.allocator import keep_freed_memory
from service.settings import Settings

log = logging.getLogger(__name__)
API_VERSION = "1.0.0"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="article-ingest",
        version=API_VERSION,
        description=(
            "Turns web articles into clean, normalized records. Errors are application/problem+json. An invalid"
            " query parameter (unreadable, out of range, not taken by the route, or repeated) is a 400"
            " malformed_request whose `errors` name it: {key, source: query, message}."
        ),
        path="/schema",
        components=Components(
            security_schemes={"BearerAuth": SecurityScheme(type="http", scheme="bearer", description="API key")}
        ),
    )


def create_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session] | None = None,
    dispatcher=None,
    fetch: Callable | None = None,
    broker_check: Callable[[], None] | None = None,
    previews: PreviewRunner | None = None,
) -> Litestar:
    """Everything with I/O can be injected, so tests pass a transactional session factory and a recorder."""
    use_detector(settings.language_detector)
    if session_factory is None:
        from service.db.engine import make_engine, make_session_factory

        engine = make_engine(settings.database_url, pool_size=settings.api_threads)
        session_factory = make_session_factory(engine)
    on_shutdown: list[Callable] = []
    if dispatcher is None or broker_check is None:
        from service.queue.background import BackgroundDispatcher
        from service.queue.celery_config import make_producer_app
        from service.queue.dispatcher import CeleryDispatcher

        producer = make_producer_app(settings)
        if dispatcher is None:  # requests hand messages to a publisher thread (sent with confirms, after commit)
            publisher = dispatcher = BackgroundDispatcher(CeleryDispatcher(producer))
            on_shutdown.append(lambda: publisher.close())  # no parameters: Litestar passes the app to a hook with any
        broker_check = broker_check or (
            lambda: producer.connection_for_write().ensure_connection(max_retries=1, timeout=2)
        )
    if fetch is None:
        from service.fetching import fetch_page as fetch

    previews = previews or PreviewRunner(settings)  # its processes start with the first preview (or warm_up)
    warn_if_guard_disabled(settings, log)
    configure_mappers()  # once at start, not inside the first request
    return Litestar(
        on_startup=[partial(_limit_threads, settings.api_threads)],
        on_shutdown=[previews.close, *on_shutdown],
        route_handlers=ROUTE_HANDLERS,
        middleware=MIDDLEWARE,
        guards=[require_scope, reject_unknown_query_parameters],  # 401/403 before a 400 for the query
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        request_max_body_size=settings.max_request_bytes,
        request_class=BoundedJsonRequest,
        state=State(
            {
                "settings": settings,
                "session_factory": session_factory,
                "dispatcher": dispatcher,
                "fetch": fetch,
                "broker_check": broker_check,
                "previews": previews,
            }
        ),
    )


def _limit_threads(count: int) -> None:
    """Bound the threads running sync handlers (anyio's default is 40): on a small machine more threads only
    contend for the GIL and for database connections."""
    to_thread.current_default_thread_limiter().total_tokens = count


def app_from_env() -> Litestar:
    """Factory for uvicorn (`--factory`): settings come from the environment, in the serving process."""
    from service.observability.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    keep_freed_memory()  # large request bodies reuse freed memory instead of faulting in fresh pages each time
    previews = PreviewRunner(settings)
    previews.warm_up()
    return create_app(settings, previews=previews)
