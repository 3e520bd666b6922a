#!/usr/bin/env python3
"""Speed: pages/s of the whole pipeline vs plain trafilatura.extract on the real page sets, same run.

    python benchmarks/extraction_speed.py [--passes 3] [--sets bench,eval] [--sample N] [--stages]

Both get each page as bytes (the pipeline decodes them with their declared charset first, as in
extraction_quality.py). Passes are round-robin (pipeline pass, trafilatura pass, ...) so drift on a shared
machine hits both; the median pass is reported, with the ratio (issue 11 target: at most 1.3x, issue 16: 1.0x).
The first pass also pays each process's one-time costs (imports done lazily, dateparser's per-locale regular
expressions); it is printed apart as "cold".

--stages wraps each stage of the pipeline in a timer and prints each stage's time as a share of plain
trafilatura's time over all passes, same run (the wrappers add ~1 µs a call). Nested stages (htmldate inside
metadata) are printed indented; their time is part of their parent's.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from extraction_quality import EXTRACTORS, load_bench, load_eval

# (label, module, attribute): the functions the pipeline calls per page, looked up at call time.
STAGES = (
    ("decode (charset)", "extraction_quality", "decode_file"),
    ("markup scan", "service.extraction.complexity", "scan_markup"),
    ("parse", "service.extraction.html", "parse_html"),
    ("count elements", "service.extraction.limits", "count_elements"),
    ("metadata", "service.extraction.metadata", "extract_metadata"),
    ("  trafilatura author search", "trafilatura.metadata", "extract_author"),
    ("  htmldate find_date", "service.extraction.metadata_trafilatura", "find_date"),
    ("  visible dateline (dateparser)", "service.extraction.metadata", "parse_dateline"),
    ("story (trafilatura on the tree)", "service.extraction.html", "extract_story"),
    ("sidebars", "service.extraction.sidebars", "find_sidebars"),
    ("dropped blocks", "service.extraction.story", "recover_dropped_blocks"),
    ("inline inserts", "service.extraction.sidebars", "find_inline_inserts"),
    ("story line cleaning", "service.extraction.pipeline", "clean_story_lines"),
    ("language", "service.extraction.pipeline", "detect_language"),
)


def _timed(seconds: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - start

    return wrapper


def instrument() -> dict[str, float]:
    """Wrap every stage in STAGES with a timer; returns {label: seconds so far}."""
    import importlib

    seconds = dict.fromkeys((label for label, _, _ in STAGES), 0.0)
    for label, module_name, attribute in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, attribute, _timed(seconds, label, getattr(module, attribute)))
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--sets", default="bench,eval")
    ap.add_argument("--sample", type=int, default=1, help="every N-th page")
    ap.add_argument("--stages", action="store_true", help="time each stage of the pipeline")
    args = ap.parse_args(argv)
    stages = instrument() if args.stages else None
    loaders = {"bench": load_bench, "eval": load_eval}
    pages = [p for s in args.sets.split(",") for p in loaders[s](args.sample)]
    passes: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for index in range(args.passes):
        if stages is not None and index == 1:  # stage shares over the warm passes: the first loads lazy tables
            stages.update(dict.fromkeys(stages, 0.0))
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
    if args.passes > 1:
        cold = passes["pipeline"][0] / passes["trafilatura"][0]
        warm = statistics.median(passes["pipeline"][1:]) / statistics.median(passes["trafilatura"][1:])
        print(f"cold (first pass) {cold:.2f}x, warm (median of the others) {warm:.2f}x")
    if stages is not None:
        warm_passes = slice(1 if args.passes > 1 else 0, None)
        plain = sum(passes["trafilatura"][warm_passes])
        counted = "the warm passes" if args.passes > 1 else "the one pass"
        print(f"stages, share of plain trafilatura's time over {counted} ({plain:.1f} s):")
        for label, seconds in stages.items():
            print(f"  {label:34} {seconds / plain:5.2f}x  ({seconds:.1f} s)")
        top = sum(v for k, v in stages.items() if not k.startswith("  "))
        print(f"  {'other (pipeline minus stages)':34} {(sum(passes['pipeline'][warm_passes]) - top) / plain:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
