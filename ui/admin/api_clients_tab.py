"""The local API's clients (issue 11): list, add (its token shown once), remove; audited by the core.

The same clients as `station api-client`: what each may receive (its scopes) and the web origins its
pages may call from.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import API_SCOPES, DEFAULT_API_SCOPES, Operator, Station
from cccd_station.ui.admin.messages import error_message, local_time
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table, selected_keys

CONTEXT = "ApiClientsTab"
SCOPE_LABELS = {
    "identity": QT_TRANSLATE_NOOP("ApiClientsTab", "Nhân thân (số định danh, họ tên, ngày sinh, giới tính)"),
    "address": QT_TRANSLATE_NOOP("ApiClientsTab", "Quê quán, nơi thường trú"),
    "family": QT_TRANSLATE_NOOP("ApiClientsTab", "Cha, mẹ, vợ/chồng"),
    "details": QT_TRANSLATE_NOOP("ApiClientsTab", "Dân tộc, tôn giáo, đặc điểm nhận dạng"),
    "photo": QT_TRANSLATE_NOOP("ApiClientsTab", "Ảnh chân dung"),
    "checks": QT_TRANSLATE_NOOP("ApiClientsTab", "Kết quả từng bước kiểm tra"),
    "face": QT_TRANSLATE_NOOP("ApiClientsTab", "Kết quả so khớp khuôn mặt (chỉ mức đánh giá)"),
}


def scope_label(scope: str) -> str:
    return QCoreApplication.translate(CONTEXT, str(SCOPE_LABELS[scope]))


class ApiClientDialog(QDialog):
    """Name, scopes and origins of a new client."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Thêm chương trình dùng API"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("his-benhvien")
        self.scopes = {scope: QCheckBox(scope_label(scope)) for scope in API_SCOPES}
        for scope, box in self.scopes.items():
            box.setChecked(scope in DEFAULT_API_SCOPES)
        self.origins = QPlainTextEdit()
        self.origins.setPlaceholderText("https://his.benhvien.vn")
        self.origins.setFixedHeight(self.origins.fontMetrics().height() * 4)
        form = QFormLayout()
        form.addRow(self.tr("&Tên:"), self.name)
        scopes = QVBoxLayout()
        for box in self.scopes.values():
            scopes.addWidget(box)
        form.addRow(self.tr("Được nhận:"), scopes)
        form.addRow(self.tr("Trang &web được gọi\n(mỗi dòng một địa chỉ):"), self.origins)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_scopes(self) -> list[str]:
        return [scope for scope, box in self.scopes.items() if box.isChecked()]

    def chosen_origins(self) -> list[str]:
        return [line.strip() for line in self.origins.toPlainText().splitlines() if line.strip()]


class TokenDialog(QDialog):
    """The new client's token, shown this once: the station keeps only its hash."""

    def __init__(self, name: str, token: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mã truy cập của %1").replace("%1", name))
        note = QLabel(
            self.tr(
                "Chép mã này vào cài đặt của chương trình %1. Mã chỉ hiện lần này: trạm chỉ giữ "
                "bản băm của nó. Mất mã thì xóa chương trình và thêm lại."
            ).replace("%1", name)
        )
        note.setWordWrap(True)
        self.token = QLineEdit(token)
        self.token.setReadOnly(True)
        self.token.setMinimumWidth(self.token.fontMetrics().horizontalAdvance(token) + 24)
        copy = QPushButton(self.tr("&Chép"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(token))
        row = QHBoxLayout()
        row.addWidget(self.token)
        row.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(buttons)


class ApiClientsTab(QWidget):
    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.setObjectName("api_clients_tab")
        self.table = make_table(
            [
                self.tr("Tên"),
                self.tr("Được nhận"),
                self.tr("Trang web"),
                self.tr("Thêm lúc"),
                self.tr("Người thêm"),
            ],
            self,
        )
        self.status = StatusLine(self)
        add = QPushButton(self.tr("&Thêm…"))
        add.clicked.connect(self._add_clicked)
        remove = QPushButton(self.tr("&Xóa"))
        remove.clicked.connect(self._remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        note = QLabel(
            self.tr(
                "Các chương trình này nhận kết quả đọc thẻ qua API cục bộ (bật trong thẻ Cài đặt); "
                "mỗi lần gửi dữ liệu được ghi vào nhật ký."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        try:
            clients = self._station.api_clients()
        except Exception as error:
            self.status.error(error_message(error))
            return
        fill_table(
            self.table,
            [
                (
                    client.name,
                    ", ".join(client.scopes),
                    " ".join(client.origins),
                    local_time(client.created_at),
                    client.created_by,
                )
                for client in clients
            ],
            [client.name for client in clients],
        )

    # -- actions, callable directly (tests) or from the buttons -----------------------------------

    def add_client(self, name: str, scopes: list[str], origins: list[str]) -> str | None:
        """Add a client; its token (to show once), or None when refused (the reason in the status line)."""
        try:
            client, token = self._station.add_api_client(self._actor, name, scopes, origins)
        except Exception as error:
            self.status.error(error_message(error))
            return None
        self.status.ok(self.tr("Đã thêm chương trình %1.").replace("%1", client.name))
        self.refresh()
        return token

    def remove_client(self, name: str) -> bool:
        try:
            self._station.remove_api_client(self._actor, name)
        except Exception as error:
            self.status.error(error_message(error))
            return False
        self.status.ok(
            self.tr("Đã xóa chương trình %1: mã truy cập của nó hết hiệu lực.").replace("%1", name)
        )
        self.refresh()
        return True

    def _add_clicked(self) -> None:
        dialog = ApiClientDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = dialog.name.text().strip()
        token = self.add_client(name, dialog.chosen_scopes(), dialog.chosen_origins())
        if token is not None:
            TokenDialog(name, token, self).exec()

    def _remove_clicked(self) -> None:
        names = selected_keys(self.table)
        if not names:
            self.status.error(self.tr("Hãy chọn một chương trình trong danh sách."))
            return
        name = str(names[0])
        answer = QMessageBox.question(
            self,
            self.tr("Xóa chương trình"),
            self.tr("Xóa %1? Chương trình này sẽ không nhận được kết quả đọc thẻ nữa.").replace("%1", name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_client(name)
