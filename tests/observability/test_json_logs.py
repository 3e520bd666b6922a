"""JSON log lines (INGEST_LOG_FORMAT=json): one object per line with ts, level, logger, message, the job id of
the task being run, every `extra=` field, and the exception text."""

from __future__ import annotations

import io
import json
import logging

from service.observability.logs import configure_logging, current_job_id


def _lines(emit) -> list[dict]:
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    try:
        emit(logging.getLogger("ingest.test"))
    finally:
        configure_logging("INFO", "text")
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_extra_fields_job_id_and_exceptions_are_kept():
    def emit(log):
        token = current_job_id.set("job-42")
        try:
            log.info(
                "fetched %s", "https://a.example/x", extra={"status_code": 200, "bytes": 5120, "site": "a.example"}
            )
            try:
                raise ValueError("boom")
            except ValueError:
                log.exception("extraction crashed")
        finally:
            current_job_id.reset(token)
        log.warning("no job here")

    fetched, crashed, plain = _lines(emit)
    assert fetched["message"] == "fetched https://a.example/x" and fetched["level"] == "INFO"
    assert fetched["logger"] == "ingest.test" and fetched["ts"].endswith("Z")
    assert (fetched["status_code"], fetched["bytes"], fetched["site"], fetched["job_id"]) == (
        200,
        5120,
        "a.example",
        "job-42",
    )
    assert "ValueError: boom" in crashed["exc_info"] and crashed["job_id"] == "job-42"
    assert "job_id" not in plain or plain["job_id"] is None
