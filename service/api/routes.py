"""Everything the app serves, in one list: add a controller here to expose it."""

from __future__ import annotations

from .admin import AdminController
from .articles import ArticleController
from .body_timeout import bound_body_reads
from .export import ExportController
from .health import healthz, readyz
from .hostile import reject_nul_in_url
from .keys import ApiKeyController
from .metrics import metrics
from .webhooks import WebhookController

ROUTE_HANDLERS: list = [ArticleController, healthz, readyz, metrics]
ROUTE_HANDLERS.append(ApiKeyController)
ROUTE_HANDLERS.append(WebhookController)
ROUTE_HANDLERS.append(ExportController)
ROUTE_HANDLERS.append(AdminController)

# ASGI middleware, outermost first.
MIDDLEWARE: list = []
MIDDLEWARE.append(reject_nul_in_url)
MIDDLEWARE.append(bound_body_reads)  # a stalled body: 408, not a coroutine held forever
