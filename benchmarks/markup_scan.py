"""Cost of the pre-parse checks (issue 14) on real pages: complexity.scan_markup and limits.check_is_document
against lxml's parse and the whole pipeline, same pages, same run; and the 200,000-attribute page.

    nice -n 10 python benchmarks/markup_scan.py
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import contextlib  # noqa: E402

from service.extraction import ExtractionError, extract_document  # noqa: E402
from service.extraction.complexity import scan_markup  # noqa: E402
from service.extraction.html import parse_html  # noqa: E402
from service.extraction.limits import check_is_document  # noqa: E402
from service.fetching.charset import decode_body  # noqa: E402

SETS = [REPO.parent / "shared" / "benchmarks" / name / "html" for name in ("article-extraction", "trafilatura-eval")]


def pages() -> list[str]:
    found = []
    for folder in SETS:
        for path in sorted(folder.glob("*.html.gz")):
            found.append(decode_body(gzip.decompress(path.read_bytes()), "text/html")[0])
    return found


def timed(fn, items) -> float:
    started = time.perf_counter()
    for item in items:
        with contextlib.suppress(ExtractionError):
            fn(item)
    return time.perf_counter() - started


def main() -> None:
    docs = pages()
    chars = sum(map(len, docs))
    scan = timed(scan_markup, docs)
    binary = timed(check_is_document, docs)
    parse = timed(parse_html, docs)
    pipeline = timed(lambda d: extract_document(d, "html"), docs)
    print(f"{len(docs)} real pages, {chars / 1e6:.1f} M characters")
    print(
        f"scan_markup        {scan:7.2f} s   {scan / parse:5.2f}x lxml parse   {scan / pipeline:6.1%} of the pipeline"
    )
    print(
        f"check_is_document  {binary:7.2f} s   {binary / parse:5.2f}x lxml parse   "
        f"{binary / pipeline:6.1%} of the pipeline"
    )
    print(f"lxml parse         {parse:7.2f} s")
    print(f"whole pipeline     {pipeline:7.2f} s (scan and checks included)")
    bomb = "<html><body><div " + " ".join(f"a{i}=x" for i in range(200_000)) + ">hi</div></body></html>"
    refused = timed(lambda d: extract_document(d, "html"), [bomb])
    small = "<html><body><div " + " ".join(f"a{i}=x" for i in range(20_000)) + ">hi</div></body></html>"
    print(
        f"200k-attribute page: refused in {refused:.3f} s; lxml alone on a tenth of it (20k): "
        f"{timed(parse_html, [small]):.2f} s"
    )


if __name__ == "__main__":
    main()
