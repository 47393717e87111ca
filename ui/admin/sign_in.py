"""The sign-in dialog shown when the station starts; on the first run it creates the first admin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import MIN_PASSWORD_LENGTH, Operator, Station
from cccd_station.ui.admin.messages import error_message


class SignInDialog(QDialog):
    """Username and password; or, while no administrator exists, the form that creates the first one.

    On success :attr:`operator` holds the signed-in operator and :attr:`signed_in` is emitted;
    refusals (wrong password, locked account) stay on screen in :attr:`message`.
    """

    signed_in = Signal(object)  # Operator
    refused = Signal(str)  # the sentence shown

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.operator: Operator | None = None
        self.first_run = station.db.operators.needs_first_admin()
        self.setObjectName("sign_in_dialog")
        self.setWindowTitle(self.tr("Đăng nhập — Trạm đọc CCCD"))
        self.setMinimumWidth(420)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(64)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.display_name.setMaxLength(128)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName(self.tr("Thông báo"))

        form = QFormLayout()
        form.addRow(self._label(self.tr("&Tên đăng nhập:"), self.username), self.username)
        if self.first_run:
            form.addRow(self._label(self.tr("&Họ và tên:"), self.display_name), self.display_name)
        form.addRow(self._label(self.tr("&Mật khẩu:"), self.password), self.password)
        if self.first_run:
            form.addRow(self._label(self.tr("&Nhập lại mật khẩu:"), self.confirm), self.confirm)
        self.display_name.setVisible(self.first_run)
        self.confirm.setVisible(self.first_run)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit = self.buttons.addButton(
            self.tr("Tạo tài khoản quản trị") if self.first_run else self.tr("Đăng nhập"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Thoát"))
        # Enter is handled by the fields (below) alone: a default button would count a wrong password twice.
        for button in (self.submit, cancel):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.try_sign_in)
        # Enter moves on to the next empty field, and signs in from the last one.
        self.username.returnPressed.connect(self._next_field)
        self.display_name.returnPressed.connect(self._next_field)
        self.password.returnPressed.connect(self._next_field)
        self.confirm.returnPressed.connect(self._next_field)
        self.buttons.rejected.connect(self.reject)

        if self.first_run:
            self.intro.setText(
                self.tr(
                    "Lần chạy đầu tiên: hãy tạo tài khoản quản trị viên. Mật khẩu cần ít nhất %n ký tự.",
                    "",
                    MIN_PASSWORD_LENGTH,
                )
            )
        else:
            self.intro.setText(self.tr("Đăng nhập để sử dụng trạm đọc thẻ."))

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)  # Alt + the underlined letter moves to the field
        return label

    def _next_field(self) -> None:
        fields = [self.username, self.display_name, self.password, self.confirm]
        if not self.first_run:
            fields = [self.username, self.password]
        empty = next((field for field in fields if not field.text()), None)
        if empty is not None:
            empty.setFocus()
        else:
            self.try_sign_in()

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.password.clear()
        self.confirm.clear()
        self.password.setFocus()
        self.refused.emit(text)

    def try_sign_in(self) -> None:
        """Create the first admin or sign in with what was typed; stays open on a refusal."""
        username = self.username.text().strip().lower()
        password = self.password.text()
        if not username or not password:
            self._refuse(self.tr("Hãy nhập tên đăng nhập và mật khẩu."))
            return
        operators = self._station.db.operators
        try:
            if self.first_run:
                if password != self.confirm.text():
                    self._refuse(self.tr("Hai mật khẩu không giống nhau."))
                    return
                display_name = self.display_name.text().strip() or username
                operators.create_first_admin(username, display_name, password)
            operator = operators.sign_in(username, password)
        except Exception as error:
            self._refuse(error_message(error))
            return
        self.operator = operator
        self.message.clear()
        self.signed_in.emit(operator)
        self.accept()


def sign_in(station: Station, parent: QWidget | None = None) -> Operator | None:
    """Show the dialog modally; the signed-in operator, or None when the operator quit."""
    dialog = SignInDialog(station, parent)
    try:
        dialog.exec()
        return dialog.operator
    finally:
        dialog.deleteLater()  # by Qt on this thread, not by whichever thread collects Python's garbage
