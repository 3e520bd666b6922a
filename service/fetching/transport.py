"""An httpx transport that connects only to the addresses the guard has just checked.

httpcore asks its network backend to `connect_tcp(host, port)`; our backend resolves and checks the host
itself and dials the checked IP, so no second DNS lookup happens between check and connect (rebinding).
The request keeps its URL, so the Host header and TLS SNI/certificate checks still use the host name.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from ..settings import Settings
from .deadline import DeadlineStream, time_left
from .errors import FetchError
from .guard import Resolver, resolve_checked, split_url

# (ip, port, timeout, socket_options) -> stream. Tests swap it to map a stub public address to a local
# server; production dials the checked IP directly.
Dialer = Callable[[str, int, float | None, Iterable[Any] | None], httpcore.NetworkStream]

_SYNC_BACKEND = httpcore.SyncBackend()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds; one verified context per process serves every fetch.
    return httpx.create_ssl_context()


def direct_dialer(
    ip: str, port: int, timeout: float | None, socket_options: Iterable[Any] | None
) -> httpcore.NetworkStream:
    # An IP literal: getaddrinfo inside does no DNS lookup.
    return _SYNC_BACKEND.connect_tcp(ip, port, timeout=timeout, socket_options=socket_options)


class GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, settings: Settings, resolver: Resolver | None = None, dialer: Dialer | None = None) -> None:
        self._settings = settings
        self._resolver = resolver
        self._dialer = dialer or direct_dialer

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(host, self._settings, self._resolver)
        last_exc: Exception | None = None
        for ip in addresses:  # all of them passed the guard; try each like happy eyeballs would
            try:
                stream = self._dialer(str(ip), port, time_left(timeout, httpcore.ConnectTimeout), socket_options)
                return DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_exc = exc
        assert last_exc is not None
        raise last_exc

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise FetchError("blocked_address", "unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        _SYNC_BACKEND.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """HTTPTransport with URL rules checked per request and addresses checked per connection."""

    def __init__(
        self, settings: Settings, *, resolver: Resolver | None = None, dialer: Dialer | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("verify", _ssl_context())
        super().__init__(**kwargs)
        self._settings = settings
        # httpx does not expose the pool's network backend; this is the one private attribute we touch,
        # and the canary tests fail loudly if an httpx/httpcore upgrade moves it.
        self._pool._network_backend = GuardedBackend(settings, resolver, dialer)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        split_url(str(request.url), self._settings)
        return super().handle_request(request)


class GuardedClient(httpx.Client):
    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        # URL rules first, so odd URLs fail as FetchError rather than as assorted httpx parse errors.
        split_url(str(url), self._settings)
        try:
            return super().build_request(method, url, **kwargs)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:  # e.g. httpx refuses "0177.0.0.1"
            raise FetchError("invalid_url", str(exc)) from None

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        self._settings = settings
        super().__init__(**kwargs)


def guarded_client(
    settings: Settings, *, timeout: float, resolver: Resolver | None = None, dialer: Dialer | None = None
) -> httpx.Client:
    """An httpx.Client for webhook deliveries and other outbound calls to user-supplied URLs.

    Never follows redirects (a 3xx is returned as is), ignores proxy and .netrc environment settings,
    sends the service's User-Agent, and raises FetchError(type="blocked_address") for denied targets.
    """
    return GuardedClient(
        settings,
        transport=GuardedTransport(settings, resolver=resolver, dialer=dialer),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout, connect=min(timeout, settings.fetch_connect_timeout)),
        headers={"User-Agent": settings.user_agent},
    )
