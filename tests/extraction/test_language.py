"""Language detection on the labelled short (headline) and long (body) sets in tests/extraction/data/."""
from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.extraction.language import SAMPLE_CHARS, detect_language

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]


def _load(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / f"language_{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, split, text = line.split("\t")
        rows.append((label, split, text))
    return rows


SHORT = _load("short")
LONG = _load("long")


def _accuracy(rows, split=None):
    per = collections.defaultdict(lambda: [0, 0])
    for label, sp, text in rows:
        if split and sp != split:
            continue
        code, _ = detect_language(text)
        per[label][1] += 1
        per[label][0] += code == label.split("-")[0]
    right = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    return right / total, {k: v[0] / v[1] for k, v in per.items()}


def test_data_sets_cover_the_required_languages():
    required = {"kk", "ky", "uz-Latn", "uz-Cyrl", "tg", "hy", "ka", "az", "mn", "be", "uk", "ru", "tr",
                "en", "de", "fr", "es", "it", "pt", "pl", "nl", "zh", "ar", "fa", "ja", "ko", "hi"}
    counts = collections.Counter(label for label, _, _ in SHORT)
    assert required <= set(counts)
    assert all(counts[lang] >= 15 for lang in required)
    assert required <= {label for label, _, _ in LONG}
    assert {sp for _, sp, _ in SHORT + LONG} == {"tune", "holdout"}


@pytest.mark.parametrize("name,rows", [("short", SHORT), ("long", LONG)])
def test_accuracy(name, rows):
    overall, per_lang = _accuracy(rows)
    holdout, _ = _accuracy(rows, "holdout")
    assert overall >= 0.95, (name, overall, per_lang)
    assert holdout >= 0.9, (name, holdout)
    # No language may be systematically wrong (20 short texts: at most 3 misses).
    weak = {k: v for k, v in per_lang.items() if v < 0.85}
    assert not weak, weak


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "!!! ... ???", "— 2024 —", "ab", "\n\t"])
def test_none_when_it_cannot_be_told(text):
    assert detect_language(text) == (None, None)


def test_codes_and_confidences():
    for _, _, text in SHORT + LONG:
        code, conf = detect_language(text)
        assert isinstance(code, str) and len(code) == 2 and code.isalpha() and code.islower(), code
        assert isinstance(conf, float) and 0.0 <= conf <= 1.0, conf


def test_zh_is_plain_iso_639_1():
    assert detect_language("國際電影節今日在台北開幕，吸引眾多觀眾")[0] == "zh"
    assert detect_language("国际电影节今日在上海开幕，吸引众多观众")[0] == "zh"


def test_script_decides_for_single_language_scripts():
    assert detect_language("Երևանում բացվեց նոր դպրոց")[0] == "hy"
    assert detect_language("თბილისში ახალი სკოლა გაიხსნა")[0] == "ka"
    assert detect_language("Η κυβέρνηση ενέκρινε τον προϋπολογισμό")[0] == "el"


def test_only_a_bounded_sample_is_used():
    body = LONG[0][2]
    long_text = (body + " ") * 200
    assert len(long_text) > 50 * SAMPLE_CHARS
    assert detect_language(long_text) == detect_language(long_text[: SAMPLE_CHARS + 1])


_SCRIPT = """
import json, sys
sys.path.insert(0, {repo!r})
from service.extraction.language import detect_language
texts = json.load(sys.stdin)
print(json.dumps([detect_language(t) for t in texts]))
"""


def test_deterministic_across_processes_and_hash_seeds():
    texts = [t for _, _, t in SHORT + LONG]
    procs = [subprocess.Popen([sys.executable, "-c", _SCRIPT.format(repo=str(REPO))], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
             for seed in ("0", "4242")]  # two processes at once, with different str hashing
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(json.dumps(texts), timeout=120)
        assert proc.returncode == 0
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1]
    here = [list(detect_language(t)) for t in texts]
    assert outputs[0] == here
