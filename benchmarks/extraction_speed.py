#!/usr/bin/env python3
"""Speed: pages/s of the whole pipeline vs plain trafilatura.extract on the real page sets, same run.

    python benchmarks/extraction_speed.py [--passes 3] [--sets bench,eval] [--sample N]

Both get each page as bytes (the pipeline decodes them with their declared charset first, as in
extraction_quality.py). Passes are round-robin (pipeline pass, trafilatura pass, ...) so drift on a shared
machine hits both; the median pass is reported, with the ratio (issue 11 target: at most 1.3x).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from extraction_quality import EXTRACTORS, load_bench, load_eval


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--sets", default="bench,eval")
    ap.add_argument("--sample", type=int, default=1, help="every N-th page")
    args = ap.parse_args(argv)
    loaders = {"bench": load_bench, "eval": load_eval}
    pages = [p for s in args.sets.split(",") for p in loaders[s](args.sample)]
    passes: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for _ in range(args.passes):
        for name, fn in EXTRACTORS.items():
            start = time.perf_counter()
            for page in pages:
                fn(page)
            passes[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in passes.items()}
    for name, seconds in median.items():
        print(
            f"{name:12} {len(pages) / seconds:6.1f} pages/s (median of {args.passes}, best "
            f"{len(pages) / min(passes[name]):.1f})"
        )
    print(
        f"ratio pipeline/trafilatura time per page: {median['pipeline'] / median['trafilatura']:.2f}x "
        f"({len(pages)} pages)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
