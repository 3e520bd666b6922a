"""Multi-megabyte bodies cannot occupy the API: a body the pipeline refuses (an attribute bomb, 3 MB of random
bytes) costs a few small submissions' worth of the API's CPU, not 40-80 of them, and past a key's allowance of
large bodies (MiB per minute) further ones are refused 429 from their Content-Length, before they are read or
parsed. Before, one tenant posting such bodies in a loop held the API's event loop (and its GIL) ~0.1 s per
request while other tenants' requests waited (issue 14's isolation benchmark: B's POST p99 0.5 s)."""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator

import httpx
import psutil
import pytest

from tests.abuse.conftest import memory_broker_api

pytestmark = pytest.mark.e2e
BOMB = "<html><body><div " + " ".join(f"a{i}=x" for i in range(400_000)) + ">hi</div></body></html>"  # 4 MB
GARBAGE = random.Random(1).randbytes(3_000_000).decode("latin-1")  # ~6 MB as JSON
SMALL = {"text": "Council budget\n\nA short wire copy about the council budget, as tenant B sends."}
# CPU seconds of the API process per request, same run, on the 2-core development VM: a small accepted submission
# 2-4 ms; before the cheaper checks the 4 MB bomb ~45x that and the garbage ~77x, after ~15x and ~17x (msgspec's
# decode of the JSON body is most of what is left); a 429 past the body allowance about 1x. With a small
# submission at ~1.5 ms (issue 16), the bomb ~28x (the markup scan read the whole 4 MB tag) and the garbage ~25-37x
# (decoding 6 MB of escapes, 23 ms); after the capped scan and the probe of raw literals (api/document_probe.py)
# ~12x and ~15x: reading the body off the socket is most of what is left.
MAX_REFUSAL_RATIO = 25
MAX_OVER_ALLOWANCE_RATIO = 3
MIB = 1024 * 1024


def _api_process(base: str) -> psutil.Process:
    port = base.rsplit(":", 1)[1]
    for child in psutil.Process().children(recursive=True):
        if "api" in child.cmdline() and port in child.cmdline():
            return child
    raise AssertionError(f"no API process on port {port}")


def _cpu_per_request(api: psutil.Process, client: httpx.Client, body: dict, status: int, n: int) -> float:
    before = api.cpu_times()
    for _ in range(n):
        r = client.post("/v1/articles", json=body)
        assert r.status_code == status, r.text[:300]
    after = api.cpu_times()
    return (after.user + after.system - before.user - before.system) / n


def _small_submission_cost(process: psutil.Process, client: httpx.Client) -> float:
    for _ in range(5):  # warm: threads, connections, the key cache
        client.post("/v1/articles", json=SMALL)
    # 120, not 40: psutil's CPU times move in 10 ms ticks, and 40 submissions of ~1.5 ms were 6 ticks (±17%)
    return _cpu_per_request(process, client, SMALL, 202, 120)


@pytest.mark.parametrize("tenant", ["a", "b"], ids=["attribute bomb", "random bytes"])
def test_a_refused_large_body_costs_the_api_a_few_small_submissions(api, tenant):
    document = BOMB if tenant == "a" else GARBAGE  # one key each: both stay within the default body allowance
    process = _api_process(api.base)
    with httpx.Client(base_url=api.base, headers=api.auth(tenant), timeout=60) as client:
        small = _small_submission_cost(process, client)
        refused = _cpu_per_request(process, client, {"html": document}, 422, 10)
    ratio = refused / small
    assert ratio < MAX_REFUSAL_RATIO, f"{refused * 1000:.1f} ms of API CPU per refusal, {ratio:.1f}x a small submission"


def test_large_bodies_past_a_keys_allowance_are_refused_before_they_are_read(tmp_path):
    with memory_broker_api(tmp_path, "bodies", rate_limit_ingest_body_mib_per_minute="8") as (base, keys, _):
        process = _api_process(base)
        a = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys['a'].key}"}, timeout=60)
        b = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys['b'].key}"}, timeout=60)
        with a, b:
            small = _small_submission_cost(process, a)
            # 3 MB of random bytes is ~6 MB of JSON: the first fits in 8 MiB, the second does not.
            first = a.post("/v1/articles", json={"html": GARBAGE})
            assert first.status_code == 422, first.text[:300]
            over = a.post("/v1/articles", json={"html": GARBAGE})
            assert over.status_code == 429, over.text[:300]
            assert over.headers["content-type"].startswith("application/problem+json")
            assert int(over.headers["retry-after"]) >= 1 and "MiB" in over.json()["detail"]
            refused = _cpu_per_request(process, a, {"html": GARBAGE}, 429, 10)
            assert a.post("/v1/articles", json=SMALL).status_code == 202  # small bodies: the request allowance only
            assert b.post("/v1/articles", json={"html": GARBAGE}).status_code == 422  # B has an allowance of its own
    ratio = refused / small
    assert ratio < MAX_OVER_ALLOWANCE_RATIO, f"{refused * 1000:.1f} ms of API CPU per 429, {ratio:.1f}x a small one"


def _chunked(body: dict, piece: int = 64 * 1024) -> Iterator[bytes]:
    """`body` as the JSON httpx sends for json=, as a generator: httpx sends it Transfer-Encoding: chunked, with no
    Content-Length for the guard to count."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return (data[i : i + piece] for i in range(0, len(data), piece))


def test_chunked_large_bodies_count_against_the_same_allowance(tmp_path):
    """A chunked body declares no size: before, it was never counted, so a key could post multi-megabyte bodies past
    its allowance with no 429 (issue 14). Now it is charged as it arrives, against the one allowance per key."""
    size = sum(map(len, _chunked({"html": GARBAGE})))
    assert size < 8 * MIB < 2 * size  # the first fits in the allowance, the second does not
    json_type = {"Content-Type": "application/json"}
    with memory_broker_api(tmp_path, "chunked", rate_limit_ingest_body_mib_per_minute="8") as (base, keys, _):
        a = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys['a'].key}"}, timeout=60)
        b = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys['b'].key}"}, timeout=60)
        with a, b:
            first = a.post("/v1/articles", content=_chunked({"html": GARBAGE}), headers=json_type)
            assert first.status_code == 422, first.text[:300]
            assert "content-length" not in first.request.headers
            assert first.request.headers["transfer-encoding"] == "chunked"
            over = a.post("/v1/articles", content=_chunked({"html": GARBAGE}), headers=json_type)
            assert over.status_code == 429, over.text[:300]
            assert over.headers["content-type"].startswith("application/problem+json")
            assert over.json()["type"].endswith("/rate_limited")
            assert int(over.headers["retry-after"]) >= 1 and "MiB" in over.json()["detail"]
            again = a.post("/v1/articles", content=_chunked({"html": GARBAGE}), headers=json_type)
            assert again.status_code == 429, again.text[:300]  # from memory until the Retry-After
            declared = a.post("/v1/articles", json={"html": GARBAGE})  # one allowance, however the body is sent
            assert declared.status_code == 429, declared.text[:300]
            small = a.post("/v1/articles", content=_chunked(SMALL), headers=json_type)
            assert small.status_code == 202, small.text[:300]  # small bodies: the request allowance only
            preview = a.post("/v1/extract", content=_chunked({"html": GARBAGE}), headers=json_type)
            assert preview.status_code == 429, preview.text[:300]  # previews are ingest writes too
            other = b.post("/v1/articles", content=_chunked({"html": GARBAGE}), headers=json_type)
            assert other.status_code == 422, other.text[:300]  # B has an allowance of its own


def test_a_chunked_body_is_refused_while_it_is_still_being_sent(tmp_path):
    """The allowance is charged as the bytes arrive, not once the body is whole: 9.5 MiB sent chunked (under the
    10 MiB request cap) against an allowance of 8 MiB, the body left unfinished, is answered 429 at once. Before,
    the API waited for the rest of the body (this client never sends it) and then did not count it."""
    with memory_broker_api(tmp_path, "chunked-open", rate_limit_ingest_body_mib_per_minute="8") as (base, keys, _):
        host, port = base.removeprefix("http://").rsplit(":", 1)
        head = (
            f"POST /v1/articles HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {keys['a'].key}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"a" * (64 * 1024)
        chunks = [b'{"html": "'] + [piece] * (MIB * 19 // 2 // len(piece))
        with socket.create_connection((host, int(port)), timeout=20) as sock:
            sock.sendall(head.encode())
            try:
                for chunk in chunks:  # no terminating 0-size chunk: the body stays open
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:  # the API may stop taking bytes once it has answered
                pass
            answer = _read_response_head(sock)
    assert answer.startswith("HTTP/1.1 429"), answer[:300]
    assert "application/problem+json" in answer and "retry-after:" in answer.lower()


def _read_response_head(sock: socket.socket) -> str:
    """The status line and headers of the response on `sock` (raises TimeoutError when none comes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        got = sock.recv(65536)
        if not got:
            break
        data += got
    return data.decode("latin-1")
