"""Redis clients, one per process: a client (and its connection pool) inherited across fork would be shared by
two processes and mix their replies, so the cache is keyed by the process id as well as by URL and timeout."""

from __future__ import annotations

import os
import threading

import redis

_clients: dict[tuple[str, float, int], redis.Redis] = {}
_lock = threading.Lock()


def process_client(url: str, *, timeout: float) -> redis.Redis:
    """This process's client for `url`; `timeout` (seconds) bounds connecting and every command."""
    key = (url, timeout, os.getpid())
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = redis.Redis.from_url(
                    url, socket_timeout=timeout, socket_connect_timeout=timeout
                )
    return client
