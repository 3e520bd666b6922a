"""Where the tests find the repository and the workplace's shared, read-only data (../shared next to the repo):
one spelling for every test. INGEST_SHARED_DIR points elsewhere when the repo is checked out on its own."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("INGEST_SHARED_DIR", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures"
BENCHMARKS = SHARED / "benchmarks"
CASES = SHARED / "cases" / "extraction"
