"""A status-bar label: in sync with the central database, items waiting, or server unreachable."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from cccd_station.station.core import Station, SyncState
from cccd_station.ui.admin.messages import local_time

REFRESH_MILLISECONDS = 5000  # the outbox grows with every read; recount it now and then


class SyncIndicator(QLabel):
    """Shows :meth:`Station.sync_status`. The sync thread reports through :attr:`state_reported`
    (a queued signal), so the label only ever changes on the GUI thread."""

    state_reported = Signal(object)  # SyncState, from any thread
    shown = Signal(str)  # the text now displayed

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.setObjectName("sync_indicator")
        self.setMargin(2)
        self.state: SyncState | None = None
        self.state_reported.connect(self.show_state)
        station.on_sync = self.state_reported.emit
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MILLISECONDS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        """Recount from the local database (no network)."""
        try:
            self.show_state(self._station.sync_status())
        except Exception as error:
            self._show(self.tr("Lỗi cơ sở dữ liệu"), "#b3261e", str(error))

    def show_state(self, state: SyncState) -> None:
        self.state = state
        since = local_time(state.last_success)
        last = self.tr("Lần đồng bộ gần nhất: %1").replace("%1", since) if since else ""
        if not state.configured:
            text = self.tr("Chưa cấu hình máy chủ · %n mục chờ gửi", "", state.pending)
            self._show(text, "#5f6368", self.tr("Chưa đặt địa chỉ cơ sở dữ liệu trung tâm."))
        elif state.last_error:
            text = self.tr("Không kết nối được máy chủ · %n mục chờ gửi", "", state.pending)
            self._show(text, "#b3261e", "\n".join(part for part in (state.last_error, last) if part))
        elif state.pending:
            self._show(self.tr("%n mục chờ gửi", "", state.pending), "#8a5a00", last)
        elif state.in_sync:
            self._show(self.tr("Đã đồng bộ"), "#1e7a34", last)
        else:
            self._show(self.tr("Đang chờ đồng bộ lần đầu"), "#5f6368", "")

    def _show(self, text: str, colour: str, tooltip: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"color: {colour};")
        self.setToolTip(tooltip)
        self.setAccessibleName(text)
        self.shown.emit(text)

    def stop(self) -> None:
        """Detach from the service (before the window closes)."""
        self._timer.stop()
        if self._station.on_sync == self.state_reported.emit:
            self._station.on_sync = None
