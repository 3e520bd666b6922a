"""Photo credit and copyright lines that the page does not mark by class leave the body, in HTML and in plain
text, in several languages (service/extraction/credits.py; issue 11). Story sentences that mention a photo, a
copyright or a source stay, and so do data sources under a table ("Quelle: …")."""

from __future__ import annotations

import pytest

from service.extraction import extract_document
from service.extraction.credits import is_credit_line

from .test_story_and_sidebars import STORY, _page, _text

# (language, credit line) - shapes seen on trafilatura's evaluation pages and on news sites of the region
CREDITS = [
    ("en", "(Credit: Clayton Aldern / Grist)"),
    ("en", "Photo: Reuters"),
    ("en", "© 2019 Science X Network"),
    ("de", "Foto: MDR/Bernd Cramer"),
    ("de", "Titelbild: Geyres Christophe/ABACA/picture-alliance"),
    ("de", "Der Skistar aus der Schweiz im Training. © AFP / MARCO BERTORELLO"),
    ("fr", "Crédits photos : Bestimage"),
    ("ru", "Фото: РИА Новости"),
    ("kk", "Сурет: Ақорда баспасөз қызметі"),
    ("uz", "Foto: Prezident matbuot xizmati"),
]

# Story lines that look like credits in one way and must stay.
STAYS = [
    "The photo shows the mayor signing the budget in front of the council on Tuesday evening.",
    "Photographers waited outside the hall for more than two hours before the vote was announced.",
    "Source: the city's finance department, figures for the first quarter of the year",
    "Quelle: Statistisches Bundesamt",
    "The copyright dispute between the two publishers went to court last year and is still open.",
]


@pytest.mark.parametrize(("lang", "credit"), CREDITS, ids=[f"{c[0]}-{n}" for n, c in enumerate(CREDITS)])
def test_text_credit_line_leaves_the_body(lang, credit):
    story = STORY.get(lang, STORY["en"])
    article = extract_document(_text([story[0], credit, *story[1:]]), "text")
    assert credit not in article.body_text
    assert all(s in article.body_text for s in story)


@pytest.mark.parametrize(("lang", "credit"), CREDITS, ids=[f"{c[0]}-{n}" for n, c in enumerate(CREDITS)])
def test_html_unmarked_credit_line_leaves_the_body(lang, credit):
    story = STORY.get(lang, STORY["en"])
    html = _page("".join(f"<p>{line}</p>" for line in [story[0], credit, *story[1:]]), lang)
    article = extract_document(html, "html")
    assert credit not in article.body_text
    assert all(s in article.body_text for s in story)


@pytest.mark.parametrize("line", STAYS)
def test_story_lines_about_photos_copyright_or_sources_stay(line):
    article = extract_document(_text([STORY["en"][0], line, STORY["en"][1]]), "text")
    assert line in article.body_text


def test_a_long_paragraph_with_a_copyright_sign_is_story():
    line = (
        "The museum said the painting, which carries a © mark added by the estate in 1998, will be shown to the "
        "public again next year after a restoration that took more than four years and cost two million euros."
    )
    assert not is_credit_line(line)
    assert is_credit_line("© Reuters")
