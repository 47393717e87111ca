"""Station settings kept in the database: retention, auto-clear delay, central database URL, station id,
the local API for other programs (on or off, its address, TLS), and the face comparison's thresholds
and automatic camera (shown only where the face extra is installed)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import Operator, Station, StationSettings
from cccd_station.station.face import unavailable_reason
from cccd_station.ui.admin.messages import error_message
from cccd_station.ui.admin.widgets import StatusLine

# What this tab edits; the language, the last reader and the window's place belong to the main window.
EDITED_FIELDS = (
    "retention_days",
    "auto_clear_seconds",
    "central_url",
    "station_id",
    "api_enabled",
    "api_listen",
    "api_tls",
    "face_same_below",
    "face_different_from",
    "face_camera_auto",
)


class SettingsTab(QWidget):
    """Emits :attr:`settings_saved` with the new :class:`db.StationSettings` (the main window may
    apply the auto-clear delay at once)."""

    settings_saved = Signal(object)

    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.setObjectName("settings_tab")
        self.retention_days = QSpinBox()
        self.retention_days.setRange(1, 3650)
        self.retention_days.valueChanged.connect(self._retention_suffix)
        self._retention_suffix(self.retention_days.value())
        self.auto_clear_seconds = QSpinBox()
        self.auto_clear_seconds.setRange(5, 3600)
        self.auto_clear_seconds.setSuffix(self.tr(" giây"))
        for spin in (self.retention_days, self.auto_clear_seconds):
            spin.setMaximumWidth(180)
        self.central_url = QLineEdit()
        self.central_url.setPlaceholderText("postgresql+psycopg://user:password@server/station")
        # The URL may carry a password: shown only while it is edited.
        self.central_url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.station_id = QLineEdit()
        self.station_id.setMaxLength(64)
        self.station_id.setMaximumWidth(360)
        self.api_enabled = QCheckBox(self.tr("Cho các chương trình khác (HIS, BHYT…) nhận kết quả đọc thẻ"))
        self.api_listen = QLineEdit()
        self.api_listen.setPlaceholderText("127.0.0.1:8777")
        self.api_listen.setMaximumWidth(360)
        self.api_tls = QCheckBox(self.tr("Dùng TLS (bắt buộc khi máy khác trong mạng truy cập)"))
        # Distances of the face comparison (README, "Face comparison"): below the first "rất giống",
        # from the second on "khác người".
        self.face_same_below = QDoubleSpinBox()
        self.face_different_from = QDoubleSpinBox()
        for distance in (self.face_same_below, self.face_different_from):
            distance.setRange(0.05, 1.5)
            distance.setSingleStep(0.01)
            distance.setDecimals(2)
            distance.setMaximumWidth(180)
        self.face_camera_auto = QCheckBox(self.tr("Tự bật camera sau mỗi lần đọc thẻ hợp lệ"))
        form = QFormLayout()
        form.addRow(self.tr("Thờ&i hạn lưu hồ sơ:"), self.retention_days)
        form.addRow(self.tr("Tự động &xóa màn hình sau:"), self.auto_clear_seconds)
        form.addRow(self.tr("Cơ sở dữ liệu &trung tâm:"), self.central_url)
        form.addRow(self.tr("&Mã máy trạm:"), self.station_id)
        form.addRow(self.tr("API cục &bộ:"), self.api_enabled)
        form.addRow(self.tr("Địa chỉ &API:"), self.api_listen)
        form.addRow("", self.api_tls)
        form.addRow(self.tr('Khuôn mặt "rất &giống" khi khoảng cách dưới:'), self.face_same_below)
        form.addRow(self.tr('Khuôn mặt "khác người" từ kh&oảng cách:'), self.face_different_from)
        form.addRow("", self.face_camera_auto)
        if unavailable_reason() is not None:  # no face extra here: nothing to set
            for field in (self.face_same_below, self.face_different_from, self.face_camera_auto):
                form.setRowVisible(field, False)
        save = QPushButton(self.tr("&Lưu cài đặt"))
        save.clicked.connect(self.save)
        revert = QPushButton(self.tr("&Hoàn tác"))
        revert.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(revert)
        buttons.addStretch()
        self.status = StatusLine(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch()
        self.loaded: StationSettings | None = None
        self.load()

    def _retention_suffix(self, days: int) -> None:
        self.retention_days.setSuffix(self.tr(" ngày", "", days))  # "1 day", "30 days" in English

    def load(self) -> None:
        try:
            settings = self._station.settings()
        except Exception as error:
            self.status.error(error_message(error))
            return
        self._show(settings)
        # As the form shows them (no URL is "", distances rounded), so save() sends only real edits.
        self.loaded = self.edited()

    def edited(self) -> StationSettings:
        """The settings as the form shows them, saved or not."""
        return StationSettings(
            station_id=self.station_id.text().strip(),
            retention_days=self.retention_days.value(),
            auto_clear_seconds=self.auto_clear_seconds.value(),
            central_url=self.central_url.text().strip(),
            api_enabled=self.api_enabled.isChecked(),
            api_listen=self.api_listen.text().strip(),
            api_tls=self.api_tls.isChecked(),
            face_same_below=round(self.face_same_below.value(), 2),
            face_different_from=round(self.face_different_from.value(), 2),
            face_camera_auto=self.face_camera_auto.isChecked(),
        )

    def _show(self, settings: StationSettings) -> None:
        self.retention_days.setValue(settings.retention_days)
        self.auto_clear_seconds.setValue(settings.auto_clear_seconds)
        self.central_url.setText(settings.central_url or "")
        self.station_id.setText(settings.station_id)
        self.api_enabled.setChecked(settings.api_enabled)
        self.api_listen.setText(settings.api_listen)
        self.api_tls.setChecked(settings.api_tls)
        self.face_same_below.setValue(settings.face_same_below)
        self.face_different_from.setValue(settings.face_different_from)
        self.face_camera_auto.setChecked(settings.face_camera_auto)

    def take_edits_from(self, other: SettingsTab) -> None:
        """What another settings tab shows, saved or not (the admin window rebuilt in another language)."""
        self._show(other.edited())

    def save(self) -> bool:
        """Store what changed (admin, audited); a new central URL is used from the next sync."""
        edited = self.edited()
        changes = {
            name: getattr(edited, name)
            for name in EDITED_FIELDS
            if self.loaded is None or getattr(edited, name) != getattr(self.loaded, name)
        }
        if not changes:
            self.status.ok(self.tr("Không có thay đổi."))
            return True
        try:
            saved = self._station.update_settings(self._actor, **changes)
        except ValueError:
            if "station_id" in changes:
                self.status.error(self.tr("Mã máy trạm chỉ gồm chữ, số và . _ - (tối đa 64 ký tự)."))
            elif {"face_same_below", "face_different_from"} & set(changes):
                self.status.error(self.tr('Ngưỡng "rất giống" phải nhỏ hơn hoặc bằng ngưỡng "khác người".'))
            elif {"api_listen", "api_tls"} & set(changes):
                self.status.error(
                    self.tr(
                        "Địa chỉ API viết dạng IP:cổng, ví dụ 127.0.0.1:8777; "
                        "địa chỉ mà máy khác truy cập được cần bật TLS."
                    )
                )
            else:
                self.status.error(self.tr("Giá trị cài đặt không hợp lệ."))
            return False
        except Exception as error:
            self.status.error(error_message(error))
            return False
        self.status.ok(self.tr("Đã lưu cài đặt."))
        self.load()
        self.settings_saved.emit(saved)
        return True
