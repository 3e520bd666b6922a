#!/usr/bin/env python3
"""Quality gate: the pipeline vs plain trafilatura on the shared article-extraction benchmark, same run.

    python benchmarks/extraction_quality.py [--data DIR] [--floor F1] [--limit N]

DIR defaults to $INGEST_BENCHMARK_DIR or ../shared/benchmarks/article-extraction next to the repo root.
The metric is the folder's own score.py (4-token shingles, see its README). Prints F1/P/R and pages/s
for both extractors and the speed ratio; exits 1 when the pipeline's F1 is below the floor.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from service.extraction import ExtractionError, extract_document  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "benchmarks" / "article-extraction"
# Measured 0.965 (trafilatura 0.960) on the 181 pages; the floor leaves room for bootstrap noise only.
F1_FLOOR = 0.960


def load_pages(data: Path, limit: int | None = None) -> dict[str, str]:
    files = sorted((data / "html").glob("*.html.gz"))[:limit]
    return {p.name.split(".")[0]: gzip.decompress(p.read_bytes()).decode("utf-8") for p in files}


def load_scorer(data: Path):
    spec = importlib.util.spec_from_file_location("benchmark_score", data / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_pipeline(html: str, url: str | None) -> str:
    try:
        return extract_document(html, "html", source_url=url).body_text
    except ExtractionError:
        return ""


def run_trafilatura(html: str, url: str | None) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


EXTRACTORS = {"pipeline": run_pipeline, "trafilatura": run_trafilatura}


def extract_all(pages: dict[str, str], urls: dict[str, str]) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Both extractors page by page, alternating, so machine noise hits them alike."""
    outputs = {name: {} for name in EXTRACTORS}
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    for pid, html in pages.items():
        for name, fn in EXTRACTORS.items():
            start = time.perf_counter()
            outputs[name][pid] = fn(html, urls.get(pid))
            seconds[name] += time.perf_counter() - start
    return outputs, seconds


def score(scorer, truth: dict, output: dict[str, str]) -> tuple[float, float, float]:
    rows = [scorer.page_counts(scorer.as_text(truth[pid]), output[pid]) for pid in output]
    return scorer.aggregate(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("INGEST_BENCHMARK_DIR", DEFAULT_DATA)))
    ap.add_argument("--floor", type=float, default=F1_FLOOR)
    ap.add_argument("--limit", type=int, help="only the first N pages (smoke runs; the floor is for all)")
    ap.add_argument("--dump", type=Path, help="write the pipeline's outputs as JSON for score.py")
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = load_pages(args.data, args.limit)
    outputs, seconds = extract_all(pages, {pid: truth[pid].get("url") for pid in pages})
    scorer = load_scorer(args.data)
    results = {name: score(scorer, truth, out) for name, out in outputs.items()}
    for name, (f1, p, r) in results.items():
        print(f"{name:12} F1 {f1:.4f}  precision {p:.4f}  recall {r:.4f}  {len(pages) / seconds[name]:6.1f} pages/s")
    ratio = seconds["pipeline"] / seconds["trafilatura"]
    print(f"speed ratio pipeline/trafilatura: {ratio:.2f}x the time per page  (pages={len(pages)})")
    if args.dump:
        args.dump.write_text(json.dumps(outputs["pipeline"], ensure_ascii=False), encoding="utf-8")
    f1 = results["pipeline"][0]
    if f1 < args.floor:
        print(f"FAIL: pipeline F1 {f1:.4f} is below the floor {args.floor:.4f}", file=sys.stderr)
        return 1
    print(f"ok: pipeline F1 {f1:.4f} >= floor {args.floor:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
