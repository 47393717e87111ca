"""The local API beside the window (issue 11): started, moved or stopped as the station's settings say.

The server (:class:`cccd_station.station.api.ApiServer`) runs on a thread of its own; starting it
(binding, perhaps making its TLS certificate) and stopping it (closing the connections) happen on a
short-lived worker thread, so the window never waits for either. This status-bar label says where the
API listens, or why it cannot; the worker reports through a queued signal, so the label only ever
changes on the GUI thread. A read made in the window is pushed to the API's subscribers by the core.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from cccd_station.station.core import Station, StationSettings

if TYPE_CHECKING:
    from cccd_station.station.api import ApiServer

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class ApiState:
    url: str | None = None  # where it listens; None: not running
    fingerprint: str | None = None  # SHA-256 of its TLS certificate, for clients to pin
    error: str | None = None  # why it could not start


class LocalApiIndicator(QLabel):
    """Runs the station's local API while the settings enable it, and shows its state."""

    state_reported = Signal(object)  # ApiState, from the worker thread

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.setObjectName("local_api_indicator")
        self.setMargin(2)
        self.setVisible(False)
        self.state = ApiState()
        self.server: ApiServer | None = None
        self._running: tuple[str, bool] | None = None  # (listen, tls) of the server running
        self._change_lock = threading.Lock()  # one start or stop at a time, in the order asked
        self._workers: list[threading.Thread] = []
        self.state_reported.connect(self.show_state)

    def apply(self, settings: StationSettings) -> None:
        """Bring the server in line with ``settings`` (on a worker thread)."""
        wanted = (settings.api_listen, settings.api_tls) if settings.api_enabled else None
        worker = threading.Thread(
            target=self._change, args=(wanted,), name="station-api-control", daemon=True
        )
        self._workers = [each for each in self._workers if each.is_alive()] + [worker]
        worker.start()

    def _change(self, wanted: tuple[str, bool] | None) -> None:
        with self._change_lock:
            if wanted == self._running:  # set only while its server runs: a failed start is retried
                return
            if self.server is not None:
                self.server.stop()
                self.server, self._running = None, None
            if wanted is None:
                self.state_reported.emit(ApiState())
                return
            # Imported here, on the worker: the web stack is not loaded unless the API is enabled.
            from cccd_station.station.api import ApiServer, ApiServerError

            try:
                server = ApiServer(self._station, wanted[0], tls=wanted[1])
                address = server.start()
            except ApiServerError as error:
                self.state_reported.emit(ApiState(error=str(error)))
                return
            except Exception as error:  # a bug: the window goes on without the API
                log.exception("the local API could not start")
                self.state_reported.emit(ApiState(error=type(error).__name__))
                return
            self.server, self._running = server, wanted
            fingerprint = server.tls_files.fingerprint if server.tls_files else None
            self.state_reported.emit(ApiState(url=address.url, fingerprint=fingerprint))

    def show_state(self, state: ApiState) -> None:
        self.state = state
        if state.error is not None:
            text = self.tr("API: không chạy được")
            self.setStyleSheet("color: #b3261e;")
            self.setToolTip(state.error)
        elif state.url is not None:
            text = self.tr("API: %1").replace("%1", state.url)
            self.setStyleSheet("color: #1e7a34;")
            tooltip = self.tr("Các chương trình khác nhận kết quả đọc thẻ tại địa chỉ này.")
            if state.fingerprint:
                tooltip += "\n" + self.tr("Dấu vân tay chứng thư TLS (SHA-256): %1").replace(
                    "%1", state.fingerprint
                )
            self.setToolTip(tooltip)
        else:
            text = ""
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def stop(self) -> None:
        """Stop the server and wait for it (the window is closing, before the station closes)."""
        for worker in self._workers:
            worker.join(STOP_TIMEOUT_S)
        with self._change_lock:
            if self.server is not None:
                self.server.stop()
                self.server, self._running = None, None
