"""Attach sign-in, saving, the admin screens and the sync state to the counter's main window in one call.

    station = Station.open(url=database_url_from_environment())
    operator = sign_in(station)                # None: the operator quit
    hooks = attach_admin(window, station, operator)
    station.start_sync()
    ...
    hooks.stop()                               # after the event loop ends
    station.close()

Uses only the window's public API (:meth:`MainWindow.add_status_widget`, :meth:`add_records_action`,
:meth:`set_operator`, :meth:`apply_settings`, its signals). The core audits every read by itself;
these hooks offer "Lưu hồ sơ" for the result shown, show the sync state and a warning while no CSCA is
trusted, run the local API when the settings enable it, add the admin screens for administrators and
sign-out. Call :meth:`AdminHooks.stop` when the window closes, before the station does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QToolButton

from cccd_station.station.core import Operator, Station, StationSettings
from cccd_station.ui.admin.admin_window import AdminWindow, open_admin_window
from cccd_station.ui.admin.local_api import LocalApiIndicator
from cccd_station.ui.admin.messages import error_message
from cccd_station.ui.admin.record_actions import SaveRecordAction
from cccd_station.ui.admin.sign_in import sign_in
from cccd_station.ui.admin.sync_indicator import SyncIndicator
from cccd_station.ui.icons import AMBER

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult
    from cccd_station.ui.main_window import MainWindow

STATUS_MESSAGE_MILLISECONDS = 8000


class AdminHooks(QObject):
    """What :func:`attach_admin` added to a main window; a child of the window, it lives as long."""

    signed_out = Signal()

    def __init__(self, window: MainWindow, station: Station, operator: Operator) -> None:
        super().__init__(window)
        self.window = window
        self.station = station
        self.admin_window: AdminWindow | None = None

        self.sync_indicator = SyncIndicator(station, window)
        self.sync_indicator.state_reported.connect(self.show_trust_state)  # trust may arrive with a sync
        self.save_action = SaveRecordAction(station, lambda: window.operator, window)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+H"))  # Ctrl+S is the window's JSON export
        self.save_action.saved.connect(self._saved)
        self.save_action.failed.connect(self._say)
        # Visible next to the sync state as well as in the menu: saving is a deliberate clerk action.
        self.save_button = QToolButton(window)
        self.save_button.setDefaultAction(self.save_action)
        self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Until an administrator imports the CSCAs no card can be fully verified: say so at all times.
        self.trust_warning = QLabel(window)
        self.trust_warning.setObjectName("trust_warning")
        self.trust_warning.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        self.trust_warning.setVisible(False)
        # The local API runs while the settings enable it, whoever is signed in (it serves other programs).
        self.local_api = LocalApiIndicator(station, window)
        window.add_status_widget(self.trust_warning)
        window.add_status_widget(self.save_button)
        window.add_status_widget(self.local_api)
        window.add_status_widget(self.sync_indicator)
        self.admin_action = QAction(window)
        self.admin_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.admin_action.triggered.connect(self.open_admin)
        self.sign_out_action = QAction(window)
        self.sign_out_action.triggered.connect(self.sign_out)
        window.add_records_action(self.save_action)
        window.add_records_action(None)
        window.add_records_action(self.admin_action)
        window.add_records_action(self.sign_out_action)
        self.retranslate()
        window.language_changed.connect(self.retranslate)
        window.result_shown.connect(self._result_shown)
        window.error_shown.connect(self._nothing_to_save)
        window.cleared.connect(self._nothing_to_save)
        window.set_operator(operator)
        self.show_trust_state()
        self._show_operator()
        self.apply_settings(station.settings())  # as they are now, for the window and the local API

    @property
    def operator(self) -> Operator | None:
        """The window's operator: signing in and out goes through :meth:`MainWindow.set_operator`."""
        return self.window.operator

    def retranslate(self) -> None:
        """Texts in the language now installed; an open admin window is rebuilt in it, on the same tab
        and with the settings not saved yet."""
        self.save_action.retranslate()
        self.local_api.show_state(self.local_api.state)
        self.admin_action.setText(self.tr("Màn hình &quản trị…"))
        self.sign_out_action.setText(self.tr("Đăng &xuất"))
        self.sync_indicator.refresh()
        self.trust_warning.setText(
            self.tr("⚠ Chưa có chứng thư CSCA: chưa xác minh được nơi cấp thẻ. Hãy nhập danh sách tin cậy.")
        )
        old = self.admin_window
        if old is None or not old.isVisible():
            return
        self.admin_window = None
        reopened = self.open_admin()
        if reopened is not None:
            reopened.tabs.setCurrentIndex(old.tabs.currentIndex())
            reopened.settings_tab.take_edits_from(old.settings_tab)
        old.close()
        old.deleteLater()

    def _say(self, text: str) -> None:
        self.window.show_message(text, STATUS_MESSAGE_MILLISECONDS)

    def _saved(self, _info: object) -> None:
        self._say(self.tr("Đã lưu hồ sơ (được mã hóa)."))

    def _result_shown(self, result: InspectionResult) -> None:
        self.save_action.set_result(result)

    def _nothing_to_save(self, *_args: object) -> None:
        self.save_action.set_result(None)

    def _show_operator(self) -> None:
        operator = self.operator
        self.admin_action.setEnabled(operator is not None and operator.is_admin)
        if operator is not None:
            self.sync_indicator.setToolTip(f"{operator.display_name} ({operator.username})")

    def show_trust_state(self, *_args: object) -> None:
        """The warning shows while the station trusts no CSCA (the demo trusts its TEST ones)."""
        self.trust_warning.setVisible(not self.station.anchors.cscas)

    def apply_settings(self, settings: StationSettings) -> None:
        self.window.apply_settings(settings)
        self.local_api.apply(settings)

    def open_admin(self) -> AdminWindow | None:
        if self.operator is None:
            return None
        if self.admin_window is not None and self.admin_window.isVisible():
            self.admin_window.raise_()  # one admin window: the shortcut brings it to the front
            self.admin_window.activateWindow()
            return self.admin_window
        self._close_admin_window()
        # A separate window, owned by the main window: Qt deletes it, on the GUI thread, not Python.
        window = open_admin_window(self.station, self.operator, self.window)
        if window is not None:
            window.settings_tab.settings_saved.connect(self.apply_settings)
            window.trust_tab.trust_changed.connect(self.show_trust_state)
            self.admin_window = window
        return window

    def stop(self) -> None:
        """Stop what runs beside the window: the local API (its server holds the station)."""
        self.local_api.stop()

    def _close_admin_window(self) -> None:
        if self.admin_window is not None:
            self.admin_window.close()
            self.admin_window.deleteLater()  # a closed window is hidden, not deleted, by Qt
            self.admin_window = None

    def sign_out(self) -> None:
        """Sign out, clear the screen, ask for the next operator; quitting the dialog closes the window."""
        if self.operator is not None:
            try:
                self.station.db.operators.sign_out(self.operator)
            except Exception as error:
                self._say(error_message(error))
        self._close_admin_window()
        self.window.set_operator(None)
        self.signed_out.emit()
        operator = sign_in(self.station, self.window)
        if operator is None:
            self.window.close()
            return
        self.window.set_operator(operator)
        self._show_operator()


def attach_admin(window: MainWindow, station: Station, operator: Operator) -> AdminHooks:
    """Wire sign-in, saving, admin screens, the trust warning and the sync indicator into ``window``."""
    return AdminHooks(window, station, operator)
