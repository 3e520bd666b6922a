"""JSON-LD: the page's main creative-work node (an Article of any kind, a SocialMediaPosting, a Report...).

Hostile blocks are bounded: a block over 1 MB is skipped, at most 20 blocks and 5,000 nodes are looked at,
CDATA and HTML-comment wrappers are removed, and a block that is not valid JSON is skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

JsonObject = dict[str, Any]  # one JSON-LD node
_MAX_BLOCK_CHARS = 1_000_000
_MAX_BLOCKS = 20
_MAX_NODES = 5_000
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_MAIN_KINDS = re.compile(r"Article|Posting|Report|BlogPosting|LiveBlog|Review|Recipe|CreativeWork", re.IGNORECASE)
_NOT_MAIN = frozenset(
    {
        "WebSite",
        "Organization",
        "NewsMediaOrganization",
        "Person",
        "BreadcrumbList",
        "ImageObject",
        "SiteNavigationElement",
        "ListItem",
        "SearchAction",
        "VideoObject",
    }
)
_SCRIPTS = etree.XPath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]")


def json_ld_nodes(root: etree._Element) -> list[JsonObject]:
    """Every JSON object of the page's JSON-LD blocks (flattened @graph and lists), in document order."""
    nodes: list[JsonObject] = []
    for script in _SCRIPTS(root)[:_MAX_BLOCKS]:
        raw = script.text or ""
        if not raw.strip() or len(raw) > _MAX_BLOCK_CHARS:
            continue
        try:
            data = json.loads(_WRAPPER.sub("", raw.strip()), strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(nodes) < _MAX_NODES:
            node = stack.pop(0)
            if isinstance(node, list):
                stack[:0] = node[:_MAX_NODES]
            elif isinstance(node, dict):
                nodes.append(node)
                graph = node.get("@graph")
                if isinstance(graph, list):
                    stack[:0] = graph[:_MAX_NODES]
    return nodes


def main_node(nodes: list[JsonObject]) -> JsonObject:
    """The node describing the page's story: the first of an article-like type with a headline, author or
    datePublished; else the first node of any other content type with a headline or datePublished; else {}."""
    fallback: JsonObject = {}
    for node in nodes:
        kinds = [k for k in _kinds(node) if isinstance(k, str)]
        useful = any(key in node for key in ("headline", "author", "datePublished"))
        if not useful or (kinds and all(k in _NOT_MAIN for k in kinds)):
            continue
        if any(_MAIN_KINDS.search(k) for k in kinds):
            return node
        if not fallback and ("headline" in node or "datePublished" in node):
            fallback = node
    return fallback


def _kinds(node: JsonObject) -> list[Any]:
    kind = node.get("@type")
    return kind if isinstance(kind, list) else [kind]


def names(value: Any, nodes: list[JsonObject], limit: int = 50) -> list[str]:
    """Names from a JSON-LD author/publisher value: a string, {"name"}, {"@id"} pointing at another node, or a
    list of those."""
    by_id = None
    out: list[str] = []
    for item in (value if isinstance(value, list) else [value])[:limit]:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            if by_id is None:
                by_id = {n.get("@id"): n for n in nodes if isinstance(n.get("@id"), str)}
            item = by_id.get(item["@id"], item)
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, list):
            item = item[0] if item else None
        if isinstance(item, str) and item.strip():
            out.append(item)
    return out


def text(value: Any) -> str | None:
    """A JSON-LD scalar as text (first of a list), or None."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) and value.strip() else None
