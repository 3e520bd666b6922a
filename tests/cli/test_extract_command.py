"""`article-ingest extract`: the pipeline without a database, one JSON line per input, exit 1 on any failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.processes import REPO, service_env

FIXTURES = REPO.parent / "shared" / "fixtures"


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", *args],
        input=stdin,
        capture_output=True,
        env=service_env(),
        cwd=REPO,
        timeout=120,
    )


def test_extracts_files_and_stdin_as_json_lines():
    result = _run(
        str(FIXTURES / "seed-article-flat.html"),
        str(FIXTURES / "seed-article.txt"),
        "-",
        stdin=b"Headline From Stdin\nA body line from the wire, with a few words.",
    )
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["source"] for r in records] == [
        str(FIXTURES / "seed-article-flat.html"),
        str(FIXTURES / "seed-article.txt"),
        "-",
    ]
    for record in records[:2]:
        assert record["title"] == "Moscow Weighs in on Armenia Seeking to Expand US and EU Ties"
        assert record["body_text"].startswith("Russian officials have responded")
        assert [s["heading"] for s in record["sidebars"]] == ["Latest news"]
        assert len(record["sidebars"][0]["items"]) == 20
    assert records[2]["title"] == "Headline From Stdin" and records[2]["language"] == "en"


def test_a_failed_input_prints_an_error_record_and_exits_1(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("   ")
    result = _run(str(FIXTURES / "seed-article.txt"), str(empty), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert records[0]["title"] and records[0]["error"] is None
    assert records[1]["source"] == str(empty) and records[1]["error"]["type"]
    assert records[2]["error"]["type"] == "unreadable_input"


def test_format_forces_the_input_kind(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("<p>Not markup here</p>\nSecond line of the wire copy.")
    result = _run("--format", "text", str(page))
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["title"] == "<p>Not markup here</p>"


_KZ_1251 = """<html lang="ru"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>В Алматы открыли новую станцию метро</title></head><body><article><h1>В Алматы открыли новую станцию метро</h1>
<p>Станция «Сарыарка» стала двенадцатой на единственной линии городского метрополитена, сообщили в акимате.</p>
<p>Строительство продолжалось четыре года; поезда будут ходить с интервалом в семь минут.</p></article></body></html>"""
_DE_LATIN1 = """<html lang="de"><head><meta charset="ISO-8859-1"><title>Bäckerei in Köln schließt nach 90 Jahren</title>
</head><body><article><h1>Bäckerei in Köln schließt nach 90 Jahren</h1>
<p>Die älteste Bäckerei im Viertel schließt Ende des Monats, weil sich kein Nachfolger gefunden hat, sagte die Inhaberin.</p>
<p>Stammkunden können bis Samstag Brötchen und Streuselkuchen kaufen.</p></article></body></html>"""
_RU_WIRE = (
    "Бишкекте открыли новый детский сад\n\nДетский сад на двести сорок мест открыли в Октябрьском районе "
    "столицы, сообщила пресс-служба мэрии. Строительство заняло полтора года, в здании есть бассейн "
    "и спортивный зал.\n\nДо конца года в городе откроют ещё четыре детских сада.\n"
)


def test_legacy_charsets_are_decoded_for_files_and_stdin(tmp_path):
    """A windows-1251 page (file and stdin), an ISO-8859-1 page and undeclared windows-1251 wire text."""
    (tmp_path / "kz.html").write_bytes(_KZ_1251.encode("cp1251"))
    (tmp_path / "de.html").write_bytes(_DE_LATIN1.encode("latin-1"))
    (tmp_path / "ru.txt").write_bytes(_RU_WIRE.encode("cp1251"))
    result = _run(
        str(tmp_path / "kz.html"),
        str(tmp_path / "de.html"),
        str(tmp_path / "ru.txt"),
        "-",
        stdin=_KZ_1251.encode("cp1251"),
    )
    assert result.returncode == 0, result.stderr.decode()
    kz, de, ru, kz_stdin = [json.loads(line) for line in result.stdout.decode().splitlines()]
    for record in (kz, kz_stdin):
        assert record["title"] == "В Алматы открыли новую станцию метро" and record["language"] == "ru"
        assert "Станция «Сарыарка» стала двенадцатой" in record["body_text"]
    assert de["title"] == "Bäckerei in Köln schließt nach 90 Jahren"
    assert "Brötchen und Streuselkuchen" in de["body_text"]
    assert ru["title"] == "Бишкекте открыли новый детский сад" and "бассейн" in ru["body_text"]
    assert not any("\ufffd" in json.dumps(r, ensure_ascii=False) for r in (kz, de, ru, kz_stdin))


def test_extracting_a_file_loads_no_database_broker_api_or_http_layer(tmp_path):
    # What keeps `extract` of a short text fast (about 0.3 s of imports before the language models): none of
    # these is loaded. Measured with a timing loop in benchmarks/RESULTS.md (CLI section).
    page = tmp_path / "story.txt"
    page.write_text("Headline\nA body line from the wire, with a few words.")
    probe = (
        "import sys; from service.cli import main; code = main(['extract', sys.argv[1]]); "
        "heavy = ('sqlalchemy', 'celery', 'kombu', 'litestar', 'uvicorn', 'httpx', 'redis', 'alembic'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)), file=sys.stderr); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(page)], capture_output=True, env=service_env(), cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["title"] == "Headline"
    assert result.stderr.decode().strip().splitlines()[-1] == "[]"


def test_an_endless_input_is_refused_as_too_large_without_reading_it_all(tmp_path):
    """/dev/zero grew the process by gigabytes in seconds; now the read stops at the API's request cap."""
    run = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", "/dev/zero", str(tmp_path / "missing.html")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={**os.environ, "INGEST_MAX_REQUEST_BYTES": str(2 * 1024 * 1024)},
    )
    assert run.returncode == 1
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["error"]["type"] for r in records] == ["document_too_large", "unreadable_input"]


def test_a_file_name_that_is_not_utf8_gets_its_record_and_the_next_input_still_runs(tmp_path):
    """Hostile probe (issue 14): a name with a Latin-1 byte made the encoder fail on the surrogate escape, and
    the whole run stopped with no record for any input."""
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(odd, "wb") as file:
        file.write(b"Headline\n\nA body line from the wire, with a few words.")
    plain = tmp_path / "plain.txt"
    plain.write_text("Another headline\n\nAnother body line, with a few more words.", encoding="utf-8")
    result = _run(os.fsdecode(odd), str(plain))
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["title"] for r in records] == ["Headline", "Another headline"]
    assert records[0]["source"].endswith("caf\\xe9.txt")  # the undecodable byte shown, not dropped


def test_closed_standard_streams_get_a_clear_message():
    closed_stdin = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=service_env(),
        cwd=REPO,
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    record = json.loads(closed_stdin.stdout)
    assert closed_stdin.returncode == 1
    assert record["error"] == {"type": "unreadable_input", "detail": "standard input is closed"}
    closed_stdout = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", str(FIXTURES / "seed-article.txt")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=service_env(),
        cwd=REPO,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert closed_stdout.returncode == 2
    assert b"standard output is closed" in closed_stdout.stderr
