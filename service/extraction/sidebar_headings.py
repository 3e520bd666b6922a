"""Data tables for sidebar detection: headings of non-story lists in many languages, and class/id hints.

Kept as data so adding a language is a one-line change. Phrases are matched after `normalize_heading`
(case-folded, punctuation and apostrophe variants dropped), exactly or as the start of a longer heading
("Latest news from Kazakhstan").
"""
from __future__ import annotations

import re
import unicodedata

SIDEBAR_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": ("latest news", "latest", "latest stories", "latest articles", "most read", "most popular", "most viewed",
           "popular", "popular news", "popular stories", "related", "related articles", "related stories", "related news",
           "related content", "related posts", "read also", "read more", "also read", "see also", "more news",
           "more stories", "more from", "more on this story", "top stories", "top news", "trending", "trending now",
           "recommended", "recommended for you", "you may also like", "you might also like", "you may have missed",
           "editors picks", "breaking news", "news feed", "in other news", "what to read next", "read next",
           "more in", "around the web", "dont miss", "must read", "recent posts", "recent news"),
    "ru": ("последние новости", "читайте также", "смотрите также", "самое читаемое", "самое популярное",
           "популярное", "популярные новости", "другие новости", "похожие статьи", "похожие новости",
           "новости по теме", "по теме", "лента новостей", "главные новости", "еще новости", "ещё новости",
           "рекомендуем", "материалы по теме", "читайте еще", "читайте ещё", "свежие новости", "актуальное"),
    "kk": ("соңғы жаңалықтар", "тағы оқыңыз", "сондай-ақ оқыңыз", "көп оқылған", "көп оқылғандар",
           "ұқсас жаңалықтар", "тақырыпқа қатысты", "басқа жаңалықтар", "жаңалықтар таспасы", "танымал"),
    "ky": ("акыркы жаңылыктар", "акыркы кабарлар", "дагы окуңуз", "окуңуз", "ошондой эле окуңуз", "көп окулгандар",
           "көп окулган", "башка жаңылыктар", "темага байланыштуу", "окшош жаңылыктар"),
    "uz": ("songgi yangiliklar", "сўнгги янгиликлар", "сунгги янгиликлар", "shuningdek oqing", "шунингдек ўқинг",
           "kop oqilgan", "кўп ўқилган", "mavzuga oid", "мавзуга оид", "boshqa yangiliklar", "бошқа янгиликлар",
           "yangiliklar lentasi", "ommabop"),
    "tg": ("хабарҳои охирин", "охирин хабарҳо", "инчунин хонед", "маводи марбут", "хабарҳои дигар",
           "бештар хондашуда", "серхонандатарин", "хабарҳои марбут", "навтарин хабарҳо"),
    "hy": ("վերջին լուրեր", "նաև կարդացեք", "կարդացեք նաև", "ամենաընթերցվածը", "ամենաընթերցված", "առնչվող",
           "առնչվող նյութեր", "այլ լուրեր", "լրահոս", "թեմայով"),
    "ka": ("ბოლო ამბები", "უახლესი ამბები", "ბოლო სიახლეები", "ასევე წაიკითხეთ", "ყველაზე კითხვადი",
           "მსგავსი სიახლეები", "სხვა სიახლეები", "პოპულარული", "თემაზე"),
    "az": ("son xəbərlər", "həmçinin oxuyun", "ən çox oxunan", "ən çox oxunanlar", "digər xəbərlər",
           "oxşar xəbərlər", "mövzu ilə bağlı", "xəbər lenti"),
    "tr": ("son dakika", "son haberler", "ilgili haberler", "en çok okunanlar", "en çok okunan",
           "bunlar da ilginizi çekebilir", "ayrıca okuyun", "benzer haberler", "diğer haberler", "öne çıkanlar",
           "gündem", "ilginizi çekebilir"),
    "uk": ("останні новини", "читайте також", "найпопулярніше", "популярне", "схожі новини", "інші новини",
           "новини по темі", "по темі", "стрічка новин", "головні новини", "дивіться також"),
    "de": ("neueste nachrichten", "aktuelle nachrichten", "aktuell", "meistgelesen", "meistgelesene artikel",
           "das könnte sie auch interessieren", "mehr zum thema", "lesen sie auch", "weitere nachrichten",
           "weitere artikel", "ähnliche artikel", "auch interessant", "top-themen", "empfehlungen"),
    "fr": ("dernières nouvelles", "dernières actualités", "les plus lus", "à lire aussi", "a lire aussi",
           "lire aussi", "articles similaires", "sur le même sujet", "à lire également", "les plus populaires",
           "vous aimerez aussi", "dans lactualité", "plus dactualités", "à la une", "fil info", "voir aussi"),
    "es": ("últimas noticias", "lo más leído", "lo más visto", "te puede interesar", "noticias relacionadas",
           "lee también", "lea también", "más noticias", "también te puede interesar", "relacionados",
           "artículos relacionados", "te recomendamos", "ver también", "más leídas"),
    "it": ("ultime notizie", "i più letti", "più letti", "leggi anche", "articoli correlati",
           "potrebbe interessarti", "altre notizie", "notizie correlate", "ti potrebbe interessare", "più lette"),
    "pt": ("últimas notícias", "mais lidas", "mais lidos", "leia também", "veja também", "notícias relacionadas",
           "leia mais", "mais notícias", "relacionadas", "você pode gostar"),
    "pl": ("najnowsze wiadomości", "najnowsze", "najczęściej czytane", "czytaj też", "czytaj także",
           "zobacz też", "zobacz także", "powiązane artykuły", "polecamy", "więcej wiadomości", "popularne"),
    "zh": ("最新新闻", "最新消息", "最新资讯", "热门文章", "热门新闻", "相关文章", "相关新闻", "相关阅读",
           "延伸阅读", "阅读更多", "更多新闻", "热点", "推荐阅读", "猜你喜欢", "热门推荐", "相關新聞", "最新新聞"),
    "ar": ("آخر الأخبار", "أخر الأخبار", "الأكثر قراءة", "اقرأ أيضا", "اقرأ أيضاً", "أخبار ذات صلة",
           "مقالات ذات صلة", "المزيد من الأخبار", "أخبار متعلقة", "الأكثر مشاهدة", "اخترنا لك", "قد يعجبك أيضا"),
}

# Substrings of class/id values that mark a block as a sidebar or teaser feed.
SIDEBAR_CLASS_HINTS: tuple[str, ...] = (
    "latest", "related", "most-read", "mostread", "most_read", "popular", "sidebar", "teaser", "recommend",
    "trending", "read-also", "readalso", "also-read", "more-news", "morenews", "news-feed", "newsfeed", "feed",
    "promo", "widget", "aside", "top-news", "topnews", "headlines", "further-reading", "see-also", "rail",
    "outbrain", "taboola", "most-popular", "also", "tags-list",
)
# Blocks under these are navigation, not content lists.
NAVIGATION_HINTS: tuple[str, ...] = ("menu", "navbar", "breadcrumb", "pagination", "pager")

_DROP = re.compile(r"[\W_]+", re.UNICODE)
_APOSTROPHES = str.maketrans("", "", "'’‘ʻʼ`´")


def normalize_heading(text: str) -> str:
    # casefold turns Turkish "İ" into "i" + U+0307; drop that dot so "İlgili" matches "ilgili"
    text = unicodedata.normalize("NFC", text.casefold()).replace("\u0307", "").translate(_APOSTROPHES)
    return " ".join(_DROP.sub(" ", text).split())


def _build_index() -> tuple[frozenset[str], int]:
    phrases = frozenset(normalize_heading(p) for group in SIDEBAR_HEADINGS.values() for p in group)
    return phrases, max(len(p.split()) for p in phrases)


_PHRASES, _MAX_WORDS = _build_index()
_UNSPACED = tuple(p for p in _PHRASES if " " not in p and not p.isascii() and len(p) >= 2)
_MAX_EXTRA_WORDS = 3  # "Latest news from Kazakhstan" still counts; a long sentence does not


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
    return len(words) == 1 and not norm.isascii() and any(
        norm.startswith(p) and len(norm) - len(p) <= 6 for p in _UNSPACED)
