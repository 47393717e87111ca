"""Operators: list, add, change role, disable or enable, unlock, reset password (all audited by db)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import Operator, Role, Station
from cccd_station.ui.admin.messages import error_message, local_time
from cccd_station.ui.admin.widgets import StatusLine, fill_table, make_table, selected_keys


class OperatorDialog(QDialog):
    """Fields for a new operator, or (``username`` given) a new password for one."""

    def __init__(self, parent: QWidget | None = None, *, username: str | None = None) -> None:
        super().__init__(parent)
        self.resetting = username is not None
        self.setWindowTitle(
            self.tr("Đặt lại mật khẩu cho %1").replace("%1", username or "")
            if self.resetting
            else self.tr("Thêm người dùng")
        )
        self.username = QLineEdit(username or "")
        self.username.setReadOnly(self.resetting)
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItem(self.tr("Nhân viên giao dịch"), Role.CLERK)
        self.role.addItem(self.tr("Quản trị viên"), Role.ADMIN)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(self.tr("&Tên đăng nhập:"), self.username)
        if not self.resetting:
            form.addRow(self.tr("&Họ và tên:"), self.display_name)
            form.addRow(self.tr("&Vai trò:"), self.role)
        form.addRow(self.tr("&Mật khẩu:"), self.password)
        form.addRow(self.tr("&Nhập lại mật khẩu:"), self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _check(self) -> None:
        # The password rules are the storage layer's: a refusal shows in the tab's status line.
        if self.password.text() != self.confirm.text():
            self.message.setText(self.tr("Hai mật khẩu không giống nhau."))
        else:
            self.accept()


class OperatorsTab(QWidget):
    def __init__(self, station: Station, actor: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.setObjectName("operators_tab")
        self.table = make_table(
            [self.tr("Tên đăng nhập"), self.tr("Họ và tên"), self.tr("Vai trò"), self.tr("Trạng thái")], self
        )
        self.status = StatusLine(self)
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("&Thêm…"), self._add_clicked),
            (self.tr("Đổi &vai trò"), self._toggle_role_clicked),
            (self.tr("Khóa / mở tài kh&oản"), self._toggle_disabled_clicked),
            (self.tr("&Gỡ khóa đăng nhập"), self._unlock_clicked),
            (self.tr("Đặt lại &mật khẩu…"), self._reset_clicked),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.operators: list[Operator] = []
        self.refresh()

    def _state(self, operator: Operator, now: datetime) -> str:
        if operator.disabled:
            return self.tr("Đã vô hiệu hóa")
        if operator.locked_until is not None and now < operator.locked_until:
            return self.tr("Bị khóa đăng nhập đến %1").replace("%1", local_time(operator.locked_until))
        return self.tr("Đang hoạt động")

    def refresh(self) -> None:
        now = self._station.db.clock()
        try:
            self.operators = self._station.db.operators.list()
        except Exception as error:
            self.status.error(error_message(error))
            return
        fill_table(
            self.table,
            [
                (
                    operator.username,
                    operator.display_name,
                    self.tr("Quản trị viên") if operator.is_admin else self.tr("Nhân viên giao dịch"),
                    self._state(operator, now),
                )
                for operator in self.operators
            ],
            [operator.username for operator in self.operators],
        )

    def _selected(self) -> Operator | None:
        names = selected_keys(self.table)
        chosen = next(
            (operator for operator in self.operators if names and operator.username == names[0]), None
        )
        if chosen is None:
            self.status.error(self.tr("Hãy chọn một người dùng trong danh sách."))
        return chosen

    def _run(self, action: str, change: object) -> bool:
        """Report the outcome of an account change (the callable ran the db call)."""
        try:
            assert callable(change)
            change()
        except Exception as error:
            self.status.error(error_message(error))
            return False
        self.status.ok(action)
        self.refresh()
        return True

    # -- actions, callable directly (tests) or from the buttons -----------------------------------

    def add_operator(self, username: str, display_name: str, password: str, role: Role) -> bool:
        operators = self._station.db.operators
        return self._run(
            self.tr("Đã thêm người dùng %1.").replace("%1", username),
            lambda: operators.create(self._actor, username, display_name, password, role),
        )

    def set_role(self, username: str, role: Role) -> bool:
        operators = self._station.db.operators
        return self._run(
            self.tr("Đã đổi vai trò của %1.").replace("%1", username),
            lambda: operators.set_role(self._actor, username, role),
        )

    def set_disabled(self, username: str, disabled: bool) -> bool:
        operators = self._station.db.operators
        text = self.tr("Đã vô hiệu hóa %1.") if disabled else self.tr("Đã kích hoạt lại %1.")
        return self._run(
            text.replace("%1", username), lambda: operators.set_disabled(self._actor, username, disabled)
        )

    def unlock(self, username: str) -> bool:
        operators = self._station.db.operators
        return self._run(
            self.tr("Đã gỡ khóa đăng nhập cho %1.").replace("%1", username),
            lambda: operators.unlock(self._actor, username),
        )

    def reset_password(self, username: str, password: str) -> bool:
        operators = self._station.db.operators
        return self._run(
            self.tr("Đã đặt lại mật khẩu cho %1.").replace("%1", username),
            lambda: operators.set_password(self._actor, username, password),
        )

    def _add_clicked(self) -> None:
        dialog = OperatorDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_operator(
                dialog.username.text().strip().lower(),
                dialog.display_name.text().strip(),
                dialog.password.text(),
                Role(dialog.role.currentData()),
            )

    def _toggle_role_clicked(self) -> None:
        if operator := self._selected():
            self.set_role(operator.username, Role.CLERK if operator.is_admin else Role.ADMIN)

    def _toggle_disabled_clicked(self) -> None:
        if operator := self._selected():
            self.set_disabled(operator.username, not operator.disabled)

    def _unlock_clicked(self) -> None:
        if operator := self._selected():
            self.unlock(operator.username)

    def _reset_clicked(self) -> None:
        if operator := self._selected():
            dialog = OperatorDialog(self, username=operator.username)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reset_password(operator.username, dialog.password.text())
