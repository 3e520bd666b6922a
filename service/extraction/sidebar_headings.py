"""Data tables for sidebar detection: headings of non-story lists in many languages, and class/id hints.

Kept as data so adding a language is a one-line change. Phrases are matched after `normalize_heading`
(case-folded, punctuation and apostrophe variants dropped), exactly or as the start of a longer heading
("Latest news from Kazakhstan").
"""

from __future__ import annotations

import functools
import re
import unicodedata

SIDEBAR_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "latest news",
        "latest",
        "latest stories",
        "latest articles",
        "most read",
        "most popular",
        "most viewed",
        "popular",
        "popular news",
        "popular stories",
        "related",
        "related articles",
        "related stories",
        "related news",
        "related content",
        "related posts",
        "read also",
        "read more",
        "also read",
        "see also",
        "more news",
        "more stories",
        "more from",
        "more on this story",
        "top stories",
        "top news",
        "trending",
        "trending now",
        "recommended",
        "recommended for you",
        "you may also like",
        "you might also like",
        "you may have missed",
        "editors picks",
        "breaking news",
        "news feed",
        "in other news",
        "what to read next",
        "read next",
        "more in",
        "around the web",
        "dont miss",
        "must read",
        "recent posts",
        "recent articles",
        "recent stories",
        "recent news",
        "more on",
        "more news from",
        "you may also be interested in",
        "you might be interested in",
        "related reading",
        "further reading",
        "also on",
        "more coverage",
        "most shared",
        "just in",
        "read this next",
    ),
    "ru": (
        "последние новости",
        "читайте также",
        "смотрите также",
        "самое читаемое",
        "самое популярное",
        "популярное",
        "популярные новости",
        "другие новости",
        "похожие статьи",
        "похожие новости",
        "новости по теме",
        "по теме",
        "лента новостей",
        "главные новости",
        "еще новости",
        "ещё новости",
        "рекомендуем",
        "материалы по теме",
        "читайте еще",
        "читайте ещё",
        "свежие новости",
        "актуальное",
        "также читайте",
        "читайте по теме",
        "новости партнеров",
        "выбор редакции",
    ),
    "kk": (
        "соңғы жаңалықтар",
        "тағы оқыңыз",
        "сондай-ақ оқыңыз",
        "көп оқылған",
        "көп оқылғандар",
        "ұқсас жаңалықтар",
        "тақырыпқа қатысты",
        "басқа жаңалықтар",
        "жаңалықтар таспасы",
        "танымал",
        "оқи отырыңыз",
        "тағы да оқыңыз",
    ),
    "ky": (
        "акыркы жаңылыктар",
        "акыркы кабарлар",
        "дагы окуңуз",
        "окуңуз",
        "ошондой эле окуңуз",
        "көп окулгандар",
        "көп окулган",
        "башка жаңылыктар",
        "темага байланыштуу",
        "окшош жаңылыктар",
    ),
    "uz": (
        "songgi yangiliklar",
        "сўнгги янгиликлар",
        "сунгги янгиликлар",
        "shuningdek oqing",
        "шунингдек ўқинг",
        "kop oqilgan",
        "кўп ўқилган",
        "mavzuga oid",
        "мавзуга оид",
        "boshqa yangiliklar",
        "бошқа янгиликлар",
        "yangiliklar lentasi",
        "ommabop",
        "songgi xabarlar",
        "shuningdek oqing",
        "yana oqing",
        "ko‘proq oʻqing",
    ),
    "tg": (
        "хабарҳои охирин",
        "охирин хабарҳо",
        "инчунин хонед",
        "маводи марбут",
        "хабарҳои дигар",
        "бештар хондашуда",
        "серхонандатарин",
        "хабарҳои марбут",
        "навтарин хабарҳо",
    ),
    "hy": (
        "վերջին լուրեր",
        "նաև կարդացեք",
        "կարդացեք նաև",
        "ամենաընթերցվածը",
        "ամենաընթերցված",
        "առնչվող",
        "առնչվող նյութեր",
        "այլ լուրեր",
        "լրահոս",
        "թեմայով",
    ),
    "ka": (
        "ბოლო ამბები",
        "უახლესი ამბები",
        "ბოლო სიახლეები",
        "ასევე წაიკითხეთ",
        "ყველაზე კითხვადი",
        "მსგავსი სიახლეები",
        "სხვა სიახლეები",
        "პოპულარული",
        "თემაზე",
    ),
    "az": (
        "son xəbərlər",
        "həmçinin oxuyun",
        "ən çox oxunan",
        "ən çox oxunanlar",
        "digər xəbərlər",
        "oxşar xəbərlər",
        "mövzu ilə bağlı",
        "xəbər lenti",
    ),
    "tr": (
        "son dakika",
        "son haberler",
        "ilgili haberler",
        "en çok okunanlar",
        "en çok okunan",
        "bunlar da ilginizi çekebilir",
        "ayrıca okuyun",
        "benzer haberler",
        "diğer haberler",
        "öne çıkanlar",
        "gündem",
        "ilginizi çekebilir",
        "ilgili içerikler",
        "bunu da okuyun",
    ),
    "uk": (
        "останні новини",
        "читайте також",
        "найпопулярніше",
        "популярне",
        "схожі новини",
        "інші новини",
        "новини по темі",
        "по темі",
        "стрічка новин",
        "головні новини",
        "дивіться також",
    ),
    "de": (
        "neueste nachrichten",
        "aktuelle nachrichten",
        "aktuell",
        "meistgelesen",
        "meistgelesene artikel",
        "das könnte sie auch interessieren",
        "mehr zum thema",
        "lesen sie auch",
        "weitere nachrichten",
        "weitere artikel",
        "ähnliche artikel",
        "auch interessant",
        "top-themen",
        "empfehlungen",
        "auch lesen",
        "lesen sie mehr",
        "zum weiterlesen",
        "weiterlesen",
        "mehr dazu",
        "das thema könnte dich auch interessieren",
        "das könnte dich auch interessieren",
        "mehr zum thema auf",
        "meistgelesene",
        "neueste artikel",
        "lesen sie hier",
        "schon gelesen",
        "weitere themen",
        "mehr themen",
        "weitere beiträge",
        "lesen sie auch die folgenden beiträge",
        "weitere artikel zum thema",
        "meist diskutiert",
        "kommentierte artikel",
        "weitere aktuelle themen",
        "weiterführende links",
        "empfohlen",
        "empfohlen von",
        "das könnte sie auch interessieren",
    ),
    "fr": (
        "dernières nouvelles",
        "dernières actualités",
        "les plus lus",
        "à lire aussi",
        "a lire aussi",
        "lire aussi",
        "articles similaires",
        "sur le même sujet",
        "à lire également",
        "les plus populaires",
        "vous aimerez aussi",
        "dans lactualité",
        "plus dactualités",
        "à la une",
        "fil info",
        "voir aussi",
        "lire également",
        "à découvrir aussi",
        "a découvrir aussi",
        "sur le même thème",
        "les plus partagés",
    ),
    "es": (
        "últimas noticias",
        "lo más leído",
        "lo más visto",
        "te puede interesar",
        "noticias relacionadas",
        "lee también",
        "lea también",
        "más noticias",
        "también te puede interesar",
        "relacionados",
        "artículos relacionados",
        "te recomendamos",
        "ver también",
        "más leídas",
        "lea más",
        "lee más",
        "le puede interesar",
        "puede interesarte",
        "te podría interesar",
        "más sobre",
        "también lee",
        "lea",
        "lee",
        "mire",
        "mira",
        "vea también",
        "puedes ver",
        "notas relacionadas",
        "te puede gustar",
        "también puedes leer",
        "contenido relacionado",
    ),
    "it": (
        "ultime notizie",
        "i più letti",
        "più letti",
        "leggi anche",
        "articoli correlati",
        "potrebbe interessarti",
        "altre notizie",
        "notizie correlate",
        "ti potrebbe interessare",
        "più lette",
        "ultimi articoli",
        "da non perdere",
    ),
    "pt": (
        "últimas notícias",
        "mais lidas",
        "mais lidos",
        "leia também",
        "veja também",
        "notícias relacionadas",
        "leia mais",
        "mais notícias",
        "relacionadas",
        "você pode gostar",
        "saiba mais",
        "notícias mais lidas",
        "mais vistas",
        "veja mais",
    ),
    "pl": (
        "najnowsze wiadomości",
        "najnowsze",
        "najczęściej czytane",
        "czytaj też",
        "czytaj także",
        "zobacz też",
        "zobacz także",
        "powiązane artykuły",
        "polecamy",
        "więcej wiadomości",
        "popularne",
        "dowiedz się więcej",
        "przeczytaj też",
        "przeczytaj także",
        "czytaj więcej",
    ),
    "zh": (
        "最新新闻",
        "最新消息",
        "最新资讯",
        "热门文章",
        "热门新闻",
        "相关文章",
        "相关新闻",
        "相关阅读",
        "延伸阅读",
        "阅读更多",
        "更多新闻",
        "热点",
        "推荐阅读",
        "猜你喜欢",
        "热门推荐",
        "相關新聞",
        "最新新聞",
    ),
    "ar": (
        "آخر الأخبار",
        "أخر الأخبار",
        "الأكثر قراءة",
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "أخبار ذات صلة",
        "مقالات ذات صلة",
        "المزيد من الأخبار",
        "أخبار متعلقة",
        "الأكثر مشاهدة",
        "اخترنا لك",
        "قد يعجبك أيضا",
        "اقرأ المزيد",
        "موضوعات ذات صلة",
        "أحدث الأخبار",
    ),
    "fa": (
        "آخرین اخبار",
        "آخرین خبرها",
        "پربازدیدترین",
        "پربیننده‌ترین",
        "بیشتر بخوانید",
        "اخبار مرتبط",
        "مطالب مرتبط",
        "بخوانید",
        "همچنین بخوانید",
        "اخبار مرتبط",
        "پربحث‌ترین",
        "سایر اخبار",
        "اخبار برگزیده",
    ),
    "mn": (
        "сүүлийн мэдээ",
        "шинэ мэдээ",
        "их уншсан",
        "хамгийн их уншсан",
        "холбоотой мэдээ",
        "мөн уншаарай",
        "бусад мэдээ",
        "төстэй мэдээ",
        "онцлох мэдээ",
        "шуурхай мэдээ",
    ),
    "ko": (
        "관련기사",
        "관련 기사",
        "많이 본 뉴스",
        "많이 본 기사",
        "최신 뉴스",
        "최신뉴스",
        "인기 기사",
        "인기기사",
        "주요뉴스",
        "주요 뉴스",
        "함께 볼만한 뉴스",
        "추천 기사",
        "이 시각 주요뉴스",
        "핫이슈",
        "실시간 인기",
    ),
    "ja": (
        "関連記事",
        "関連ニュース",
        "最新ニュース",
        "最新記事",
        "人気記事",
        "よく読まれている記事",
        "アクセスランキング",
        "おすすめ記事",
        "こちらもおすすめ",
        "あわせて読みたい",
        "合わせて読みたい",
        "注目記事",
        "ランキング",
    ),
}
# Words that make a heading a sidebar's when they end it: "<Section> latest", "정치 주요뉴스".
SIDEBAR_HEADING_ENDINGS: tuple[str, ...] = (
    "latest",
    "latest news",
    "headlines",
    "top stories",
    "주요뉴스",
    "많이 본 뉴스",
    "関連記事",
    "最新ニュース",
)

# Substrings of class/id values that mark a block as a sidebar or teaser feed.
SIDEBAR_CLASS_HINTS: tuple[str, ...] = (
    "latest",
    "related",
    "most-read",
    "mostread",
    "most_read",
    "popular",
    "sidebar",
    "teaser",
    "recommend",
    "trending",
    "read-also",
    "readalso",
    "also-read",
    "more-news",
    "morenews",
    "news-feed",
    "newsfeed",
    "feed",
    "promo",
    "widget",
    "aside",
    "top-news",
    "topnews",
    "headlines",
    "further-reading",
    "see-also",
    "rail",
    "outbrain",
    "taboola",
    "most-popular",
    "also",
    "tags-list",
)
# Blocks under these are navigation, not content lists.
NAVIGATION_HINTS: tuple[str, ...] = ("menu", "navbar", "breadcrumb", "pagination", "pager")

_DROP = re.compile(r"[\W_]+", re.UNICODE)
_APOSTROPHES = str.maketrans("", "", "'’‘ʻʼ`´")


@functools.lru_cache(maxsize=8192)  # the same short texts recur on a page and across a site's pages
def normalize_heading(text: str) -> str:
    # casefold turns Turkish "İ" into "i" + U+0307; drop that dot so "İlgili" matches "ilgili"
    text = unicodedata.normalize("NFC", text.casefold()).replace("\u0307", "").translate(_APOSTROPHES)
    return " ".join(_DROP.sub(" ", text).split())


def _build_index() -> tuple[frozenset[str], int]:
    phrases = frozenset(normalize_heading(p) for group in SIDEBAR_HEADINGS.values() for p in group)
    return phrases, max(len(p.split()) for p in phrases)


_PHRASES, _MAX_WORDS = _build_index()
_ENDINGS = tuple(normalize_heading(e) for e in SIDEBAR_HEADING_ENDINGS)
_MAX_SECTION_WORDS = 3  # "<Section> latest": a section name of a few words before the ending
_UNSPACED = tuple(p for p in _PHRASES if " " not in p and not p.isascii() and len(p) >= 2)
_MAX_EXTRA_WORDS = 3  # "Latest news from Kazakhstan" still counts; a long sentence does not


@functools.lru_cache(maxsize=8192)  # asked of every short sibling of every candidate list: texts recur
def is_sidebar_heading(text: str) -> bool:
    """True when `text` is (or starts with) a known sidebar heading phrase, in any language."""
    norm = normalize_heading(text)
    if not norm or len(norm) > 80:
        return False
    if norm in _PHRASES:
        return True
    words = norm.split()
    if len(words) > _MAX_WORDS + _MAX_EXTRA_WORDS:
        return False
    # Prefix match on whole words; CJK headings have no spaces, so also try character prefixes.
    if any(" ".join(words[:k]) in _PHRASES for k in range(1, min(len(words), _MAX_WORDS) + 1)):
        return True
    if any(norm.endswith(e) and len(norm[: -len(e)].split()) <= _MAX_SECTION_WORDS for e in _ENDINGS):
        return True
    return (
        len(words) == 1
        and not norm.isascii()
        and any(norm.startswith(p) and len(norm) - len(p) <= 6 for p in _UNSPACED)
    )


# What may stand between an inline heading and its one item: "Read also: …", "À lire aussi » …", "ALSO READ | …".
_INLINE_SEPARATOR = re.compile(r"\s*[:：»›>|—–]+\s*|\s+-\s+")
_MAX_INLINE_HEADING_CHARS = 60


def split_inline_heading(text: str) -> tuple[str, str] | None:
    """("Читайте также", "Мэрия назвала улицы…") for "Читайте также: Мэрия назвала улицы…": a known sidebar
    heading, a separator, then the rest; None when the text does not start that way. The caller decides
    whether the rest is one teaser (a link in HTML, a headline in plain text)."""
    match = _INLINE_SEPARATOR.search(text, 0, _MAX_INLINE_HEADING_CHARS + 4)
    if match is None or match.start() == 0:
        return None
    heading, rest = text[: match.start()].strip(), text[match.end() :].strip()
    if not rest or len(heading) > _MAX_INLINE_HEADING_CHARS or normalize_heading(heading) not in _PHRASES:
        return None
    return heading, rest


def is_heading_only(text: str) -> bool:
    """True for a line that is nothing but a known sidebar heading ("Read more:", "Zum Weiterlesen:")."""
    return len(text) <= _MAX_INLINE_HEADING_CHARS + 2 and normalize_heading(text) in _PHRASES
