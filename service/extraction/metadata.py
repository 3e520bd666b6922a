"""Page metadata from meta tags, JSON-LD and a few markup conventions (cheap XPath, no date guessing)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from lxml import etree

from .text import normalize_line

_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·•:»]\s+")
_MAX_JSONLD_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None  # UTC
    published_at_offset: str | None = None  # the page's own offset, e.g. "+05:00"
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()


def extract_metadata(root: etree._Element, source_url: str | None) -> PageMetadata:
    meta = _meta_tags(root)
    ld = _json_ld(root)
    site = _first(meta.get("og:site_name"), _ld_name(ld.get("publisher")), meta.get("application-name"))
    canonical = _first(_attr(root, "//link[@rel='canonical']/@href"), meta.get("og:url"), source_url)
    if canonical and source_url:
        canonical = urljoin(source_url, canonical)
    published, offset = parse_datetime(_first(
        meta.get("article:published_time"), ld.get("datePublished"), meta.get("datepublished"),
        meta.get("pubdate"), meta.get("date"), meta.get("dc.date"), meta.get("dc.date.issued"),
        meta.get("og:published_time"), meta.get("sailthru.date"), _attr(root, "//*[@itemprop='datePublished']/@content"),
        _attr(root, "//time[@datetime][1]/@datetime")))
    image = _first(meta.get("og:image"), meta.get("twitter:image"), _ld_image(ld.get("image")))
    return PageMetadata(
        title=_title(root, meta, ld, site),
        authors=_authors(root, meta, ld),
        published_at=published,
        published_at_offset=offset,
        description=_first(meta.get("description"), meta.get("og:description"), meta.get("twitter:description")),
        site_name=site,
        canonical_url=canonical,
        image_url=urljoin(canonical or "", image) if image else None,
        tags=_tags(root, meta, ld),
    )


def _meta_tags(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        value = normalize_line(m.get("content") or "")
        if key and value:
            out.setdefault(key, value)
            if key in ("article:tag", "article:author", "author"):
                out[key + "[]"] = out.get(key + "[]", "") + "\x1f" + value
    return out


def _json_ld(root: etree._Element) -> dict:
    """The first Article-like object of the page's JSON-LD, or {}."""
    for script in root.iterfind(".//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report")) for k in kinds):
                    return node
                stack.extend(node.get("@graph", []) if isinstance(node.get("@graph"), list) else [])
    return {}


def _title(root, meta, ld, site) -> str | None:
    raw = _first(meta.get("og:title"), _str(ld.get("headline")), meta.get("twitter:title"))
    h1 = root.xpath("//h1")
    if not raw and len(h1) == 1:
        raw = normalize_line(h1[0].text_content())
    if not raw:
        raw = normalize_line(root.findtext(".//title") or "")
    return strip_site_suffix(raw, site) if raw else None


def strip_site_suffix(title: str, site: str | None) -> str:
    """Drop " - Site Name" / " | Site" from a title: the known site name, or a short last part."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1]
    if site and (site.casefold() in last.casefold() or last.casefold() in site.casefold()):
        return title[: title.rfind(last)].rstrip(" -|–—·•:»")
    if len(last) <= 30 and len(last) * 3 < len(title) - len(last):
        return title[: title.rfind(last)].rstrip(" -|–—·•:»")
    return title


def _authors(root, meta, ld) -> tuple[str, ...]:
    names: list[str] = []
    ld_author = ld.get("author")
    for a in ld_author if isinstance(ld_author, list) else [ld_author]:
        name = _ld_name(a)
        if name:
            names.append(name)
    if not names:
        for key in ("author[]", "article:author[]"):
            for value in meta.get(key, "").split("\x1f"):
                if value and not value.startswith("http"):
                    names.extend(re.split(r"\s*(?:;|,| and | & )\s*", value))
            if names:
                break
    if not names:
        names = [normalize_line(a.text_content()) for a in root.xpath("//a[@rel='author'] | //*[@itemprop='author']")]
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip() and len(n) < 100))


def _tags(root, meta, ld) -> tuple[str, ...]:
    tags = [t for t in meta.get("article:tag[]", "").split("\x1f") if t]
    keywords = ld.get("keywords") or meta.get("keywords") or meta.get("news_keywords")
    if not tags and keywords:
        tags = keywords if isinstance(keywords, list) else re.split(r"\s*,\s*", str(keywords))
    section = meta.get("article:section") or _str(ld.get("articleSection"))
    if section:
        tags.append(section)
    return tuple(dict.fromkeys(normalize_line(str(t)) for t in tags if str(t).strip()))[:50]


def parse_datetime(value: str | None) -> tuple[datetime | None, str | None]:
    """ISO 8601 (and 'YYYY-MM-DD HH:MM:SS+0500') to (UTC datetime, original offset or None)."""
    if not value:
        return None, None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = re.match(r"\d{4}-\d{2}-\d{2}", text)
        if not match:
            return None, None
        parsed = datetime.fromisoformat(match.group(0))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc), None
    offset = parsed.strftime("%z")
    return parsed.astimezone(timezone.utc), f"{offset[:3]}:{offset[3:]}"


def _attr(root, xpath: str) -> str | None:
    values = root.xpath(xpath)
    return normalize_line(str(values[0])) if values else None


def _first(*values) -> str | None:
    return next((v for v in values if isinstance(v, str) and v.strip()), None)


def _str(value) -> str | None:
    return normalize_line(value) if isinstance(value, str) else None


def _ld_name(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return normalize_line(value) if isinstance(value, str) and value.strip() else None


def _ld_image(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url")
    return value if isinstance(value, str) else None
