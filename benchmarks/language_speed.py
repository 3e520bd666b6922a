"""ms per call of detect_language against plain langdetect.detect on the same samples.

Usage: .venv/bin/python benchmarks/language_speed.py [repeats]
Samples: the labelled headlines and bodies of tests/extraction/data, plus ~2.6 kB bodies (each language's
paragraphs repeated), the size on which langdetect was measured at ~7 ms a call.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from langdetect import DetectorFactory, detect  # noqa: E402
from langdetect.lang_detect_exception import LangDetectException  # noqa: E402

from service.extraction.language import detect_language  # noqa: E402

DetectorFactory.seed = 0
DATA = REPO / "tests" / "extraction" / "data"


def _texts(name: str) -> list[str]:
    lines = (DATA / f"language_{name}.tsv").read_text(encoding="utf-8").splitlines()
    return [ln.split("\t")[2] for ln in lines if ln.strip() and not ln.startswith("#")]


def _langdetect(text: str) -> str | None:
    try:
        return detect(text)
    except LangDetectException:
        return None


def _ms_per_call(fn, texts: list[str], repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        for t in texts:
            fn(t)
    return (time.perf_counter() - start) * 1000 / (repeats * len(texts))


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    long_texts = _texts("long")
    bodies = []
    for text in long_texts:
        body = text
        while len(body) < 2600:
            body += " " + text
        bodies.append(body[:2600])
    groups = {"headlines": _texts("short"), "paragraphs": long_texts, "2.6 kB bodies": bodies}
    detect_language("warm up the langdetect profiles")  # both load their profiles once per process
    _langdetect("warm up the langdetect profiles")
    print(f"{'samples':<16}{'n':>5}{'detect_language ms':>20}{'langdetect ms':>16}{'ratio':>8}")
    for name, texts in groups.items():
        ours = _ms_per_call(detect_language, texts, repeats)
        theirs = _ms_per_call(_langdetect, texts, repeats)
        print(f"{name:<16}{len(texts):>5}{ours:>20.3f}{theirs:>16.3f}{ours / theirs:>8.2f}")


if __name__ == "__main__":
    main()
