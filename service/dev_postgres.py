"""The embedded Postgres of `article-ingest dev` (pgserver's binaries), started and stopped by dev itself.

pgserver stops its server only when the last process that opened it exits through atexit, and it counts those
processes in a file. A dev killed by a signal never runs atexit: its pid stays in the file, the postmaster keeps
running, and from then on no exit stops it. So dev tells pgserver not to stop anything (cleanup_mode=None),
stops the postmaster itself (SIGINT: Postgres's fast shutdown), and at start stops a postmaster that a crashed
dev left behind before starting a fresh one.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 30.0  # a fast shutdown of an idle dev database takes well under a second


class EmbeddedPostgres:
    """`start()` returns a SQLAlchemy URL over the server's Unix socket; `stop()` shuts the server down."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self._pid: int | None = None

    def start(self) -> str:
        import pgserver

        orphan = postmaster_pid(self.pgdata)
        if orphan is not None:
            log.warning("stopping the Postgres (pid %d) left running by an earlier dev that did not stop", orphan)
            _shut_down(orphan)
        # pgserver's count of the processes using the server: a crashed dev's pid in it is stale.
        (self.pgdata / ".handle_pids.json").unlink(missing_ok=True)
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        self._pid = server.get_pid()
        socket_dir = server.get_uri().split("host=", 1)[1]
        return f"postgresql+psycopg://postgres@/postgres?host={socket_dir}"

    def stop(self) -> None:
        pid = self._pid if self._pid is not None else postmaster_pid(self.pgdata)
        if pid is not None:
            _shut_down(pid)
        self._pid = None


def postmaster_pid(pgdata: Path) -> int | None:
    """The pid of the postmaster running on `pgdata` (from its postmaster.pid file), or None."""
    import psutil

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        process = psutil.Process(pid)
        running = process.is_running() and process.status() != psutil.STATUS_ZOMBIE and "postgres" in process.name()
    except (FileNotFoundError, ValueError, psutil.Error):
        return None
    return pid if running else None


def _shut_down(pid: int) -> None:
    """Fast shutdown (SIGINT: clients disconnected, no recovery needed at the next start), then immediate."""
    for sig, wait in ((signal.SIGINT, SHUTDOWN_SECONDS), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
