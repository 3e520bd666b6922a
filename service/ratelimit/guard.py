"""Applies the limiter to an authenticated request; the auth guard calls it once it knows the key."""

from __future__ import annotations

import math
import threading
import time

from litestar.datastructures import State

from service.api_keys.service import Principal
from service.errors import ServiceError

from .fair_share import FairShare
from .limiter import Decision, RateLimiter, limit_class

MIB = 1024 * 1024
LARGE_BODY_BYTES = 256 * 1024  # bodies this large count their size against the key's "body" allowance
CHARGE_STEP_BYTES = MIB  # a body without Content-Length is charged per this much read (BodyMeter)


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


class RecentRefusals:
    """Per process: keys over a limit class until their Retry-After, so a tenant flooding past its own limit is
    answered 429 from memory (no thread hop, database lookup or Redis call) until its allowance can return. GCRA
    says exactly when that is; a request refused from memory uses none of the allowance. Bounded: at most
    _MAX_ENTRIES keys are remembered (the oldest refusals are forgotten first)."""

    _MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], tuple[float, int]] = {}  # (key hash, class) -> (monotonic end, limit)
        self._lock = threading.Lock()

    def check(self, key_hash: str, klass: str) -> None:
        """Raise RateLimited when (key_hash, klass) was refused and its Retry-After has not passed."""
        with self._lock:
            until, limit = self._until.get((key_hash, klass), (0.0, 0))
        left = until - time.monotonic()
        if left > 0:
            raise _limited(limit, klass, max(1, math.ceil(left)))

    def remember(self, key_hash: str, klass: str, retry_after: float, limit: int) -> None:
        with self._lock:
            if len(self._until) >= self._MAX_ENTRIES:
                self._until.pop(next(iter(self._until)))
            self._until[(key_hash, klass)] = (time.monotonic() + retry_after, limit)


def recent_refusals(state: State) -> RecentRefusals:
    refusals = state.get("rate_refusals")
    if refusals is None:
        refusals = state["rate_refusals"] = RecentRefusals()
    return refusals


def counts_body(scope: str, method: str, body_bytes: int) -> bool:
    """Whether a request's body counts against the key's "body" allowance (MiB per minute): an ingest write whose
    declared body is LARGE_BODY_BYTES or more."""
    return body_bytes >= LARGE_BODY_BYTES and limit_class(scope, method) == "write"


async def enforce_rate_limit(
    state: State,
    principal: Principal,
    scope: str,
    method: str,
    key_hash: str = "",
    body_bytes: int = 0,
    *,
    submission: bool = False,
) -> int | None:
    """Raises RateLimited (429 + Retry-After) when this key has used up the allowance for the route's class, or
    (`counts_body`) its MiB of large request bodies per minute for the declared `body_bytes`; with `key_hash`, the
    refusal is remembered until its Retry-After (RecentRefusals). For a `submission` (a live one, POST
    /v1/articles) returns the priority to queue it with (`FairShare`), counted in the same Redis round trip; else
    None."""
    klass = limit_class(scope, method)
    charges = [(klass, 1.0), ("body", body_bytes / MIB)] if counts_body(scope, method, body_bytes) else [(klass, 1.0)]
    share = fair_share(state) if submission else None
    counter = share.counter(principal.key_id) if share else None
    decision, count = await rate_limiter(state).hit_all(principal.key_id, charges, counter)
    _refuse_unless_allowed(state, key_hash, decision)
    return share.priority(count) if share else None


async def charge_body(state: State, principal: Principal, key_hash: str, body_bytes: int) -> None:
    """Count `body_bytes` of a large body (declared, or read so far of a chunked one) against the key's "body"
    allowance (MiB per minute, GCRA: one Redis round trip). Raises RateLimited past it, remembered under `key_hash`
    (when given) so the key's next large bodies are refused from memory, before they are read, until the
    Retry-After."""
    decision = await rate_limiter(state).hit(principal.key_id, "body", cost=body_bytes / MIB)
    _refuse_unless_allowed(state, key_hash, decision)


def _refuse_unless_allowed(state: State, key_hash: str, decision: Decision) -> None:
    """Raise RateLimited for a refused `decision`, remembered under `key_hash` (when given) until its Retry-After."""
    if not decision.allowed:
        if key_hash:
            recent_refusals(state).remember(key_hash, decision.klass, decision.retry_after, decision.limit)
        raise _limited(decision.limit, decision.klass, decision.retry_after)


def meters_body(scope: str, method: str, declares_length: bool) -> bool:
    """Whether a request's body must be counted as it is read (`BodyMeter`): an ingest write that declares no
    Content-Length (Transfer-Encoding: chunked), so the guard could not count it up front."""
    return not declares_length and limit_class(scope, method) == "write"


class BodyMeter:
    """Counts a body sent without Content-Length against the key's "body" allowance while it is read, with the
    rule of a declared one (`counts_body`): a body under LARGE_BODY_BYTES costs nothing, a larger one its whole
    size in MiB. The request calls `add(n)` per chunk received and `finish()` after the last one.

    Once LARGE_BODY_BYTES have arrived, a key refused lately is answered 429 from memory (RecentRefusals, no Redis
    call); otherwise the bytes read so far are charged, then each further CHARGE_STEP_BYTES, and the rest at the
    end: at most 1 + size / CHARGE_STEP_BYTES Redis round trips (11 for the 10 MiB request cap), and reading stops
    at most CHARGE_STEP_BYTES past the allowance. Charges made before a refusal stand: those bytes were read. GCRA
    refuses a body charged in parts no sooner than the same size charged at once, as a declared one is, so a key
    has one allowance however its bodies are sent."""

    def __init__(self, state: State, principal: Principal, key_hash: str) -> None:
        self._state, self._principal, self._key_hash = state, principal, key_hash
        self._read = self._charged = 0

    async def add(self, size: int) -> None:
        """Count `size` more bytes received; raises RateLimited once the key is past its allowance."""
        self._read += size
        if self._read < LARGE_BODY_BYTES:
            return
        if not self._charged:
            if self._key_hash:
                recent_refusals(self._state).check(self._key_hash, "body")
            await self._charge()
        elif self._read - self._charged >= CHARGE_STEP_BYTES:
            await self._charge()

    async def finish(self) -> None:
        """The body has been read whole: charge what is left of a large one."""
        if self._read >= LARGE_BODY_BYTES and self._read > self._charged:
            await self._charge()

    async def _charge(self) -> None:
        unpaid, self._charged = self._read - self._charged, self._read
        await charge_body(self._state, self._principal, self._key_hash, unpaid)


def _limited(limit: int, klass: str, retry_after: float) -> RateLimited:
    what = f"{limit} MiB of request bodies" if klass == "body" else f"{limit} {klass} requests"
    return RateLimited(f"more than {what} per minute for this key; retry later", extra={"retry_after": retry_after})
