"""The story after trafilatura: take out what the sidebar finder found, without changing trafilatura's choice
of story container (issue 11: removing sidebars before trafilatura ran made it pick another container)."""
from __future__ import annotations

from .promo import is_promo_line
from .sidebar_headings import is_heading_only, normalize_heading
from .text import strip_bullet
from .types import Sidebar


def _key(text: str) -> str:
    return normalize_heading(strip_bullet(text.strip().lstrip("|").strip()))


def remove_sidebar_lines(lines: list[str], sidebars: tuple[Sidebar, ...]) -> list[str]:
    """`lines` without those that are a sidebar's heading or item, alone or as "Heading: item".

    Lines are compared after `normalize_heading` (case, punctuation, apostrophes) and bullet stripping, so
    "- Item", "Item." and "READ ALSO: Item" all match. Lines of other text stay, whatever their words.
    """
    if not sidebars:
        return lines
    drop: set[str] = set()
    headings: set[str] = set()
    for sidebar in sidebars:
        items = {_key(i.text) for i in sidebar.items} - {""}
        drop |= items
        if sidebar.heading:
            head = _key(sidebar.heading)
            headings.add(head)
            drop |= {f"{head} {item}" for item in items}
    keys = [_key(line) for line in lines]
    gone = [k in drop for k in keys]
    for n, k in enumerate(keys):
        # a heading line goes only where removed items follow it
        if k in headings and not gone[n]:
            nxt = next((m for m in range(n + 1, len(keys)) if keys[m]), None)
            gone[n] = nxt is not None and gone[nxt]
    return [line for line, g in zip(lines, gone, strict=True) if not g]


def clean_story_lines(lines: list[str], sidebars: tuple[Sidebar, ...]) -> list[str]:
    """Story lines without the sidebars' lines, promo/subscribe lines and lone sidebar headings
    ("Read more:" left behind when the extractor dropped the list under it)."""
    lines = remove_sidebar_lines(lines, sidebars)
    return [line for line in lines if not is_promo_line(line) and not is_heading_only(strip_bullet(line))]
