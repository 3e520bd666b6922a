"""The machine's brokers, as the tests reach them (one spelling for every suite)."""

from __future__ import annotations

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
REDIS = "redis://127.0.0.1:6379/5"
BROKERS = {"rabbitmq": RABBITMQ, "redis": REDIS}
# The fault tests use Redis DB 7: their short visibility timeouts stay away from the other suites' keys.
FAULT_BROKERS = {"rabbitmq": RABBITMQ, "redis": "redis://127.0.0.1:6379/7"}
