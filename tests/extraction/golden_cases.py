"""Loading and checking golden cases: a page (.html/.txt) next to a .json with the expected record.

`golden/dev` was used while tuning the heuristics; `golden/heldout` was written before them and is kept
for measuring generalisation (see `measure_heldout` in test_golden.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from service.extraction import ExtractedArticle, extract_document
from service.extraction.text import normalize_line

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(os.environ.get("INGEST_FIXTURES", Path(__file__).parents[3] / "shared" / "fixtures"))
SEED_TITLE = "Moscow Weighs in on Armenia Seeking to Expand US and EU Ties"


@dataclass(frozen=True)
class Case:
    name: str
    page: Path
    expected: dict

    def run(self) -> ExtractedArticle:
        content = self.page.read_text(encoding="utf-8")
        return extract_document(content, self.expected["kind"], source_url=self.expected.get("source_url"))


def load_cases(subset: str) -> list[Case]:
    cases = []
    for spec in sorted((GOLDEN / subset).glob("*.json")):
        expected = json.loads(spec.read_text(encoding="utf-8"))
        page = spec.with_suffix(".html" if expected["kind"] == "html" else ".txt")
        cases.append(Case(f"{subset}/{spec.stem}", page, expected))
    return cases


def sidebar_problems(article: ExtractedArticle, expected: dict) -> tuple[list[str], int, int]:
    """(problems, expected items found under the right heading, expected items)."""
    problems = []
    body = article.body_text
    got = [(s.heading, [(i.text, i.url) for i in s.items]) for s in article.sidebars]
    want = [(s["heading"], [tuple(i) for i in s["items"]]) for s in expected["sidebars"]]
    found = total = 0
    for heading, items in want:
        matches = [g for g in got if g[0] == heading]
        got_items = set(matches[0][1]) if matches else set()
        total += len(items)
        found += sum(1 for i in items if i in got_items)
        if not matches:
            problems.append(f"no sidebar with heading {heading!r}; got {[g[0] for g in got]}")
        elif set(items) != got_items:
            problems.append(f"sidebar {heading!r}: missing {set(items) - got_items}, extra {got_items - set(items)}")
        problems += [f"sidebar item in body: {text!r}" for text, _ in items if normalize_line(text) in body]
    if len(got) != len(want):
        problems.append(f"{len(got)} sidebars, expected {len(want)}: {[g[0] for g in got]}")
    return problems, found, total


def story_problems(article: ExtractedArticle, expected: dict) -> list[str]:
    problems = []
    if article.title != expected["title"]:
        problems.append(f"title {article.title!r}")
    for para in [*expected["story"], *expected.get("keep_in_body", [])]:
        if normalize_line(para) not in article.body_text:
            problems.append(f"missing from body: {para[:60]!r}")
    return problems
