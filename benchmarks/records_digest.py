#!/usr/bin/env python3
"""Hashed records of every real page (the 181 article-extraction and 990 trafilatura-eval pages), to compare
two trees or two commits page by page.

    python benchmarks/records_digest.py --out before.json [--sample N]
    python benchmarks/records_digest.py --compare before.json after.json

Each page's bytes are decoded as the fetcher decodes a page (`service.fetching.charset.decode_body`: BOM,
<meta> charset, then detection) and run through `extract_document` with the page's URL. Per page it keeps
the outcome (`done`, or the ExtractionError type) and a SHA-256 of body, sidebars, title, authors and
published_at, plus the body's length; `--all-fields` also hashes every other field of the record
(published_at_offset, description, site_name, canonical_url, image_url, tags, language and its confidence,
word_count, content_hash, extra), for speed work that must leave the whole record as it was. `--compare`
prints every page whose outcome or any hash differs (exits 1 when one does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from extraction_quality import load_bench, load_eval  # noqa: E402

from service.extraction import ExtractionError, extract_document  # noqa: E402
from service.fetching.charset import decode_body  # noqa: E402

FIELDS = ("outcome", "body", "sidebars", "title", "authors", "published_at")
OTHER_FIELDS = (
    "published_at_offset",
    "description",
    "site_name",
    "canonical_url",
    "image_url",
    "tags",
    "language",
    "language_confidence",
    "word_count",
    "content_hash",
    "extra",
)


def _sha(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def digest(sample: int = 1, all_fields: bool = False) -> dict[str, dict[str, object]]:
    """{"<set>/<id>": {outcome, body, sidebars, title, authors, published_at (hashes), body_chars}}, and a hash
    of each of OTHER_FIELDS when `all_fields`."""
    out: dict[str, dict[str, object]] = {}
    for page in [*load_bench(sample), *load_eval(sample)]:
        content, _ = decode_body(page.data, None)
        try:
            a = extract_document(content, "html", source_url=page.url)
        except ExtractionError as exc:
            out[f"{page.set}/{page.id}"] = {"outcome": str(exc.type), "detail": exc.detail}
            continue
        sidebars = [[s.heading, [[i.text, i.url] for i in s.items]] for s in a.sidebars]
        out[f"{page.set}/{page.id}"] = {
            "outcome": "done",
            "body": _sha(a.body_text),
            "sidebars": _sha(sidebars),
            "title": _sha(a.title),
            "authors": _sha(list(a.authors)),
            "published_at": _sha(a.published_at),
            "body_chars": len(a.body_text),
        }
        if all_fields:
            out[f"{page.set}/{page.id}"].update({f: _sha(getattr(a, f)) for f in OTHER_FIELDS})
    return out


def compare(before: dict, after: dict) -> list[str]:
    """One line per page whose outcome or any hashed field differs."""
    lines = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key, {}), after.get(key, {})
        changed = [f for f in (*FIELDS, *OTHER_FIELDS) if a.get(f) != b.get(f)]
        if changed:
            lines.append(f"{key}: {', '.join(changed)} ({a.get('outcome')} -> {b.get('outcome')})")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--sample", type=int, default=1, help="every N-th page")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    ap.add_argument("--all-fields", action="store_true", help="hash every field of the record")
    args = ap.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        lines = compare(before, after)
        print("\n".join(lines) or "identical")
        print(f"{len(lines)} of {len(before | after)} pages differ")
        return 1 if lines else 0
    records = digest(args.sample, args.all_fields)
    outcomes: dict[str, int] = {}
    for r in records.values():
        outcomes[str(r["outcome"])] = outcomes.get(str(r["outcome"]), 0) + 1
    print(json.dumps(outcomes, sort_keys=True))
    if args.out:
        args.out.write_text(json.dumps(records, indent=0, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
