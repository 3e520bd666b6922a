"""A fault-injecting TCP proxy on 127.0.0.1: the only way these tests take a shared server "down".

Service processes connect to the proxy instead of the real Postgres or broker. `cut()` ends every open
connection on both sides and refuses new ones (accepted, then closed at once), as a stopped server would;
`heal()` lets connections through again. The real server is never touched."""

from __future__ import annotations

import socket
import struct
import threading
from contextlib import contextmanager, suppress

_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST instead of FIN


def _reset(sock: socket.socket) -> None:
    """End the connection now. shutdown() first: close() alone neither wakes a thread blocked in recv() on this
    socket nor tears the connection down while that thread holds it."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._up = True
        self._closed = False
        self.refused = 0  # connections turned away while cut
        threading.Thread(target=self._accept, daemon=True, name=f"proxy:{self.port}").start()

    def url_for(self, url: str) -> str:
        """The same URL with the real server's port replaced by the proxy's."""
        return url.replace(f":{self._target[1]}", f":{self.port}", 1)

    def cut(self) -> None:
        with self._lock:
            self._up = False
            doomed, self._open = self._open, set()
        for sock in doomed:
            _reset(sock)

    def heal(self) -> None:
        with self._lock:
            self._up = True

    @property
    def is_up(self) -> bool:
        return self._up

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                up = self._up
            if not up:
                self.refused += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self._target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                if not self._up:  # cut while we were connecting
                    _reset(client)
                    _reset(upstream)
                    continue
                self._open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        # One side ended or was reset: end the pair (a FIN to a still-open peer is enough).
        with self._lock:
            tracked = src in self._open or dst in self._open
            self._open.discard(src)
            self._open.discard(dst)
        if tracked:
            for sock in (src, dst):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@contextmanager
def fault_proxy(target_port: int):
    proxy = FaultProxy(target_port)
    try:
        yield proxy
    finally:
        proxy.close()
