"""Fault-test figures: printed (pytest -s) and appended as JSON lines to $INGEST_FAULT_REPORT if set."""

from __future__ import annotations

import json
import os


def report(test: str, **figures) -> None:
    line = json.dumps({"test": test, **figures})
    print(f"\nFAULT REPORT {line}")
    path = os.environ.get("INGEST_FAULT_REPORT")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")
