"""One tenant's burst of valid submissions (inside its rate limit) does not put another tenant's work at the back
of the queue: a key that submits more than its fair share of live work in a short window is sent at a lower
priority than a key that submits little (still above backfills), so B's story overtakes A's backlog."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.abuse.conftest import running_stack

pytestmark = pytest.mark.e2e
BURST = 100


@pytest.fixture(scope="module")
def one_worker_stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("fair-share"), concurrency=1) as running:
        yield running


def test_a_burst_of_one_tenant_does_not_queue_another_tenant_behind_it(one_worker_stack):
    stack = one_worker_stack
    # Long enough that the one extraction process cannot keep up with the burst (400 paragraphs: the faster ASCII line path made 150 too quick).
    story = "A title\n\n" + "\n\n".join(
        f"Paragraph {n} of a long wire copy about the council budget. " * 8 for n in range(400)
    )

    def submit_a(i: int) -> str:
        return stack.submit("a", {"text": f"{story} {i}"})

    with ThreadPoolExecutor(8) as pool:
        a_ids = list(pool.map(submit_a, range(BURST)))
    with httpx.Client(base_url=stack.base, headers=stack.auth("a"), timeout=10) as client:
        queued_before = sum(client.get(f"/v1/articles/{i}").json()["status"] == "queued" for i in a_ids)
    assert queued_before >= BURST // 2, f"the worker took {BURST - queued_before} of A's stories during the burst"
    b_id = stack.submit("b", {"text": story + " B"})
    stack.wait_finished("b", b_id, 120)
    with httpx.Client(base_url=stack.base, headers=stack.auth("a"), timeout=10) as client:
        still_queued = sum(client.get(f"/v1/articles/{i}").json()["status"] == "queued" for i in a_ids)
    # FIFO would finish all of A's burst first; with a fair share B goes ahead of most of it.
    assert still_queued >= BURST // 3, f"B finished after {BURST - still_queued} of A's {BURST} stories"
    for article_id in a_ids:  # A's work is late, never lost
        assert stack.wait_finished("a", article_id, 180)["status"] == "done"
