"""Everything the app serves, in one list: add a controller here to expose it."""
from __future__ import annotations

from .articles import ArticleController
from .health import healthz, readyz
from .webhooks import WebhookController

ROUTE_HANDLERS: list = [ArticleController, healthz, readyz]
ROUTE_HANDLERS.append(WebhookController)

# ASGI middleware, outermost first.
MIDDLEWARE: list = []
