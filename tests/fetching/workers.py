"""Code run in child processes by the multi-process tests and benchmarks (importable under spawn)."""

from __future__ import annotations

import json
import resource
import sys


def fetch_many(settings_json: str, urls: list[str]) -> None:
    from service.fetching import fetch_page
    from service.settings import Settings

    settings = Settings.model_validate_json(settings_json)
    for url in urls:
        fetch_page(url, settings)


def peak_rss_after(settings_json: str, url: str | None) -> None:
    """Prints {"error": type, "peak_kb": VmHWM, "ru_maxrss_kb"}; with url=None it only imports (the baseline)."""
    from service.fetching import FetchError, fetch_page
    from service.settings import Settings

    error = None
    if url is not None:
        try:
            fetch_page(url, Settings.model_validate_json(settings_json))
        except FetchError as exc:
            error = exc.type
    print(
        json.dumps(
            {"error": error, "peak_kb": _peak_kb(), "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
        )
    )


def _peak_kb() -> int:
    # VmHWM belongs to this process's own address space. ru_maxrss does not: Linux carries the parent's
    # high-water mark over fork/exec, so under a large pytest parent it reports the parent, not us.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    peak_rss_after(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
