"""`article-ingest dev` starts from nothing (no external servers) and ingests an article."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.processes import REPO, free_port, service_env

pytestmark = pytest.mark.e2e


def test_dev_mode_starts_from_nothing_and_ingests(tmp_path):
    port = free_port()
    env = service_env()
    # Point the external defaults at nothing, to prove dev mode needs none of them.
    env.update({"INGEST_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                "INGEST_BROKER_URL": "amqp://nobody@127.0.0.1:1//"})
    log = open(tmp_path / "dev.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "dev", "--data-dir", str(tmp_path / "data"),
                             "--port", str(port)], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        key = None
        while key is None:
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "dev.log").read_text()
            match = re.search(r"API key (aik_\S+)", (tmp_path / "dev.log").read_text())
            key = match.group(1) if match else time.sleep(0.3)
        base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "dev.log").read_text()
            time.sleep(0.3)
        text = "Parliament Passes the Budget\nThe parliament passed the budget on Tuesday after a long debate."
        created = httpx.post(f"{base}/v1/articles", json={"text": text}, headers=auth, timeout=10)
        assert created.status_code == 202, created.text
        record = {}
        deadline = time.monotonic() + 60
        while record.get("status") != "done":
            assert time.monotonic() < deadline, (record, (tmp_path / "dev.log").read_text()[-3000:])
            time.sleep(0.5)
            record = httpx.get(f"{base}/v1/articles/{created.json()['id']}", headers=auth, timeout=10).json()
        assert record["title"] == "Parliament Passes the Budget"
        assert record["language"] == "en"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
