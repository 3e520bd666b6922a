"""Language detection: deterministic, ISO 639-1 codes, on a bounded sample of the text."""
from __future__ import annotations

import re

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0  # langdetect is randomised; a fixed seed makes it deterministic per call
_SAMPLE_CHARS = 2000
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def detect_language(text: str) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, confidence in [0, 1]) or (None, None) when it cannot be told."""
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < 3:
        return None, None
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, None
    code = best.lang.split("-")[0]
    return code, round(float(best.prob), 4)
