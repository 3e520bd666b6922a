"""benchmarks/external_sets.py reads other projects' test pages from local checkouts (not committed): each of its
three folder layouts, built here in small, must be read and scored, so the check does not rot unseen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STORY = "".join(
    f"<p>The council approved the new budget on day {n} after a long debate about transport and schools.</p>"
    for n in range(6)
)
PAGE = (
    '<html lang="en"><head><meta charset="utf-8"><title>Council approves the budget</title>'
    '<meta property="article:published_time" content="2024-03-05T10:00:00+02:00"></head><body><article>'
    f'<h1>Council approves the budget</h1><p class="byline">By Jane Roe</p>{STORY}</article></body></html>'
)


def _run(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "external_sets.py"), *args, "--show", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout


def test_each_layout_is_read_and_scored(tmp_path):
    readability = tmp_path / "readability" / "page-1"
    readability.mkdir(parents=True)
    (readability / "source.html").write_text(PAGE, encoding="utf-8")
    (readability / "expected.html").write_text(f"<div>{STORY}</div>", encoding="utf-8")
    meta = {"byline": "Jane Roe", "lang": "en", "publishedTime": "2024-03-05T10:00:00+02:00"}
    (readability / "expected-metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    n4k = tmp_path / "n4k"
    for sub in ("html", "txt", "metadata"):
        (n4k / sub).mkdir(parents=True)
    (n4k / "html" / "a.html").write_text(PAGE, encoding="utf-8")
    (n4k / "txt" / "a.txt").write_text(STORY.replace("<p>", "").replace("</p>", "\n"), encoding="utf-8")
    (n4k / "metadata" / "a.json").write_text(json.dumps({"authors": ["Jane Roe"], "language": "en"}), encoding="utf-8")
    goose = tmp_path / "goose"
    goose.mkdir()
    (goose / "a.html").write_text(PAGE, encoding="utf-8")
    start = "The council approved the new budget on day 0 after a long debate"
    (goose / "a.json").write_text(json.dumps({"expected": {"cleaned_text": start}}), encoding="utf-8")

    out = _run("--readability", str(tmp_path / "readability"), "--newspaper4k", str(n4k), "--goose3", str(goose))

    assert "mozilla/readability test pages: 1" in out
    assert "body pipeline     shingle F1 1.0000" in out
    assert "byline     pipeline 1/1" in out and "day        pipeline 1/1" in out
    assert "newspaper4k test pages: 1 with a text" in out
    assert "body pipeline     bag-of-words F1, mean 1.0000" in out
    assert "goose3 content pages: 1" in out and "beginning found (95% of its words) 1/1" in out


def test_no_folder_is_a_usage_error():
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "external_sets.py")], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2 and "give at least one folder" in out.stderr


def test_lingua_sentences_are_read_per_language(tmp_path):
    (tmp_path / "kk.txt").write_text(
        "Қалалық мәслихат сейсенбі күні алты сағаттан астам талқылаудан кейін жаңа бюджетті бекітті.\n",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(
        "The city council approved the new budget on Tuesday after a debate of six hours.\n", encoding="utf-8"
    )
    out = _run("--lingua", str(tmp_path))
    assert "lingua sentences: 2 in 2 languages" in out
    assert "kk         pipeline 1.000" in out and "en         pipeline 1.000" in out


def test_an_unreadable_page_is_skipped_with_its_name_and_an_empty_folder_is_a_usage_error(tmp_path):
    goose = tmp_path / "goose"
    goose.mkdir()
    (goose / "good.html").write_text(PAGE, encoding="utf-8")
    start = "The council approved the new budget on day 0 after a long debate"
    (goose / "good.json").write_text(json.dumps({"expected": {"cleaned_text": start}}), encoding="utf-8")
    (goose / "list.html").write_text(PAGE, encoding="utf-8")
    (goose / "list.json").write_text("[1, 2]", encoding="utf-8")
    (goose / "broken.json").write_bytes(b"\xff\xfe{")
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "external_sets.py"), "--goose3", str(goose)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "goose3 content pages: 1" in out.stdout
    assert "skipped" in out.stderr and "list.json" in out.stderr and "broken.json" in out.stderr
    empty = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "external_sets.py"), "--newspaper4k", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert empty.returncode == 2 and "no page of the newspaper4k" in empty.stderr


def test_postlight_fixtures_and_their_test_cases_are_read_and_scored(tmp_path):
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "example.com.html").write_text(PAGE, encoding="utf-8")
    site = tmp_path / "src" / "extractors" / "custom" / "example.com"
    site.mkdir(parents=True)
    (site / "index.test.js").write_text(
        "describe('ExampleExtractor', () => {\n"
        "  beforeAll(() => {\n"
        "    url =\n      'https://example.com/2024/03/05/budget';\n"
        "    const html = fs.readFileSync('./fixtures/example.com.html');\n"
        "  });\n"
        "  it('returns the title', async () => {\n"
        "    assert.equal(\n      title,\n      'Council approves the budget'\n    );\n"
        "  });\n"
        "  it('returns the author', async () => { assert.equal(author, 'Jane Roe'); });\n"
        # 08:00 UTC is 10:00 at +02:00, the same day
        "  it('returns the date_published', async () => { assert.equal(date_published, '2024-03-05T08:00:00.000Z'); });\n"
        "  it('returns the content', async () => {\n"
        "    assert.equal(first13, 'The council approved the new budget on day 0 after a long debate about');\n"
        "  });\n"
        "  it('reads a second page', async () => {\n"
        "    const html = fs.readFileSync('./fixtures/example.com--other.html');\n"
        "    assert.equal(title, 'Not this one');\n"
        "  });\n"
        "});\n",
        encoding="utf-8",
    )
    out = _run("--postlight", str(tmp_path))
    assert "postlight/parser fixtures: 1" in out
    for field in ("title", "byline", "day", "start"):
        assert f"{field:10s} pipeline 1/1" in out, out
