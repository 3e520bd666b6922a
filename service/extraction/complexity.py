"""A linear scan of HTML markup that bounds the parser's work before lxml builds a tree.

libxml2 (2.14, as shipped with lxml 6.1) checks each new attribute of an element against all earlier ones, so
one tag with n attributes costs O(n²) in C, where neither a Python timeout nor a soft time limit can interrupt it
(20,000 attributes: 0.5 s; 200,000: minutes). `scan_markup` counts what makes parsing and extraction expensive
(attributes on one element, attributes in all, elements, nesting) with compiled regular expressions, linear in
the markup, and stops at the first limit passed.

The tokenizer is an over-approximation of HTML's: a tag runs from `<name` to the first `>` outside a quoted
value (or to the end of the document), and attributes are the name tokens in it, values skipped. It
never counts fewer attributes or elements than the parser makes, so no refusal is missed; the limits sit far
above what real pages need (see limits.py), so over-counting does not refuse real pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from . import limits
from .types import ExtractionError, ExtractionErrorType

# A comment, or a start or end tag. A quote opens a value only right after "=", as in HTML's tokenizer (elsewhere
# it is part of a name). Possessive quantifiers and values that may run to the end keep each match linear, and
# the scan always moves forward from the last match: the whole scan is linear.
_TAG_TOKEN = r"""(?:[^>=]++|=\s*+"[^"]*+(?:"|\Z)|=\s*+'[^']*+(?:'|\Z)|=)"""
_NEXT = re.compile(rf"""<!--|<(/?)([A-Za-z][^\s/>]*+)({_TAG_TOKEN}*+)(?:>|\Z)""")
# The same scan with the attribute text capped at _CAP tokens (each attribute takes at most two: its name run and
# its "=value"), so one tag with 400,000 attributes is read to its 515th token, not to its end (the whole tag cost
# ~27 ms per 4 MB in the API). Group 4 is None when the cap cut the tag short.
_CAP = 2 * (limits.MAX_ATTRIBUTES_PER_ELEMENT + 1) + 1
_NEXT_CAPPED = re.compile(rf"""<!--|<(/?)([A-Za-z][^\s/>]*+)({_TAG_TOKEN}{{0,{_CAP}}}+)(>|\Z)?""")
_ATTR = re.compile(r"""[^\s>/=]++(?:\s*+=\s*+(?:"[^"]*+"?|'[^']*+'?|[^\s>]*+))?""")
_COMMENT_END = re.compile(r"--!?>")
_SHORT_COMMENT_END = re.compile(r"-?>")
# Elements whose content is text to the parser, not markup.
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
# Elements without content, and elements a start tag of the same name implicitly closes (HTML's optional end
# tags): neither deepens the tree.
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
_SELF_CLOSING_PEERS = frozenset(["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp"])


@dataclass(frozen=True, slots=True)
class MarkupCounts:
    elements: int
    attributes: int
    most_attributes: int  # on one element
    depth: int  # most elements open at once, HTML's optional end tags applied approximately


# A tag's attribute text this short holds at most MAX_ATTRIBUTES_PER_ELEMENT + 1 attributes (each but the last
# takes two characters or more: a name and a separator, or a name and "="), so counting all of them with one
# findall gives the same count as the capped count below, in one C call.
_SHORT_REST = 2 * (limits.MAX_ATTRIBUTES_PER_ELEMENT + 1)


def scan_markup(html: str) -> MarkupCounts:
    """Count elements, attributes and nesting of `html`; raise ExtractionError("document_too_complex") as soon
    as one passes its limit in `limits` (MAX_ELEMENTS, MAX_ATTRIBUTES, MAX_ATTRIBUTES_PER_ELEMENT, MAX_DEPTH).
    Linear in len(html): ~30 ms per MB of ordinary markup on one core."""
    max_elements, max_per_element = limits.MAX_ELEMENTS, limits.MAX_ATTRIBUTES_PER_ELEMENT
    max_attributes, max_depth = limits.MAX_ATTRIBUTES, limits.MAX_DEPTH
    elements = attributes = most = depth = 0
    stack: list[str] = []
    search, count_all, raw_text_end = _NEXT_CAPPED.search, _ATTR.findall, _RAW_TEXT_END
    pos = 0
    while (match := search(html, pos)) is not None:
        if match.group(2) is not None and match.group(4) is None and match.end() < len(html):
            # the cap cut the tag: refuse if its first tokens already pass the limit, else read it whole
            count = sum(1 for _ in islice(_ATTR.finditer(match.group(3)), max_per_element + 1))
            if count > max_per_element:
                raise ExtractionError(
                    ExtractionErrorType.DOCUMENT_TOO_COMPLEX,
                    f"an element has more than {max_per_element} attributes ({count})",
                )
            match = _NEXT.match(html, match.start())
            assert match is not None  # _NEXT matches wherever _NEXT_CAPPED does
        pos = match.end()
        closing, name, rest = match.group(1, 2, 3)
        if name is None:  # a comment: "<!-->" and "<!--->" end at once, the rest at "-->" or "--!>"
            end = _SHORT_COMMENT_END.match(html, pos) or _COMMENT_END.search(html, pos)
            if end is None:
                break  # an unclosed comment runs to the end
            pos = end.end()
            continue
        name = name.lower()
        if closing:
            if stack and stack[-1] == name:
                stack.pop()  # the common case: the innermost open element closes
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        elements += 1
        if elements > max_elements:
            raise ExtractionError(ExtractionErrorType.DOCUMENT_TOO_COMPLEX, f"more than {max_elements} elements")
        if not rest:
            count = 0
        elif len(rest) <= _SHORT_REST:
            count = len(count_all(rest))
        else:  # counted up to one past the limit: the 200,000 attributes of a markup bomb are not all listed first
            count = sum(1 for _ in islice(_ATTR.finditer(rest), max_per_element + 1))
        if count:
            if count > max_per_element:
                raise ExtractionError(
                    ExtractionErrorType.DOCUMENT_TOO_COMPLEX,
                    f"an element has more than {max_per_element} attributes ({count})",
                )
            attributes += count
            if count > most:
                most = count
            if attributes > max_attributes:
                raise ExtractionError(
                    ExtractionErrorType.DOCUMENT_TOO_COMPLEX, f"more than {max_attributes} attributes"
                )
        self_closing = rest.endswith("/")
        if name in raw_text_end and not self_closing:
            end = raw_text_end[name].search(html, pos)
            if end is None:
                break  # its text runs to the end
            pos = end.start()
            continue
        if name in _VOID or self_closing:
            continue
        if name in _SELF_CLOSING_PEERS and stack and stack[-1] == name:
            stack.pop()
        stack.append(name)
        if len(stack) > depth:
            depth = len(stack)
            if depth > max_depth:
                raise ExtractionError(
                    ExtractionErrorType.DOCUMENT_TOO_COMPLEX, f"elements nested more than {max_depth} deep"
                )
    return MarkupCounts(elements, attributes, most, depth)
