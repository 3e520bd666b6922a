#!/usr/bin/env python3
"""Charset check: the trafilatura-eval pages that declare their charset, through the pipeline, decoded two ways.

    python benchmarks/decoding_quality.py [--data DIR]

"before" reads the bytes as UTF-8 with replacement (what `article-ingest extract` did), "after" uses the one
decoder (service.fetching.charset.decode_body). For each way: `with` snippets found in the body (the folder's
metric: whitespace-collapsed substring), and records holding U+FFFD in any field. Pages whose two decodings
are identical are extracted once. Exits 1 when any "after" record holds U+FFFD.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.extraction import ExtractionError, extract_document  # noqa: E402
from service.fetching.charset import charset_from_meta, decode_body  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "benchmarks" / "trafilatura-eval"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _record(text: str) -> tuple[str, bool]:
    """(body, any U+FFFD in a text field of the record)."""
    try:
        a = extract_document(text, "html")
    except ExtractionError:
        return "", False
    fields = [
        a.title,
        a.body_text,
        a.description,
        a.site_name,
        *a.authors,
        *a.tags,
        *(s.heading for s in a.sidebars),
        *(i.text for s in a.sidebars for i in s.items),
    ]
    return a.body_text, any("\ufffd" in f for f in fields if f)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    cases = json.loads((args.data / "cases.json").read_text(encoding="utf-8"))
    totals = {"before": [0, 0], "after": [0, 0]}  # snippets found, records with U+FFFD
    declared = snippets = non_utf8 = 0
    bad_after: list[str] = []
    for case in cases:
        raw = gzip.decompress((args.data / "html" / f"{case['id']}.html.gz").read_bytes())
        if not charset_from_meta(raw):
            continue
        declared += 1
        snippets += len(case["with"])
        before_text = raw.decode("utf-8", "replace")
        after_text, encoding = decode_body(raw, None)
        non_utf8 += encoding != "utf-8"
        before = _record(before_text)
        after = before if after_text == before_text else _record(after_text)
        for name, (body, has_fffd) in (("before", before), ("after", after)):
            body = _collapse(body)
            totals[name][0] += sum(_collapse(s) in body for s in case["with"])
            totals[name][1] += has_fffd
        if after[1]:
            bad_after.append(case["id"])
    print(f"pages declaring a charset: {declared} ({non_utf8} not read as UTF-8); `with` snippets: {snippets}")
    for name, (found, fffd) in totals.items():
        print(f"{name:6s} snippets found {found}/{snippets}  records with U+FFFD {fffd}")
    if bad_after:
        print("U+FFFD after:", ", ".join(bad_after))
    return 1 if bad_after else 0


if __name__ == "__main__":
    sys.exit(main())
