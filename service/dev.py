"""`article-ingest dev`: the whole service on one machine with no external servers.

An embedded Postgres (pgserver) holds the data and doubles as the broker (kombu's SQLAlchemy transport), so one
command gives a working API and worker. Production uses external Postgres and RabbitMQ/Redis.

dev is a supervisor: it starts Postgres, then the worker (with beat) and the API as child processes, and on
SIGINT, SIGTERM or SIGHUP, or when a child exits, it stops all of them and Postgres. Children also get SIGTERM
from the kernel if dev itself is killed (Linux), and a Postgres left by such a crash is stopped at the next start.

The data directory (default ./.dev-data) holds the database, the dev key (the same key on every start) and
dev.json, through which other commands run on this machine find dev's database and API (see `running_dev`).
Deleting the directory while dev is stopped starts everything from nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DATA_DIR_ENV = "INGEST_DEV_DATA_DIR"
DEFAULT_DATA_DIR = ".dev-data"
STATE_FILE = "dev.json"  # {pid, database_url, api}: written once dev is ready, removed when it stops
KEY_FILE = "dev-key.json"  # {id, key, webhook_secret} of the dev key, readable by the user only
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
START_SECONDS = 120.0  # API start deadline; a start takes a few seconds
STOP_SECONDS = 15.0  # a child's clean stop (the worker finishes its task); then it is killed


class DevError(Exception):
    """dev cannot start (another dev uses the data directory, a child failed to start); one-line message."""


@dataclass(frozen=True)
class DevState:
    pid: int
    database_url: str
    api: str
    api_key: str


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def running_dev(data_dir: Path | None = None) -> DevState | None:
    """The state of the dev running on `data_dir` (default: INGEST_DEV_DATA_DIR or ./.dev-data), or None."""
    try:
        state = DevState(**json.loads(((data_dir or default_data_dir()) / STATE_FILE).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return state if _pid_alive(state.pid) else None


class _Stopped(BaseException):
    """Raised in the main thread by the first stop signal (not an Exception: nothing may swallow it)."""


def run_dev(*, data_dir: str, host: str, port: int) -> int:
    """Run until a stop signal; returns 0 after a requested stop, 1 when a child exited on its own."""
    from service.dev_postgres import EmbeddedPostgres

    for noisy in ("pgserver", "alembic", "httpx"):  # their INFO lines bury the few that matter here
        logging.getLogger(noisy).setLevel(logging.WARNING)
    data = Path(data_dir).resolve()
    other = running_dev(data)
    if other is not None:
        raise DevError(f"another `article-ingest dev` (pid {other.pid}) uses {data}; stop it or pass --data-dir")
    _check_port_free(host, port)
    data.mkdir(parents=True, exist_ok=True)
    postgres = EmbeddedPostgres(data / "pg")
    children: list[tuple[str, subprocess.Popen]] = []
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    try:
        database_url = postgres.start()
        ready_file = data / "worker.ready"  # removed again at stop
        ready_file.unlink(missing_ok=True)
        env = {**_child_env(database_url, host, port), "INGEST_WORKER_READY_FILE": str(ready_file)}
        os.environ.update(env)  # this process migrates and reads the key with the same settings
        key = _prepare_database(database_url, data / KEY_FILE)
        _prepare_broker(env["INGEST_BROKER_URL"])
        children.append(("worker", _spawn(["worker", "--beat", "--concurrency", "1", "--loglevel", "WARNING"], env)))
        children.append(("API", _spawn(["api", "--host", host, "--port", str(port)], env)))
        api = f"http://{host}:{port}"
        _wait_until_serving(api, ready_file, children)
        _write_state(data, DevState(os.getpid(), database_url, api, key["key"]))
        _announce(api, key, data, database_url)
        while True:
            for name, proc in children:
                if proc.poll() is not None:
                    print(f"article-ingest dev: the {name} exited (code {proc.returncode}); stopping", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except _Stopped:
        return 0
    finally:
        for sig in STOP_SIGNALS:  # stop without being interrupted; a second Ctrl-C must not leave orphans
            signal.signal(sig, signal.SIG_IGN)
        (data / STATE_FILE).unlink(missing_ok=True)
        for _, proc in reversed(children):  # API first: no new work while the worker finishes its task
            _stop_child(proc)
        (data / "worker.ready").unlink(missing_ok=True)
        postgres.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _check_port_free(host: str, port: int) -> None:
    """Raise DevError when something already listens on host:port (readiness is checked over HTTP there, so
    another server on the port would be taken for ours)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise DevError(
                f"cannot serve on {host}:{port} ({exc.strerror}); stop what uses it or pass --port"
            ) from None


def _raise_stopped(signum, frame) -> None:
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise _Stopped(signum)


def _child_env(database_url: str, host: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "INGEST_DATABASE_URL": database_url,
        "INGEST_BROKER_URL": f"sqla+{database_url}",
        # Local demos fetch pages from, and send webhooks to, this machine on any port; the API logs this at
        # start and dev says so. The guard stays on in every other mode.
        "INGEST_ALLOW_PRIVATE_NETWORKS": os.environ.get("INGEST_ALLOW_PRIVATE_NETWORKS", "true"),
        "INGEST_ALLOW_ANY_PORT": os.environ.get("INGEST_ALLOW_ANY_PORT", "true"),
        "INGEST_RECONCILE_INTERVAL_SECONDS": os.environ.get("INGEST_RECONCILE_INTERVAL_SECONDS", "10"),
        "INGEST_PUBLIC_BASE_URL": f"http://{host}:{port}",
    }


def _prepare_database(database_url: str, key_file: Path) -> dict[str, str]:
    """Migrate, then return the dev key: the one kept in `key_file` while it still works (with the key's current
    webhook secret, which a rotation through the API changes), else a new one."""
    from service.api_keys.models import ApiKey
    from service.api_keys.scopes import SCOPES
    from service.api_keys.service import authenticate, create_key
    from service.db.engine import make_engine, make_session_factory
    from service.db.migrate import upgrade_to_head

    upgrade_to_head(database_url)
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_session_factory(engine).begin() as session:
            try:
                kept = json.loads(key_file.read_text())
                principal = authenticate(session, kept["key"])
            except (OSError, ValueError, KeyError, TypeError):
                principal = None
            row = session.get(ApiKey, principal.key_id) if principal is not None else None
            if row is not None:
                key = {**kept, "webhook_secret": row.webhook_secret}
                if key != kept:
                    _write_key_file(key_file, key)
                return key
            issued = create_key(session, name="dev", scopes=list(SCOPES))
    finally:
        engine.dispose()
    key = {"id": str(issued.id), "key": issued.key, "webhook_secret": issued.webhook_secret}
    _write_key_file(key_file, key)
    return key


def _prepare_broker(broker_url: str) -> None:
    """The SQL broker's tables and queues, made here before the API and the two pools start (each would make
    them on first use, and at once: see service.queue.sql_broker)."""
    from service.queue.celery_config import queue_names
    from service.queue.sql_broker import prepare_sql_broker
    from service.settings import Settings

    prepare_sql_broker(broker_url, queue_names(Settings()))


def _write_key_file(key_file: Path, key: dict[str, str]) -> None:
    """The dev key file, readable by its owner only (0600), written anew."""
    key_file.unlink(missing_ok=True)
    with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        json.dump(key, out)


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A session of its own: a terminal's Ctrl-C reaches dev only, which stops the children in order.
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", *args],
        env=env,
        start_new_session=True,
        preexec_fn=die_with_parent(os.getpid()),
    )


def die_with_parent(parent: int):
    """A preexec_fn for children of `parent` (dev, the worker's pools). Linux: the child gets SIGTERM when
    `parent` dies, even by SIGKILL (prctl PR_SET_PDEATHSIG)."""

    def set_death_signal() -> None:
        if sys.platform.startswith("linux"):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above ran
            os._exit(1)

    return set_death_signal


def _stop_child(proc: subprocess.Popen) -> None:
    """SIGTERM (uvicorn and Celery stop cleanly), SIGKILL after STOP_SECONDS, then whatever is left of its group."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # pool processes the worker did not reap


def _wait_until_serving(api: str, worker_ready: Path, children: list[tuple[str, subprocess.Popen]]) -> None:
    """Until the API answers and the worker takes work; DevError when a child exits or START_SECONDS pass."""
    import httpx

    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for name, proc in children:
            if proc.poll() is not None:
                raise DevError(f"the {name} exited at start (code {proc.returncode}); see its output above")
        try:
            if worker_ready.exists() and httpx.get(f"{api}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise DevError(f"the API on {api} and the worker did not start within {START_SECONDS:.0f} s")


def _write_state(data: Path, state: DevState) -> None:
    path = data / STATE_FILE
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        json.dump(asdict(state), out)


def _announce(api: str, key: dict[str, str], data: Path, database_url: str) -> None:
    from sqlalchemy.engine import make_url

    socket_dir = make_url(database_url).query.get("host", "")
    for line in (
        f"API on {api}  (OpenAPI: {api}/schema)",
        f"API key {key['key']}  (scopes ingest, admin; kept in {data / KEY_FILE}, the same on every start)",
        f"webhook secret {key['webhook_secret']}",
        f"SQL (docs/read-contract.md): psql -h {socket_dir} -U postgres postgres",
        f"data in {data}: stop dev and delete it to start from nothing",
        _guard_line(),
        "other commands run from here use this database and API, e.g. "
        "`article-ingest keys create --name cms --scopes ingest`",
        "ready; Ctrl-C stops everything",
    ):
        print(f"article-ingest dev: {line}", flush=True)


def _guard_line() -> str:
    """What dev's children may reach, as their settings (read from the environment dev passed them) say."""
    from service.settings import Settings

    settings = Settings()
    private = "loopback and private addresses" if settings.allow_private_networks else "public addresses only"
    ports = "on any port" if settings.allow_any_port else "on the allowed ports"
    demo = settings.allow_private_networks or settings.allow_any_port
    return f"{'local demo mode: ' if demo else ''}fetches and webhooks may reach {private} {ports}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
