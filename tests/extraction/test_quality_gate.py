"""CI gate: the pipeline's F1 on the shared benchmark must not fall below the floor in extraction_quality.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("INGEST_BENCHMARK_DIR", REPO.parent / "shared" / "benchmarks" / "article-extraction"))


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "ground-truth.json").is_file(), reason="benchmark data not present")
def test_pipeline_f1_stays_above_floor():
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "extraction_quality.py"), "--data", str(DATA)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "pipeline" in proc.stdout and "speed ratio" in proc.stdout
