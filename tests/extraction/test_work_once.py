"""Shortcuts the pipeline takes so that work is done once (issue 16 item 3, issue 11's time target): each must
give exactly what the longer way gives."""

from __future__ import annotations

import pytest
from trafilatura.utils import repair_faulty_html

from service.extraction import extract_document
from service.extraction.html import _repair_valid_html, parse_html
from service.extraction.sidebars import _candidates
from service.extraction.text import join_normalized, normalize_line, normalize_paragraphs

LINES = [
    "plain ASCII line",
    "  spaces\tand\ttabs \n inside  ",
    "nul\x00 and vt\x0b and del\x7f",
    "an entity spelled out: &amp;lt;b&amp;gt; and &nbsp;",
    "e\u200b\u0301 accent after an invisible character",
    "e\x85\u0301 accent after a C1 control",
    "Кириллица с неразрывным\u00a0пробелом",
    "\u200b",
    "&#8203;",
    "",
]


@pytest.mark.parametrize("line", LINES)
def test_normalize_line_fast_path_is_the_full_normalisation(line: str) -> None:
    import html
    import unicodedata

    from service.extraction.text import _INVISIBLE, _SPACES, remove_control_characters

    full = remove_control_characters(unicodedata.normalize("NFC", html.unescape(line)).translate(_INVISIBLE))
    assert normalize_line(line) == _SPACES.sub(" ", full.replace("\n", " ")).strip()


def test_join_normalized_equals_normalising_twice() -> None:
    once = [p for p in (normalize_line(x) for x in LINES) if p]
    assert join_normalized(once) == normalize_paragraphs(once)


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html/>\n<html><body><p>x</p></body></html>",
        '<html lang="en"/>\n<body><p>x</p></body>',
        "<!doctype html>\n<html>\n<head></head>\n<body><p>y</p></body></html>",
        "<html><body><p>plain</p></body></html>",
    ],
)
def test_repair_without_the_invalid_character_pass_is_trafilaturas_repair(page: str) -> None:
    beginning = page[:50].lower()
    assert _repair_valid_html(page, beginning) == repair_faulty_html(page, beginning)


def test_pages_with_forbidden_characters_still_parse_as_before() -> None:
    page = "<html><body><p>one\ufffe two\uffff three</p><p>four</p></body></html>"
    assert (
        extract_document(page, "html").body_text
        == extract_document(page.replace("\ufffe", "").replace("\uffff", ""), "html").body_text
    )


def _walked(root):  # the candidate walk before issue-11t: every element in Python
    from service.extraction.sidebars import _HINT_LEVELS, _NAV_HINTS, _SKIP

    stack = [(root, 0, False)]
    while stack:
        el, nav_left, in_nav = stack.pop()
        if not isinstance(el.tag, str) or (el.tag in _SKIP and el.tag != "nav"):
            continue
        in_nav = in_nav or el.tag == "nav"
        if el.get("class") or el.get("id") or el.get("role"):
            marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}".lower()
            if any(h in marks for h in _NAV_HINTS):
                nav_left = _HINT_LEVELS + 1
        if len(el) >= 2:
            yield el, in_nav or nav_left > 0
        stack.extend((c, max(nav_left - 1, 0), in_nav) for c in reversed(el))


def test_sidebar_candidates_are_those_of_the_element_walk() -> None:
    page = """<html><head><title>t</title><script>x</script></head><body>
      <div class="Main-Menu"><div><ul><li><a>a</a></li><li><a>b</a></li></ul><div><p>1</p><p>2</p>
        <div><span>x</span><span>y</span></div></div></div></div>
      <nav><ul><li>n1</li><li>n2</li></ul></nav>
      <form><ul><li>f1</li><li>f2</li></ul></form>
      <svg><g><path/><path/></g></svg>
      <article><p>one</p><p>two</p><ul><li>i</li><li>j</li></ul></article>
      <div role="navigation"><p>r</p><p>s</p></div>
    </body></html>"""
    root = parse_html(page)
    assert list(_candidates(root)) == list(_walked(root))
