"""The administrator's window: operators, audit trail, saved records, trust store, the local API's
clients, settings."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from cccd_station.station.core import Operator, Station
from cccd_station.station.errors import error_kind
from cccd_station.ui.admin.api_clients_tab import ApiClientsTab
from cccd_station.ui.admin.audit_tab import AuditTab
from cccd_station.ui.admin.messages import error_message
from cccd_station.ui.admin.operators_tab import OperatorsTab
from cccd_station.ui.admin.records_tab import RecordsTab
from cccd_station.ui.admin.settings_tab import SettingsTab
from cccd_station.ui.admin.sync_indicator import SyncIndicator
from cccd_station.ui.admin.trust_tab import TrustTab


class NotAnAdministratorError(PermissionError):
    """The admin screens were asked for by someone who is not (or no longer) an active administrator."""

    kind: ClassVar[str] = "permission_denied"


def _require_admin(station: Station, operator: Operator) -> None:
    """Checked against the database, not the operator value the caller holds (roles change)."""
    try:
        station.require_admin(operator)
    except Exception as error:
        if error_kind(error) != "permission_denied":
            raise
        raise NotAnAdministratorError("Only an administrator may open the admin screens.") from error


class AdminWindow(QWidget):
    """Tabs for an administrator; constructing it for anyone else raises :class:`NotAnAdministratorError`.

    Every action is checked again by the storage layer, which also audits it.
    """

    def __init__(self, station: Station, operator: Operator, parent: QWidget | None = None) -> None:
        _require_admin(station, operator)
        super().__init__(parent, Qt.WindowType.Window)  # its own window, owned by the parent if given
        self._station = station
        self.operator = operator
        self.setObjectName("admin_window")
        self.setWindowTitle(
            self.tr("Quản trị — Trạm đọc CCCD — %1").replace(
                "%1", f"{operator.display_name} ({operator.username})"
            )
        )
        self.resize(1100, 640)
        self.tabs = QTabWidget(self)
        self.operators_tab = OperatorsTab(station, operator, self)
        self.audit_tab = AuditTab(station, operator, self)
        self.records_tab = RecordsTab(station, operator, self)
        self.trust_tab = TrustTab(station, operator, self)
        self.api_clients_tab = ApiClientsTab(station, operator, self)
        self.settings_tab = SettingsTab(station, operator, self)
        self.tabs.addTab(self.operators_tab, self.tr("Người &dùng"))
        self.tabs.addTab(self.audit_tab, self.tr("&Nhật ký"))
        self.tabs.addTab(self.records_tab, self.tr("Hồ &sơ đã lưu"))
        self.tabs.addTab(self.trust_tab, self.tr("&Kho tin cậy"))
        self.tabs.addTab(self.api_clients_tab, self.tr("A&PI"))
        self.tabs.addTab(self.settings_tab, self.tr("&Cài đặt"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.sync_indicator = SyncIndicator(station, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.sync_indicator)
        # Ctrl+Tab / Ctrl+Shift+Tab switch tabs (QTabWidget); Ctrl+W or Escape closes.
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence("Escape"), self, self.close)
        self.operators_tab.table.setFocus()

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if tab is self.audit_tab:
            self.audit_tab.reload_operators()
            self.audit_tab.search()
        elif tab is self.records_tab:
            self.records_tab.refresh()
        elif tab is self.trust_tab:
            self.trust_tab.refresh()
        elif tab is self.operators_tab:
            self.operators_tab.refresh()
        elif tab is self.api_clients_tab:
            self.api_clients_tab.refresh()

    def closeEvent(self, event: object) -> None:
        self.sync_indicator.stop()
        super().closeEvent(event)  # type: ignore[arg-type]


def open_admin_window(
    station: Station, operator: Operator, parent: QWidget | None = None
) -> AdminWindow | None:
    """Show the admin window, or tell a clerk it is for administrators (None then)."""
    try:
        window = AdminWindow(station, operator, parent)
    except Exception as error:
        QMessageBox.warning(
            parent, QCoreApplication.translate("AdminWindow", "Quản trị"), error_message(error)
        )
        return None
    window.show()
    return window
