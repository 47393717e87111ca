"""Trust store: import a master list, CSCA certificate or CRL; what is trusted per country, and every refusal
with its reason (an import's, a master list's member, or an entry that arrived from the central database).

The rows and the trust rule are the core's (:class:`cccd_station.station.trust.TrustService`); the
reasons are the rule's own English sentences, shown as they are under translated labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cccd_station.station.core import Operator, Station, TrustKind
from cccd_station.ui.admin.messages import error_message, local_time
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table

if TYPE_CHECKING:
    from cccd_station.crypto.truststore import Decision
    from cccd_station.station.trust import TrustService

FILE_FILTERS = {
    TrustKind.MASTER_LIST: "Master list (*.ml *.der *.p7m *.p7b);;*",
    TrustKind.CSCA: "CSCA (*.pem *.der *.cer *.crt);;*",
    TrustKind.CRL: "CRL (*.crl *.der *.pem);;*",
}
CENTRAL = "central"  # TrustEntry.origin of a row pulled from the central database


class TrustTab(QWidget):
    """Emits :attr:`trust_changed` after an import (the main window's warning about missing CSCAs)."""

    trust_changed = Signal()

    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert station.trust is not None
        self._trust: TrustService = station.trust
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
            button = QPushButton(text, self)
            button.setProperty("trust_kind", kind.value)
            button.clicked.connect(self._import_clicked)
            buttons.addWidget(button)
        buttons.addStretch()
        self.summary = QLabel(self)
        self.summary.setObjectName("trust_summary")
        self.summary.setWordWrap(True)
        self.table = make_table(
            [
                self.tr("Loại"),
                self.tr("Nguồn"),
                self.tr("Thời điểm nhập"),
                self.tr("Trạng thái"),
                self.tr("Quốc gia"),
                self.tr("Dấu vân tay SHA-256"),
            ],
            self,
        )
        self.refused_label = QLabel(self)
        self.refused_label.setObjectName("trust_refused_label")
        self.refused_table = make_table([self.tr("Chứng thư"), self.tr("Quốc gia"), self.tr("Lý do")], self)
        self.refused_table.setObjectName("trust_refused")
        self.status = StatusLine(self)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.refused_label)
        layout.addWidget(self.refused_table, 1)
        layout.addWidget(self.status)
        self.refresh()

    def _status_of(self, origin: str, decision: Decision | None) -> str:
        if decision is not None and decision.accepted:
            return self.tr("Tin cậy")
        reason = decision.reason if decision is not None else ""
        if origin == CENTRAL:
            return self.tr("Nhận từ máy chủ trung tâm, bị từ chối: %1").replace("%1", reason)
        return self.tr("Bị từ chối: %1").replace("%1", reason)

    def refresh(self) -> None:
        try:
            rows = list(reversed(self._trust.rows()))
            state = self._trust.state
        except Exception as error:
            self.status.error(error_message(error))
            return
        fill_table(
            self.table,
            [
                (
                    self.kind_names.get(row.entry.kind, row.entry.kind.value),
                    row.entry.source,
                    local_time(row.entry.imported_at),
                    self._status_of(row.entry.origin.value, row.decision),
                    (row.decision.country or "") if row.decision else "",
                    row.entry.fingerprint[:32] + "…",
                )
                for row in rows
            ],
            [row.entry.fingerprint for row in rows],
        )
        countries = state.countries()
        text = self.tr("Kho tin cậy đang dùng: %1 CSCA, %2 CRL.")
        text = text.replace("%1", str(len(state.anchors.cscas))).replace("%2", str(len(state.anchors.crls)))
        if countries:
            per_country = " · ".join(f"{country} {count}" for country, count in countries.items())
            text += " " + self.tr("Theo quốc gia: %1").replace("%1", per_country)
        self.summary.setText(text)
        self.show_refused(state.refused())

    def show_refused(self, refused: list[Decision]) -> None:
        """The certificates and lists the trust rule refused, each with its reason."""
        self.refused_label.setText(self.tr("Bị từ chối (%n mục):", "", len(refused)))
        fill_table(
            self.refused_table,
            [(each.subject or each.fingerprint[:16], each.country or "", each.reason) for each in refused],
            [each.fingerprint for each in refused],
        )

    def import_file(self, path: Path) -> bool:
        """Import a trust file (or a folder of them) under the trust rule; the outcome, every refusal with
        its reason, shows in the status line and the refused list."""
        try:
            imported = self._trust.import_path(path, self._actor)
        except Exception as error:
            self.status.error(error_message(error))
            self.refresh()
            return False
        self.refresh()
        # What this import refused first (a refused file is not stored), then what the store holds refused.
        shown = {each.fingerprint: each for each in [*imported.refused, *self._trust.state.refused()]}
        self.show_refused(list(shown.values()))
        accepted, refused = len(imported.accepted), len(imported.refused)
        text = self.tr("Đã nhập %1: %n mục được tin cậy", "", accepted).replace("%1", Path(path).name)
        if refused:
            text += self.tr(", %n mục bị từ chối (xem danh sách dưới).", "", refused)
        else:
            text += "."
        self.status.ok(text)
        self.trust_changed.emit()
        return True

    def _import_clicked(self) -> None:
        button = self.sender()
        kind = TrustKind(str(button.property("trust_kind"))) if button is not None else TrustKind.CSCA
        name, _filter = QFileDialog.getOpenFileName(self, self.kind_names[kind], "", FILE_FILTERS[kind])
        if name:
            self.import_file(Path(name))
