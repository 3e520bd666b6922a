"""Promo and subscribe lines ("Subscribe to our Telegram channel", "Подпишитесь на наш канал в WhatsApp"):
site furniture that sits between story paragraphs, not story. A line is promo when it is short and names both
a call to action and a channel; either alone is ordinary story vocabulary ("the minister's Telegram channel").
"""
from __future__ import annotations

import re

# Channels: messengers, social networks, newsletters (stems, case-folded).
_CHANNELS = (
    "telegram", "телеграм", "whatsapp", "ватсап", "вотсап", "viber", "вайбер", "instagram", "инстаграм", "facebook",
    "фейсбук", "twitter", "твиттер", "youtube", "ютуб", "tiktok", "тикток", "вконтакте", "одноклассник", "дзен",
    "google news", "newsletter", "рассылк", "бюллетен", "bülten", "boletín", "infolettre", "lettre d'information",
    "канал", "kanal", "channel", "canal", "телеграмм", "ტელეგრამ",
    "տելեգրամ", "텔레그램", "뉴스레터", "ニュースレター", "电报", "微信", "تلگرام", "تلغرام", "واتساب", "النشرة",
    "خبرنامه", "kanalımız", "rss", "app store", "google play", "our app", "apps for", "канали", "каналға", "каналга", "каналына", "каналу",
)
# Calls to action (stems): subscribe, follow, join, sign up, in the languages the service covers.
_ACTIONS = (
    "subscribe", "sign up", "signing up", "follow us", "follow the", "join us", "join our", "stay up to date",
    "stay informed", "download the", "anmelden", "abonnieren", "seguir a", "síguenos en", "siguenos en",
    "subskrypc",
    "подпис", "подпиш", "присоединяйтесь", "следите за", "жазыл", "жазылы", "obuna bo", "обуна", "azo sho",
    "обуна шав", "բաժանորդագր", "հետևեք", "გამოიწერ", "მოგვყევით", "abunə ol", "izləyin", "бүртгүүл", "дагаарай",
    "abone ol", "takip edin", "takip et", "підпис", "приєднуйтесь", "abonnier", "folgen sie", "folge uns",
    "abonnez", "suivez-nous", "suivez nous", "inscrivez", "suscríbe", "suscribe", "síguenos", "siguenos",
    "únete", "inscreva", "assine", "siga-nos", "siga o", "iscriviti", "seguici", "abbonati", "구독", "팔로우",
    "購読", "フォロー", "登録", "订阅", "关注", "اشترك", "تابعونا", "تابعوا", "انضم", "عضو شوید", "دنبال کنید",
    "بپیوندید", "subskrybuj", "obserwuj", "zapisz się", "dołącz", "жазылыңыз", "жазылып",
)
_CHANNEL = re.compile("|".join(map(re.escape, _CHANNELS)))
_ACTION = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _ACTIONS)) + ")")  # word starts: not "unsubscribe"
MAX_PROMO_CHARS = 220  # a story paragraph that mentions a channel is longer; measured on the real sets
_MAX_NAME_CHARS = 40  # "PC Gamer Newsletter": a short line naming a newsletter is its sign-up box
_NEWSLETTER = re.compile(r"newsletter|рассылка|бюллетень|infolettre|boletín")


def is_promo_line(text: str) -> bool:
    """True for a short line that asks the reader to subscribe to / follow / join a channel or newsletter."""
    if len(text) > MAX_PROMO_CHARS:
        return False
    folded = text.casefold()
    if len(text) <= _MAX_NAME_CHARS and _NEWSLETTER.search(folded):
        return True
    return _ACTION.search(folded) is not None and _CHANNEL.search(folded) is not None
