"""`article-ingest` command line: dev, api, worker, beat, migrate, keys, extract, backfill.

Imports are lazy: each command loads only what it uses (`extract` never loads Celery, SQLAlchemy or Litestar),
so a short command starts in a fraction of a second. Every error ends the command with one line on stderr,
`article-ingest <command>: error: <message>`, and a non-zero exit (2 for a bad command line).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid

from service.api_keys.scopes import SCOPES

DEV_HELP = """\
Run everything on this machine with no external servers: an embedded Postgres (which is also the broker),
the API, and one worker with the periodic scheduler. Prints the API address and an API key, and stops
everything it started on Ctrl-C, SIGTERM or SIGHUP.

The data directory (--data-dir, default ./.dev-data or INGEST_DEV_DATA_DIR) keeps the database and the dev key
(the same key on every start). To start from nothing, stop dev and delete that directory.
While dev runs, other commands run from the same directory (`keys`, `migrate`, `backfill`) use its database
and API unless INGEST_DATABASE_URL is set.

Local demo mode: fetches and webhooks may reach loopback and private addresses on any port (the SSRF guard
and the port list are lifted; set INGEST_ALLOW_PRIVATE_NETWORKS=false or INGEST_ALLOW_ANY_PORT=false to keep them).
"""


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (argparse prints the whole usage first), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a key id (a UUID)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="article-ingest", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dev = commands.add_parser(
        "dev",
        help="run everything on this machine: embedded Postgres, broker, API, worker",
        description=DEV_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dev.add_argument(
        "--data-dir",
        default=None,
        help="where the database and the dev key are kept (default: INGEST_DEV_DATA_DIR or .dev-data)",
    )
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)

    api = commands.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=1, help="API processes")

    worker = commands.add_parser(
        "worker",
        help="run the Celery workers: extraction and webhook delivery, each in a pool of its own",
        description="By default two Celery workers run as child processes: extraction (prefork, --concurrency) and "
        "webhook delivery (threads, --webhook-concurrency), so a slow webhook receiver never holds an extraction "
        "slot. --queues ingest|webhooks runs one of them alone (separate deployments), --queues all one shared pool.",
    )
    worker.add_argument("--concurrency", type=int, default=None, help="extraction pool processes (default: CPU count)")
    worker.add_argument(
        "--webhook-concurrency",
        type=int,
        default=None,
        help="webhook delivery threads when delivery runs in its own pool (default 8)",
    )
    worker.add_argument("--beat", action="store_true", help="also run the periodic reconciler in this process")
    worker.add_argument(
        "--pool",
        default=None,
        help="with --queues: prefork for extraction (CPU), threads for webhooks (I/O); default prefork",
    )
    worker.add_argument(
        "--queues",
        choices=["split", "all", "ingest", "webhooks"],
        default="split",
        help="split (default): extraction and delivery in pools of their own; ingest or webhooks: only that work; "
        "all: one shared pool (a slow receiver then holds an extraction slot)",
    )
    worker.add_argument("--loglevel", default="INFO")

    commands.add_parser("beat", help="run the periodic scheduler (reconciler)")
    commands.add_parser("migrate", help="apply database migrations")

    keys = commands.add_parser("keys", help="manage API keys (the fields of POST /v1/admin/keys)")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = key_commands.add_parser(
        "create", help="create a key; prints it as the API does: {id, name, prefix, scopes, key, webhook_secret}"
    )
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scopes",
        "--scope",
        dest="scopes",
        action="extend",
        nargs="+",
        required=True,
        choices=[str(s) for s in SCOPES],
        metavar="SCOPE",
        help="ingest and/or admin",
    )
    revoke = key_commands.add_parser("revoke", help="revoke a key by id; prints the key's record")
    revoke.add_argument("key_id", type=_uuid)
    rotate = key_commands.add_parser(
        "rotate", help="replace a key's secret (the old one stops working); prints it as the API does"
    )
    rotate.add_argument("key_id", type=_uuid)

    extract = commands.add_parser("extract", help="run the pipeline on files, URLs or stdin; prints JSON Lines")
    extract.add_argument(
        "--format",
        choices=["html", "text", "auto"],
        default="auto",
        help="how to read files and stdin: html, plain text (first non-empty line is the title), or auto (markup "
        "is html); files are read as bytes and decoded by BOM, <meta> charset, then detection",
    )
    extract.add_argument(
        "inputs",
        nargs="+",
        metavar="PATH|URL|-",
        help="files, http(s) URLs (fetched through the same SSRF guard and port list as the service) or - for "
        "stdin; one JSON record per input, exit 1 if any failed",
    )

    backfill = commands.add_parser(
        "backfill",
        help="stream a file of URLs (NDJSON or a JSON array) to the admin "
        "backfill endpoint and show progress until done; exits 1 if any line or job "
        "failed",
    )
    backfill.add_argument("file", metavar="FILE|-")
    backfill.add_argument(
        "--api", default=None, help="API base URL (default: a running dev's, else INGEST_PUBLIC_BASE_URL)"
    )
    backfill.add_argument("--key", default=None, help="admin API key (default: INGEST_API_KEY, else a running dev's)")
    backfill.add_argument("--refresh", action="store_true", help="fetch again URLs that are already stored")
    backfill.add_argument("--callback-url", default=None, help="webhook told when the backfill finishes")
    backfill.add_argument("--rate", type=float, default=None, help="release rate ceiling, jobs per second")
    backfill.add_argument("--no-wait", action="store_true", help="print the id and exit once accepted")
    backfill.add_argument("--interval", type=float, default=2.0, help="seconds between progress polls")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {
        "dev": _dev,
        "api": _api,
        "worker": _worker,
        "beat": _beat,
        "migrate": _migrate,
        "keys": _keys,
        "extract": _extract,
        "backfill": _backfill,
    }[args.command]
    try:
        return handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear message and a non-zero exit, not a traceback
        print(f"article-ingest {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return 1


def one_line(exc: BaseException) -> str:
    """The first line of an error's message (a database error's own message, without SQL or links)."""
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0]


def _settings(configure_logs: bool = True):
    from service.settings import Settings

    settings = Settings()
    if configure_logs:
        from service.observability.logs import configure_logging

        configure_logging(settings.log_level, settings.log_format)
    return settings


def _client_settings():
    """Settings for commands that act on a deployment (keys, migrate, backfill): a running dev's database and API
    when INGEST_DATABASE_URL is not set, so they work beside `article-ingest dev` with nothing to configure."""
    settings = _settings()
    if "INGEST_DATABASE_URL" in os.environ:
        return settings, None
    from service.dev import running_dev

    dev = running_dev()
    if dev is None:
        from sqlalchemy.engine import make_url

        print(
            "article-ingest: no running `article-ingest dev` uses ./.dev-data (or INGEST_DEV_DATA_DIR) and "
            f"INGEST_DATABASE_URL is not set: using the default database "
            f"{make_url(settings.database_url).render_as_string(hide_password=True)}",
            file=sys.stderr,
        )
        return settings, None
    print(f"article-ingest: using the database of `article-ingest dev` (pid {dev.pid})", file=sys.stderr)
    return settings.model_copy(update={"database_url": dev.database_url, "public_base_url": dev.api}), dev


def _migrate(args) -> int:
    from service.db.migrate import upgrade_to_head

    settings, _ = _client_settings()
    upgrade_to_head(settings.database_url)
    print("database is at the latest migration", file=sys.stderr)
    return 0


def _api(args) -> int:
    import uvicorn

    settings = _settings()
    # No per-request access log: it costs CPU on the hottest path; /metrics and the logs of errors remain.
    uvicorn.run(
        "service.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,
        loop="uvloop",  # libuv's event loop and the httptools parser: less CPU per request than asyncio + h11
        http="httptools",
        # Proxy headers only from the proxies named in settings: the per-address limits key on the client address.
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )
    return 0


def _worker(args) -> int:
    settings = _settings()
    # Pool children record metrics into files here; the main process serves the merged view.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="article-ingest-metrics-"))
    if args.queues == "split":
        from service.worker_pools import WEBHOOK_CONCURRENCY, pool_commands, run_pools

        if args.pool:
            raise ValueError("--pool applies to one pool: pass it with --queues ingest, webhooks or all")
        from service.queue.celery_config import queue_names
        from service.queue.sql_broker import prepare_sql_broker

        prepare_sql_broker(settings.broker_url, queue_names(settings))  # the two pools would race to make them
        return run_pools(
            pool_commands(
                concurrency=args.concurrency,
                webhook_concurrency=args.webhook_concurrency or WEBHOOK_CONCURRENCY,
                beat=args.beat,
                loglevel=args.loglevel,
            )
        )
    if args.webhook_concurrency:
        raise ValueError("--webhook-concurrency applies when delivery runs in its own pool (no --queues)")
    from service.queue.celery_config import queue_names
    from workers.celery_app import app

    ingest, webhooks = queue_names(app.conf.article_ingest_settings)
    queues = {"all": f"{ingest},{webhooks}", "ingest": ingest, "webhooks": webhooks}[args.queues]
    # A node name of its own: two workers with one name on a host fight over their control queue.
    argv = [
        "worker",
        f"--loglevel={args.loglevel}",
        f"--pool={args.pool or 'prefork'}",
        f"--queues={queues}",
        f"--hostname=ingest-{args.queues}-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    if args.beat:
        argv += ["--beat", f"--schedule={_beat_schedule_path()}"]
    app.worker_main(argv)
    return 0


def _beat(args) -> int:
    _settings()
    from workers.celery_app import app

    app.start(["beat", "--loglevel=INFO", f"--schedule={_beat_schedule_path()}"])
    return 0


def _beat_schedule_path() -> str:
    # Beat's bookkeeping file: keep it out of the working directory (and out of git).
    return os.environ.get(
        "INGEST_BEAT_SCHEDULE", os.path.join(tempfile.gettempdir(), f"article-ingest-beat-{os.getpid()}")
    )


def _keys(args) -> int:
    import msgspec

    from service.api_keys import service as keys
    from service.api_keys.schemas import to_key_issued, to_key_read
    from service.db.engine import make_engine, make_session_factory
    from service.errors import NotFound

    settings, _ = _client_settings()
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        with make_session_factory(engine).begin() as session:
            if args.keys_command == "revoke":
                if not keys.revoke_key(session, args.key_id):
                    raise NotFound(f"no API key {args.key_id}")
                session.flush()
                body = to_key_read(keys.get_key(session, args.key_id))
            else:
                issued = (
                    keys.create_key(session, name=args.name, scopes=args.scopes)
                    if args.keys_command == "create"
                    else keys.rotate_key(session, args.key_id)
                )
                body = to_key_issued(keys.get_key(session, issued.id), issued)
    finally:
        engine.dispose()
    print(msgspec.json.encode(body).decode())
    return 0


def _extract(args) -> int:
    from service.extract_cli import run_extract

    return run_extract(args.inputs, args.format)


def _backfill(args) -> int:
    from service.backfills.client import run_backfill

    settings, dev = _client_settings()
    key = args.key or os.environ.get("INGEST_API_KEY") or (dev.api_key if dev else None)
    return run_backfill(
        args.file,
        api=args.api or settings.public_base_url,
        key=key,
        refresh=args.refresh,
        callback_url=args.callback_url,
        rate=args.rate,
        wait=not args.no_wait,
        interval=args.interval,
    )


def _dev(args) -> int:
    from service.dev import default_data_dir, run_dev

    _settings()
    return run_dev(data_dir=args.data_dir or str(default_data_dir()), host=args.host, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
