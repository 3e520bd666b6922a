"""Hostile documents through a real worker: each ends as a record or a typed failure in bounded time, the
worker stays alive, and its memory stays bounded (peak RSS of the pool process is reported)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import httpx
import pytest

from tests.support.brokers import BROKERS
from tests.support.processes import api_process, service_env, worker_process
from tests.support.servers import page_server

pytestmark = pytest.mark.e2e
PEAK_RSS_LIMIT_MB = 600  # the pool process; its recycling limit is 400 MB between tasks

BILLION_LAUGHS = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<html><body><p>&lol9;</p></body></html>"""


def _corpus() -> dict[str, dict]:
    rng = random.Random(7)
    random_text = bytes(rng.getrandbits(8) for _ in range(200_000)).decode("latin-1")
    return {
        "flat-200k": {"html": "<html><body>" + "<p>x</p>" * 200_000 + "</body></html>"},
        "deep-100k": {"html": "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"},
        "random-bytes": {"html": random_text},
        "entity-expansion": {"html": BILLION_LAUGHS},
        "broken-encoding": {"url": "/broken"},  # invalid UTF-8 bytes labelled UTF-8
        "20mb-text-node": {"url": "/huge"},  # one text node, fetched (the API refuses bodies this large)
    }


def _rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_hostile_documents_end_typed_in_bounded_time_with_the_worker_alive(
    e2e_database, issued_key, queue_prefix, tmp_path
):
    broken = "<html><body><p>Caf\xe9 cr\xe8me \xff\xfe r\xe9sum\xe9 of the day's news.</p></body></html>".encode(
        "latin-1"
    )
    huge = b"<html><body><p>" + b"a" * (20 * 1024 * 1024) + b"</p></body></html>"
    pages = {"/broken": ("text/html; charset=utf-8", broken), "/huge": ("text/html", huge)}
    with page_server(pages) as site:
        port = int(site.rsplit(":", 1)[1])
        env = service_env(
            database_url=e2e_database,
            broker_url=BROKERS["redis"],
            queue_prefix=queue_prefix,
            allow_private_networks="true",
            allowed_ports=json.dumps([80, 443, port]),
            fetch_max_bytes=str(30 * 1024 * 1024),
            max_request_bytes=str(12 * 1024 * 1024),
            max_document_bytes=str(10 * 1024 * 1024),
        )
        with (
            worker_process(env, tmp_path / "worker.log", concurrency=1) as worker,
            api_process(env, tmp_path / "api.log") as api,
        ):
            auth = {"Authorization": f"Bearer {issued_key.key}"}
            ids, refused = {}, {}
            for name, body in _corpus().items():
                if "url" in body:
                    body = {"url": site + body["url"]}
                response = httpx.post(f"{api}/v1/articles", json=body, headers=auth, timeout=60)
                if response.status_code == 422 and response.json().get("extraction_error"):
                    refused[name] = response.json()["extraction_error"]  # typed at submission: never queued
                    continue
                assert response.status_code == 202, (name, response.text)
                ids[name] = response.json()["id"]
            normal = httpx.post(
                f"{api}/v1/articles",
                json={"text": "Still Alive\nThe worker took this one too."},
                headers=auth,
                timeout=30,
            ).json()["id"]
            started, records = time.monotonic(), {}
            while len(records) < len(ids) + 1:
                assert time.monotonic() - started < 180, f"not finished: {set(ids) - set(records)}"
                for name, article_id in [*ids.items(), ("normal", normal)]:
                    record = httpx.get(f"{api}/v1/articles/{article_id}", headers=auth, timeout=30).json()
                    if record["status"] in ("done", "failed"):
                        records[name] = record
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            assert worker.poll() is None, "the worker died"
            children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
            peak = max(_rss_peak_mb(int(pid)) for pid in children)
    print(f"\nhostile corpus: {len(ids)} documents in {elapsed:.1f} s; pool process peak RSS {peak:.0f} MB")
    for name, error_type in refused.items():
        print(f"  {name:18s} 422    {error_type} (at submission)")
    for name, record in records.items():
        error = record["error"]
        print(f"  {name:18s} {record['status']:6s} {error['type'] if error else ''}")
        if record["status"] == "failed":
            assert error["type"] and error["detail"], name  # a typed reason, never a silent empty record
        else:
            assert record["body_text"] or record["title"], name
    assert records["normal"]["status"] == "done"
    assert records["20mb-text-node"]["error"]["type"] in ("document_too_large", "too_large")
    # Latin-1 bytes labelled UTF-8: decoded by detection, not turned into mojibake or replacement characters.
    assert "Café crème" in records["broken-encoding"]["body_text"]
    assert peak < PEAK_RSS_LIMIT_MB, f"pool process peak RSS {peak:.0f} MB"
