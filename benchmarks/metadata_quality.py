#!/usr/bin/env python3
"""Title, authors and publication day: the pipeline beside plain trafilatura and newspaper4k, one run.

    python benchmarks/metadata_quality.py [--labels FILE] [--shared DIR] [--show-misses] [--ablations]

Labels: tests/extraction/data/metadata_labels.json (hand labels of the visible headline, byline and dateline of
real pages from ../shared/benchmarks/article-extraction and trafilatura-eval; null = not labelled, a list = every
accepted form). Every page is given to each extractor as the same decoded HTML (the pipeline's own decoder) with
its URL when it has one. Plain trafilatura is `trafilatura.metadata.extract_metadata` with defaults; newspaper4k
is `Article(url).download(input_html=...).parse()` (skipped when not installed).

Scoring per field, over the pages with a label for it: title = equal after NFKC, quote folding, whitespace
collapsing and case folding; authors = the same set of names under that normalisation; date = same calendar day
in the page's own time (the pipeline: published_at moved to published_at_offset). Prints a Markdown table.
--ablations also scores the pipeline with each of its own metadata steps switched off, so each step's win is
measured on the same pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura.metadata  # noqa: E402

from service.extraction import ExtractionError, extract_document  # noqa: E402
from service.fetching.charset import decode_body  # noqa: E402

DEFAULT_LABELS = REPO / "tests" / "extraction" / "data" / "metadata_labels.json"
DEFAULT_SHARED = REPO.parent / "shared" / "benchmarks"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).casefold()


def load_page(shared: Path, page: dict) -> tuple[str, str | None]:
    """(decoded HTML, page URL or None)."""
    folder = shared / page["set"]
    raw = gzip.decompress((folder / "html" / f"{page['id']}.html.gz").read_bytes())
    if page["set"] == "article-extraction":
        url = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))[page["id"]]["url"]
    else:
        cases = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
        url = next(c["url"] for c in cases if c["id"] == page["id"])
    return decode_body(raw, None)[0], url if url.startswith("http") else None


def run_project(html: str, url: str | None) -> dict:
    try:
        a = extract_document(html, "html", source_url=url)
    except ExtractionError:
        return {"title": None, "authors": [], "day": None}
    day = None
    if a.published_at is not None:
        local = a.published_at
        if a.published_at_offset:
            sign = -1 if a.published_at_offset.startswith("-") else 1
            hours, minutes = a.published_at_offset[1:].split(":")
            local = a.published_at.astimezone(timezone(sign * timedelta(hours=int(hours), minutes=int(minutes))))
        day = local.date().isoformat()
    return {"title": a.title, "authors": list(a.authors), "day": day}


def run_trafilatura(html: str, url: str | None) -> dict:
    doc = trafilatura.metadata.extract_metadata(html, default_url=url)
    authors = [n.strip() for n in (doc.author or "").split(";") if n.strip()]
    return {"title": doc.title, "authors": authors, "day": doc.date[:10] if doc.date else None}


def _offline_tldextract() -> None:
    """newspaper4k calls tldextract, which downloads the public suffix list on first use: use its bundled copy
    (this benchmark sends nothing over the network)."""
    import tldextract
    import tldextract.tldextract as module

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = module.extract = offline


def run_newspaper(html: str, url: str | None) -> dict:
    import newspaper

    article = newspaper.Article(url or "https://example.invalid/page", fetch_images=False)  # no network
    article.download(input_html=html)
    article.parse()
    date = article.publish_date
    return {
        "title": article.title or None,
        "authors": list(article.authors),
        "day": date.date().isoformat() if isinstance(date, datetime) else None,
    }


def judge(page: dict, got: dict) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {"title": None, "authors": None, "date": None}
    if page["title"] is not None:
        out["title"] = norm(got["title"]) in {norm(t) for t in page["title"]}
    if page["authors"] is not None:
        out["authors"] = {norm(a) for a in got["authors"]} == {norm(a) for a in page["authors"]}
    if page["published"] is not None:
        out["date"] = got["day"] in page["published"]
    return out


def _ablations(loaded: list[tuple[dict, str, str | None]]) -> None:
    from service.extraction import metadata as md
    from service.extraction import metadata_title as mt

    def first_source_title(root, candidates, sites):
        return next((mt.strip_site_suffix(md.normalize_line(c), sites) for c in candidates if c), None)

    steps = {
        "h1 cross-checked with og/JSON-LD/<title>": (md, "choose_title", first_source_title),
        "visible byline after the headline": (md, "visible_byline", lambda *a, **k: []),
        "offset of the visible dateline for UTC-labelled dates": (md, "local_offset", lambda *a: None),
        "visible dateline (and the offset step)": (md._Region, "datelines", lambda self: (None, None)),
        "dateline just above the headline": (md, "pieces_before", lambda *a: []),
        "link to an author's page under the headline": (md, "linked_byline", lambda *a, **k: []),
        "offset stated on the page's other timestamps": (md, "_stated_offset", lambda *a: None),
        "RDFa dc:date in the story": (md, "_rdfa_date", lambda *a: None),
        "agency dateline opening a paragraph": (md, "opening_dateline", lambda *a: None),
    }
    print("\n| pipeline without | title | authors | date |\n|---|---|---|---|")
    for label, (owner, name, stub) in [("(nothing)", (md, "choose_title", md.choose_title)), *steps.items()]:
        original = getattr(owner, name)
        setattr(owner, name, stub)
        try:
            totals = {"title": [0, 0], "authors": [0, 0], "date": [0, 0]}
            for page, html, url in loaded:
                for field, ok in judge(page, run_project(html, url)).items():
                    if ok is not None:
                        totals[field][0] += ok
                        totals[field][1] += 1
        finally:
            setattr(owner, name, original)
        print(f"| {label} | " + " | ".join(f"{a}/{b}" for a, b in totals.values()) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--show-misses", action="store_true", help="print the pipeline's misses")
    parser.add_argument("--ablations", action="store_true", help="also score the pipeline without each own step")
    args = parser.parse_args()
    pages = json.loads(args.labels.read_text(encoding="utf-8"))["pages"]
    runners = {"project": run_project, "trafilatura": run_trafilatura}
    try:
        warnings.filterwarnings("ignore", module="newspaper")
        import newspaper  # noqa: F401

        _offline_tldextract()
        runners["newspaper4k"] = run_newspaper
    except ImportError:
        print("newspaper4k not installed: its column is left out", file=sys.stderr)
    scores = {name: {"title": [0, 0], "authors": [0, 0], "date": [0, 0]} for name in runners}
    for page in pages:
        html, url = load_page(args.shared, page)
        for name, run in runners.items():
            try:
                got = run(html, url)
            except Exception as exc:  # a library crash counts as a miss for that library, not as the end of the run
                got = {"title": None, "authors": [], "day": None, "crash": repr(exc)}
            for field, ok in judge(page, got).items():
                if ok is None:
                    continue
                scores[name][field][0] += ok
                scores[name][field][1] += 1
                if args.show_misses and name == "project" and not ok:
                    want = {"title": page["title"], "authors": page["authors"], "date": page["published"]}[field]
                    have = {"title": got["title"], "authors": got["authors"], "date": got["day"]}[field]
                    print(f"miss {field:7s} {page['id'][:40]:40s} want {want!r} got {have!r}")
    names = list(runners)
    print(f"\n{len(pages)} labelled pages\n")
    print("| field | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for field, label in (("title", "title, exact"), ("authors", "authors (same set)"), ("date", "published, same day")):
        cells = []
        for name in names:
            hit, total = scores[name][field]
            cells.append(f"{hit}/{total} ({hit / total:.1%})" if total else "-")
        print(f"| {label} | " + " | ".join(cells) + " |")
    if args.ablations:
        _ablations([(page, *load_page(args.shared, page)) for page in pages])
    return 0


if __name__ == "__main__":
    sys.exit(main())
