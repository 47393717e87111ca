"""Sign-in dialog, admin window tabs, sync indicator and save-record action (pytest-qt, offscreen)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from station_fixtures import (
    ADMIN_PASSWORD,
    CCCD_PERSONA,
    CLERK_PASSWORD,
    PASSPORT_PERSONA,
    admin,
    clerk,
    station,
)

from cccd_station.crypto.verdict import DG_HASHES, DSC_REVOCATION, SOD_SIGNATURE, CheckStatus
from cccd_station.db import DbError, Operator, Role
from cccd_station.db.operators import MAX_FAILED_ATTEMPTS
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import CardError
from cccd_station.reader.keys import AccessKey, IdNumberKey
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_key
from cccd_station.station.errors import error_kind
from cccd_station.station.pipeline import InspectionResult
from cccd_station.station.readers import DEMO_READER, DemoReaders
from cccd_station.ui.admin import AdminWindow, SaveRecordAction, SignInDialog, SyncIndicator
from cccd_station.ui.admin.messages import checks_label
from cccd_station.ui.texts import check_name, status_name

__all__ = ["admin", "clerk", "station"]

ID_NUMBER = load_persona(CCCD_PERSONA).id_number or ""


def trust_test_cscas(station: Station, admin: Operator) -> None:
    """The TEST CSCAs (Vietnam's, and Utopia's from the master list); no CRL."""
    assert station.trust is not None
    station.trust.import_path(TESTPKI_DIR / "csca-test-vnm.pem", admin)
    station.trust.import_path(TESTPKI_DIR / "masterlist-test.ml", admin)


def read_result(station: Station, admin: Operator) -> InspectionResult:
    """A verified read of the fictitious CCCD, as the window would show it."""
    trust_test_cscas(station, admin)
    readers = station.readers
    assert isinstance(readers, DemoReaders)
    readers.place_card(CCCD_PERSONA)
    try:
        return station.read(demo_key(CCCD_PERSONA), reader=DEMO_READER)
    finally:
        readers.remove_card()


def read_card(
    station: Station,
    operator: Operator | None,
    persona: str = CCCD_PERSONA,
    key: AccessKey | None = None,
    faults: tuple[str, ...] = (),
) -> None:
    """A real read of the demo card through the core, which audits it (a refusal included)."""
    readers = station.readers
    assert isinstance(readers, DemoReaders)
    readers.place_card(persona, faults)
    try:
        station.read(key or demo_key(persona), reader=DEMO_READER, operator=operator)
    except CardError:
        pass
    finally:
        readers.remove_card()


def cells(table: QTableWidget, column: int) -> list[str]:
    return [item.text() if (item := table.item(row, column)) else "" for row in range(table.rowCount())]


def admin_window(qtbot: QtBot, station: Station, operator: Operator) -> AdminWindow:
    window = AdminWindow(station, operator)
    qtbot.addWidget(window)
    return window


# -- sign-in -------------------------------------------------------------------------------------------


def test_first_run_creates_the_first_admin(qtbot: QtBot, station: Station) -> None:
    dialog = SignInDialog(station)
    qtbot.addWidget(dialog)
    assert dialog.first_run and dialog.confirm.isVisibleTo(dialog)
    dialog.username.setText("admin")
    dialog.display_name.setText("Quản trị viên")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirm.setText(ADMIN_PASSWORD + "x")
    dialog.try_sign_in()
    assert "không giống nhau" in dialog.message.text()
    assert station.db.operators.needs_first_admin()

    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirm.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signed:
        dialog.try_sign_in()
    operator = signed.args[0]
    assert operator.username == "admin" and operator.role is Role.ADMIN and dialog.operator == operator
    assert not station.db.operators.needs_first_admin()
    assert not SignInDialog(station).first_run  # the next start asks for a password


def test_wrong_password_then_lockout_message(qtbot: QtBot, station: Station, clerk: Operator) -> None:
    dialog = SignInDialog(station)
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


def test_clerk_cannot_open_admin_screens(qtbot: QtBot, station: Station, admin: Operator) -> None:
    clerk = station.db.operators.create(admin, "clerk", "Nhân viên", CLERK_PASSWORD, Role.CLERK)
    with pytest.raises(PermissionError) as refused:
        AdminWindow(station, clerk)
    assert error_kind(refused.value) == "permission_denied"
    # An admin demoted since signing in holds a stale Operator value: the database decides.
    deputy = station.db.operators.create(admin, "deputy", "Phó", ADMIN_PASSWORD, Role.ADMIN)
    station.db.operators.set_role(admin, "deputy", Role.CLERK)
    with pytest.raises(PermissionError):
        AdminWindow(station, deputy)
    assert admin_window(qtbot, station, admin).tabs.count() == 6


# -- operators -----------------------------------------------------------------------------------------


def test_operator_management(qtbot: QtBot, station: Station, admin: Operator) -> None:
    window = admin_window(qtbot, station, admin)
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
    assert station.db.operators.sign_in("lan.nguyen", "Mat-khau-moi-1").username == "lan.nguyen"


def test_a_locked_out_operator_shows_as_locked_until_unlocked(
    qtbot: QtBot, station: Station, admin: Operator, clerk: Operator
) -> None:
    for _attempt in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(DbError):
            station.db.operators.sign_in("clerk", "not the password")
    window = admin_window(qtbot, station, admin)
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
    qtbot: QtBot, station: Station, admin: Operator, clerk: Operator
) -> None:
    trust_test_cscas(station, admin)
    read_card(station, clerk)
    read_card(station, clerk, PASSPORT_PERSONA, faults=("tampered-dg=2",))
    read_card(station, clerk, key=IdNumberKey("001085999999"))  # not this card's number
    window = admin_window(qtbot, station, admin)
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


def test_audit_date_filter(qtbot: QtBot, station: Station, admin: Operator, clerk: Operator) -> None:
    trust_test_cscas(station, admin)
    read_card(station, clerk)
    window = admin_window(qtbot, station, admin)
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
    qtbot: QtBot, station: Station, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    trust_test_cscas(station, admin)
    read_card(station, clerk)
    window = admin_window(qtbot, station, admin)
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
    qtbot: QtBot, station: Station, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    action = SaveRecordAction(station, lambda: clerk)
    assert not action.isEnabled()
    result = read_result(station, admin)
    action.set_result(result)
    with qtbot.waitSignal(action.saved) as saved:
        action.trigger()
    assert not action.isEnabled()  # one save per read
    info = saved.args[0]

    window = admin_window(qtbot, station, admin)
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
    assert station.db.audit.search(action="record_view")[0].operator == "admin"

    target = tmp_path / "records.csv"
    assert tab.export_to(target, [info.id], "csv")
    assert "Nguyễn Văn An" in target.read_text(encoding="utf-8-sig")
    assert station.db.audit.search(action="export")[0].detail["format"] == "csv"
    assert not tab.export_to(target, [], "csv") and "Hãy chọn" in tab.status.text()
    assert tab.view(uuid.uuid4()) is None and "không còn" in tab.status.text()


def test_save_record_needs_a_signed_in_operator(qtbot: QtBot, station: Station, admin: Operator) -> None:
    action = SaveRecordAction(station, lambda: None)
    action.set_result(read_result(station, admin))
    with qtbot.waitSignal(action.failed) as failed:
        action.trigger()
    assert "đăng nhập" in failed.args[0] and station.list_records() == []


# -- trust store ---------------------------------------------------------------------------------------


def test_trust_import_from_the_tab_shows_countries_and_every_refusal(
    qtbot: QtBot, station: Station, admin: Operator
) -> None:
    window = admin_window(qtbot, station, admin)
    tab = window.trust_tab
    assert tab.import_file(TESTPKI_DIR / "csca-test-vnm.pem")
    assert tab.import_file(TESTPKI_DIR / "masterlist-test.ml")
    assert tab.import_file(TESTPKI_DIR / "crl-test-vnm.crl")
    assert cells(tab.table, 1) == ["crl-test-vnm.crl", "masterlist-test.ml", "csca-test-vnm.pem"]
    assert set(cells(tab.table, 3)) == {"Tin cậy"}
    assert station.trust is not None
    countries = station.trust.state.countries()
    assert len(countries) >= 2  # Vietnam's and Utopia's TEST CSCAs
    for country, count in countries.items():
        assert f"{country} {count}" in tab.summary.text()
    assert f"{len(station.anchors.cscas)} CSCA, 1 CRL" in tab.summary.text()

    # A document signer is no CSCA: refused, with the rule's reason, and nothing stored.
    assert not tab.import_file(TESTPKI_DIR / "dsc-test-vnm-01.pem")
    assert "Tệp bị từ chối" in tab.status.text() and "CA" in tab.status.text()
    assert tab.table.rowCount() == 3


def test_a_refused_certificate_is_listed_with_its_reason(
    qtbot: QtBot, station: Station, admin: Operator
) -> None:
    """The master list's signer is not trusted yet: the list is refused, and the tab says why."""
    window = admin_window(qtbot, station, admin)
    tab = window.trust_tab
    assert not tab.import_file(TESTPKI_DIR / "masterlist-test.ml")
    assert "import that CSCA first" in tab.status.text() or "not trusted" in tab.status.text()


def test_an_entry_from_central_that_was_refused_says_so(
    qtbot: QtBot, station: Station, admin: Operator
) -> None:
    """A row that arrived from the central database and fails the trust rule: "rejected from central"."""
    from cccd_station.db import TrustKind
    from cccd_station.db.trust import TrustOrigin

    der = (TESTPKI_DIR / "dsc-test-vnm-01.pem").read_bytes()
    from cccd_station.crypto.truststore import read_trust_file

    (_kind, dsc), *_rest = read_trust_file(der, "dsc-test-vnm-01.pem")
    entry = station.db.trust.add(TrustKind.CSCA, dsc, "central", "central", {})
    with station.db.session() as session:
        from cccd_station.db.models import TrustEntryRow

        row = session.get(TrustEntryRow, entry.id)
        assert row is not None
        row.origin = TrustOrigin.CENTRAL.value
    assert station.trust is not None
    station.trust.refresh([entry.fingerprint])
    window = admin_window(qtbot, station, admin)
    tab = window.trust_tab
    assert cells(tab.table, 3)[0].startswith("Nhận từ máy chủ trung tâm, bị từ chối: ")
    assert tab.refused_table.rowCount() == 1
    reason = tab.refused_table.item(0, 2)
    assert reason is not None and reason.text()


# -- settings ------------------------------------------------------------------------------------------


def test_settings_saved_and_refused(qtbot: QtBot, station: Station, admin: Operator) -> None:
    window = admin_window(qtbot, station, admin)
    tab = window.settings_tab
    tab.retention_days.setValue(90)
    tab.auto_clear_seconds.setValue(45)
    tab.station_id.setText("quay-03")
    with qtbot.waitSignal(tab.settings_saved) as saved:
        assert tab.save()
    settings = saved.args[0]
    assert (settings.retention_days, settings.auto_clear_seconds, settings.station_id) == (90, 45, "quay-03")
    assert station.station_id == "quay-03"
    tab.station_id.setText("quầy 3")
    assert not tab.save() and "Mã máy trạm" in tab.status.text()
    assert station.settings().station_id == "quay-03"


def test_face_thresholds_and_the_automatic_camera_are_settings(
    qtbot: QtBot, station: Station, admin: Operator
) -> None:
    window = admin_window(qtbot, station, admin)
    tab = window.settings_tab
    assert (tab.face_same_below.value(), tab.face_different_from.value()) == (0.45, 0.60)
    tab.face_same_below.setValue(0.4)
    tab.face_camera_auto.setChecked(True)
    with qtbot.waitSignal(tab.settings_saved) as saved:
        assert tab.save()
    settings = saved.args[0]
    assert (settings.face_same_below, settings.face_different_from, settings.face_camera_auto) == (
        0.4,
        0.6,
        True,
    )
    tab.face_different_from.setValue(0.3)  # below "rất giống": refused, nothing changes
    assert not tab.save() and "rất giống" in tab.status.text()
    assert station.settings().face_different_from == 0.6


def test_without_the_face_extra_the_settings_have_no_face_rows(
    qtbot: QtBot, station: Station, admin: Operator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cccd_station.ui.admin import settings_tab

    monkeypatch.setattr(settings_tab, "unavailable_reason", lambda: "face comparison is not installed")
    window = admin_window(qtbot, station, admin)
    window.show()
    tab = window.settings_tab
    window.tabs.setCurrentWidget(tab)
    assert not tab.face_same_below.isVisible() and not tab.face_camera_auto.isVisible()
    assert tab.retention_days.isVisible()


# -- sync indicator ------------------------------------------------------------------------------------


def test_sync_indicator_shows_pending_then_in_sync(
    qtbot: QtBot, station: Station, admin: Operator, clerk: Operator, pg_fresh_url: str
) -> None:
    indicator = SyncIndicator(station)
    qtbot.addWidget(indicator)
    pending = station.sync_status().pending
    assert indicator.text() == f"Chưa cấu hình máy chủ · {pending} mục chờ gửi"
    read_card(station, clerk)
    indicator.refresh()
    assert indicator.text() == f"Chưa cấu hình máy chủ · {pending + 1} mục chờ gửi"

    station.update_settings(admin, central_url="postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    station.sync_now()
    indicator.refresh()
    assert indicator.text() == f"Không kết nối được máy chủ · {pending + 2} mục chờ gửi"

    station.update_settings(admin, central_url=pg_fresh_url)
    with qtbot.waitSignal(indicator.shown, timeout=20000, check_params_cb=lambda t: t == "Đã đồng bộ"):
        station.start_sync(interval=60)  # the loop's report crosses threads as a queued signal
    station.stop_sync()
    read_card(station, clerk, key=IdNumberKey("001085999999"))
    indicator.refresh()
    assert indicator.text() == "1 mục chờ gửi"
    indicator.stop()


def test_sign_in_by_keyboard_alone(qtbot: QtBot, station: Station, clerk: Operator) -> None:
    dialog = SignInDialog(station)
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
    assert len(station.db.audit.search(action="sign_in_failed")) == 1  # one Enter, one attempt
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, CLERK_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert signed.args[0].username == "clerk" and not dialog.isVisible()
