"""Golden extraction cases: own pages for every layout and language, plus the shared seed fixtures."""

from __future__ import annotations

import pytest

from .golden_cases import FIXTURES, SEED_TITLE, load_cases, sidebar_problems, story_problems

CASES = load_cases("dev") + load_cases("heldout")
SEED_FILES = ["seed-article.txt", "seed-article-flat.html", "seed-article-in-article.html", "seed-article-aside.html"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_golden_case(case):
    article = case.run()
    problems = story_problems(article, case.expected) + sidebar_problems(article, case.expected)[0]
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared fixtures folder not present")
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_fixture(name):
    from service.extraction import extract_document

    content = (FIXTURES / name).read_text(encoding="utf-8")
    article = extract_document(content, "text" if name.endswith(".txt") else "html", source_url="https://orda.kz/en/a")
    headlines = [
        line.removeprefix("- ")
        for line in (FIXTURES / "seed-article.txt").read_text(encoding="utf-8").splitlines()[-20:]
    ]
    assert article.title == SEED_TITLE
    assert article.body_text.startswith("Russian officials have responded")
    assert article.body_text.endswith("against a third country, he noted")
    assert [s.heading for s in article.sidebars] == ["Latest news"]
    assert [i.text for i in article.sidebars[0].items] == headlines
    assert not [h for h in headlines if h in article.body_text]
    assert "\n\n\n" not in article.body_text
