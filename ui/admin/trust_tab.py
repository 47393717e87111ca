"""Trust store: import a master list, CSCA certificate or CRL; list entries with source and import time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cccd_station.db import DbError, Operator, TrustKind
from cccd_station.station.records_service import StationServices, TrustImportError
from cccd_station.ui.admin.messages import error_message, local_time
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table

FILE_FILTERS = {
    TrustKind.MASTER_LIST: "Master list (*.ml *.der *.p7m *.p7b);;*",
    TrustKind.CSCA: "CSCA (*.pem *.der *.cer *.crt);;*",
    TrustKind.CRL: "CRL (*.crl *.der *.pem);;*",
}


class TrustTab(QWidget):
    def __init__(self, services: StationServices, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self.setObjectName("trust_tab")
        self.kind_names = {
            TrustKind.MASTER_LIST: self.tr("Danh sách CSCA (master list)"),
            TrustKind.CSCA: self.tr("Chứng thư CSCA"),
            TrustKind.CRL: self.tr("Danh sách thu hồi (CRL)"),
        }
        buttons = QHBoxLayout()
        for kind, text in (
            (TrustKind.MASTER_LIST, self.tr("Nhập &master list…")),
            (TrustKind.CSCA, self.tr("Nhập chứng thư CSC&A…")),
            (TrustKind.CRL, self.tr("Nhập C&RL…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, chosen=kind: self._import_clicked(chosen))
            buttons.addWidget(button)
        buttons.addStretch()
        self.summary = QLabel()
        self.summary.setObjectName("trust_summary")
        self.table = make_table(
            [self.tr("Loại"), self.tr("Nguồn"), self.tr("Thời điểm nhập"), self.tr("Dấu vân tay SHA-256")],
            self,
        )
        self.status = StatusLine(self)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        try:
            entries = self._services.trust_entries()
        except DbError as error:
            self.status.error(error_message(error))
            return
        fill_table(
            self.table,
            [
                (
                    self.kind_names.get(entry.kind, entry.kind.value),
                    entry.source,
                    local_time(entry.imported_at),
                    entry.fingerprint[:32] + "…",
                )
                for entry in reversed(entries)
            ],
            [entry.fingerprint for entry in reversed(entries)],
        )
        working = self._services.trust_store.entries()
        problems = len(self._services.trust_problems())
        text = self.tr("Kho tin cậy đang dùng: %1 CSCA, %2 CRL.")
        text = text.replace("%1", str(sum(1 for e in working if e.kind.value == "csca")))
        text = text.replace("%2", str(sum(1 for e in working if e.kind.value == "crl")))
        if problems:
            text += " " + self.tr("%n mục nhận từ máy chủ bị từ chối.", "", problems)
        self.summary.setText(text)

    def import_file(self, path: Path, kind: TrustKind) -> bool:
        """Import into the working store and the database; the outcome shows in the status line."""
        try:
            imported = self._services.import_trust_file(self._actor, path, kind)
        except TrustImportError as error:
            self.status.error(self.tr("Tệp bị từ chối: %1").replace("%1", str(error)))
            return False
        except DbError as error:
            self.status.error(error_message(error))
            return False
        self.refresh()
        self.status.ok(
            self.tr("Đã nhập %1: %n mục.", "", len(imported.entries)).replace("%1", imported.source)
        )
        return True

    def _import_clicked(self, kind: TrustKind) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.kind_names[kind], "", FILE_FILTERS[kind])
        if name:
            self.import_file(Path(name), kind)
