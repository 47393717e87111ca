"""attach_admin on the real main window (a counter's station with the demo reader, virtual chip in-process):
the core audits every read as the signed-in operator, the clerk can save the result shown, the status bar
shows the sync state and the missing-CSCA warning, sign-out asks again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from station_fixtures import CLERK_PASSWORD, admin, clerk, station

from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.station.core import Operator, Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.ui.admin import AdminHooks, attach_admin
from cccd_station.ui.admin import wiring as admin_wiring
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow

__all__ = ["admin", "clerk", "station"]

READ_TIMEOUT_MS = 30_000
CCCD = "nguyen-van-an"


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, station: Station) -> Iterator[MainWindow]:
    main = build_window(station, setup_application(qapp, "vi"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _trust_the_test_cscas(station: Station) -> None:
    assert station.trust is not None
    station.trust.import_files(demo_trust_files(), "test")


def _read(qtbot: QtBot, window: MainWindow, id_number: str) -> None:
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.keys.key_changed, timeout=2000):
        qtbot.keyClicks(window.keys.id_field, id_number)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(CCCD)
    qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)


def test_reads_are_audited_as_the_signed_in_operator_and_the_result_can_be_saved(
    qtbot: QtBot, window: MainWindow, station: Station, clerk: Operator
) -> None:
    _trust_the_test_cscas(station)
    hooks = attach_admin(window, station, clerk)
    assert not hooks.admin_action.isEnabled() and not hooks.save_action.isEnabled()
    assert window.settings.auto_clear_seconds == station.settings().auto_clear_seconds
    id_number = load_persona(CCCD).id_number or ""
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _read(qtbot, window, id_number)
    events = station.search_audit(id_number=id_number)
    assert [(e.verdict, e.operator, e.reader_name) for e in events] == [("verified", "clerk", window.reader)]

    assert hooks.save_action.isEnabled()
    with qtbot.waitSignal(hooks.save_action.saved):
        hooks.save_action.trigger()
    assert [record.operator for record in station.list_records(id_number=id_number)] == ["clerk"]
    assert "Đã lưu hồ sơ" in window.statusBar().currentMessage()
    assert "mục chờ gửi" in hooks.sync_indicator.text()


def test_a_failed_read_is_audited_with_its_kind(
    qtbot: QtBot, window: MainWindow, station: Station, clerk: Operator
) -> None:
    attach_admin(window, station, clerk)
    with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS):
        _read(qtbot, window, "001099000000")  # not this card's number
    events = station.search_audit(verdict="none")
    assert [(e.error_kind, e.operator) for e in events] == [("wrong_key", "clerk")]


def test_admin_menu_and_sign_out(
    qtbot: QtBot,
    window: MainWindow,
    station: Station,
    admin: Operator,
    clerk: Operator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not window.records_menu.menuAction().isVisible()  # nothing in it until someone signs in
    hooks: AdminHooks = attach_admin(window, station, admin)
    assert hooks.admin_action.isEnabled()
    assert window.records_menu.menuAction().isVisible()
    assert {hooks.save_action, hooks.admin_action, hooks.sign_out_action} <= set(
        window.records_menu.actions()
    )
    opened = hooks.open_admin()
    assert opened is not None and hooks.admin_window is opened
    qtbot.addWidget(opened)
    assert hooks.open_admin() is opened  # the shortcut again brings the same window forward
    opened.settings_tab.auto_clear_seconds.setValue(20)
    assert opened.settings_tab.save()
    assert window.settings.auto_clear_seconds == 20

    monkeypatch.setattr(
        admin_wiring, "sign_in", lambda s, _parent: s.db.operators.sign_in("clerk", CLERK_PASSWORD)
    )
    with qtbot.waitSignal(hooks.signed_out):
        hooks.sign_out()
    assert hooks.operator is not None and hooks.operator.username == "clerk"
    assert window.operator == hooks.operator  # the next reads are audited as the clerk
    assert not hooks.admin_action.isEnabled() and hooks.admin_window is None
    assert [e.operator for e in station.db.audit.search(action="sign_out")] == ["admin"]


def test_a_station_without_csca_says_so_until_the_admin_imports_one(
    qtbot: QtBot, window: MainWindow, station: Station, admin: Operator
) -> None:
    hooks = attach_admin(window, station, admin)
    # A new station trusts no CSCA yet: every card would be amber, and the status bar says why.
    assert hooks.trust_warning.isVisible() and "CSCA" in hooks.trust_warning.text()
    opened = hooks.open_admin()
    assert opened is not None
    assert opened.trust_tab.import_file(TESTPKI_DIR / "csca-test-vnm.pem")
    assert len(station.anchors.cscas) == 1
    assert not hooks.trust_warning.isVisible()


def test_a_language_switch_retranslates_the_admin_menu_and_an_open_admin_window(
    qtbot: QtBot, window: MainWindow, station: Station, admin: Operator
) -> None:
    hooks = attach_admin(window, station, admin)
    assert hooks.sign_out_action.text() == "Đăng &xuất"
    opened = hooks.open_admin()
    assert opened is not None
    opened.tabs.setCurrentWidget(opened.trust_tab)
    opened.settings_tab.retention_days.setValue(1)  # typed, not saved yet

    window.set_language("en")
    assert [hooks.save_action.text(), hooks.admin_action.text(), hooks.sign_out_action.text()] == [
        "&Save record",
        "&Admin screens…",
        "Sign &out",
    ]
    reopened = hooks.admin_window
    assert reopened is not None and reopened is not opened and reopened.isVisible()
    qtbot.addWidget(reopened)
    assert reopened.windowTitle().startswith("Administration — CCCD Station")
    assert reopened.tabs.currentWidget() is reopened.trust_tab  # the admin stays where they were
    assert reopened.tabs.tabText(reopened.tabs.currentIndex()) == "&Trust store"
    assert reopened.settings_tab.retention_days.text() == "1 day"  # the unsaved edit survived
    assert station.settings().retention_days != 1

    window.set_language("vi")
    assert hooks.sign_out_action.text() == "Đăng &xuất"
    assert hooks.admin_window is not None and hooks.admin_window.windowTitle().startswith("Quản trị")
    hooks.admin_window.close()
