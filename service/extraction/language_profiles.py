"""Data tables for service.extraction.language: scripts, letter frequencies, function words, suffixes.

Everything that tells languages apart lives here as data; language.py only scores against it.
Letter frequencies are per mille, approximate, from general knowledge of each orthography; a letter a
language does not write gets a tiny floor probability (loanwords, names, typos), so it counts heavily
against that language without vetoing it.
"""
from __future__ import annotations

# --- scripts -----------------------------------------------------------------------------------
# (first code point, last code point, script). Sorted; looked up with bisect.
SCRIPT_RANGES: list[tuple[int, int, str]] = sorted([
    (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00C0, 0x024F, "Latin"),
    (0x0250, 0x02AF, "Latin"), (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"), (0x1C80, 0x1C8F, "Cyrillic"), (0x2DE0, 0x2DFF, "Cyrillic"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"), (0xFB13, 0xFB17, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"), (0xFB1D, 0xFB4F, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x08A0, 0x08FF, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"),
    (0x0700, 0x074F, "Syriac"), (0x0780, 0x07BF, "Thaana"),
    (0x0900, 0x097F, "Devanagari"), (0x0980, 0x09FF, "Bengali"), (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"), (0x0B00, 0x0B7F, "Oriya"), (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"), (0x0C80, 0x0CFF, "Kannada"), (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"), (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"), (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"), (0x1C90, 0x1CBF, "Georgian"), (0x2D00, 0x2D2F, "Georgian"),
    (0x1100, 0x11FF, "Hangul"), (0x3130, 0x318F, "Hangul"), (0xA960, 0xA97F, "Hangul"),
    (0xAC00, 0xD7AF, "Hangul"), (0xD7B0, 0xD7FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"), (0x1780, 0x17FF, "Khmer"), (0x1800, 0x18AF, "Mongolian"),
    (0x3040, 0x309F, "Kana"), (0x30A0, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"), (0xFF66, 0xFF9D, "Kana"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xF900, 0xFAFF, "Han"), (0x20000, 0x2FA1F, "Han"),
])

# Scripts written by one language only (for news purposes): the script decides.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Armenian": "hy", "Georgian": "ka", "Greek": "el", "Hebrew": "he", "Hangul": "ko", "Kana": "ja",
    "Thai": "th", "Lao": "lo", "Khmer": "km", "Myanmar": "my", "Tibetan": "bo", "Sinhala": "si",
    "Bengali": "bn", "Gurmukhi": "pa", "Gujarati": "gu", "Oriya": "or", "Tamil": "ta", "Telugu": "te",
    "Kannada": "kn", "Malayalam": "ml", "Ethiopic": "am", "Thaana": "dv", "Mongolian": "mn", "Syriac": "syr",
}
# "syr" is not ISO 639-1; Syriac is mapped to None in language.py.

# --- Cyrillic ----------------------------------------------------------------------------------
# Russian letter frequencies (per mille); other alphabets start from these and override.
_RU = {
    "о": 110, "е": 85, "а": 80, "и": 74, "н": 67, "т": 63, "с": 55, "р": 47, "в": 45, "л": 44,
    "к": 35, "м": 32, "д": 30, "п": 28, "у": 26, "я": 20, "ы": 19, "ь": 17, "г": 17, "з": 16,
    "б": 16, "ч": 14, "й": 12, "х": 10, "ж": 9, "ш": 7, "ю": 6, "ц": 5, "щ": 4, "э": 3, "ф": 3,
    "ъ": 0.4, "ё": 2,
}


def _alphabet(drop: str = "", **override: float) -> dict[str, float]:
    freq = {k: v for k, v in _RU.items() if k not in drop}
    freq.update(override)
    return freq


_TURKIC_LOAN = {"ц": 1, "щ": 0.3, "ф": 1, "ю": 2, "ё": 0.5, "ъ": 0.2, "в": 6, "х": 3, "ь": 2}

CYRILLIC_LETTERS: dict[str, dict[str, float]] = {
    "ru": _alphabet(),
    "uk": _alphabet("ыэёъ", **{"і": 50, "ї": 6, "є": 4, "ґ": 0.5, "и": 60}),
    "be": _alphabet("ищъ", **{"і": 60, "ў": 18, "ы": 30, "э": 20, "е": 55, "о": 70, "а": 95, "ц": 12}),
    "bg": _alphabet("ыэё", **{"ъ": 22, "щ": 8, "я": 22}),
    "mk": _alphabet("ыэёъщйьюя", **{"ј": 30, "ѓ": 2, "ќ": 3, "љ": 3, "њ": 5, "ѕ": 1, "џ": 1}),
    "sr": _alphabet("ыэёъщйьюя", **{"ј": 30, "ђ": 2, "ћ": 5, "љ": 3, "њ": 5, "џ": 1}),
    "kk": _alphabet("", **_TURKIC_LOAN, **{"ә": 30, "ғ": 10, "қ": 25, "ң": 15, "ө": 7, "ұ": 9, "ү": 10,
                                          "һ": 0.5, "і": 28, "ы": 30, "о": 40}),
    "ky": _alphabet("", **_TURKIC_LOAN, **{"ң": 12, "ө": 20, "ү": 25, "ы": 45, "э": 6, "о": 55, "и": 45}),
    "mn": _alphabet("щъ", **{"ө": 25, "ү": 22, "э": 45, "х": 30, "г": 35, "ц": 12, "й": 18, "л": 60,
                             "в": 12, "ы": 25, "ж": 15, "ф": 0.5, "ш": 12}),
    "tg": _alphabet("ыщць", **{"ғ": 8, "ӣ": 15, "қ": 12, "ҳ": 20, "ҷ": 8, "ӯ": 10, "ъ": 5, "э": 3,
                               "ю": 2, "о": 65, "и": 75}),
    "uz": _alphabet("ыщ", **{"ў": 15, "қ": 20, "ғ": 8, "ҳ": 12, "ъ": 5, "ц": 1, "и": 85, "а": 110,
                             "ё": 5, "ф": 5}),
}
# Log prior per language: what this newsroom region publishes. Breaks near-ties (a short text with no
# alphabet-specific letter) towards ru, and away from bg/mk/sr, which the region rarely publishes in.
CYRILLIC_PRIOR: dict[str, float] = {"ru": 1.5, "bg": -1.0, "mk": -2.0, "sr": -2.0}
CYRILLIC_FLOOR = 0.05  # per mille, for letters absent from an alphabet

# Frequent words (lower case). Each occurrence adds WORD_WEIGHT to the language.
CYRILLIC_WORDS: dict[str, set[str]] = {
    "ru": set("и в на не что с по о к из за от для это как у же но а или его её их который также будет "
              "был была были после при более году года во со уже только может число".split()),
    "uk": set("і й в у на не що з із зі до від для як та це про його її їх також після буде був була "
              "були році року щодо який яка які".split()),
    "be": set("і й у ў на не што з са да ад для як гэта пра яго яе іх таксама пасля будзе быў была "
              "былі годзе года які якая якія".split()),
    "bg": set("и в на не че се за от да е с по са като ще към това той тя те със във при след беше "
              "година години който която".split()),
    "mk": set("и во на не што се за од да е со по се како ќе кон ова тој таа тие при по беше година".split()),
    "sr": set("и у на не што се за од да је са по као ће ка ово он она они при после био била године".split()),
    "kk": set("және мен бен пен деп бұл осы сол бойынша үшін туралы да де та те ал бірақ жылы жыл "
              "жаңа қазақстан астана алматы елімізде тағы болады болды екі бір".split()),
    "ky": set("жана менен деп бул ошол боюнча үчүн тууралуу да дагы бирок жылы жыл жаңы кыргызстан "
              "бишкек ош өлкөдө эки бир болот болду керек кайрадан".split()),
    "mn": set("ба болон нь юм байна байгаа бөгөөд энэ тэр гэж гэсэн оны онд жил улсын монгол "
              "улаанбаатар хоёр нэг байх болно хүн".split()),
    "tg": set("ва дар ба аз бо ки барои то ин он шуд кард мешавад аст буд соли тоҷикистон душанбе "
              "ҳамчунин бояд дорад".split()),
    "uz": set("ва билан учун бўйича ҳақида бу шу яна ҳам йил йили янги ўзбекистон тошкент икки бир "
              "қилди қилинди этди бўлди".split()),
}

# Word endings typical of a language (checked longest first, one match per word).
CYRILLIC_SUFFIXES: dict[str, tuple[str, ...]] = {
    "ru": ("ого", "его", "ому", "ему", "ать", "ить", "ться", "ются", "ется", "ение", "ости", "ства",
           "ский", "ская", "ское", "ских", "ый", "ых", "ами", "ями"),
    "uk": ("ння", "ського", "ська", "ський", "ться", "ються", "ість", "ів", "ої", "ому"),
    "be": ("ння", "цца", "ага", "ую", "ства", "скі", "ская"),
    "bg": ("ата", "ото", "ите", "ът", "ия", "ция", "ства"),
    "kk": ("ның", "нің", "дың", "дің", "тың", "тің", "ды", "ді", "ты", "ті", "лар", "лер", "дар", "дер",
           "тар", "тер", "ған", "ген", "қан", "кен", "ында", "інде", "уда", "қа"),
    "ky": ("нын", "нин", "нун", "нүн", "дын", "дин", "дун", "дүн", "тын", "тин", "тун", "түн", "ды", "ди",
           "ду", "дү", "ты", "ти", "ту", "тү", "лар", "лер", "лор", "лөр", "дар", "дер", "дор", "дөр",
           "ган", "ген", "гон", "гөн", "кан", "кен", "ууда", "үүдө", "ында", "инде", "уу", "үү", "сы", "су"),
    "mn": ("ийн", "ын", "ний", "аар", "ээр", "оор", "өөр", "лаа", "лээ", "лоо", "лөө", "жээ", "жаа",
           "тай", "тэй", "той", "гүй", "хгүй", "ууд", "үүд", "нд", "ад", "эд", "од", "өд", "на", "нэ", "но",
           "лт", "лж", "в"),
    "tg": ("ӣ", "ҳо", "ои", "ии", "ро", "ҳои", "ашон", "анд", "ем", "ед", "ист", "шуд", "гӣ"),
    "uz": ("лар", "ларни", "ларга", "нинг", "ни", "га", "да", "дан", "ган", "ди", "ади", "ади", "моқда",
           "ини", "иш", "ишга", "си", "лари"),
}

WORD_WEIGHT = 2.5
SUFFIX_WEIGHT = 0.8

# --- Latin: languages langdetect has no profile for, or confuses with them ---------------------
# Scored features: letter or letter-sequence weights per language, words, suffixes.
LATIN_MARKERS: dict[str, dict[str, float]] = {
    # "q" is counted only outside "qu" (Romance languages write q only in qu).
    "az": {"ə": 4.0, "ı": 0.8, "ğ": 0.8, "ş": 0.8, "ç": 0.8, "ö": 0.6, "ü": 0.6, "q": 1.0, "x": 0.8},
    "uz": {"oʻ": 4.0, "gʻ": 4.0, "o'": 3.0, "g'": 3.0, "o‘": 4.0, "g‘": 4.0, "o’": 3.0, "g’": 3.0,
           "q": 1.0, "x": 0.8, "sh": 0.4, "ch": 0.4, "ı": -3.0, "ğ": -3.0, "ş": -3.0, "ç": -3.0,
           "ö": -2.0, "ü": -2.0, "ə": -4.0},
    # Kazakh Latin (2021 alphabet: ä ğ ı ñ ö q ş ū ü; the 2018 one used acute accents: á ǵ ń ó ú ý).
    "kk": {"ä": 1.0, "ñ": 1.0, "ū": 3.0, "ǵ": 4.0, "ý": 1.0, "q": 1.0, "ə": -4.0, "oʻ": -4.0, "gʻ": -4.0},
    "tr": {"ı": 0.8, "ğ": 1.0, "ş": 0.8, "ç": 0.8, "ö": 0.6, "ü": 0.6, "ə": -4.0, "q": -1.5,
           "x": -1.5, "w": -1.0},
}
LATIN_WORDS: dict[str, set[str]] = {
    "az": set("və ilə üçün bu bir olan olub edib edilib ki də artıq həm isə görə sonra yeni "
              "ildə azərbaycan bakı nazirliyi".split()),
    "uz": set("va bilan uchun boʻyicha bo'yicha bo‘yicha haqida bu shu yana ham yil yili yangi "
              "oʻzbekiston o'zbekiston o‘zbekiston toshkent ikki bir qildi qilindi etildi boʻldi bo'ldi "
              "bo‘ldi kerak".split()),
    "tr": set("ve ile için bu bir olan olarak da de daha çok sonra yeni yıl yılı türkiye ankara "
              "istanbul cumhurbaşkanı bakanlığı".split()),
}
LATIN_WORDS["kk"] = set("jäne men ben pen üşin turaly boiynşa boiynša qazaqstan qazaqstannyñ astana "
                        "almaty osy bul jyly".split())
LATIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "az": ("ıb", "ub", "üb", "lər", "ləri", "dır", "acaq", "əcək"),
    "uz": ("lari", "larni", "larga", "ning", "moqda", "ildi", "ladi", "dagi", "ilgan", "ishga"),
    "tr": ("lar", "ler", "dı", "di", "tı", "ti", "du", "dü", "yor", "mış", "miş", "nın", "nin", "da", "de",
           "dan", "den", "sı", "si", "ları", "leri"),
}
# A Latin-script decision for these languages needs at least this score and this lead over the others.
LATIN_MIN_SCORE = 4.0

# --- Arabic script -----------------------------------------------------------------------------
ARABIC_MARKERS: dict[str, dict[str, float]] = {
    "ar": {"ي": 1.5, "ك": 1.5, "ة": 2.5, "ى": 1.5, "أ": 0.5, "إ": 0.8, "ؤ": 1.0, "ئ": 0.5},
    "fa": {"ی": 1.5, "ک": 1.5, "پ": 3.0, "چ": 2.0, "ژ": 3.0, "گ": 2.0, "\u200c": 2.0, "ة": -2.0},
    "ur": {"ی": 0.8, "ک": 0.8, "ے": 4.0, "ں": 4.0, "ٹ": 4.0, "ڈ": 4.0, "ڑ": 4.0, "ہ": 3.0, "ھ": 2.0,
           "پ": 1.0, "چ": 1.0, "گ": 1.0},
    "ps": {"ی": 1.5, "ک": 1.5, "ګ": 4.0, "ڼ": 4.0, "ټ": 4.0, "ډ": 4.0, "ړ": 4.0, "ښ": 4.0, "ږ": 4.0, "ځ": 4.0, "څ": 4.0, "ې": 3.0, "ۍ": 3.0},
    "ku": {"ێ": 4.0, "ۆ": 3.0, "ڵ": 4.0, "ڕ": 4.0, "ە": 3.0, "ڤ": 2.0},
    "ug": {"ۈ": 4.0, "ۋ": 4.0, "ې": 2.0, "ۆ": 2.0, "ە": 2.0, "ئا": 2.0},
}
ARABIC_WORDS: dict[str, set[str]] = {
    "ar": set("في من على إلى الى عن أن ان التي الذي هذا هذه مع بعد قبل كان قد أو لا ما بين خلال".split()),
    "fa": set("در و به از که این را است با برای آن شد کرد می ها یک تا بر هم نیز خود شده".split()),
    "ur": set("کے کی میں سے نے ہے کا کو اور پر یہ ہیں تھا گیا کہ".split()),
    "ps": set("د په او چې له کې دې ته شو کړه وه دا هم سره".split()),
}
ARABIC_DEFAULT = "ar"

# --- Devanagari ----------------------------------------------------------------------------------
DEVANAGARI_WORDS: dict[str, set[str]] = {
    "hi": set("है के में की का को से ने और पर यह हैं था गया लिए एक भी कि".split()),
    "mr": set("आहे आणि या च्या मध्ये हे ते होते केले आहेत".split()),
    "ne": set("छ र को मा लागि गर्न भएको छन् थियो पनि हो".split()),
}
DEVANAGARI_DEFAULT = "hi"

# --- Latin languages langdetect knows: frequent words turn into its prior ------------------------
# Each word found multiplies the language's prior by exp(LATIN_PRIOR_WEIGHT); short headlines are where
# langdetect alone confuses pt/es/it, nl/af, en/it.
LATIN_PRIOR_WEIGHT = 1.0
LATIN_PRIOR_WORDS: dict[str, set[str]] = {
    "en": set("the of and to in is for on with as at by from that this after over against up new "
              "says said will has have was were are be not amid again".split()),
    "de": set("der die das und ist nicht mit für auf dem den des ein eine im zu von bei nach gegen über "
              "wird werden sich auch".split()),
    "fr": set("le la les des du de et est une un dans pour sur au aux avec par ce se qui après ses "
              "contre".split()),
    "es": set("el la los las del de y en un una por para con se que al tras ante sus es más".split()),
    "it": set("il lo la gli le dei delle del della di e è un una per con sul sulla nel nella al alla "
              "dopo da tra".split()),
    "pt": set("o os a as do dos da das de e em no na nos nas um uma para com ao após não é pelo pela "
              "face".split()),
    "nl": set("de het een van en in op met voor is bij na tegen niet dat ook naar zijn wordt".split()),
    "af": set("die van en in op met vir is het nie dat ook na word".split()),
    "pl": set("w z na i do się nie o po od dla że jest przez oraz przed".split()),
    "ro": set("și în de la cu pe din care este un o pentru după".split()),
    "ca": set("el la els les de del i en un una per amb que al".split()),
    "sv": set("och i på att det som för med en av är till efter".split()),
    "da": set("og i på at det som for med en af er til efter".split()),
    "no": set("og i på at det som for med en av er til etter".split()),
    "cs": set("a v na se je že s z do pro po od".split()),
    "sk": set("a v na sa je že s z do pre po od".split()),
    "hu": set("a az és hogy nem is egy meg már után".split()),
    "id": set("dan di yang ke dari untuk dengan ini itu pada akan".split()),
}

# Kanji written only in Japanese (shinjitai or kokuji: simplified and traditional Chinese write them
# differently). One of them in Han-only text means Japanese.
JAPANESE_ONLY_HAN = set(
    "増円駅広歳県発労働関経済気様実戦読売転桜児薬険検単営変権観価圧栄鉄総伝団拡図黒込峠畑枠匂"
    "亜悪挙対応帯覧辺譲渉歩沢恵拝徴弾郷払仏")

# langdetect codes that are not ISO 639-1 as such.
LANGDETECT_CODES: dict[str, str] = {"zh-cn": "zh", "zh-tw": "zh"}
