"""complexity.scan_markup counts attributes exactly at its per-element limit whatever the attribute forms, and a
tag longer than its token cap is read whole when the cap was reached by something other than attributes."""

from __future__ import annotations

import pytest

from service.extraction import ExtractionError, limits
from service.extraction.complexity import _CAP, scan_markup

LIMIT = limits.MAX_ATTRIBUTES_PER_ELEMENT
FORMS = {
    "unquoted": "a{i}=x",
    "double-quoted": 'a{i}="x y"',
    "single-quoted": "a{i}='x'",
    "boolean": "a{i}",
    "spaced": 'a{i} = "x"',
}


def _page(attributes: str) -> str:
    return f"<html><body><div {attributes}>story</div><p class=x>more</p></body></html>"


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_an_element_at_the_limit_passes_and_one_past_it_is_refused(form):
    at_limit = scan_markup(_page(" ".join(form.format(i=i) for i in range(LIMIT))))
    assert at_limit.most_attributes == LIMIT and at_limit.attributes == LIMIT + 1
    with pytest.raises(ExtractionError) as refused:
        scan_markup(_page(" ".join(form.format(i=i) for i in range(400_000))))
    assert refused.value.type == "document_too_complex"
    assert f"more than {LIMIT} attributes ({LIMIT + 1})" in refused.value.detail


def test_a_tag_past_the_token_cap_with_few_attributes_is_read_whole():
    # a run of "=" is one token each: the cap is reached with two attributes, and the rest of the tag still counts
    tag = "a" + "=" * (3 * _CAP) + " b=1 c"
    counts = scan_markup(_page(tag) + "<p x=1 y=2>after the long tag</p>")
    assert counts.most_attributes == 3
    assert counts.elements == 5 and counts.attributes == 3 + 1 + 2
