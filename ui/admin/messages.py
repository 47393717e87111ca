"""Sentences for the storage layer's errors, in the clerk's language (context "AdminMessages").

``db`` raises errors with English sentences for logs and the CLI; the screens show these instead.
Source strings are Vietnamese, the station's default language; an English .ts can translate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cccd_station.crypto.verdict import CheckStatus
from cccd_station.db import (
    AccountDisabledError,
    AccountLockedError,
    CentralUnavailableError,
    InvalidCredentialsError,
    KeyFileMissingError,
    OperatorError,
    PermissionDeniedError,
    RecordDecryptionError,
    RecordKeyUnavailableError,
    RecordNotFoundError,
    StorageError,
    SyncConflictError,
)
from cccd_station.db.operators import MIN_PASSWORD_LENGTH
from cccd_station.ui.texts import check_name, status_name


def locked_minutes(error: AccountLockedError) -> int:
    """Whole minutes left, rounded up (a lock with 10 s left still reads "1 minute")."""
    return max(1, -(-int(error.time_left.total_seconds()) // 60))


def error_message(error: BaseException) -> str:
    """What an operator should read about a refused or failed action."""
    if isinstance(error, InvalidCredentialsError):
        return QCoreApplication.translate("AdminMessages", "Sai tên đăng nhập hoặc mật khẩu.")
    if isinstance(error, AccountLockedError):
        return QCoreApplication.translate(
            "AdminMessages",
            "Tài khoản đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %n phút.",
            None,
            locked_minutes(error),
        )
    if isinstance(error, AccountDisabledError):
        return QCoreApplication.translate(
            "AdminMessages", "Tài khoản này đã bị vô hiệu hóa; hãy liên hệ quản trị viên."
        )
    if isinstance(error, PermissionDeniedError):
        return QCoreApplication.translate("AdminMessages", "Chỉ quản trị viên mới được làm việc này.")
    if isinstance(error, StorageError):
        return (
            QCoreApplication.translate(
                "AdminMessages", "Cơ sở dữ liệu của máy trạm gặp lỗi; thao tác này chưa được ghi lại."
            )
            + f"\n({error})"
        )
    if isinstance(error, CentralUnavailableError | SyncConflictError):
        return (
            QCoreApplication.translate("AdminMessages", "Không kết nối được máy chủ trung tâm.")
            + f"\n({error})"
        )
    if isinstance(error, KeyFileMissingError | RecordKeyUnavailableError):
        return (
            QCoreApplication.translate(
                "AdminMessages", "Không mở được hồ sơ đã lưu: thiếu tệp khóa của đơn vị."
            )
            + f"\n({error})"
        )
    if isinstance(error, RecordDecryptionError):
        return QCoreApplication.translate("AdminMessages", "Hồ sơ đã lưu bị hỏng hoặc bị sửa đổi.")
    if isinstance(error, RecordNotFoundError):
        return QCoreApplication.translate(
            "AdminMessages", "Hồ sơ không còn (có thể đã bị xóa theo thời hạn lưu)."
        )
    if isinstance(error, OperatorError):
        return _operator_rule(error)
    if isinstance(error, ValueError):
        return str(error)  # a validation sentence of the settings
    return QCoreApplication.translate("AdminMessages", "Lỗi không mong đợi.") + f" ({type(error).__name__})"


def _operator_rule(error: OperatorError) -> str:
    """The rule an operator change broke, in the operator's language."""
    if error.rule == "password_too_short":
        return QCoreApplication.translate(
            "AdminMessages", "Mật khẩu cần ít nhất %n ký tự.", None, MIN_PASSWORD_LENGTH
        )
    if error.rule == "bad_username":
        return QCoreApplication.translate(
            "AdminMessages", "Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, '.', '_' hoặc '-'."
        )
    if error.rule == "no_such_operator":
        return QCoreApplication.translate("AdminMessages", "Không có người dùng %1.").replace(
            "%1", error.username
        )
    if error.rule == "bad_display_name":
        return QCoreApplication.translate("AdminMessages", "Họ và tên cần từ 1 đến 128 ký tự.")
    if error.rule == "username_taken":
        return QCoreApplication.translate("AdminMessages", "Tên đăng nhập %1 đã có người dùng.").replace(
            "%1", error.username
        )
    if error.rule == "last_admin":
        return QCoreApplication.translate(
            "AdminMessages", "Không thể hạ quyền hoặc vô hiệu hóa quản trị viên đang hoạt động cuối cùng."
        )
    return str(error)  # a rule this screen does not know yet: the English sentence


def local_time(value: datetime | None) -> str:
    """A stored UTC time as the counter's local time, to the second."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%d/%m/%Y %H:%M:%S")


LABELS_CONTEXT = "AuditLabels"
VERDICT_LABELS = {
    "verified": QT_TRANSLATE_NOOP("AuditLabels", "Xác thực đầy đủ"),
    "partial": QT_TRANSLATE_NOOP("AuditLabels", "Xác thực một phần"),
    "failed": QT_TRANSLATE_NOOP("AuditLabels", "Không đạt"),
    "none": QT_TRANSLATE_NOOP("AuditLabels", "Không đọc được"),
}
ACTION_LABELS = {
    "card_read": QT_TRANSLATE_NOOP("AuditLabels", "Đọc thẻ"),
    "sign_in": QT_TRANSLATE_NOOP("AuditLabels", "Đăng nhập"),
    "sign_out": QT_TRANSLATE_NOOP("AuditLabels", "Đăng xuất"),
    "sign_in_failed": QT_TRANSLATE_NOOP("AuditLabels", "Đăng nhập sai"),
    "sign_in_locked": QT_TRANSLATE_NOOP("AuditLabels", "Đăng nhập khi bị khóa"),
    "sign_in_disabled": QT_TRANSLATE_NOOP("AuditLabels", "Đăng nhập tài khoản đã vô hiệu"),
    "operator_create": QT_TRANSLATE_NOOP("AuditLabels", "Thêm người dùng"),
    "operator_password": QT_TRANSLATE_NOOP("AuditLabels", "Đổi mật khẩu"),
    "operator_role": QT_TRANSLATE_NOOP("AuditLabels", "Đổi vai trò"),
    "operator_disable": QT_TRANSLATE_NOOP("AuditLabels", "Vô hiệu hóa người dùng"),
    "operator_enable": QT_TRANSLATE_NOOP("AuditLabels", "Kích hoạt người dùng"),
    "operator_unlock": QT_TRANSLATE_NOOP("AuditLabels", "Gỡ khóa đăng nhập"),
    "record_view": QT_TRANSLATE_NOOP("AuditLabels", "Xem hồ sơ"),
    "export": QT_TRANSLATE_NOOP("AuditLabels", "Xuất hồ sơ"),
    "audit_export": QT_TRANSLATE_NOOP("AuditLabels", "Xuất nhật ký"),
    "records_purge": QT_TRANSLATE_NOOP("AuditLabels", "Xóa hồ sơ quá hạn"),
    "trust_import": QT_TRANSLATE_NOOP("AuditLabels", "Nhập kho tin cậy"),
    "settings_change": QT_TRANSLATE_NOOP("AuditLabels", "Đổi cài đặt"),
}
ERROR_KIND_LABELS = {
    "wrong_key": QT_TRANSLATE_NOOP("AuditLabels", "Sai khóa mở thẻ"),
    "card_removed": QT_TRANSLATE_NOOP("AuditLabels", "Thẻ bị rút ra"),
    "no_card": QT_TRANSLATE_NOOP("AuditLabels", "Không có thẻ"),
    "reader_unavailable": QT_TRANSLATE_NOOP("AuditLabels", "Không có đầu đọc"),
    "secure_messaging": QT_TRANSLATE_NOOP("AuditLabels", "Lỗi kênh bảo mật"),
    "unsupported_card": QT_TRANSLATE_NOOP("AuditLabels", "Thẻ không được hỗ trợ"),
    "bad_chip_data": QT_TRANSLATE_NOOP("AuditLabels", "Dữ liệu chip hỏng"),
    "card_refused": QT_TRANSLATE_NOOP("AuditLabels", "Thẻ từ chối lệnh"),
    "card_error": QT_TRANSLATE_NOOP("AuditLabels", "Lỗi thẻ"),
    "cancelled": QT_TRANSLATE_NOOP("AuditLabels", "Đã hủy"),
    "unexpected": QT_TRANSLATE_NOOP("AuditLabels", "Lỗi không mong đợi"),
}


def _label(labels: dict[str, object], value: object) -> str:
    if not value:
        return ""
    known = labels.get(str(value))
    return QCoreApplication.translate(LABELS_CONTEXT, str(known)) if known else str(value)


def checks_label(checks: Sequence[tuple[str, str]]) -> str:
    """A read's checks for a person: the ones that did not pass, by name, or that all passed.
    (Exports keep the check ids and statuses as stored.)"""
    if not checks:
        return ""
    shown = []
    # Failures first: they are why a read was refused.
    for check_id, status in sorted(checks, key=lambda check: check[1] != CheckStatus.FAIL.value):
        if status == CheckStatus.PASS.value:
            continue
        try:
            shown.append(f"{check_name(check_id)}: {status_name(CheckStatus(status))}")
        except ValueError:  # a status this version does not know: show it as stored
            shown.append(f"{check_id}: {status}")
    return "; ".join(shown) or QCoreApplication.translate("AuditLabels", "Tất cả đạt")


def verdict_label(verdict: object) -> str:
    return _label(VERDICT_LABELS, verdict)


def action_label(action: str | None) -> str:
    return _label(ACTION_LABELS, action)


def error_kind_label(kind: str | None) -> str:
    return _label(ERROR_KIND_LABELS, kind)


def local_date(iso: object) -> str:
    """An ISO date from a saved record as dd/mm/yyyy (as printed on the card); other text unchanged."""
    text = str(iso or "")
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text
