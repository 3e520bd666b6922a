"""A warmed process builds no dateparser locale data in its first documents: the warm-up (extraction/warm.py)
made dateparser build every dateline locale's word-split regexes, which a fresh process otherwise built during
its first pages (+25-33% CPU on the first 60 benchmark pages)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.support.processes import REPO

# Datelines in several of the dateline search's languages, none of them the warm-up's own.
PROBE = textwrap.dedent(
    """
    import sys
    from dateparser.languages.dictionary import Dictionary
    from service.extraction.metadata_dates import parse_dateline
    if sys.argv[1] == "warm":
        from service.extraction.warm import warm_up
        warm_up()
    built = []
    original = Dictionary._construct_split_regex
    def counting(self):
        built.append(self)
        return original(self)
    Dictionary._construct_split_regex = counting
    for line in ("12 марта 2025, 10:15", "5 Mart 2024 14:00", "3 septembre 2023 08:00", "7. Mai 2022 um 09:30",
                 "2024 жылғы 5 наурыз 11:20", "Updated March 3, 2021 at 7:05 pm"):
        parse_dateline(line)
    print(len(built))
    """
)


def _locales_built_after(mode: str) -> int:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, mode], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )
    return int(run.stdout.split()[-1])


def test_a_warmed_process_builds_no_locale_data_in_its_first_datelines():
    assert _locales_built_after("cold") > 0  # or this probe proves nothing about the warm-up
    assert _locales_built_after("warm") == 0
