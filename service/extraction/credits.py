"""Photo credits and copyright lines ("Foto: dpa", "(Credit: Clayton Aldern / Grist)", "© AFP / JEFF PACHOUD",
"© 2019 Science X Network"): picture and rights furniture that trafilatura keeps as story lines when the page
does not mark it by class (furniture.py reads the marked ones). A newsroom reads them as credits, not story.

A line is a credit when it is short and either opens with a credit label and a separator ("Photo:", "Fotos:",
"Crédit photo :", "Фото:", "사진=") or carries the copyright sign. Sources of data ("Quelle:", "Source:") are
not credits: they belong to the table or quote above them and stay. Measured on all real sets, same run
(benchmarks/RESULTS.md, issue 11, "Credit lines"): trafilatura's 990 evaluation pages leak 200 -> 193 must-not
snippets with the same 2,825 must-have snippets found (no line holding one matches); the 181 pages' F1 0.9671 ->
0.9672 (their ground truth keeps Korean "[사진=MBC, SBS]" credits: two pages lose a little); the labelled set's
story sentences kept and sidebar items unchanged.
"""

from __future__ import annotations

import re

MAX_LABEL_WORDS = 15  # "Fotos: Helmut Elstrodt, Klausmartin Friedrich, Frank-Hartmut Jäger, …": a list of names
MAX_COPYRIGHT_WORDS = 12  # a caption with its credit: "Chloe Kim will es wissen. © AFP / KIRILL KUDRYAVTSEV"; a
# wire service's rights notice is longer ("© 2019 Associated Press. All Rights Reserved. This material may not …", 17
# words) and stays: the 181-page set's ground truth counts it as the story's text

# Credit labels (case-folded), in the languages the service covers: a picture or its rights holder.
_LABELS = (
    # en, de, fr, es, pt, it, pl, tr, az, uz
    r"photos?|photo credits?|photograph(?:y|s)?|pictures?|images?|image credits?|credits?|copyright|"
    r"fotos?|foto ?credits?|fotograf(?:ie|ía|ia|o)?|bild(?:er)?|bild ?credits?|bildquellen?|titelbild|"
    r"beitragsbild|aufmacherbild|headerbild|symbolbild|cr[ée]dits?(?: photos?)?|cr[ée]dito(?: foto)?|"
    r"fot\.|zdj[eę]cie|fotoğraf|görsel|şəkil|surat|"
    # ru uk kk ky tg mn, hy, ka, ko, ja, zh, ar, fa
    r"фото|фотография|світлина|сурет|сүрөт|сурат|зураг|լուսանկար(?:ը|ներ)?|ფოტო|사진|写真|图片|摄影|"
    r"صورة|الصورة|تصوير|عکس|تصویر"
)
_LABELLED = re.compile(rf"^[(\[]?\s*(?:{_LABELS})\s*(?:[:：=]|\s/\s)", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\((?:c|C)\)\s")


def is_credit_line(line: str) -> bool:
    """True for a photo credit or copyright line: at most MAX_LABEL_WORDS words opening with a credit label and
    ":" / "：" / "=" (Korean "사진=연합뉴스") / " / ", or at most MAX_COPYRIGHT_WORDS words with "©" or "(c) ".
    `line` is one story line (a paragraph); a leading "(" or "[" is allowed ("(Bild: Dieter Stork)")."""
    text = line.strip()
    if not text:
        return False
    words = len(text.split())
    if words <= MAX_LABEL_WORDS and _LABELLED.match(text):
        return True
    return words <= MAX_COPYRIGHT_WORDS and _COPYRIGHT.search(text) is not None
