"""Saved records: list (nothing decrypted), view one (admin, audited), export selected, purge now."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import ExportFormat, Operator, SavedRecord, SavedRecordInfo, Station
from cccd_station.ui.admin.messages import error_message, local_date, local_time, verdict_label
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table, selected_keys

FIELD_LABELS = (
    ("id_number", QT_TRANSLATE_NOOP("RecordFields", "Số định danh")),
    ("full_name", QT_TRANSLATE_NOOP("RecordFields", "Họ và tên")),
    ("date_of_birth", QT_TRANSLATE_NOOP("RecordFields", "Ngày sinh")),
    ("sex", QT_TRANSLATE_NOOP("RecordFields", "Giới tính")),
    ("nationality", QT_TRANSLATE_NOOP("RecordFields", "Quốc tịch")),
    ("place_of_origin", QT_TRANSLATE_NOOP("RecordFields", "Quê quán")),
    ("place_of_residence", QT_TRANSLATE_NOOP("RecordFields", "Nơi thường trú")),
    ("date_of_issue", QT_TRANSLATE_NOOP("RecordFields", "Ngày cấp")),
    ("date_of_expiry", QT_TRANSLATE_NOOP("RecordFields", "Có giá trị đến")),
)
MRZ_LABELS = (
    ("document_number", QT_TRANSLATE_NOOP("RecordFields", "Số giấy tờ")),
    ("surname", QT_TRANSLATE_NOOP("RecordFields", "Họ")),
    ("given_names", QT_TRANSLATE_NOOP("RecordFields", "Tên")),
    ("nationality", QT_TRANSLATE_NOOP("RecordFields", "Quốc tịch")),
    ("date_of_birth", QT_TRANSLATE_NOOP("RecordFields", "Ngày sinh")),
    ("date_of_expiry", QT_TRANSLATE_NOOP("RecordFields", "Có giá trị đến")),
)


class RecordDialog(QDialog):
    """One decrypted record: the holder's details and photo, read-only."""

    def __init__(self, record: SavedRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hồ sơ đã lưu"))
        self.shown_fields: dict[str, str] = {}
        form = QFormLayout()
        form.addRow(self.tr("Lưu lúc:"), QLabel(local_time(record.info.created_at)))
        form.addRow(self.tr("Người lưu:"), QLabel(record.info.operator))
        holder: Mapping[str, Any] = record.fields.get("holder") or {}
        mrz: Mapping[str, Any] = record.fields.get("mrz") or {}
        labels, values = (FIELD_LABELS, holder) if holder else (MRZ_LABELS, mrz)
        for key, label in labels:
            value = values.get(key)
            if key == "date_of_expiry" and not value and values.get("no_expiry"):
                value = self.tr("Không thời hạn")
            if value:
                text = local_date(value) if key.startswith("date_") else str(value)
                self.shown_fields[key] = text
                field = QLabel(text)
                field.setWordWrap(True)
                field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(QCoreApplication.translate("RecordFields", str(label)) + ":", field)
        form.addRow(self.tr("Kết quả xác thực:"), QLabel(verdict_label(record.fields.get("verdict"))))
        self.photo = QLabel()
        self.photo.setFixedSize(180, 240)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap()
        if record.photo and pixmap.loadFromData(record.photo):
            self.photo.setPixmap(pixmap.scaled(self.photo.size(), Qt.AspectRatioMode.KeepAspectRatio))
        else:
            self.photo.setText(self.tr("(không có ảnh)"))
        body = QHBoxLayout()
        body.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(form, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đó&ng"))
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)


class RecordsTab(QWidget):
    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.setObjectName("records_tab")
        self.records: list[SavedRecordInfo] = []
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("Lọc theo số CCCD / hộ chiếu"))
        self.id_number.returnPressed.connect(self.refresh)
        find = QPushButton(self.tr("&Tìm"))
        find.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.id_number, 1)
        top.addWidget(find)
        self.table = make_table(
            [self.tr("Lưu lúc"), self.tr("Máy trạm"), self.tr("Người lưu"), self.tr("Ảnh")], self, multi=True
        )
        self.table.doubleClicked.connect(lambda _index: self._view_clicked())
        self.include_photos = QCheckBox(self.tr("Kèm ảnh (c&hỉ JSON)"))
        self.status = StatusLine(self)
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("&Xem"), self._view_clicked),
            (self.tr("Xuất CS&V…"), lambda: self._export_clicked("csv")),
            (self.tr("Xuất &JSON…"), lambda: self._export_clicked("json")),
            (self.tr("Xóa hồ sơ &quá hạn"), self.purge),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addWidget(self.include_photos)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.records = self._station.list_records(id_number=self.id_number.text().strip() or None)
        except ValueError:
            self.status.error(self.tr("Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự)."))
            return
        except Exception as error:
            self.status.error(error_message(error))
            return
        fill_table(
            self.table,
            [
                (
                    local_time(record.created_at),
                    record.station_id,
                    record.operator,
                    self.tr("Có") if record.has_photo else self.tr("Không"),
                )
                for record in self.records
            ],
            [record.id for record in self.records],
        )
        self.status.ok(self.tr("%n hồ sơ.", "", len(self.records)))

    def selected_ids(self) -> list[uuid.UUID]:
        return [key for key in selected_keys(self.table) if isinstance(key, uuid.UUID)]

    def view(self, record_id: uuid.UUID) -> RecordDialog | None:
        """Decrypt one record into a dialog (not shown); the view is audited."""
        try:
            record = self._station.view_record(self._actor, record_id)
        except Exception as error:
            self.status.error(error_message(error))
            return None
        return RecordDialog(record, self)

    def export_to(self, path: Path, record_ids: list[uuid.UUID], fmt: ExportFormat) -> bool:
        if not record_ids:
            self.status.error(self.tr("Hãy chọn hồ sơ cần xuất."))
            return False
        photos = self.include_photos.isChecked() and fmt == "json"
        try:
            data = self._station.export_records(self._actor, record_ids, fmt, include_photos=photos)
            Path(path).write_bytes(data)
        except OSError as error:
            self.status.error(self.tr("Không ghi được tệp: %1").replace("%1", error.strerror or str(error)))
            return False
        except Exception as error:
            self.status.error(error_message(error))
            return False
        self.status.ok(self.tr("Đã xuất %n hồ sơ.", "", len(record_ids)))
        return True

    def purge(self) -> int:
        try:
            purged = self._station.purge_records()
        except Exception as error:
            self.status.error(error_message(error))
            return 0
        self.refresh()
        self.status.ok(self.tr("Đã xóa %n hồ sơ quá thời hạn lưu.", "", purged))
        return purged

    def _view_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status.error(self.tr("Hãy chọn một hồ sơ."))
            return
        dialog = self.view(ids[0])
        if dialog is not None:
            dialog.exec()

    def _export_clicked(self, fmt: ExportFormat) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status.error(self.tr("Hãy chọn hồ sơ cần xuất."))
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Xuất hồ sơ"), f"ho-so.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.export_to(Path(name), ids, fmt)
