#!/usr/bin/env python3
"""Speed: pages/s of the whole pipeline vs plain trafilatura.extract on the benchmark pages, same run.

    python benchmarks/extraction_speed.py [--data DIR] [--passes 3]

Passes are round-robin (pipeline pass, trafilatura pass, ...) so drift on a shared machine hits both;
the median pass is reported, with the ratio (target: pipeline at most 1.5x the time of trafilatura).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from extraction_quality import DEFAULT_DATA, EXTRACTORS, load_pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("INGEST_BENCHMARK_DIR", DEFAULT_DATA)))
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)
    pages = list(load_pages(args.data, args.limit).values())
    if not pages:
        print(f"no pages in {args.data}", file=sys.stderr)
        return 2
    passes: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for _ in range(args.passes):
        for name, fn in EXTRACTORS.items():
            start = time.perf_counter()
            for html in pages:
                fn(html, None)
            passes[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in passes.items()}
    for name, seconds in median.items():
        print(f"{name:12} {len(pages) / seconds:6.1f} pages/s (median of {args.passes}, best {len(pages) / min(passes[name]):.1f})")
    print(f"ratio pipeline/trafilatura time per page: {median['pipeline'] / median['trafilatura']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
