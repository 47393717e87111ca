"""Sign-in dialog, admin window tabs, sync indicator and save-record action (pytest-qt, offscreen)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_records_service_fixtures import (
    ADMIN_PASSWORD,
    CLERK_PASSWORD,
    PASSPORT_PERSONA,
    admin,
    clerk,
    inspection_result,
    services,
)

from cccd_station.crypto.verdict import DG_HASHES, DSC_REVOCATION, SOD_SIGNATURE, CheckStatus
from cccd_station.db import DbError, Operator, PermissionDeniedError, Role, TrustKind
from cccd_station.db.operators import MAX_FAILED_ATTEMPTS
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import AccessDeniedError
from cccd_station.station.records_service import StationServices
from cccd_station.ui.admin import AdminWindow, SaveRecordAction, SignInDialog, SyncIndicator, audit_read
from cccd_station.ui.admin.messages import checks_label
from cccd_station.ui.texts import check_name, status_name

__all__ = ["admin", "clerk", "services"]

ID_NUMBER = load_persona("nguyen-van-an").id_number or ""


def cells(table: QTableWidget, column: int) -> list[str]:
    return [item.text() if (item := table.item(row, column)) else "" for row in range(table.rowCount())]


def admin_window(qtbot: QtBot, services: StationServices, operator: Operator) -> AdminWindow:
    window = AdminWindow(services, operator)
    qtbot.addWidget(window)
    return window


# -- sign-in -------------------------------------------------------------------------------------------


def test_first_run_creates_the_first_admin(qtbot: QtBot, services: StationServices) -> None:
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.first_run and dialog.confirm.isVisibleTo(dialog)
    dialog.username.setText("admin")
    dialog.display_name.setText("Quản trị viên")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirm.setText(ADMIN_PASSWORD + "x")
    dialog.try_sign_in()
    assert "không giống nhau" in dialog.message.text()
    assert services.db.operators.needs_first_admin()

    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirm.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signed:
        dialog.try_sign_in()
    operator = signed.args[0]
    assert operator.username == "admin" and operator.role is Role.ADMIN and dialog.operator == operator
    assert not services.db.operators.needs_first_admin()
    assert not SignInDialog(services).first_run  # the next start asks for a password


def test_wrong_password_then_lockout_message(
    qtbot: QtBot, services: StationServices, clerk: Operator
) -> None:
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    assert not dialog.first_run and not dialog.confirm.isVisibleTo(dialog)
    dialog.username.setText("clerk")
    messages = []
    for _attempt in range(5):
        dialog.password.setText("not-the-password")
        with qtbot.waitSignal(dialog.refused) as refused:
            dialog.try_sign_in()
        messages.append(refused.args[0])
    assert messages[0] == "Sai tên đăng nhập hoặc mật khẩu."
    assert "bị khóa" in messages[-1] and "15 phút" in messages[-1]

    dialog.password.setText(CLERK_PASSWORD)  # the right password no longer helps
    dialog.try_sign_in()
    assert dialog.operator is None and "bị khóa" in dialog.message.text()
    assert dialog.password.text() == ""


def test_clerk_cannot_open_admin_screens(qtbot: QtBot, services: StationServices, admin: Operator) -> None:
    clerk = services.db.operators.create(admin, "clerk", "Nhân viên", CLERK_PASSWORD, Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        AdminWindow(services, clerk)
    # An admin demoted since signing in holds a stale Operator value: the database decides.
    deputy = services.db.operators.create(admin, "deputy", "Phó", ADMIN_PASSWORD, Role.ADMIN)
    services.db.operators.set_role(admin, "deputy", Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        AdminWindow(services, deputy)
    assert admin_window(qtbot, services, admin).tabs.count() == 5


# -- operators -----------------------------------------------------------------------------------------


def test_operator_management(qtbot: QtBot, services: StationServices, admin: Operator) -> None:
    window = admin_window(qtbot, services, admin)
    tab = window.operators_tab
    assert tab.add_operator("lan.nguyen", "Nguyễn Thị Lan", CLERK_PASSWORD, Role.CLERK)
    assert cells(tab.table, 0) == ["admin", "lan.nguyen"]
    assert cells(tab.table, 2)[1] == "Nhân viên giao dịch"
    assert tab.set_disabled("lan.nguyen", True) and cells(tab.table, 3)[1] == "Đã vô hiệu hóa"
    assert not tab.set_role("admin", Role.CLERK)  # the last admin stays
    assert tab.status.text() == "Không thể hạ quyền hoặc vô hiệu hóa quản trị viên đang hoạt động cuối cùng."
    assert not tab.add_operator("lan.nguyen", "Nguyễn Thị Lan", CLERK_PASSWORD, Role.CLERK)
    assert tab.status.text() == "Tên đăng nhập lan.nguyen đã có người dùng."
    assert not tab.add_operator("Lan Nguyen", "Nguyễn Thị Lan", CLERK_PASSWORD, Role.CLERK)
    assert tab.status.text().startswith("Tên đăng nhập gồm 2–64 chữ thường")
    assert tab.set_disabled("lan.nguyen", False)
    assert tab.reset_password("lan.nguyen", "Mat-khau-moi-1")
    assert services.db.operators.sign_in("lan.nguyen", "Mat-khau-moi-1").username == "lan.nguyen"


def test_a_locked_out_operator_shows_as_locked_until_unlocked(
    qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator
) -> None:
    for _attempt in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(DbError):
            services.db.operators.sign_in("clerk", "not the password")
    window = admin_window(qtbot, services, admin)
    tab = window.operators_tab
    state = dict(zip(cells(tab.table, 0), cells(tab.table, 3), strict=True))
    assert state["clerk"].startswith("Bị khóa đăng nhập đến ") and state["admin"] == "Đang hoạt động"
    assert tab.unlock("clerk")
    assert dict(zip(cells(tab.table, 0), cells(tab.table, 3), strict=True))["clerk"] == "Đang hoạt động"


# -- audit ---------------------------------------------------------------------------------------------


def test_audit_checks_read_as_names_of_what_did_not_pass(qapp: object) -> None:
    assert checks_label([(SOD_SIGNATURE, "pass"), (DG_HASHES, "pass")]) == "Tất cả đạt"
    assert checks_label([(SOD_SIGNATURE, "pass"), (DG_HASHES, "fail")]) == (
        f"{check_name(DG_HASHES)}: {status_name(CheckStatus.FAIL)}"
    )
    assert checks_label([("future.check", "odd")]) == "future.check: odd"  # stored by a newer version
    assert checks_label([]) == ""  # a sign-in, not a read


def test_audit_filter_by_id_number_and_verdict(
    qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator
) -> None:
    assert audit_read(services, clerk, "Virtual PCD 00 00", inspection_result()) is None
    assert (
        audit_read(services, clerk, "Virtual PCD 00 00", inspection_result(PASSPORT_PERSONA, forged=True))
        is None
    )
    assert audit_read(services, clerk, "Virtual PCD 00 01", AccessDeniedError("wrong CAN")) is None
    window = admin_window(qtbot, services, admin)
    tab = window.audit_tab

    tab.id_number.setText(ID_NUMBER)
    tab.search()
    assert cells(tab.table, 1) == ["Đọc thẻ"] and cells(tab.table, 6) == ["Xác thực đầy đủ"]
    # No CRL in this trust store: revocation is the one check not made, and the row says so.
    assert cells(tab.table, 8) == [f"{check_name(DSC_REVOCATION)}: {status_name(CheckStatus.SKIPPED)}"]
    assert cells(tab.table, 2) == ["clerk"]

    tab.id_number.clear()
    tab.verdict.setCurrentIndex(tab.verdict.findData("failed"))
    tab.search()
    assert cells(tab.table, 6) == ["Không đạt"]
    assert cells(tab.table, 8)[0].startswith(f"{check_name(DG_HASHES)}: {status_name(CheckStatus.FAIL)};")
    tab.verdict.setCurrentIndex(tab.verdict.findData("none"))
    tab.search()
    assert cells(tab.table, 7) == ["Sai khóa mở thẻ"]

    tab.verdict.setCurrentIndex(0)
    tab.operator.setCurrentIndex(tab.operator.findData("admin"))
    tab.search()
    assert set(cells(tab.table, 2)) == {"admin"}

    tab.id_number.setText("--- ---")
    tab.search()
    assert "chỉ gồm chữ và số" in tab.status.text()


def test_audit_date_filter(qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator) -> None:
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    window = admin_window(qtbot, services, admin)
    tab = window.audit_tab
    tab.verdict.setCurrentIndex(tab.verdict.findData("verified"))
    tab.use_since.setChecked(True)
    tab.use_until.setChecked(True)
    today = tab.until.date()
    tab.since.setDate(today)
    tab.search()
    assert tab.table.rowCount() == 1
    tab.since.setDate(today.addDays(-3))
    tab.until.setDate(today.addDays(-1))
    tab.search()
    assert tab.table.rowCount() == 0


def test_audit_export_writes_a_file_and_is_audited(
    qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    window = admin_window(qtbot, services, admin)
    tab = window.audit_tab
    tab.verdict.setCurrentIndex(tab.verdict.findData("verified"))
    tab.search()
    target = tmp_path / "audit.json"
    assert tab.export_to(target, "json")
    exported = json.loads(target.read_text(encoding="utf-8"))["events"]
    assert [(e["verdict"], e["operator"]) for e in exported] == [("verified", "clerk")]
    assert ID_NUMBER not in target.read_text(encoding="utf-8")

    tab.verdict.setCurrentIndex(0)
    tab.search()
    assert cells(tab.table, 1)[0] == "Xuất nhật ký" and cells(tab.table, 2)[0] == "admin"
    assert not tab.export_to(tmp_path / "missing-folder" / "audit.csv", "csv")
    assert "Không ghi được tệp" in tab.status.text()


# -- saved records -------------------------------------------------------------------------------------


def test_save_record_then_view_as_admin(
    qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    action = SaveRecordAction(services, lambda: clerk)
    assert not action.isEnabled()
    result = inspection_result()
    action.set_result(result)
    with qtbot.waitSignal(action.saved) as saved:
        action.trigger()
    assert not action.isEnabled()  # one save per read
    info = saved.args[0]

    window = admin_window(qtbot, services, admin)
    tab = window.records_tab
    tab.refresh()
    assert tab.table.rowCount() == 1 and cells(tab.table, 2) == ["clerk"]
    dialog = tab.view(info.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.shown_fields["full_name"] == "Nguyễn Văn An"
    assert dialog.shown_fields["date_of_birth"] == "14/06/1985"
    pixmap = dialog.photo.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    assert services.db.audit.search(action="record_view")[0].operator == "admin"

    target = tmp_path / "records.csv"
    assert tab.export_to(target, [info.id], "csv")
    assert "Nguyễn Văn An" in target.read_text(encoding="utf-8-sig")
    assert services.db.audit.search(action="export")[0].detail["format"] == "csv"
    assert not tab.export_to(target, [], "csv") and "Hãy chọn" in tab.status.text()
    assert tab.view(uuid.uuid4()) is None and "không còn" in tab.status.text()


def test_save_record_needs_a_signed_in_operator(qtbot: QtBot, services: StationServices) -> None:
    action = SaveRecordAction(services, lambda: None)
    action.set_result(inspection_result())
    with qtbot.waitSignal(action.failed) as failed:
        action.trigger()
    assert "đăng nhập" in failed.args[0] and services.list_records() == []


# -- trust store ---------------------------------------------------------------------------------------


def test_trust_import_from_the_tab(qtbot: QtBot, services: StationServices, admin: Operator) -> None:
    window = admin_window(qtbot, services, admin)
    tab = window.trust_tab
    assert tab.import_file(TESTPKI_DIR / "masterlist-test.ml", TrustKind.MASTER_LIST)
    assert tab.import_file(TESTPKI_DIR / "crl-test-vnm.crl", TrustKind.CRL)
    assert cells(tab.table, 1) == ["crl-test-vnm.crl", "masterlist-test.ml"]
    cscas = sum(1 for entry in services.trust_store.entries() if entry.kind.value == "csca")
    assert cscas > 0 and f"{cscas} CSCA, 1 CRL" in tab.summary.text()
    assert not tab.import_file(TESTPKI_DIR / "dsc-test-vnm-01.pem", TrustKind.CSCA)
    assert "Tệp bị từ chối" in tab.status.text() and tab.table.rowCount() == 2


# -- settings ------------------------------------------------------------------------------------------


def test_settings_saved_and_refused(qtbot: QtBot, services: StationServices, admin: Operator) -> None:
    window = admin_window(qtbot, services, admin)
    tab = window.settings_tab
    tab.retention_days.setValue(90)
    tab.auto_clear_seconds.setValue(45)
    tab.station_id.setText("quay-03")
    with qtbot.waitSignal(tab.settings_saved) as saved:
        assert tab.save()
    settings = saved.args[0]
    assert (settings.retention_days, settings.auto_clear_seconds, settings.station_id) == (90, 45, "quay-03")
    assert services.station_id == "quay-03"
    tab.station_id.setText("quầy 3")
    assert not tab.save() and "Mã máy trạm" in tab.status.text()
    assert services.settings().station_id == "quay-03"


# -- sync indicator ------------------------------------------------------------------------------------


def _pg_schema_url(base_url: str) -> tuple[str, Callable[[], None]]:
    schema = f"admin_ui_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


@pytest.fixture
def pg_central(postgres_url: str) -> Iterator[str]:
    url, drop = _pg_schema_url(postgres_url)
    try:
        yield url
    finally:
        drop()


def test_sync_indicator_shows_pending_then_in_sync(
    qtbot: QtBot, services: StationServices, admin: Operator, clerk: Operator, pg_central: str
) -> None:
    indicator = SyncIndicator(services)
    qtbot.addWidget(indicator)
    pending = services.sync_status().pending
    assert indicator.text() == f"Chưa cấu hình máy chủ · {pending} mục chờ gửi"
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    indicator.refresh()
    assert indicator.text() == f"Chưa cấu hình máy chủ · {pending + 1} mục chờ gửi"

    services.update_settings(admin, central_url="postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    services.sync_now()
    indicator.refresh()
    assert indicator.text() == f"Không kết nối được máy chủ · {pending + 2} mục chờ gửi"

    services.update_settings(admin, central_url=pg_central)
    with qtbot.waitSignal(indicator.shown, timeout=20000, check_params_cb=lambda t: t == "Đã đồng bộ"):
        services.start_sync(interval=60)  # the loop's report crosses threads as a queued signal
    services.stop_sync()
    services.record_attempt(clerk, "Virtual PCD 00 00", AccessDeniedError("wrong CAN"))
    indicator.refresh()
    assert indicator.text() == "1 mục chờ gửi"
    indicator.stop()


def test_sign_in_by_keyboard_alone(qtbot: QtBot, services: StationServices, clerk: Operator) -> None:
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "wrong-password")
    with qtbot.waitSignal(dialog.refused):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert len(services.db.audit.search(action="sign_in_failed")) == 1  # one Enter, one attempt
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert signed.args[0].username == "clerk" and not dialog.isVisible()
