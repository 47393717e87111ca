"""Sentences for the storage layer's errors, in the clerk's language (context "AdminMessages").

``db`` raises errors with English sentences for logs and the CLI; the screens show these instead,
chosen by the error's kind (:func:`cccd_station.station.errors.error_kind`) from one table.
Source strings are Vietnamese, the station's default language; admin_en.ts translates them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cccd_station.crypto.verdict import CheckStatus
from cccd_station.station.core import MIN_PASSWORD_LENGTH
from cccd_station.station.errors import UNEXPECTED, error_kind
from cccd_station.ui.texts import check_name, status_name

log = logging.getLogger(__name__)
CONTEXT = "AdminMessages"

# kind -> (sentence, whether the error's own English detail follows it in brackets)
MESSAGES: dict[str, tuple[object, bool]] = {
    "wrong_credentials": (QT_TRANSLATE_NOOP("AdminMessages", "Sai tên đăng nhập hoặc mật khẩu."), False),
    "account_disabled": (
        QT_TRANSLATE_NOOP("AdminMessages", "Tài khoản này đã bị vô hiệu hóa; hãy liên hệ quản trị viên."),
        False,
    ),
    "permission_denied": (
        QT_TRANSLATE_NOOP("AdminMessages", "Chỉ quản trị viên mới được làm việc này."),
        False,
    ),
    "storage_failed": (
        QT_TRANSLATE_NOOP(
            "AdminMessages", "Cơ sở dữ liệu của máy trạm gặp lỗi; thao tác này chưa được ghi lại."
        ),
        True,
    ),
    "storage_full": (
        QT_TRANSLATE_NOOP("AdminMessages", "Ổ đĩa của máy trạm đã đầy; thao tác này chưa được ghi lại."),
        True,
    ),
    "storage_unavailable": (
        QT_TRANSLATE_NOOP(
            "AdminMessages", "Không mở được cơ sở dữ liệu của máy trạm; thao tác này chưa được ghi lại."
        ),
        True,
    ),
    "storage_busy": (
        QT_TRANSLATE_NOOP("AdminMessages", "Cơ sở dữ liệu của máy trạm đang bận; hãy thử lại sau giây lát."),
        False,
    ),
    "storage_read_only": (
        QT_TRANSLATE_NOOP(
            "AdminMessages", "Cơ sở dữ liệu của máy trạm không ghi được; thao tác này chưa được ghi lại."
        ),
        True,
    ),
    "central_unavailable": (
        QT_TRANSLATE_NOOP("AdminMessages", "Không kết nối được máy chủ trung tâm."),
        True,
    ),
    "central_refused": (
        QT_TRANSLATE_NOOP("AdminMessages", "Máy chủ trung tâm từ chối dữ liệu của máy trạm này."),
        True,
    ),
    "sync_conflict": (
        QT_TRANSLATE_NOOP(
            "AdminMessages",
            "Máy chủ trung tâm đã có dữ liệu khác dưới mã máy trạm này; hãy đặt cho máy trạm một mã mới.",
        ),
        True,
    ),
    "site_key_missing": (
        QT_TRANSLATE_NOOP("AdminMessages", "Không mở được hồ sơ đã lưu: thiếu tệp khóa của đơn vị."),
        True,
    ),
    "site_key_insecure": (
        QT_TRANSLATE_NOOP(
            "AdminMessages", "Tệp khóa của đơn vị bị từ chối vì người dùng khác trên máy đọc được nó."
        ),
        True,
    ),
    "site_key_invalid": (
        QT_TRANSLATE_NOOP("AdminMessages", "Tệp khóa của đơn vị bị hỏng hoặc sai định dạng."),
        True,
    ),
    "record_key_unavailable": (
        QT_TRANSLATE_NOOP(
            "AdminMessages", "Không mở được hồ sơ này: hồ sơ được lưu bằng một khóa khác của đơn vị."
        ),
        True,
    ),
    "record_damaged": (QT_TRANSLATE_NOOP("AdminMessages", "Hồ sơ đã lưu bị hỏng hoặc bị sửa đổi."), False),
    "record_not_found": (
        QT_TRANSLATE_NOOP("AdminMessages", "Hồ sơ không còn (có thể đã bị xóa theo thời hạn lưu)."),
        False,
    ),
    "trust_refused": (QT_TRANSLATE_NOOP("AdminMessages", "Tệp bị từ chối: %1"), False),
}


# Kinds that read the same to an operator as another.
MESSAGES["storage_unreachable"] = MESSAGES["storage_unavailable"]
MESSAGES["db_error"] = MESSAGES["storage_failed"]
MESSAGES["sign_in_refused"] = MESSAGES["wrong_credentials"]
MESSAGES["site_key_error"] = MESSAGES["site_key_invalid"]


def error_message(error: BaseException) -> str:
    """What an operator should read about a refused or failed action (a bug is logged, and said so)."""
    kind = error_kind(error)
    if kind == "account_locked":
        return QCoreApplication.translate(
            "AdminMessages",
            "Tài khoản đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %n phút.",
            None,
            int(getattr(error, "minutes_left", 1)),
        )
    if kind == "operator_rule":
        return _operator_rule(str(getattr(error, "rule", "")), str(getattr(error, "username", "")), error)
    if kind == "api_client_rule":
        return _api_client_rule(str(getattr(error, "rule", "")), error)
    if kind == "trust_refused":
        return QCoreApplication.translate(CONTEXT, str(MESSAGES[kind][0])).replace("%1", str(error))
    if kind in MESSAGES:
        sentence, with_detail = MESSAGES[kind]
        text = QCoreApplication.translate(CONTEXT, str(sentence))
        return text + f"\n({error})" if with_detail else text
    if kind == UNEXPECTED:
        log.error("unexpected error in the admin screens", exc_info=error)
    return QCoreApplication.translate("AdminMessages", "Lỗi không mong đợi.") + f" ({type(error).__name__})"


def _operator_rule(rule: str, username: str, error: BaseException) -> str:
    """The rule an operator change broke, in the operator's language."""
    if rule == "password_too_short":
        return QCoreApplication.translate(
            "AdminMessages", "Mật khẩu cần ít nhất %n ký tự.", None, MIN_PASSWORD_LENGTH
        )
    if rule == "bad_username":
        return QCoreApplication.translate(
            "AdminMessages", "Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, '.', '_' hoặc '-'."
        )
    if rule == "no_such_operator":
        return QCoreApplication.translate("AdminMessages", "Không có người dùng %1.").replace("%1", username)
    if rule == "bad_display_name":
        return QCoreApplication.translate("AdminMessages", "Họ và tên cần từ 1 đến 128 ký tự.")
    if rule == "username_taken":
        return QCoreApplication.translate("AdminMessages", "Tên đăng nhập %1 đã có người dùng.").replace(
            "%1", username
        )
    if rule == "last_admin":
        return QCoreApplication.translate(
            "AdminMessages", "Không thể hạ quyền hoặc vô hiệu hóa quản trị viên đang hoạt động cuối cùng."
        )
    return str(error)  # a rule this screen does not know yet: the English sentence


def _api_client_rule(rule: str, error: BaseException) -> str:
    """The rule an API client change broke, in the operator's language."""
    if rule == "bad_name":
        return QCoreApplication.translate(
            "AdminMessages", "Tên chương trình gồm 2–64 chữ thường không dấu, chữ số, '.', '_' hoặc '-'."
        )
    if rule == "name_taken":
        return QCoreApplication.translate("AdminMessages", "Đã có chương trình mang tên này.")
    if rule == "bad_scope":
        return QCoreApplication.translate("AdminMessages", "Hãy chọn ít nhất một loại dữ liệu được nhận.")
    if rule == "bad_origin":
        return (
            QCoreApplication.translate(
                "AdminMessages",
                "Địa chỉ trang web viết dạng https://tên-miền[:cổng], không có đường dẫn.",
            )
            + f"\n({error})"
        )
    if rule == "no_such_client":
        return QCoreApplication.translate("AdminMessages", "Không còn chương trình này.")
    return str(error)


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
    "trust_remove": QT_TRANSLATE_NOOP("AuditLabels", "Gỡ khỏi kho tin cậy"),
    "trust_received": QT_TRANSLATE_NOOP("AuditLabels", "Nhận mục tin cậy từ máy chủ"),
    "settings_change": QT_TRANSLATE_NOOP("AuditLabels", "Đổi cài đặt"),
    "api_release": QT_TRANSLATE_NOOP("AuditLabels", "Gửi kết quả cho chương trình khác"),
    "api_client_add": QT_TRANSLATE_NOOP("AuditLabels", "Thêm chương trình dùng API"),
    "api_client_remove": QT_TRANSLATE_NOOP("AuditLabels", "Xóa chương trình dùng API"),
}
ERROR_KIND_LABELS = {
    "wrong_key": QT_TRANSLATE_NOOP("AuditLabels", "Sai khóa mở thẻ"),
    "mrz_required": QT_TRANSLATE_NOOP("AuditLabels", "Cần dữ liệu MRZ"),
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
