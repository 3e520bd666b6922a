from __future__ import annotations

import uuid

import pytest
import redis

from service.fetching.robots import ROBOTS_CACHE
from service.settings import Settings

from .servers import Canary, LocalSite


@pytest.fixture
def site():
    s = LocalSite()
    yield s
    s.close()


@pytest.fixture
def canary():
    c = Canary()
    yield c
    c.close()


@pytest.fixture
def key_prefix():
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test:fetching:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(Settings().redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_robots_cache():
    ROBOTS_CACHE.clear()
    yield
    ROBOTS_CACHE.clear()


@pytest.fixture
def make_settings(key_prefix):
    """Settings for fetching a LocalSite: private networks allowed, short clocks, own Redis keys."""

    def make(site: LocalSite | None = None, **overrides) -> Settings:
        values = {
            "allow_private_networks": True,
            "allowed_ports": [80, 443] + ([site.port] if site else []),
            "politeness_key_prefix": key_prefix,
            "fetch_connect_timeout": 2.0,
            "fetch_read_timeout": 2.0,
            "fetch_total_timeout": 5.0,
            "fetch_backoff_base": 0.05,
            "per_host_rate_per_second": 1000.0,
            "robots_cache_seconds": 60.0,
        }
        values.update(overrides)
        return Settings(**values)

    return make
