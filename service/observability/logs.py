"""Logging setup: plain text for people, JSON lines for machines; the current job id on every line.

JSON lines come from python-json-logger: ``ts`` (UTC, ISO 8601 with milliseconds and ``Z``), ``level``,
``logger``, ``message``, ``job_id`` when a task is running, every field passed with ``extra=``, and
``exc_info`` (the traceback text) for exceptions."""

from __future__ import annotations

import contextvars
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_job_id", default=None)


class JobContextFilter(logging.Filter):
    """Stamps each record with the job being processed (set by the worker around every task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "job_id", None):
            record.job_id = current_job_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger with this service's field names and a UTC timestamp; a null job id is left out."""

    def __init__(self) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
            json_default=str,
        )

    def add_fields(self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record["ts"] = (
            datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
        if log_record.get("job_id") is None:
            log_record.pop("job_id", None)


def configure_logging(level: str = "INFO", fmt: str = "text", *, stream: TextIO | None = None) -> None:
    """Replace the root logger's handlers with one on `stream` (default stderr) in `fmt` ``text`` or ``json``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(JobContextFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [job=%(job_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
