#!/usr/bin/env python3
"""Independent page sets: the pipeline beside plain trafilatura on other projects' test pages, one run.

    python benchmarks/external_sets.py [--readability DIR] [--newspaper4k DIR] [--goose3 DIR] [--lingua DIR]
                                       [--postlight DIR] [--show N]

No rule of this project was written on these pages, so they check what the tuned sets cannot (issue 11: "measure
on broad real data, not on the cases you tuned"). Their files are other projects' test data and are not
committed here; give the folders of local checkouts (any one is enough):
- `--readability`: mozilla/readability's `test/test-pages` (130 pages: `source.html`, `expected.html`,
  `expected-metadata.json`);
- `--newspaper4k`: AndyTheFactory/newspaper4k's `tests/data` (`html/*.html`, `txt/*.txt`, `metadata/*.json`);
- `--goose3`: goose3/goose3's `tests/data/content` (`*.html` with `*.json` whose `cleaned_text` is the start of the
  story);
- `--postlight`: a checkout of postlight/parser (its `fixtures/*.html` and the first test case of each
  `src/extractors/custom/<site>/index.test.js`: the page's URL and the title, author, date_published and first
  13 words of the content its site-specific extractor must give; 141 sites, 40 of them Japanese). The fixtures
  were saved through that parser: their <meta> tags hold `value=` where pages have `content=`, so the pages
  declare no og:title, author or date to either extractor here;
- `--lingua`: pemistahl/lingua-py's `language-testdata/sentences` (`<ISO 639-1>.txt`, one sentence a line, 75
  languages): the language field alone, on single sentences (headline length), the first `--sentences` of each.

Body: readability's `expected.html` text is scored with the 181-page set's metric (`score.py`: 4-token shingles,
precision and recall averaged over pages); newspaper4k's `txt` (that library's own output, not a human label) as
bags of words (F1, mean per page); goose3's beginnings as the share of their words found in title + body (a page
counts at 95%). Metadata, readability and newspaper4k: the byline (every name the pipeline gives is in the
expected byline or author list), the publication day (in the page's own time), the language (ISO 639-1 against
the page's `lang`).
Plain trafilatura is `trafilatura.extract(page_bytes)` for the body and `bare_extraction(page_bytes,
with_metadata=True)` for metadata. --show N lists the N pages where the pipeline's body trails trafilatura most.
An unreadable page (a missing or non-UTF-8 file, JSON that is no object) is skipped with a line on stderr; a
folder without one page of its layout is a usage error (exit 2).
postlight: title as for the labelled pages (equal after NFKC, quote folding, case folding), byline as above
against the author string, the day (the expected UTC instant moved by any offset from -12:00 to +14:00 falls on
the extractor's day: a Japanese "2019-03-04T15:00Z" is 5 March in Tokyo), and the story's start (a run of six
of its first 13 words in the body).
Language on lingua's sentences: the pipeline's `detect_language` beside CLD2 and fastText alone
(`language_accuracy.detectors`); printed for the region's languages, overall, and where the pipeline trails the
better library by more than 1% of a language's sentences.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html
import trafilatura
from extraction_quality import BENCH, Outcome, Page, run_pipeline, run_trafilatura

_WORD = re.compile(r"\w+")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "pre", "blockquote")


class LayoutError(Exception):
    """A folder that holds no page of the layout asked for."""


# What one unreadable page raises: a missing or non-UTF-8 file, JSON that is not an object, a broken document
_BAD_PAGE = (OSError, ValueError, TypeError, AttributeError, KeyError)


def _skip(path: Path, exc: Exception) -> None:
    print(f"  skipped {path}: {type(exc).__name__}: {str(exc)[:120]}", file=sys.stderr)


def _json_object(path: Path) -> dict:
    value = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _need(pages: int, folder: Path, layout: str) -> None:
    if not pages:
        raise LayoutError(f"no page of the {layout} layout under {folder}")


def _score_module():
    spec = importlib.util.spec_from_file_location("bench_score", BENCH / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").replace("\u2019", "'").split()).casefold()


def _bag_f1(truth: str, pred: str) -> tuple[float, float, float]:
    t, p = Counter(_WORD.findall(truth.lower())), Counter(_WORD.findall(pred.lower()))
    tp = sum((t & p).values())
    precision, recall = tp / max(1, sum(p.values())), tp / max(1, sum(t.values()))
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def _html_text(path: Path) -> str:
    root = lxml.html.fromstring(path.read_bytes())
    for el in root.iter(_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()


def _traf_meta(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.bare_extraction(data, with_metadata=True)


class Tally:
    """Counts of one metadata field: (pages with a label, pipeline right, trafilatura right)."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, field: str, pipeline: bool, traf: bool | None) -> None:
        row = self.counts.setdefault(field, [0, 0, 0])
        row[0] += 1
        row[1] += pipeline
        row[2] += bool(traf)

    def lines(self) -> Iterator[str]:
        for field, (n, pipe, traf) in self.counts.items():
            other = "trafilatura detects none" if field == "language" else f"trafilatura {traf}/{n}"
            yield f"  {field:10s} pipeline {pipe}/{n}   {other}"


def _byline_ok(names: tuple[str, ...] | list[str], expected: str) -> bool:
    return bool(names) and all(_norm(n) in expected for n in names)


def _local_day(article) -> str:
    """The publication day in the page's own time (published_at is UTC; published_at_offset "+09:00" or None)."""
    offset = article.published_at_offset
    if not offset:
        return article.published_at.date().isoformat()
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = (int(x) for x in offset[1:].split(":"))
    return (article.published_at + sign * timedelta(hours=hours, minutes=minutes)).date().isoformat()


def _metadata(tally: Tally, page: Page, article, expected: dict) -> None:
    traf = None
    byline = expected.get("byline") or ", ".join(expected.get("authors") or [])
    day = (expected.get("publishedTime") or expected.get("publish_date") or "")[:10]
    if byline or day:
        traf = _traf_meta(page.data)
    if byline:
        traf_names = [n for n in (traf.author or "").split("; ") if n] if traf is not None else []
        tally.add(
            "byline",
            article is not None and _byline_ok(article.authors, _norm(byline)),
            _byline_ok(traf_names, _norm(byline)),
        )
    if day:
        got = _local_day(article) if article is not None and article.published_at else ""
        tally.add("day", got == day, traf is not None and (traf.date or "")[:10] == day)
    lang = (expected.get("lang") or expected.get("language") or "").split("-")[0].lower()
    if lang:
        tally.add("language", article is not None and article.language == lang, None)


def readability(folder: Path, show: int) -> None:
    score = _score_module()
    rows: dict[str, list] = {"pipeline": [], "trafilatura": []}
    per_page = []
    tally = Tally()
    for d in sorted(p for p in folder.iterdir() if (p / "source.html").exists()):
        try:
            truth = _html_text(d / "expected.html")
            meta = d / "expected-metadata.json"
            expected = _json_object(meta) if meta.exists() else None
            page = Page("readability", d.name, (d / "source.html").read_bytes())
        except _BAD_PAGE as exc:
            _skip(d, exc)
            continue
        outs: dict[str, Outcome] = {"pipeline": run_pipeline(page), "trafilatura": run_trafilatura(page)}
        for name, out in outs.items():
            rows[name].append(score.page_counts(truth, out.text))
        per_page.append((d.name, *(_bag_f1(truth, outs[n].text)[2] for n in outs)))
        if expected is not None:
            _metadata(tally, page, outs["pipeline"].article, expected)
    _need(len(per_page), folder, "readability (<page>/source.html and expected.html)")
    print(f"mozilla/readability test pages: {len(per_page)}")
    for name, r in rows.items():
        f1, precision, recall = score.aggregate(r)
        print(f"  body {name:12s} shingle F1 {f1:.4f} (precision {precision:.4f}, recall {recall:.4f})")
    print("\n".join(tally.lines()))
    _show(per_page, show)


def newspaper4k(folder: Path, show: int) -> None:
    per_page = []
    tally = Tally()
    pages = sorted((folder / "html").glob("*.html"))
    _need(len(pages), folder, "newspaper4k (html/*.html, txt/*.txt, metadata/*.json)")
    for html in pages:
        try:
            meta_path = folder / "metadata" / f"{html.stem}.json"
            expected = _json_object(meta_path) if meta_path.exists() else {}
            txt = folder / "txt" / f"{html.stem}.txt"
            truth = txt.read_text(encoding="utf-8") if txt.exists() else None
            page = Page("newspaper4k", html.stem, html.read_bytes(), url=expected.get("url"))
        except _BAD_PAGE as exc:
            _skip(html, exc)
            continue
        pipe = run_pipeline(page)
        if truth is not None:
            per_page.append((html.stem, _bag_f1(truth, pipe.text)[2], _bag_f1(truth, run_trafilatura(page).text)[2]))
        if expected:
            _metadata(tally, page, pipe.article, expected)
    print(f"newspaper4k test pages: {len(per_page)} with a text")
    for n, name in enumerate(("pipeline", "trafilatura"), start=1):
        print(f"  body {name:12s} bag-of-words F1, mean {sum(p[n] for p in per_page) / max(1, len(per_page)):.4f}")
    print("\n".join(tally.lines()))
    _show(per_page, show)


def goose3(folder: Path, show: int) -> None:
    per_page = []
    for meta in sorted(folder.glob("*.json")):
        html = meta.with_suffix(".html")
        try:
            expected = _json_object(meta)
            start = (expected.get("expected") or {}).get("cleaned_text") or ""
            if not start.strip() or not html.exists():
                continue
            page = Page("goose3", meta.stem, html.read_bytes(), url=expected.get("url"))
        except _BAD_PAGE as exc:
            _skip(meta, exc)
            continue
        pipe = run_pipeline(page)
        title = pipe.article.title if pipe.article is not None and pipe.article.title else ""
        per_page.append(
            (meta.stem, _bag_f1(start, f"{title}\n{pipe.text}")[1], _bag_f1(start, run_trafilatura(page).text)[1])
        )
    _need(len(per_page), folder, "goose3 content (<name>.html with <name>.json holding expected.cleaned_text)")
    print(f"goose3 content pages: {len(per_page)}")
    for n, name in enumerate(("pipeline", "trafilatura"), start=1):
        found = sum(p[n] >= 0.95 for p in per_page)
        mean = sum(p[n] for p in per_page) / max(1, len(per_page))
        print(f"  body {name:12s} beginning found (95% of its words) {found}/{len(per_page)}, mean share {mean:.4f}")
    _show(per_page, show)


_JS_STRING = r"""(?P<q>['"`])(?P<v>(?:\\.|(?!(?P=q)).)*)(?P=q)"""


def _js_string(value: str) -> str:
    """A JavaScript string literal's text: escapes read, "' + '" joins dropped."""
    value = re.sub(r"'\s*\+\s*'", "", value)
    return value.encode("latin-1", "backslashreplace").decode("unicode_escape")


def _postlight_cases(folder: Path) -> Iterator[tuple[str, Path, dict]]:
    """(site, fixture path, {url, title, author, date_published, first13}) of each custom extractor's first test."""
    for test in sorted((folder / "src" / "extractors" / "custom").glob("*/index.test.js")):
        source = test.read_text(encoding="utf-8")
        fixture = re.search(r"readFileSync\(\s*['\"]\./fixtures/([^'\"]+)['\"]", source)
        if not fixture:
            continue
        second = source.find("readFileSync", fixture.end())
        block = source[: second if second > 0 else len(source)]  # the first case only
        expected: dict = {}
        url = re.search(r"url\s*=\s*" + _JS_STRING, block, re.S)
        expected["url"] = _js_string(url.group("v")) if url else None
        for field in ("title", "author", "date_published", "first13"):
            found = re.search(rf"assert\.(?:equal|strictEqual)\(\s*{field}\s*,\s*" + _JS_STRING, block, re.S)
            if found:
                expected[field] = _js_string(found.group("v"))
        yield test.parent.name, folder / "fixtures" / fixture.group(1), expected


def _day_within_offsets(day: str | None, instant: str) -> bool:
    try:
        moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return False
    return bool(day) and any(
        (moment + timedelta(minutes=m)).date().isoformat() == day for m in range(-12 * 60, 14 * 60 + 1, 60)
    )


def _starts_story(first13: str, body: str) -> bool:
    words, text = _WORD.findall(_norm(first13)), " " + " ".join(_WORD.findall(_norm(body))) + " "
    return any(" " + " ".join(words[i : i + 6]) + " " in text for i in range(len(words) - 5))


def postlight(folder: Path, show: int) -> None:
    tally = Tally()
    pages = 0
    for site, path, expected in _postlight_cases(folder):
        try:
            page = Page("postlight", site, path.read_bytes(), url=expected.get("url"))
        except _BAD_PAGE as exc:
            _skip(path, exc)
            continue
        pages += 1
        pipe = run_pipeline(page)
        article = pipe.article
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            traf = trafilatura.bare_extraction(page.data, with_metadata=True, url=page.url)
        if expected.get("title"):
            want = _norm(expected["title"])
            tally.add(
                "title",
                article is not None and _norm(article.title) == want,
                traf is not None and _norm(traf.title) == want,
            )
        if expected.get("author"):
            traf_names = [n for n in (traf.author or "").split("; ") if n] if traf is not None else []
            want = _norm(expected["author"])
            tally.add("byline", article is not None and _byline_ok(article.authors, want), _byline_ok(traf_names, want))
        if expected.get("date_published"):
            got = _local_day(article) if article is not None and article.published_at else None
            tally.add(
                "day",
                _day_within_offsets(got, expected["date_published"]),
                traf is not None and _day_within_offsets((traf.date or "")[:10], expected["date_published"]),
            )
        if len(_WORD.findall(expected.get("first13") or "")) >= 6:
            tally.add(
                "start",
                _starts_story(expected["first13"], pipe.text),
                _starts_story(expected["first13"], run_trafilatura(page).text),
            )
    _need(pages, folder, "postlight/parser (fixtures/*.html, src/extractors/custom/*/index.test.js)")
    print(f"postlight/parser fixtures: {pages}")
    print("\n".join(tally.lines()))


# The languages newsrooms of Central Asia and the Caucasus publish in, and the major ones (the brief); lingua has
# no ky, uz or tg sentences
_REGION = ("kk", "ky", "uz", "tg", "hy", "ka", "az", "mn", "ru", "uk", "tr", "en", "de", "fr", "es", "pt", "it")
_MAJOR = ("ko", "ja", "zh", "ar", "fa")


def lingua(folder: Path, sentences: int) -> None:
    from language_accuracy import detectors

    from service.extraction.language import detect_language, language_sample

    libraries = {name: fn for name, fn in detectors().items() if name in ("cld2", "fasttext")}
    rows = []
    for path in sorted(folder.glob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8")
        except _BAD_PAGE as exc:
            _skip(path, exc)
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()][:sentences]
        if not lines:
            continue
        right = Counter()
        for line in lines:
            right["pipeline"] += detect_language(language_sample(None, line))[0] == path.stem
            for name, fn in libraries.items():
                right[name] += fn(line) == path.stem
        rows.append((path.stem, len(lines), right))
    _need(len(rows), folder, "lingua (<ISO 639-1>.txt, one sentence a line)")
    names = ["pipeline", *libraries]
    total = sum(n for _, n, _ in rows)
    print(f"lingua sentences: {total} in {len(rows)} languages")
    print("  all        " + "   ".join(f"{x} {sum(r[x] for _, _, r in rows) / max(1, total):.4f}" for x in names))
    for lang, n, right in rows:
        trails = max((right[x] for x in libraries), default=0) - right["pipeline"] > n / 100
        if lang in _REGION + _MAJOR or trails:
            mark = "   (trails a library)" if trails else ""
            print(f"  {lang:10s} " + "   ".join(f"{x} {right[x] / n:.3f}" for x in names) + mark)


def _show(per_page: list[tuple[str, float, float]], show: int) -> None:
    for name, pipe, traf in sorted(per_page, key=lambda p: p[1] - p[2])[:show]:
        print(f"    {name:45s} pipeline {pipe:.3f}  trafilatura {traf:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readability", type=Path, help="mozilla/readability's test/test-pages")
    parser.add_argument("--newspaper4k", type=Path, help="newspaper4k's tests/data")
    parser.add_argument("--goose3", type=Path, help="goose3's tests/data/content")
    parser.add_argument("--lingua", type=Path, help="lingua-py's language-testdata/sentences")
    parser.add_argument("--postlight", type=Path, help="a checkout of postlight/parser (fixtures/, src/)")
    parser.add_argument("--sentences", type=int, default=300, help="sentences read per language (lingua)")
    parser.add_argument("--show", type=int, default=0, help="list the N pages where the pipeline trails most")
    args = parser.parse_args()
    sets = [
        (readability, args.readability, args.show),
        (newspaper4k, args.newspaper4k, args.show),
        (goose3, args.goose3, args.show),
        (lingua, args.lingua, args.sentences),
        (postlight, args.postlight, args.show),
    ]
    if not any(folder for _, folder, _ in sets):
        parser.error("give at least one folder (--readability, --newspaper4k, --goose3, --lingua, --postlight)")
    for run, folder, option in sets:
        if folder is None:
            continue
        if not folder.is_dir():
            parser.error(f"not a folder: {folder}")
        try:
            run(folder, option)
        except LayoutError as exc:
            parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
