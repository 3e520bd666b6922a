"""`article-ingest` command line: dev, api, worker, beat, migrate, keys, extract, backfill."""
from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
import tempfile

from service.observability.logs import configure_logging
from service.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="article-ingest", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="run everything on this machine: embedded Postgres, broker, API, worker")
    dev.add_argument("--data-dir", default=".dev-data", help="where the embedded Postgres keeps its files")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)

    api = commands.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=1, help="API processes")

    worker = commands.add_parser("worker", help="run a Celery worker")
    worker.add_argument("--concurrency", type=int, default=None, help="pool processes (default: CPU count)")
    worker.add_argument("--beat", action="store_true", help="also run the periodic reconciler in this process")
    worker.add_argument("--pool", default="prefork",
                        help="prefork for extraction (CPU); threads suits a webhooks-only worker (I/O)")
    worker.add_argument("--queues", choices=["all", "ingest", "webhooks"], default="all",
                        help="which work to take: a webhooks-only worker keeps slow receivers off the CPU slots")
    worker.add_argument("--loglevel", default="INFO")

    commands.add_parser("beat", help="run the periodic scheduler (reconciler)")
    commands.add_parser("migrate", help="apply database migrations")

    keys = commands.add_parser("keys", help="manage API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key; prints JSON {key, webhook_secret}")
    create.add_argument("--name", required=True)
    create.add_argument("--scope", action="append", choices=["ingest", "admin"], required=True)
    revoke = key_commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    rotate = key_commands.add_parser("rotate", help="replace a key's secret (the old one stops working); prints JSON {id, key}")
    rotate.add_argument("key_id")

    extract = commands.add_parser("extract", help="run the pipeline on files, URLs or stdin; prints JSON Lines")
    extract.add_argument("--format", choices=["html", "text", "auto"], default="auto")
    extract.add_argument("inputs", nargs="+", metavar="PATH|URL|-")

    backfill = commands.add_parser("backfill", help="stream a file of URLs (NDJSON or a JSON array) to the admin "
                                   "backfill endpoint and show progress until done")
    backfill.add_argument("file", metavar="FILE|-")
    backfill.add_argument("--api", default=None, help="API base URL (default: INGEST_PUBLIC_BASE_URL)")
    backfill.add_argument("--key", default=None, help="admin API key (default: INGEST_API_KEY)")
    backfill.add_argument("--refresh", action="store_true", help="fetch again URLs that are already stored")
    backfill.add_argument("--callback-url", default=None, help="webhook told when the backfill finishes")
    backfill.add_argument("--rate", type=float, default=None, help="release rate ceiling, jobs per second")
    backfill.add_argument("--no-wait", action="store_true", help="print the id and exit once accepted")
    backfill.add_argument("--interval", type=float, default=2.0, help="seconds between progress polls")

    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    handler = {
        "dev": _dev, "api": _api, "worker": _worker, "beat": _beat, "migrate": _migrate,
        "keys": _keys, "extract": _extract, "backfill": _backfill,
    }[args.command]
    try:
        return handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear message and a non-zero exit, not a traceback
        print(f"article-ingest {args.command}: error: {exc}", file=sys.stderr)
        return 1


def _migrate(args=None, settings: Settings | None = None) -> int:
    from service.db.migrate import upgrade_to_head

    upgrade_to_head((settings or Settings()).database_url)
    print("database is at the latest migration", file=sys.stderr)
    return 0


def _api(args) -> int:
    import uvicorn

    # No per-request access log: it costs CPU on the hottest path; /metrics and the logs of errors remain.
    uvicorn.run("service.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", access_log=False)
    return 0


def _worker(args) -> int:
    # Pool children record metrics into files here; the main process serves the merged view.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="article-ingest-metrics-"))
    from service.queue.celery_config import queue_names
    from workers.celery_app import app

    ingest, webhooks = queue_names(app.conf.article_ingest_settings)
    queues = {"all": f"{ingest},{webhooks}", "ingest": ingest, "webhooks": webhooks}[args.queues]
    # A node name of its own: two workers with one name on a host fight over their control queue.
    argv = ["worker", f"--loglevel={args.loglevel}", f"--pool={args.pool}", "-E", f"--queues={queues}",
            f"--hostname=ingest-{args.queues}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    if args.beat:
        argv += ["--beat", f"--schedule={_beat_schedule_path()}"]
    app.worker_main(argv)
    return 0


def _beat(args) -> int:
    from workers.celery_app import app

    app.start(["beat", "--loglevel=INFO", f"--schedule={_beat_schedule_path()}"])
    return 0


def _beat_schedule_path() -> str:
    # Beat's bookkeeping file: keep it out of the working directory (and out of git).
    return os.environ.get("INGEST_BEAT_SCHEDULE", os.path.join(tempfile.gettempdir(), f"article-ingest-beat-{os.getpid()}"))


def _keys(args) -> int:
    from service.api_keys.service import create_key, revoke_key, rotate_key
    from service.db.engine import make_engine, make_session_factory

    settings = Settings()
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        with make_session_factory(engine).begin() as session:
            if args.keys_command == "create":
                issued = create_key(session, name=args.name, scopes=args.scope)
                print(json.dumps({"id": str(issued.id), "key": issued.key, "webhook_secret": issued.webhook_secret}))
                return 0
            if args.keys_command == "rotate":
                issued = rotate_key(session, uuid.UUID(args.key_id))
                print(json.dumps({"id": str(issued.id), "key": issued.key}))
                return 0
            if not revoke_key(session, args.key_id):
                print(f"article-ingest keys revoke: no key {args.key_id}", file=sys.stderr)
                return 1
            return 0
    finally:
        engine.dispose()


def _extract(args) -> int:
    from service.extract_cli import run_extract

    return run_extract(args.inputs, args.format, Settings())


def _backfill(args) -> int:
    from service.backfills.client import run_backfill

    return run_backfill(args.file, api=args.api or Settings().public_base_url, key=args.key, refresh=args.refresh,
                        callback_url=args.callback_url, rate=args.rate, wait=not args.no_wait, interval=args.interval)


def _dev(args) -> int:
    from service.dev import run_dev

    return run_dev(data_dir=args.data_dir, host=args.host, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
