"""Warming a new process's extraction pipeline before it takes work: one home for what a warm-up runs.

Loading is not the only first-use cost. dateparser builds each locale's word-split and simplification regexes
the first time it tests the locale on a line (`_get_applicable_locales`), and the pipeline's visible-dateline
search tries up to 20 locales: on the first 60 benchmark pages a fresh process spent 0.31-0.45 s more than on the
same pages again (+25-33%, `python benchmarks/end_to_end.py` showed worker pool processes at 35 ms per article
against the warmed ceiling's 23 ms). A dateline no locale accepts makes dateparser build them all, once (~0.3 s).

A process warms up once: a process forked from a warm one (a worker's pool children, see workers/process.py)
inherits the warm state and its `warm_up()` returns at once.
"""

from __future__ import annotations

from .pipeline import extract_document

_WARM_TEXT = "Warm-up\nA line of text that makes the pipeline load its models once per process."
_WARM_PAGE = (
    "<html><head><title>Warm-up</title><meta property='article:published_time' content='2026-01-02'></head>"
    "<body><article><h1>Warm-up</h1><p>A short paragraph of story text, in English, to load every stage.</p>"
    "<p>Published 2 January 2026.</p></article></body></html>"
)
# The first has a word no locale knows, so every locale of the dateline search is tested (and its regexes built);
# the others take the paths a real Russian and English dateline take.
_WARM_DATELINES = ("zqxv 12.11.2024 10:15", "18 апреля 2024, 09:30", "Published: Tuesday | April 26, 2022 | 9:52 PM")


_warm = False  # set by warm_up(); inherited by a forked child


def warm_up() -> bool:
    """Run the text and HTML paths once and build dateparser's locale data for the dateline search, so that the
    first documents of this process cost what later ones do. ~0.5-1 s of CPU the first time in a process (or
    its forked ancestor); then nothing. Returns True when it did the work, False when the process was warm
    already. Raises what extract_document raises (nothing on these inputs)."""
    global _warm
    if _warm:
        return False
    from .metadata_dates import is_calendar_word, parse_dateline

    extract_document(_WARM_TEXT, "text")
    extract_document(_WARM_PAGE, "html", source_url="https://example.org/2026/01/02/warm-up")
    for line in _WARM_DATELINES:
        parse_dateline(line)
    is_calendar_word("Wednesday")  # the day and month names of every locale, built once
    _warm = True
    return True
