"""Done-when figure: a gzip bomb keeps the fetching process's peak memory under 150 MB."""

from __future__ import annotations

from .bomb import gzip_bomb, peak_rss_kb
from .servers import respond


def test_gzip_bomb_peak_memory(site, make_settings):
    bomb = gzip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    site.routes["/bomb"] = lambda h: respond(h, 200, bomb, {"Content-Encoding": "gzip"})
    settings = make_settings(site, respect_robots=False, fetch_max_bytes=5 * 1024 * 1024)
    baseline = peak_rss_kb(settings, None)
    bombed = peak_rss_kb(settings, site.url("/bomb"))
    assert bombed["error"] == "too_large"
    assert bombed["peak_kb"] < 150 * 1024
    assert bombed["peak_kb"] < baseline["peak_kb"] * 1.5, (baseline, bombed)
