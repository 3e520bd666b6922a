"""A stub of the system resolver for service subprocesses in tests: put this directory on PYTHONPATH and set
INGEST_TEST_STUB_DNS to a JSON object {name: {"addresses": [...], "delay": seconds}}. Lookups of those names
sleep `delay` seconds (a stalled DNS server), then answer `addresses` (none: "name not known"); other names go
to the real resolver (loopback and /etc/hosts names only, in tests). No packet leaves the machine for a stubbed
name."""

from __future__ import annotations

import json
import os
import socket
import time

_STUB = json.loads(os.environ.get("INGEST_TEST_STUB_DNS", "{}"))
_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    name = host.decode() if isinstance(host, bytes) else host
    entry = _STUB.get(name.rstrip(".").lower()) if isinstance(name, str) else None
    if entry is None:
        return _real_getaddrinfo(host, port, family, type, proto, flags)
    time.sleep(entry.get("delay", 0))
    if not entry.get("addresses"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (socket.AF_INET6 if ":" in a else socket.AF_INET, type or socket.SOCK_STREAM, 6, "", (a, port or 0))
        for a in entry["addresses"]
    ]


if _STUB:
    socket.getaddrinfo = _getaddrinfo
