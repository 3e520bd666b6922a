"""Applies the limiter to an authenticated request; the auth guard calls it once it knows the key."""

from __future__ import annotations

from litestar.datastructures import State

from service.api_keys.service import Principal
from service.errors import ServiceError

from .fair_share import FairShare
from .limiter import RateLimiter, limit_class


class RateLimited(ServiceError):
    status, type, title = 429, "rate_limited", "Too many requests for this API key"


def rate_limiter(state: State) -> RateLimiter:
    """The app's limiter, created on first use, in the serving process."""
    limiter = state.get("rate_limiter")
    if limiter is None:
        limiter = state["rate_limiter"] = RateLimiter(state.settings)
    return limiter


def fair_share(state: State) -> FairShare:
    """The app's fair share of the extraction queue, created on first use, in the serving process."""
    share = state.get("fair_share")
    if share is None:
        share = state["fair_share"] = FairShare(state.settings)
    return share


def enforce_rate_limit(state: State, principal: Principal, scope: str, method: str) -> None:
    """Raises RateLimited (429 + Retry-After) when this key has used up the allowance for the route's class."""
    klass = limit_class(scope, method)
    decision = rate_limiter(state).hit(principal.key_id, klass)
    if not decision.allowed:
        raise RateLimited(
            f"more than {decision.limit} {klass} requests per minute for this key; retry later",
            extra={"retry_after": decision.retry_after},
        )
