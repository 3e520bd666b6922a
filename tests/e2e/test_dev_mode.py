"""`article-ingest dev` as a user meets it: starts from nothing (no external servers), ingests text quickly and
local pages and webhooks on any port, lets other commands reach its database, keeps its key across restarts,
stops everything it started on SIGINT, SIGTERM and SIGHUP, and recovers from a crash that left Postgres running."""

from __future__ import annotations

import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.processes import STARTUP_TIMEOUT, free_port, service_env
from tests.support.servers import page_server, webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
STOP_SECONDS = 60  # dev gives each child 15 s to stop cleanly; Postgres stops in well under a second
PAGE = (
    b"<html><head><title>Harbour Tram Line Approved</title></head><body><article><h1>Harbour Tram Line "
    b"Approved</h1>" + b"<p>The city council approved the new tram line to the harbour district on Tuesday "
    b"after a long debate about its cost and its route.</p>" * 4 + b"</article></body></html>"
)


@pytest.fixture
def workdir():
    """Where dev runs, outside pytest's temporary root: run as root, the embedded Postgres runs as its own user,
    and every pytest start on this machine takes the other users' access back from /tmp/pytest-of-root."""
    path = Path(tempfile.mkdtemp(prefix="article-ingest-dev-test-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _env() -> dict[str, str]:
    env = service_env()
    # Point the external defaults at nothing, to prove dev mode needs none of them.
    env.update(
        {
            "INGEST_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "INGEST_BROKER_URL": "amqp://nobody@127.0.0.1:1//",
        }
    )
    return env


class Dev:
    def __init__(self, proc: subprocess.Popen, log: Path, cwd: Path, port: int, key: str, secret: str):
        self.proc, self.log, self.cwd, self.key, self.secret = proc, log, cwd, key, secret
        self.base, self.auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}

    def family(self) -> list[psutil.Process]:
        """dev, every process under it, and the embedded Postgres with its own processes."""
        found = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        postmaster = int((self.cwd / ".dev-data" / "pg" / "postmaster.pid").read_text().split()[0])
        found += [psutil.Process(postmaster), *psutil.Process(postmaster).children(recursive=True)]
        return found

    def submit(self, body: dict) -> str:
        created = httpx.post(f"{self.base}/v1/articles", json=body, headers=self.auth, timeout=10)
        assert created.status_code == 202, created.text
        return created.json()["id"]

    def record(self, article_id: str) -> dict:
        return httpx.get(f"{self.base}/v1/articles/{article_id}", headers=self.auth, timeout=10).json()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def dev(cwd: Path, log_name: str = "dev.log"):
    """`article-ingest dev` run from `cwd` with the default data directory (cwd/.dev-data)."""
    port, log_path = free_port(), cwd / log_name
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "dev", "--port", str(port)],
            env=_env(),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: proc.poll() is not None or "ready; Ctrl-C" in log_path.read_text(),
            STARTUP_TIMEOUT,
            "dev to be ready",
        )
        text = log_path.read_text()
        assert proc.poll() is None, text[-3000:]
        key = re.search(r"API key (aik_\S+)", text).group(1)
        secret = re.search(r"webhook secret (whsec_\S+)", text).group(1)
        yield Dev(proc, log_path, cwd, port, key, secret)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _name(proc: psutil.Process) -> str | None:
    """The process's name, or None once it has exited."""
    try:
        return proc.name()
    except psutil.NoSuchProcess:
        return None


def _stop_and_check_nothing_is_left(instance: Dev, sig: int) -> None:
    family = instance.family()
    assert len(family) >= 4, family  # dev, worker, API, Postgres at least
    instance.proc.send_signal(sig)
    instance.proc.wait(timeout=STOP_SECONDS)
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"left running after {signal.Signals(sig).name}: {alive}\n{instance.output()[-2000:]}"


def test_dev_ingests_text_fast_and_local_pages_and_webhooks_on_any_port(workdir):
    with dev(workdir) as instance:
        assert "any port" in instance.output()  # says that the guard and the port list are lifted
        # No periodic message keeps the one worker busy: a job took ~10 s when beat's releaser tick did. The 2 s goal
        # is measured quiet (RESULTS.md, dev mode); the bound here holds beside other test processes on 2 cores.
        durations = []
        for n in range(3):
            started = time.monotonic()
            article_id = instance.submit(
                {
                    "text": f"Parliament Passes Budget {n}\nThe parliament passed the "
                    "budget on Tuesday after a long debate."
                }
            )
            record = wait_for(
                lambda a=article_id: (r := instance.record(a))["status"] != "queued" and r,
                30,
                "the text job",
                interval=0.05,
            )
            durations.append(time.monotonic() - started)
            assert record["status"] == "done" and record["language"] == "en", record
        assert statistics.median(durations) <= 5.0, durations

        # A page and a webhook receiver on this machine, on ports outside the production list.
        with page_server({"/story": ("text/html; charset=utf-8", PAGE)}) as site, webhook_receiver() as receiver:
            article_id = instance.submit({"url": f"{site}/story", "callback_url": f"{receiver.url}/hook"})
            record = wait_for(lambda: (r := instance.record(article_id))["status"] != "queued" and r, 60, "the page")
            assert record["status"] == "done", record
            assert record["title"] == "Harbour Tram Line Approved"
            wait_for(lambda: receiver.requests, 60, "the webhook")
            event = Webhook(instance.secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
            assert event["data"]["id"] == article_id

        # Another command run from the same directory reaches dev's database with nothing configured.
        created = subprocess.run(
            [sys.executable, "-m", "service.cli", "keys", "create", "--name", "cms", "--scopes", "ingest"],
            env=service_env(),
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert created.returncode == 0, created.stderr
        key = json.loads(created.stdout)["key"]
        assert (
            httpx.get(
                f"{instance.base}/v1/articles?limit=1", headers={"Authorization": f"Bearer {key}"}, timeout=10
            ).status_code
            == 200
        )

        # The SQL line dev prints reaches its database (docs/read-contract.md's views), as printed.
        psql = re.search(r"SQL \(docs/read-contract.md\): (psql .+)", instance.output()).group(1).split()
        views = subprocess.run(
            [*psql, "-AtXc", "SELECT count(*) FROM ingest_read.articles"], capture_output=True, text=True, timeout=30
        )
        assert views.returncode == 0 and int(views.stdout) >= 4, views.stderr
        _stop_and_check_nothing_is_left(instance, signal.SIGINT)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_leaves_no_process_behind(sig, workdir):
    with dev(workdir) as instance:
        _stop_and_check_nothing_is_left(instance, sig)
        assert not (workdir / ".dev-data" / "dev.json").exists()  # other commands no longer look for it


def test_a_crash_leaves_postgres_that_the_next_start_stops_and_the_key_stays(workdir):
    with dev(workdir, "first.log") as first:
        family = first.family()
        postmaster = psutil.Process(int((workdir / ".dev-data" / "pg" / "postmaster.pid").read_text().split()[0]))
        # Named before the kill: a child that has already exited once dev is gone has no name to read (psutil's
        # NoSuchProcess failed CI here), and is not a survivor anyway.
        children = [p for p in family if p.pid != first.proc.pid and _name(p) not in ("postgres", None)]
        first.proc.kill()  # a crash: no handler runs
        first.proc.wait()
        _, alive = psutil.wait_procs(children, timeout=STOP_SECONDS)
        assert not alive, f"dev's children outlived it: {alive}"  # they get SIGTERM when dev dies
        assert postmaster.is_running()  # what pgserver leaves behind: the stale postmaster
    with dev(workdir, "second.log") as second:
        assert second.key == first.key  # the dev key is kept across restarts
        article_id = second.submit({"text": "After The Crash\nThe service came back and took this wire copy."})
        wait_for(lambda: second.record(article_id)["status"] == "done", 30, "a job after the restart")
        assert not postmaster.is_running()  # the orphan was stopped, and a fresh server started
        _stop_and_check_nothing_is_left(second, signal.SIGTERM)


def test_a_busy_port_is_refused_before_anything_starts(workdir):
    """Readiness is checked over HTTP on the port: another server there must not be taken for dev's API."""
    import socket

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "service.cli", "dev", "--port", str(port)],
            env=_env(),
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode != 0
    assert "ready; Ctrl-C" not in run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0], lines
    assert not (workdir / ".dev-data" / "pg").exists()  # nothing was started
