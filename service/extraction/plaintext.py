"""Plain-text input: the first non-empty line is the title (unless it is longer than limits.MAX_TITLE_CHARS:
then it is the first paragraph, and there is no title), every other line a paragraph, except the lists
that are not the story: a table heading line followed by headline lines (with "- ", "• " or no bullet), a
one-line insert ("Читайте также: <headline>"), or an unseen heading over a bulleted headline run that closes
the text. A bulleted run with no heading, or under a line that introduces it ("… include —", "…:"), is the
story's own list (shared case 03)."""

from __future__ import annotations

from .limits import MAX_TITLE_CHARS
from .sidebar_headings import is_sidebar_heading, split_inline_heading
from .text import has_bullet, is_headline_like, normalize_line, strip_bullet
from .types import Sidebar, SidebarItem

_MAX_HEADING_CHARS = 80
_MIN_ITEMS_TABLE_HEADING = 1  # "Read also:" over a single headline is a one-item sidebar
_MIN_ITEMS_OTHERWISE = 3  # an unknown heading: only bulleted runs this long
_INTRO_ENDINGS = (":", "：", "—", "–", "-", "…")  # a line ending so introduces the list that follows


def extract_plaintext(text: str) -> tuple[str | None, list[str], tuple[Sidebar, ...]]:
    lines = [normalize_line(line) for line in text.splitlines()]
    start = next((i for i, line in enumerate(lines) if line), None)
    if start is None:
        return None, [], ()
    if len(lines[start]) > MAX_TITLE_CHARS:  # too long for a headline: story text, kept whole
        title, lines = None, lines[start:]
    else:
        title, lines = lines[start], lines[start + 1 :]
    body: list[str] = []
    sidebars: list[Sidebar] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end, sidebar = _sidebar_at(lines, i)
        if sidebar is not None:
            sidebars.append(sidebar)
            i = end
            continue
        if line:
            body.append(line)
        i += 1
    return title, body, tuple(sidebars)


def _sidebar_at(lines: list[str], i: int) -> tuple[int, Sidebar | None]:
    line = lines[i]
    if not line:
        return i, None
    inline = split_inline_heading(strip_bullet(line))
    if inline is not None and is_headline_like(inline[1]):
        return i + 1, Sidebar(_heading(inline[0]), (SidebarItem(inline[1], None),))
    if len(line) <= _MAX_HEADING_CHARS and is_sidebar_heading(strip_bullet(line)):
        end, items = _headline_run(lines, i + 1, bulleted_only=False)
        if len(items) >= _MIN_ITEMS_TABLE_HEADING:
            return end, Sidebar(_heading(line), items)
        return i, None
    if is_headline_like(line) and not has_bullet(line) and not line.endswith(_INTRO_ENDINGS):
        # an unseen heading over a bulleted headline run that closes the text
        end, items = _headline_run(lines, i + 1, bulleted_only=True)
        if len(items) >= _MIN_ITEMS_OTHERWISE and all(not x for x in lines[end:]):
            return end, Sidebar(_heading(line), items)
    return i, None


def _headline_run(lines: list[str], j: int, *, bulleted_only: bool) -> tuple[int, tuple[SidebarItem, ...]]:
    items: list[SidebarItem] = []
    while j < len(lines):
        line = lines[j]
        if not line:
            nxt = next((k for k in range(j + 1, len(lines)) if lines[k]), None)
            if items or nxt is None or not _is_item(lines[nxt], bulleted_only):
                break  # a blank line ends a started list; before the first item it is allowed
            j = nxt
            continue
        if not _is_item(line, bulleted_only):
            break
        items.append(SidebarItem(strip_bullet(line), None))
        j += 1
    return j, tuple(items)


def _is_item(line: str, bulleted_only: bool) -> bool:
    return (has_bullet(line) or not bulleted_only) and is_headline_like(strip_bullet(line))


def _heading(line: str) -> str:
    return strip_bullet(line).rstrip(":：-–— ").strip()
