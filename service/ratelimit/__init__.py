"""Per-API-key rate limits shared by every API process (GCRA in one Redis Lua script). See limiter.py."""

from .limiter import Decision, RateLimiter, limit_class

__all__ = ["Decision", "RateLimiter", "limit_class"]
