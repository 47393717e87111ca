"""Attach the station services to the counter's main window in one call.

    services = StationServices.open(url=database_url_from_environment())
    operator = sign_in(services)               # None: the operator quit
    hooks = attach_admin(window, services, operator)
    services.start_sync()
    ...
    services.close()                           # after the event loop ends

The hooks audit every read attempt (result or error) with the window's reader name, offer
"Lưu hồ sơ" for the result shown, put the sync indicator in the status bar, add a "Quản trị" menu
(admin screens for administrators, sign out), apply the database's auto-clear delay and, outside
the demo, hand each read the services' current trust store.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from cccd_station.db import DbError, Operator, StationSettings
from cccd_station.reader.errors import Cancelled
from cccd_station.station.records_service import StationServices
from cccd_station.ui.admin.admin_window import AdminWindow, open_admin_window
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
    """What :func:`attach_admin` added to a main window; keep it as long as the window lives."""

    signed_out = Signal()
    attempt_recorded = Signal(object)  # the db.AuditEvent of a read attempt
    trust_replaced = Signal(object)  # a TrustStore, from whichever thread replaced it

    def __init__(self, window: MainWindow, services: StationServices, operator: Operator) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.operator: Operator | None = operator
        self.admin_window: AdminWindow | None = None

        self.sync_indicator = SyncIndicator(services, window)
        self.save_action = SaveRecordAction(services, lambda: self.operator, window)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+H"))  # Ctrl+S is the window's JSON export
        self.save_action.saved.connect(lambda _info: self._say(self.tr("Đã lưu hồ sơ (được mã hóa).")))
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
        window.statusBar().addPermanentWidget(self.trust_warning)
        window.statusBar().addPermanentWidget(self.save_button)
        window.statusBar().addPermanentWidget(self.sync_indicator)
        self.admin_action = QAction(window)
        self.admin_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.admin_action.triggered.connect(self.open_admin)
        self.sign_out_action = QAction(window)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.retranslate()
        window.language_changed.connect(self.retranslate)
        # The window's "Records" menu holds a placeholder entry until a signed-in operator fills it.
        window.records_placeholder.setVisible(False)
        menu = self.menu = window.records_menu
        menu.addAction(self.save_action)
        menu.addSeparator()
        menu.addAction(self.admin_action)
        menu.addAction(self.sign_out_action)
        window.addAction(self.save_action)  # shortcuts work while the menu is closed

        # Audit at the card thread's reports: every attempt, also a cancelled or superseded one.
        worker = window.service.worker
        # Bound slots of this GUI-thread object, so the reports arrive queued on the GUI thread
        # (a lambda would run on the card thread).
        worker.succeeded.connect(self._on_read_finished)
        worker.failed.connect(self._on_read_finished)
        worker.cancelled.connect(self._on_read_cancelled)
        window.result_shown.connect(self.save_action.set_result)
        window.error_shown.connect(lambda _kind: self.save_action.set_result(None))
        window.cleared.connect(lambda: self.save_action.set_result(None))
        if not window.demo:  # the demo reads its own TEST anchors
            self.trust_replaced.connect(self._use_trust)
            services.on_trust_replaced = self.trust_replaced.emit
            window.trust = services.trust_store
        self._show_trust_state()
        self._show_operator()
        self.apply_settings(services.settings())

    def retranslate(self) -> None:
        """Texts in the language now installed; an open admin window is rebuilt in it, on the same tab
        and with the settings not saved yet."""
        self.save_action.retranslate()
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
        self.window.statusBar().showMessage(text, STATUS_MESSAGE_MILLISECONDS)

    def _show_operator(self) -> None:
        operator = self.operator
        self.admin_action.setEnabled(operator is not None and operator.is_admin)
        if operator is not None:
            self.sync_indicator.setToolTip(f"{operator.display_name} ({operator.username})")

    def _use_trust(self, store: Any) -> None:
        self.window.trust = store
        self._show_trust_state()

    def _show_trust_state(self) -> None:
        trust = self.window.trust
        self.trust_warning.setVisible(not self.window.demo and (trust is None or not trust.cscas()))

    def apply_settings(self, settings: StationSettings) -> None:
        """The auto-clear delay set by an administrator applies to this window."""
        self.window.settings = replace(self.window.settings, auto_clear_seconds=settings.auto_clear_seconds)

    @Slot(int, object)
    def _on_read_finished(self, _read_id: int, outcome: InspectionResult | BaseException) -> None:
        self._audit(outcome)

    @Slot(int)
    def _on_read_cancelled(self, _read_id: int) -> None:
        self._audit(Cancelled())

    def _audit(self, outcome: InspectionResult | BaseException) -> None:
        try:
            event = self.services.record_attempt(self.operator, self.window.reader, outcome)
        except DbError as error:
            self._say(error_message(error))  # the read stands; the clerk learns it was not recorded
            return
        self.attempt_recorded.emit(event)

    def open_admin(self) -> AdminWindow | None:
        if self.operator is None:
            return None
        if self.admin_window is not None and self.admin_window.isVisible():
            self.admin_window.raise_()  # one admin window: the shortcut brings it to the front
            self.admin_window.activateWindow()
            return self.admin_window
        self._close_admin_window()
        window = open_admin_window(self.services, self.operator, None)
        if window is not None:
            window.settings_tab.settings_saved.connect(self.apply_settings)
            self.admin_window = window  # kept: a window without a reference is deleted
        return window

    def _close_admin_window(self) -> None:
        if self.admin_window is not None:
            self.admin_window.close()
            self.admin_window.deleteLater()  # a closed top-level window is not deleted by itself
            self.admin_window = None

    def sign_out(self) -> None:
        """Sign out, clear the screen, ask for the next operator; quitting the dialog closes the window."""
        if self.operator is not None:
            try:
                self.services.db.operators.sign_out(self.operator)
            except DbError as error:
                self._say(error_message(error))
        self.operator = None
        self._close_admin_window()
        self.window.clear_all()
        self.signed_out.emit()
        parent: QWidget = self.window
        operator = sign_in(self.services, parent)
        if operator is None:
            self.window.close()
            return
        self.operator = operator
        self._show_operator()


def attach_admin(window: MainWindow, services: StationServices, operator: Operator) -> AdminHooks:
    """Wire sign-in, audit, saving, admin screens and the sync indicator into ``window``."""
    return AdminHooks(window, services, operator)
