"""`article-ingest dev`: the whole service on one machine with no external servers.

An embedded Postgres (pgserver) holds the data and doubles as the broker (kombu's SQLAlchemy transport),
so one command gives a working API and worker. Production uses external Postgres and RabbitMQ/Redis.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def run_dev(*, data_dir: str, host: str, port: int) -> int:
    import pgserver
    import uvicorn

    from service.api_keys.service import create_key
    from service.app import create_app
    from service.db.engine import make_engine, make_session_factory
    from service.db.migrate import upgrade_to_head
    from service.settings import Settings

    data = Path(data_dir).resolve()
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data / "pg"), cleanup_mode="stop")
    socket_dir = server.get_uri().split("host=", 1)[1]
    database_url = f"postgresql+psycopg://postgres@/postgres?host={socket_dir}"
    env = {
        **os.environ,
        "INGEST_DATABASE_URL": database_url,
        "INGEST_BROKER_URL": f"sqla+{database_url}",
        # Local demos fetch pages from this machine; the guard stays on in every other mode.
        "INGEST_ALLOW_PRIVATE_NETWORKS": os.environ.get("INGEST_ALLOW_PRIVATE_NETWORKS", "true"),
        "INGEST_RECONCILE_INTERVAL_SECONDS": os.environ.get("INGEST_RECONCILE_INTERVAL_SECONDS", "10"),
        "INGEST_PUBLIC_BASE_URL": f"http://{host}:{port}",
    }
    os.environ.update(env)
    settings = Settings()
    upgrade_to_head(settings.database_url)
    engine = make_engine(settings.database_url, pool_size=1)
    with make_session_factory(engine).begin() as session:
        issued = create_key(session, name="dev", scopes=["ingest", "admin"])
    engine.dispose()

    worker = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", "--beat", "--concurrency", "1", "--loglevel", "WARNING"],
        env=env,
    )
    try:
        app = create_app(settings)
        print(f"article-ingest dev: API on http://{host}:{port}  (OpenAPI: http://{host}:{port}/schema)", flush=True)
        print(f"article-ingest dev: API key {issued.key}", flush=True)
        print(f"article-ingest dev: webhook secret {issued.webhook_secret}", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.cleanup()
    return 0
