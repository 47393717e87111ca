"""The audit trail: filter by ID number (through its keyed hash), dates, operator, verdict; export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import NO_VERDICT, AuditEvent, ExportFormat, Operator, Station
from cccd_station.ui.admin.messages import (
    action_label,
    checks_label,
    error_kind_label,
    error_message,
    local_time,
    verdict_label,
)
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table

MAX_SHOWN_EVENTS = 2000


def _local_midnight_utc(day: date) -> datetime:
    """The start of a local calendar day, in UTC (the audit stores UTC)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


class AuditTab(QWidget):
    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.setObjectName("audit_tab")
        self.events: list[AuditEvent] = []

        self.id_number = QLineEdit()
        self.id_number.setObjectName("audit_id_number")
        self.id_number.setPlaceholderText(self.tr("Số CCCD / số hộ chiếu"))
        self.id_number.returnPressed.connect(self.search)
        today = QDate.currentDate()
        self.use_since = QCheckBox(self.tr("&Từ ngày"))
        self.since = QDateEdit(today.addDays(-7))
        self.use_until = QCheckBox(self.tr("Đến ngà&y"))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.operator = QComboBox()
        self.operator.setObjectName("audit_operator")
        self.verdict = QComboBox()
        self.verdict.setObjectName("audit_verdict")
        for text, value in (
            (self.tr("Tất cả"), None),
            (self.tr("Xác thực đầy đủ"), "verified"),
            (self.tr("Xác thực một phần"), "partial"),
            (self.tr("Không đạt"), "failed"),
            (self.tr("Không đọc được"), NO_VERDICT),
        ):
            self.verdict.addItem(text, value)
        search = QPushButton(self.tr("Tì&m"))
        search.setDefault(True)
        search.clicked.connect(self.search)

        filters = QGridLayout()
        id_label = QLabel(self.tr("Số &giấy tờ:"))
        id_label.setBuddy(self.id_number)
        operator_label = QLabel(self.tr("Ngườ&i đọc:"))
        operator_label.setBuddy(self.operator)
        verdict_label = QLabel(self.tr("Kết &quả:"))
        verdict_label.setBuddy(self.verdict)
        filters.addWidget(id_label, 0, 0)
        filters.addWidget(self.id_number, 0, 1)
        filters.addWidget(self.use_since, 0, 2)
        filters.addWidget(self.since, 0, 3)
        filters.addWidget(self.use_until, 0, 4)
        filters.addWidget(self.until, 0, 5)
        filters.addWidget(operator_label, 1, 0)
        filters.addWidget(self.operator, 1, 1)
        filters.addWidget(verdict_label, 1, 2)
        filters.addWidget(self.verdict, 1, 3)
        filters.addWidget(search, 1, 5)
        filters.setColumnStretch(1, 1)

        self.table = make_table(
            [
                self.tr("Thời gian"),
                self.tr("Loại"),
                self.tr("Người thao tác"),
                self.tr("Máy trạm"),
                self.tr("Đầu đọc"),
                self.tr("Giao thức"),
                self.tr("Kết quả"),
                self.tr("Lỗi"),
                self.tr("Các bước kiểm tra"),
            ],
            self,
        )
        self.status = StatusLine(self)
        export_csv = QPushButton(self.tr("Xuất CS&V…"))
        export_csv.clicked.connect(lambda: self._export_clicked("csv"))
        export_json = QPushButton(self.tr("Xuất &JSON…"))
        export_json.clicked.connect(lambda: self._export_clicked("json"))
        exports = QHBoxLayout()
        exports.addWidget(export_csv)
        exports.addWidget(export_json)
        exports.addStretch()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(exports)
        layout.addWidget(self.status)
        self.reload_operators()
        self.search()

    def reload_operators(self) -> None:
        self.operator.clear()
        self.operator.addItem(self.tr("Tất cả"), None)
        try:
            for operator in self._station.db.operators.list():
                self.operator.addItem(f"{operator.username} ({operator.display_name})", operator.username)
        except Exception as error:
            self.status.error(error_message(error))

    def search(self) -> None:
        id_number = self.id_number.text().strip() or None
        since_day: date = self.since.date().toPython()  # type: ignore[assignment]
        until_day: date = self.until.date().toPython()  # type: ignore[assignment]
        since = _local_midnight_utc(since_day) if self.use_since.isChecked() else None
        until = _local_midnight_utc(until_day + timedelta(days=1)) if self.use_until.isChecked() else None
        try:
            events = self._station.search_audit(
                id_number=id_number,
                since=since,
                until=until,
                operator=self.operator.currentData(),
                verdict=self.verdict.currentData(),
                limit=MAX_SHOWN_EVENTS,
            )
        except ValueError:
            self.status.error(self.tr("Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự)."))
            return
        except Exception as error:
            self.status.error(error_message(error))
            return
        self.events = list(reversed(events))  # newest on top
        fill_table(
            self.table,
            [
                (
                    local_time(event.occurred_at),
                    action_label(event.action),
                    event.operator or "",
                    event.station_id,
                    event.reader_name or "",
                    event.access_protocol or "",
                    verdict_label(event.verdict),
                    error_kind_label(event.error_kind),
                    checks_label(event.checks),
                )
                for event in self.events
            ],
            [event.id for event in self.events],
        )
        self.status.ok(self.tr("%n sự kiện.", "", len(self.events)))

    def export_to(self, path: Path, fmt: ExportFormat) -> bool:
        """Write the events shown to ``path``; the export is audited."""
        try:
            data = self._station.export_audit(self._actor, self.events, fmt)
            Path(path).write_bytes(data)
        except OSError as error:
            self.status.error(self.tr("Không ghi được tệp: %1").replace("%1", error.strerror or str(error)))
            return False
        except Exception as error:
            self.status.error(error_message(error))
            return False
        self.status.ok(self.tr("Đã xuất %n sự kiện.", "", len(self.events)))
        return True

    def _export_clicked(self, fmt: ExportFormat) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Xuất nhật ký"), f"nhat-ky.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.export_to(Path(name), fmt)
