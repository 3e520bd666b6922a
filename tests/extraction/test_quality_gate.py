"""CI gate: the quality harness over every real set (benchmarks/extraction_quality.py) must keep each of the
pipeline's figures at or above its floor (FLOORS/CEILINGS there: the values reached, raised as they improve).

The full 181 + 990 pages, the shared cases, the golden cases and the labelled set run, each page through the
pipeline and plain trafilatura alternately: about a minute on an idle 2-core machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import extraction_quality as harness  # noqa: E402

DATA_PRESENT = (harness.BENCH / "ground-truth.json").is_file() and (harness.EVAL / "cases.json").is_file()


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not DATA_PRESENT, reason="shared benchmark data not present")
def test_every_figure_stays_at_or_above_its_floor(tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "extraction_quality.py"), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=880,
    )
    assert out.is_file(), proc.stdout + proc.stderr
    figures = harness.flat_figures(json.loads(out.read_text(encoding="utf-8")))
    assert set(harness.FLOORS) | set(harness.CEILINGS) <= set(figures), "a gated figure was not measured"
    assert harness.check_floors(figures) == [], proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_floor_check_reports_a_figure_below_its_floor_or_above_its_ceiling():
    floor_key, ceiling_key = next(iter(harness.FLOORS)), next(iter(harness.CEILINGS))
    low = {floor_key: harness.FLOORS[floor_key] - 1, ceiling_key: harness.CEILINGS[ceiling_key]}
    high = {floor_key: harness.FLOORS[floor_key], ceiling_key: harness.CEILINGS[ceiling_key] + 1}
    assert [p.split()[0] for p in harness.check_floors(low)] == [floor_key]
    assert [p.split()[0] for p in harness.check_floors(high)] == [ceiling_key]
    assert harness.check_floors({floor_key: harness.FLOORS[floor_key]}) == []


def test_labelled_matcher_reads_ground_truth_tokenisation_as_the_page_text():
    # labels copied from the 181-page ground truth carry its tokeniser's spaces; labels are never edited
    assert harness.unspaced("Boeing 's new plane") in harness.unspaced("Shares of Boeing’s new plane fell.")
    assert harness.unspaced("(CNN Business) A muddled view") in harness.unspaced("(CNN Business)A muddled view")
    assert harness.unspaced("the new plane") not in harness.unspaced("the old plane")
