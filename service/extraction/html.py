"""HTML side of the pipeline: parse once, and get story paragraphs from trafilatura or, for trees too large
for it, from a linear block-text walk."""

from __future__ import annotations

from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, repair_faulty_html
from trafilatura.xml import xmltotxt

from .types import ExtractionError, ExtractionErrorType

# lxml.html's parsers pick each element's Python class (HtmlElement, FormElement, InputElement ...) in a Python
# callback, HtmlElementClassLookup.lookup, run every time lxml makes a proxy object for a node: on every walk of
# the tree, by this pipeline and by trafilatura on its copies (they keep the parser). A class lookup done in C
# that gives every element HtmlElement (forms and inputs included: nothing here uses their form-field API) makes
# the same trees ~10% cheaper to walk for the whole pipeline (benchmarks/RESULTS.md, issue 16).
_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)
# trafilatura.utils.HTML_PARSER's options (so trafilatura sees the tree it would build itself), the lookup above
_TRAFILATURA_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_TRAFILATURA_PARSER.set_element_class_lookup(_LOOKUP)
_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, huge_tree=False, collect_ids=False, encoding="utf-8"
)
_PARSER.set_element_class_lookup(_LOOKUP)
_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "th",
    "tr",
    "br",
    "section",
    "article",
    "dd",
    "dt",
    "figcaption",
)
_NOT_STORY = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "select")
# trafilatura's options, chosen by benchmarks/extraction_quality.py over all sets (RESULTS.md, issue 11): the
# library defaults with comments off. fast=True skipped its fallback extractors and lost story text.
# output_format "txt" as in trafilatura.extract: the body is the same, and bare_extraction's default ("python")
# also serialises it to text, which extract_story does itself after unwrapping layout tables (work done twice).
STORY_OPTIONS: dict[str, Any] = {"include_comments": False, "with_metadata": False, "output_format": "txt"}


def parse_html(content: str, *, controls_removed: bool = False) -> etree._Element:
    """The page as an lxml tree, parsed the way trafilatura parses it (so both see the same tree); bare
    fragments that trafilatura's loader rejects are parsed as a document by lxml. `controls_removed`: the
    caller already took out the C0 controls (text.remove_control_characters, as the pipeline does), so the
    loader's scan for characters XML forbids only needs to look for U+FFFE/U+FFFF.

    Raises ExtractionError(ExtractionErrorType.UNPARSEABLE_DOCUMENT) when lxml cannot build a tree at all.
    """
    try:
        root = _load_html(content, controls_removed)
    except (etree.ParserError, ValueError, TypeError):
        root = None
    if root is not None and root.tag == "html":
        return root
    # Bytes, so pages with an XML encoding declaration parse; libxml2 caps depth (255) and node size itself.
    data = content.encode("utf-8", errors="replace")
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(ExtractionErrorType.UNPARSEABLE_DOCUMENT, str(exc)[:200]) from exc
    if root is None:
        raise ExtractionError(ExtractionErrorType.UNPARSEABLE_DOCUMENT, "no HTML element tree")
    return root


def _load_html(content: str, controls_removed: bool = False) -> etree._Element | None:
    """trafilatura.utils.load_html for a decoded string (its steps, from its helpers), with
    `_TRAFILATURA_PARSER`: None where load_html gives None (a dubious start and fewer than two children)."""
    beginning = content[:50].lower()
    dubious = is_dubious_html(beginning)
    if controls_removed and (content.isascii() or ("\ufffe" not in content and "\uffff" not in content)):
        content = _repair_valid_html(content, beginning)  # nothing for INVALID_XML_CHARS to take out
    else:
        content = repair_faulty_html(content, beginning)
    tree = None
    second_pass = True
    try:
        tree = lxml.html.fromstring(content, parser=_TRAFILATURA_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _parse_bytes(content)
        second_pass = False
    except Exception:  # as load_html: logged there, then the bytes pass
        tree = None
    if (tree is None or len(tree) < 1) and second_pass:
        tree = _parse_bytes(content)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _repair_valid_html(content: str, beginning: str) -> str:
    """trafilatura.utils.repair_faulty_html (2.3.1) without its first step, the removal of characters XML
    forbids (INVALID_XML_CHARS: C0 controls but tab/LF/CR, U+FFFE, U+FFFF), for a string that holds none: that
    step is a regex pass over the whole page. Its other steps, the same: a DOCTYPE with a slash on the first
    line and a self-closing `<html/>` in the first four lines (test_story_and_sidebars checks both are equal)."""
    if "doctype" in beginning:
        firstline, _, rest = content.partition("\n")
        content = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in content[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", content, count=1)
    return content


def _parse_bytes(content: str) -> etree._Element | None:
    try:
        return lxml.html.fromstring(content.encode("utf8", "surrogatepass"), parser=_TRAFILATURA_PARSER)
    except Exception:  # as trafilatura.utils.fromstring_bytes
        return None


def extract_story(root: etree._Element, source_url: str | None) -> list[str]:
    """Story lines (paragraphs, "- " list items, "| " table rows) chosen by trafilatura on the untouched tree
    (it works on its own copy); [] when it finds no story."""
    doc = trafilatura.bare_extraction(root, url=source_url, **STORY_OPTIONS)
    body = getattr(doc, "body", None)
    if body is None:
        return []
    for table in body.findall(".//table"):
        if table.find("./row/cell/*") is not None and _is_layout_table(table):
            _unwrap_layout_table(table)
    return xmltotxt(body, False).split("\n")


_BLOCK_OUTPUT = ("p", "head", "list", "quote", "table", "code")
_SENTENCE_END = (".", "!", "?", "。", "！", "？", "»", '"', "”")
_MAX_CHROME_WORDS = 12
_MIN_LAYOUT_CELL_CHARS = 200


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout: a cell holds a story (two or more paragraphs or headings with
    `_MIN_LAYOUT_CELL_CHARS` of text); a data table holds values, at most a short note in a paragraph."""
    for cell in table.iterfind("./row/cell"):
        blocks = [child for child in cell if child.tag in _BLOCK_OUTPUT]
        if len(blocks) >= 2 and sum(len("".join(b.itertext())) for b in blocks) >= _MIN_LAYOUT_CELL_CHARS:
            return True
    return False


def _unwrap_layout_table(table: etree._Element) -> None:
    """Replace a layout table in trafilatura's output by its cells' blocks, so the story in one cell does not
    come out as one "| … | … |" line with the navigation cell beside it (shared case 13). Cells without
    blocks become a paragraph, except short ones with no sentence in them (menus, "Home Archive About")."""
    blocks: list[etree._Element] = []
    for cell in table.iterfind("./row/cell"):
        if any(child.tag in _BLOCK_OUTPUT for child in cell):
            if cell.text and cell.text.strip():
                para = etree.Element("p")
                para.text = cell.text
                blocks.append(para)
            blocks.extend(cell)
            continue
        text = " ".join("".join(cell.itertext()).split())
        if text and (text.endswith(_SENTENCE_END) or len(text.split()) > _MAX_CHROME_WORDS):
            para = etree.Element("p")
            para.text = text
            blocks.append(para)
    parent = table.getparent()
    if parent is None:
        return
    at = parent.index(table)
    tail = table.tail
    parent.remove(table)
    for n, block in enumerate(blocks):  # moved blocks keep their tails: loose text of the cell
        parent.insert(at + n, block)
    if blocks and tail and tail.strip():
        blocks[-1].tail = (blocks[-1].tail or "") + tail


def extract_story_cheaply(root: etree._Element) -> list[str]:
    """Every block's text, in order: linear in the page, for trees trafilatura would take minutes on."""
    for bad in list(root.iter(*_NOT_STORY)):
        if bad.getparent() is not None:
            bad.getparent().remove(bad)
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    text: str = etree.tostring(root, method="text", encoding="unicode")
    return text.split("\n")
