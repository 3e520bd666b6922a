"""`pip install <repo>` (not editable, no test extras) into a fresh virtualenv gives a complete service: from
another directory, `article-ingest migrate` on a fresh database, then API, worker and beat on RabbitMQ and on
Redis; a submitted article reaches `done` and its signed webhook verifies.

Nothing from the source checkout or the test virtualenv reaches these processes (no PYTHONPATH, cwd outside
the checkout), so a dependency only the test extras bring, or a file only the checkout has, fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.support.brokers import BROKERS
from tests.support.database import fresh_database
from tests.support.processes import REPO, api_process, beat_process, worker_process
from tests.support.servers import webhook_receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
INSTALL_TIMEOUT = 900  # a cold pip cache downloads every dependency; warm, it takes about 20 s


def _outside_env(**settings: str) -> dict[str, str]:
    """The environment of a user's shell: none of the test run's settings, paths or virtualenv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INGEST_", "PYTHON", "VIRTUAL_ENV", "PROMETHEUS_"))}
    env.update({f"INGEST_{k.upper()}": str(v) for k, v in settings.items()})
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[str, ...]:
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    started = time.monotonic()
    result = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(REPO)],
        env=_outside_env(),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"pip install {REPO}: {time.monotonic() - started:.1f} s")
    return (str(venv / "bin" / "article-ingest"),)


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_installed_package_migrates_and_ingests_from_another_directory(installed, broker, tmp_path: Path):
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    with fresh_database("pkg", migrate=False) as database_url, webhook_receiver() as receiver:
        env = _outside_env(
            database_url=database_url,
            broker_url=BROKERS[broker],
            queue_prefix=f"t{uuid.uuid4().hex[:8]}.",
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, int(receiver.url.rsplit(":", 1)[1])]),
        )

        def cli(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [*installed, *args], env=env, cwd=workdir, capture_output=True, text=True, timeout=120
            )

        migrated = cli("migrate")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        created = cli("keys", "create", "--name", "installed", "--scopes", "ingest")
        assert created.returncode == 0, created.stderr[-3000:]
        key = json.loads(created.stdout)

        processes = {"cli": installed, "cwd": workdir}
        with (
            worker_process(env, tmp_path / "worker.log", concurrency=1, **processes),
            beat_process(env, tmp_path / "beat.log", **processes),
            api_process(env, tmp_path / "api.log", **processes) as api,
        ):
            auth = {"Authorization": f"Bearer {key['key']}"}
            ready = httpx.get(f"{api}/readyz", timeout=10)
            assert ready.status_code == 200, ready.text  # the broker and the database are reachable
            submitted = httpx.post(
                f"{api}/v1/articles",
                headers=auth,
                timeout=10,
                json={
                    "text": "Parliament Passes the Budget\nThe parliament passed the budget on Tuesday after a debate.",
                    "callback_url": f"{receiver.url}/hook",
                },
            )
            assert submitted.status_code == 202, submitted.text
            article_id = submitted.json()["id"]
            record = wait_for(
                lambda: (
                    (r := httpx.get(f"{api}/v1/articles/{article_id}", headers=auth, timeout=10).json())["status"]
                    != "queued"
                    and r
                ),
                90,
                "the article to be processed",
            )
            assert record["status"] == "done", record
            assert record["title"] == "Parliament Passes the Budget"
            wait_for(lambda: receiver.requests, 60, "the webhook")
            event = Webhook(key["webhook_secret"]).verify(receiver.requests[0].body, receiver.requests[0].headers)
            assert event["type"] == "article.completed" and event["data"]["id"] == article_id


def _names(requirements: str) -> set[str]:
    return {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in requirements.splitlines()
        if "==" in line and not line.startswith("#")
    }


def test_the_lock_file_pins_every_package_a_clean_install_brings(installed):
    # The image installs the lock with --no-deps: a package missing from it is missing in production. (Names,
    # not versions: the clean install takes the newest releases, the lock the reviewed ones.)
    pip = str(Path(installed[0]).with_name("pip"))
    frozen = subprocess.run(
        [pip, "freeze", "--exclude", "article-ingest"],
        env=_outside_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    lock = (REPO / "deploy" / "requirements.lock").read_text()
    assert _names(frozen) - _names(lock) == set(), "regenerate deploy/requirements.lock (see its first line)"
