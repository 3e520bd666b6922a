"""Language detection: deterministic, ISO 639-1 codes, on a bounded sample of the text.

Why not langdetect alone: it has no profile for kk, ky, uz, tg, hy, ka, az, mn, be (it answers ``ru``
for Kazakh/Kyrgyz, ``et`` for Armenian/Georgian, ``tr``/``id`` for Uzbek) and it is randomised and slow
(~7 ms on a 2.6 kB body). So detection is staged, cheapest and most certain first:

1. Script: a script used by one language decides (Armenian → hy, Georgian → ka, Hangul → ko, kana → ja,
   Greek, Hebrew, Thai, Indic scripts...). No statistics needed, and it is what langdetect gets wrong.
2. Cyrillic: a letter-frequency model per alphabet (kk ә ғ қ ң ө ұ ү һ і, ky ң ө ү, tg ӣ ҳ ҷ ӯ, uz ў қ ғ ҳ,
   mn ө ү, be ў і, uk є і ї ґ, bg/mk/sr letters, ru) plus frequent words and suffixes; langdetect only
   arbitrates ru/uk/bg/mk when the tables leave them close.
3. Arabic script (ar/fa/ur/ps/ku/ug) and Devanagari (hi/mr/ne): letters and function words.
4. Latin: az (ə), uz (oʻ gʻ, q outside qu, words) and tr are scored from tables, as langdetect has no az/uz
   and confuses them with tr/id; everything else goes to langdetect, which is good on Western languages.
   Han-only text goes to langdetect restricted to ja/zh.

lingua-language-detector was not added: per the issue it still answers kk for Kyrgyz and az for Uzbek,
and it is a heavy per-process load (not measured here); the tables above fix exactly those cases.

Determinism: langdetect runs from a private factory whose profiles are loaded in sorted order with a
fixed seed; nothing here iterates a set or dict in hash order when deciding (ties break on the code).
Speed: only the first ``SAMPLE_CHARS`` characters (cut at a word boundary) are looked at, and langdetect
is skipped whenever the script or the tables decide.
"""
from __future__ import annotations

import bisect
import json
import math
import os
import re
from collections import Counter

from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.lang_profile import LangProfile

from . import language_profiles as P

SAMPLE_CHARS = 1200
MIN_LETTERS = 3
# langdetect's cost grows with its input and it is reliable on a few hundred characters of a Latin body.
LANGDETECT_CHARS = 700
# Cyrillic: langdetect arbitrates between these when the table scores of the top two are this close.
_LANGDETECT_CYRILLIC = ("bg", "mk", "ru", "uk")
_CYRILLIC_ARBITRATION_MARGIN = 8.0
# Han and Hangul characters carry about a word's worth of information each: they count double.
_DOUBLE_WEIGHT_SCRIPTS = ("Han", "Hangul", "Kana")

_URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+")
# A word: letters plus combining marks (Indic vowel signs, Arabic harakat are not \w), inner apostrophes.
_WORD_CHAR = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0dff])"
_TOKEN = re.compile(_WORD_CHAR + r"+(?:['ʼʻ’‘]" + _WORD_CHAR + "+)*")
_RANGE_STARTS = [r[0] for r in P.SCRIPT_RANGES]


def _build_factory() -> DetectorFactory:
    """langdetect factory with profiles loaded in a fixed (sorted) order and a fixed seed."""
    import langdetect

    directory = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
    factory = DetectorFactory()
    for index, name in enumerate(names):
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            factory.add_profile(LangProfile(**json.load(fh)), index, len(names))
    factory.seed = 0
    return factory


_factory: DetectorFactory | None = None


def _langdetect(text: str, prior: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """[(langdetect code, probability)], best first; [] when langdetect finds no features."""
    global _factory
    if _factory is None:
        _factory = _build_factory()
    detector = _factory.create()
    if prior:
        detector.set_prior_map(prior)
    detector.append(text[:LANGDETECT_CHARS])
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException:
        return []


def _sample(text: str) -> str:
    sample = text[: SAMPLE_CHARS + 1]
    if len(sample) > SAMPLE_CHARS:
        cut = sample.rfind(" ", SAMPLE_CHARS - 200)
        sample = sample[: cut if cut > 0 else SAMPLE_CHARS]
    return _URLISH.sub(" ", sample)


def _script(ch: str) -> str | None:
    cp = ord(ch)
    i = bisect.bisect_right(_RANGE_STARTS, cp) - 1
    if i >= 0 and cp <= P.SCRIPT_RANGES[i][1]:
        return P.SCRIPT_RANGES[i][2]
    return None


def _softmax_top(scores: dict[str, float]) -> tuple[str, float]:
    """Best code (ties broken by code) and its softmax probability."""
    best = min(scores, key=lambda k: (-scores[k], k))
    top = scores[best]
    total = sum(math.exp(s - top) for s in scores.values())
    return best, 1.0 / total


def _conf(p: float) -> float:
    return round(min(1.0, max(0.0, p)), 4)


def _word_scores(tokens: list[str], words: dict[str, set[str]], suffixes: dict[str, tuple[str, ...]],
                 word_weight: float, suffix_weight: float) -> dict[str, float]:
    scores = {}
    for lang in sorted(set(words) | set(suffixes)):
        wset, sfx = words.get(lang, set()), suffixes.get(lang, ())
        s = 0.0
        for tok in tokens:
            if tok in wset:
                s += word_weight
            elif len(tok) > 3 and tok.endswith(sfx):
                s += suffix_weight
        scores[lang] = s
    return scores


# --- Cyrillic ------------------------------------------------------------------------------------
def _logp_tables() -> dict[str, dict[str, float]]:
    letters = sorted({ch for freq in P.CYRILLIC_LETTERS.values() for ch in freq})
    tables = {}
    for lang, freq in P.CYRILLIC_LETTERS.items():
        full = {ch: freq.get(ch, P.CYRILLIC_FLOOR) for ch in letters}
        total = sum(full.values())
        tables[lang] = {ch: math.log(v / total) for ch, v in full.items()}
    return tables


_CYR_LOGP = _logp_tables()
_CYR_FLOOR_LOGP = math.log(P.CYRILLIC_FLOOR / 1000.0)


def _cyrillic(sample: str, tokens: list[str]) -> tuple[str, float]:
    counts = {ch: n for ch, n in Counter(sample.lower()).items() if ch.isalpha() and _script(ch) == "Cyrillic"}
    scores = _word_scores(tokens, P.CYRILLIC_WORDS, P.CYRILLIC_SUFFIXES, P.WORD_WEIGHT, P.SUFFIX_WEIGHT)
    for lang, logp in _CYR_LOGP.items():
        scores[lang] = scores.get(lang, 0.0) + P.CYRILLIC_PRIOR.get(lang, 0.0) + sum(
            n * logp.get(ch, _CYR_FLOOR_LOGP) for ch, n in sorted(counts.items()))
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    if (ranked[0] in _LANGDETECT_CYRILLIC and ranked[1] in _LANGDETECT_CYRILLIC
            and scores[ranked[0]] - scores[ranked[1]] < _CYRILLIC_ARBITRATION_MARGIN):
        probs = dict(_langdetect(sample, {c: 1.0 for c in _LANGDETECT_CYRILLIC}))
        for lang in _LANGDETECT_CYRILLIC:
            scores[lang] += 2.0 * math.log(probs.get(lang, 0.0) + 1e-3)
    return _softmax_top(scores)


# --- Latin -----------------------------------------------------------------------------------------
def _latin(sample: str, tokens: list[str]) -> tuple[str | None, float | None]:
    low = sample.lower()
    low_noqu = low.replace("qu", "")
    scores = _word_scores(tokens, P.LATIN_WORDS, P.LATIN_SUFFIXES, P.WORD_WEIGHT, P.SUFFIX_WEIGHT)
    for lang, markers in P.LATIN_MARKERS.items():
        scores[lang] = scores.get(lang, 0.0) + sum(
            w * low_noqu.count(m) for m, w in sorted(markers.items()))
    best = max(("az", "kk", "uz"), key=lambda k: (scores[k], k))
    if scores[best] >= P.LATIN_MIN_SCORE and scores[best] > scores["tr"]:
        code, p = _softmax_top({**scores, "other": P.LATIN_MIN_SCORE})
        return code, _conf(p)
    ranked = _langdetect(sample, _latin_prior(tokens))
    if not ranked:
        return None, None
    code, prob = ranked[0]
    code = P.LANGDETECT_CODES.get(code, code)
    if code == "tr":  # langdetect's answer for Turkic languages it has no profile for
        code = max(("tr", "az", "kk", "uz"), key=lambda k: (scores[k], k == "tr"))
    return code, _conf(prob)


def _latin_prior(tokens: list[str]) -> dict[str, float] | None:
    hits = _word_scores(tokens, P.LATIN_PRIOR_WORDS, {}, 1.0, 0.0)
    if not any(hits.values()):
        return None
    prior = {code: 1.0 for code in _factory_langs()}
    for code, n in hits.items():
        prior[code] = math.exp(P.LATIN_PRIOR_WEIGHT * n)
    return prior


def _factory_langs() -> list[str]:
    global _factory
    if _factory is None:
        _factory = _build_factory()
    return list(_factory.langlist)


# --- Arabic script, Devanagari, Han ---------------------------------------------------------------
def _arabic(sample: str, tokens: list[str]) -> tuple[str, float]:
    scores = _word_scores(tokens, P.ARABIC_WORDS, {}, 1.5, 0.0)
    for lang, markers in P.ARABIC_MARKERS.items():
        scores[lang] = scores.get(lang, 0.0) + sum(w * sample.count(m) for m, w in sorted(markers.items()))
    if max(scores.values()) <= 0:
        return P.ARABIC_DEFAULT, 0.5
    code, p = _softmax_top(scores)
    return code, _conf(p)


def _devanagari(tokens: list[str]) -> tuple[str, float]:
    scores = _word_scores(tokens, P.DEVANAGARI_WORDS, {}, 1.0, 0.0)
    if max(scores.values()) <= 0:
        return P.DEVANAGARI_DEFAULT, 0.6
    code, p = _softmax_top(scores)
    return code, _conf(p)


def _han(sample: str) -> tuple[str, float]:
    if any(ch in P.JAPANESE_ONLY_HAN for ch in sample):
        return "ja", 0.9
    ranked = _langdetect(sample, {"ja": 1.0, "zh-cn": 1.0, "zh-tw": 1.0})
    if not ranked:
        return "zh", 0.5
    code, prob = ranked[0]
    return P.LANGDETECT_CODES.get(code, code), _conf(prob)


def detect_language(text: str) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, confidence in [0, 1]) or (None, None) when it cannot be told."""
    if not text:
        return None, None
    sample = _sample(text)
    scripts: Counter[str] = Counter()
    for ch, n in Counter(sample).items():  # distinct characters only: a few dozen, not the whole sample
        if ch.isalpha():
            scripts[_script(ch) or "Other"] += n
    letters = sum(scripts.values())
    if letters + sum(scripts[s] for s in _DOUBLE_WEIGHT_SCRIPTS) < MIN_LETTERS:
        return None, None
    cjk = scripts["Han"] + scripts["Kana"]
    if scripts["Kana"] and scripts["Kana"] >= 0.03 * cjk and cjk >= scripts.most_common(1)[0][1]:
        return "ja", _conf(cjk / letters)
    script, n = min(scripts.items(), key=lambda kv: (-kv[1], kv[0]))
    share = n / letters
    if script in P.SCRIPT_LANGUAGE:
        code = P.SCRIPT_LANGUAGE[script]
        return (code, _conf(share)) if len(code) == 2 else (None, None)
    tokens = [t.lower() for t in _TOKEN.findall(sample)]
    if script == "Cyrillic":
        code, p = _cyrillic(sample, tokens)
    elif script == "Latin":
        code, p = _latin(sample, tokens)
        if code is None:
            return None, None
    elif script == "Arabic":
        code, p = _arabic(sample, tokens)
    elif script == "Devanagari":
        code, p = _devanagari(tokens)
    elif script == "Han":
        code, p = _han(sample)
    else:
        return None, None
    return code, _conf(p * share)
