"""Worker-side observability: the job id in every log line of a task, and a Prometheus endpoint.

Celery's prefork pool runs tasks in child processes, so metrics use prometheus_client's multiprocess
mode (PROMETHEUS_MULTIPROC_DIR, set by `article-ingest worker` before anything imports prometheus_client);
the main process serves the merged view on INGEST_METRICS_PORT.
"""

from __future__ import annotations

import logging
import os

from celery.signals import task_postrun, task_prerun, worker_process_shutdown, worker_ready

from service.observability.logs import current_job_id

log = logging.getLogger(__name__)
_tokens: dict[str, object] = {}


@task_prerun.connect
def _bind_job_id(task_id=None, task=None, args=None, **_) -> None:
    if task is not None and task.name == "articles.ingest" and args:
        _tokens[task_id] = current_job_id.set(str(args[0]))


@task_postrun.connect
def _unbind_job_id(task_id=None, **_) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        current_job_id.reset(token)


@worker_ready.connect
def _mark_ready(sender=None, **_) -> None:
    path = sender.app.conf.article_ingest_settings.worker_ready_file if sender is not None else None
    if path:
        with open(path, "w") as ready:
            ready.write(str(os.getpid()))


@worker_ready.connect
def _serve_metrics(sender=None, **_) -> None:
    port = int(os.environ.get("INGEST_METRICS_PORT", "0") or 0)
    if not port:
        return
    from prometheus_client import CollectorRegistry, start_http_server

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    start_http_server(port, addr=os.environ.get("INGEST_METRICS_ADDR", "0.0.0.0"), registry=registry)
    log.info("worker metrics on :%d/metrics", port)


@worker_process_shutdown.connect
def _forget_child(pid=None, **_) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
