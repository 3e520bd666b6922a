"""benchmarks/extraction_speed.py --stages times the functions the pipeline calls: each named stage must still
exist (a renamed stage would otherwise vanish from the report), and the wrappers must time real calls."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import extraction_speed  # noqa: E402


def test_every_stage_names_a_function_the_pipeline_has():
    for label, module_name, attribute in extraction_speed.STAGES:
        assert callable(getattr(importlib.import_module(module_name), attribute, None)), label


def test_instrumented_stages_count_time(monkeypatch):
    for _, module_name, attribute in extraction_speed.STAGES:  # restored after the test
        module = importlib.import_module(module_name)
        monkeypatch.setattr(module, attribute, getattr(module, attribute))
    seconds = extraction_speed.instrument()
    from service.extraction import extract_document

    html = "<html><head><title>A bridge opens</title></head><body><article><h1>A bridge opens</h1>"
    extract_document(html + "<p>" + "The bridge opened on Thursday. " * 20 + "</p></article></body></html>", "html")
    for label in ("markup scan", "parse", "metadata", "story (trafilatura on the tree)", "sidebars", "language"):
        assert seconds[label] > 0, label
