"""The local API's server: uvicorn on its own thread and event loop, beside the window's or alone.

Whoever holds a :class:`~cccd_station.station.core.Station` (the window, `station serve`, a test) starts
and stops it; it never blocks the caller's thread. The listening socket is bound in :meth:`ApiServer.start`
so a busy port is reported there, as an :class:`ApiServerError`, not lost in the server's thread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

import uvicorn

from cccd_station.db.settings import check_api_address, is_loopback, parse_listen_address
from cccd_station.station.api.app import ApiContext, create_app
from cccd_station.station.api.limits import FailedAuthLimiter
from cccd_station.station.api.tls import TlsFiles, ensure_certificate
from cccd_station.station.core import Station

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


class ApiServerError(Exception):
    """The API cannot listen where it was asked to (address in use, no TLS for a LAN address...)."""

    kind: ClassVar[str] = "api_unavailable"


@dataclass(frozen=True)
class ApiAddress:
    """Where the server listens, as a client would write it."""

    host: str
    port: int
    tls: bool

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


class ApiServer:
    """``start()`` listens on ``listen`` (HOST:PORT; port 0 picks a free one) and serves on a thread of
    its own; ``stop()`` ends it, cancelling a read it started. A non-loopback address needs ``tls``: the
    certificate is made in the station's data directory (:mod:`.tls`)."""

    def __init__(
        self,
        station: Station,
        listen: str = "127.0.0.1:8777",
        *,
        tls: bool = False,
        reader: str | None = None,
        access_log: bool = False,
        limiter: FailedAuthLimiter | None = None,
    ) -> None:
        try:
            check_api_address(listen, tls, any_port=True)
        except ValueError as error:
            raise ApiServerError(str(error)) from error
        self.station = station
        self.host, self.port = parse_listen_address(listen, any_port=True)
        self.tls_files: TlsFiles | None = None
        if tls:
            station_id = station.station_id if station.database is not None else ""
            self.tls_files = ensure_certificate(station.data_dir, self.host, station_id=station_id)
        from cccd_station.station.cli import distribution_version

        self.context = ApiContext(
            station,
            reader=reader,
            tls=tls,
            listen_host=self.host,
            version=distribution_version(),
            limiter=limiter or FailedAuthLimiter(),
        )
        self.app = create_app(self.context)
        self._access_log = access_log
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.address: ApiAddress | None = None

    def start(self) -> ApiAddress:
        """Listen and serve; returns the address (with the port chosen when 0 was asked)."""
        if self._thread is not None:
            raise RuntimeError("the API server is already running")
        self.context.cancel.clear()
        self._socket = self._bind()
        port = self._socket.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,  # the program's own logging, not uvicorn's
            access_log=self._access_log,
            ws="websockets-sansio",
            http="h11",
            lifespan="on",
            timeout_graceful_shutdown=2,
            ssl_certfile=str(self.tls_files.certfile) if self.tls_files else None,
            ssl_keyfile=str(self.tls_files.keyfile) if self.tls_files else None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="station-api", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ApiServerError("the local API did not start: the station's log says why")
            time.sleep(0.01)
        self.address = ApiAddress(self.host, port, self.tls_files is not None)
        log.info("local API listening on %s", self.address.url)
        return self.address

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(64)
        except OSError as error:
            sock.close()
            raise ApiServerError(f"cannot listen on {self.host}:{self.port}: {error.strerror}") from error
        sock.setblocking(False)
        return sock

    def _run(self) -> None:
        assert self._server is not None and self._socket is not None
        try:
            self._server.run(sockets=[self._socket])
        except BaseException:  # uvicorn exits with SystemExit on a failed start-up
            log.exception("the local API stopped")

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def loopback_only(self) -> bool:
        return is_loopback(self.host)

    def stop(self) -> None:
        """Stop serving: subscribers are disconnected, a read the API started is cancelled."""
        self.context.cancel.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
            if self._thread.is_alive():
                log.warning("the local API did not stop within %.0f s", STOP_TIMEOUT_S)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._server = None

    def __enter__(self) -> ApiServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
