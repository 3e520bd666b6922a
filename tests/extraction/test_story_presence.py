"""A document without story text is refused `no_content`, never a `done` record that only looks right: a page of
navigation only, a page with a title and nothing else, a wire text that is a headline alone
(service/extraction/story_presence.py). Real stories, short ones and ones the markup puts inside a <nav>, pass."""

from __future__ import annotations

import pytest

from service.extraction import ExtractionError, ExtractionErrorType, extract_document

NO_STORY = {
    "nav_only": ("<nav>News Sport</nav>", "html", "navigation"),
    "nav_of_links": (
        "<html><body><nav><a href='/news'>News</a> <a href='/sport'>Sport</a></nav></body></html>",
        "html",
        "navigation",
    ),
    "links_with_separators": (
        "<html><body><a href='/news'>News</a> | <a href='/sport'>Sport</a> · <a href='/culture'>Culture</a></body></html>",
        "html",
        "navigation",
    ),
    "titled_nav_page": (
        "<html><head><title>City Herald</title></head><body><header><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/politics'>Politics</a></li><li><a href='/economy'>Economy</a></li></ul></nav></header>"
        "<menu><li>Weather</li><li>Contact</li></menu></body></html>",
        "html",
        "navigation",
    ),
    "title_only_page": ("<html><head><title>Bridge Opens</title></head><body></body></html>", "html", "headline"),
    "headline_only_markup": ("<html><body><h1>Bridge Opens Over The River</h1></body></html>", "html", "headline"),
    "one_line_text": ("Bridge opens over the river", "text", "headline"),
    "headline_then_blank_lines": ("Bridge opens over the river\n\n\n  \n", "text", "headline"),
}


@pytest.mark.parametrize("name", NO_STORY)
def test_a_document_without_story_text_is_refused_no_content(name):
    content, kind, why = NO_STORY[name]
    with pytest.raises(ExtractionError) as refused:
        extract_document(content, kind)
    assert refused.value.type is ExtractionErrorType.NO_CONTENT
    assert why in refused.value.detail


STORIES = {
    "short_story": (
        "<html><body><h1>Bridge opens</h1><p>The 84-metre bridge joins two housing estates.</p></body></html>",
        "html",
        "The 84-metre bridge joins two housing estates.",
    ),
    "story_with_links": (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><p>The <a href='/m'>mayor</a>"
        " opened the <a href='/b'>bridge</a> on Monday, the council said.</p></article></body></html>",
        "html",
        "on Monday, the council said.",  # (this bare a page's inline links split its paragraph: not this rule)
    ),
    # markup that never closes its <nav> (as on two of the real pages): the story's paragraphs end up inside it
    "story_inside_an_unclosed_nav": (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a><div><h1>Bridge opens</h1>"
        "<p>The 84-metre bridge joins two housing estates, the mayor said on Monday.</p></div></body></html>",
        "html",
        "The 84-metre bridge joins two housing estates, the mayor said on Monday.",
    ),
    "wire_text": ("Bridge opens\n\nThe 84-metre bridge joins two housing estates.", "text", "The 84-metre bridge"),
}


@pytest.mark.parametrize("name", STORIES)
def test_a_story_passes(name):
    content, kind, expected = STORIES[name]
    assert expected in extract_document(content, kind).body_text


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("Headline\n\n!!! ??? ... --- *** ###", "text"),
        ("Headline\n\n🔥🔥🔥 👍", "text"),
        ("Headline\n\n\u3164\u3164 \u2800\u2800 \uffa0", "text"),  # Hangul fillers are letters that show nothing
        ("<html><body><h1>Headline</h1><p>!!! ??? ... --- *** ###</p></body></html>", "html"),
    ],
)
def test_a_body_without_a_letter_or_digit_is_no_story(content, kind):
    """Hostile probe (issue 14): plain text whose body had no word was stored `done` with word_count 0; the same
    body as HTML was refused with a detail about navigation, which it is not."""
    with pytest.raises(ExtractionError) as refused:
        extract_document(content, kind)
    assert refused.value.type == ExtractionErrorType.NO_CONTENT
    assert "navigation" not in refused.value.detail
