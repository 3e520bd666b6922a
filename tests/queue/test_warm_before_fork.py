"""The prefork worker's main process freezes its warmed heap before the pool forks (workers/process.py): the
pool children's garbage collections then skip the ~130,000 objects they inherit (imports, language models,
dateparser's locale data), and leave those pages shared copy-on-write instead of writing their GC headers."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from workers import process


@pytest.fixture
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_prefork_worker_freezes_its_warm_heap_before_forking(thawed):
    process._warm_before_fork(sender=SimpleNamespace(pool_cls="celery.concurrency.prefork:TaskPool"))
    assert gc.get_freeze_count() > 10_000


def test_a_thread_pool_worker_neither_warms_nor_freezes(thawed):
    process._warm_before_fork(sender=SimpleNamespace(pool_cls="celery.concurrency.thread:TaskPool"))
    assert gc.get_freeze_count() == 0
