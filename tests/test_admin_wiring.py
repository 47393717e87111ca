"""attach_admin on the real main window (demo source, virtual chip in-process): every read is audited,
the clerk can save the result shown, the status bar shows the sync state, sign-out asks again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_records_service_fixtures import CLERK_PASSWORD, admin, clerk, services

from cccd_station.db import Operator, TrustKind
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.station.records_service import StationServices
from cccd_station.station.settings import StationSettings
from cccd_station.ui.admin import AdminHooks, attach_admin
from cccd_station.ui.admin import wiring as admin_wiring
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow

__all__ = ["admin", "clerk", "services"]

READ_TIMEOUT_MS = 30_000
CCCD = "nguyen-van-an"


@pytest.fixture
def window(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    translations = setup_application(qapp, "vi")
    main, keep_alive = build_window(
        StationSettings(auto_clear_seconds=300), translations, demo=True, settings_dir=tmp_path
    )
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    del keep_alive


def _read(qtbot: QtBot, window: MainWindow, id_number: str) -> None:
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.keys.key_changed, timeout=2000):
        qtbot.keyClicks(window.keys.id_field, id_number)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(CCCD)
    qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)


def test_reads_are_audited_and_the_result_can_be_saved(
    qtbot: QtBot,
    window: MainWindow,
    services: StationServices,
    clerk: Operator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hooks = attach_admin(window, services, clerk)
    assert not hooks.admin_action.isEnabled() and not hooks.save_action.isEnabled()
    assert window.settings.auto_clear_seconds == services.settings().auto_clear_seconds
    id_number = load_persona(CCCD).id_number or ""
    threads = []
    record_attempt = services.record_attempt

    def recording(*args: Any) -> Any:
        threads.append(threading.current_thread())
        return record_attempt(*args)

    monkeypatch.setattr(services, "record_attempt", recording)
    with qtbot.waitSignals([window.result_shown, hooks.attempt_recorded], timeout=READ_TIMEOUT_MS):
        _read(qtbot, window, id_number)
    events = services.search_audit(id_number=id_number)
    assert [(e.verdict, e.operator, e.reader_name) for e in events] == [("verified", "clerk", window.reader)]
    assert threads == [threading.main_thread()]  # the database is written from the GUI thread

    assert hooks.save_action.isEnabled()
    with qtbot.waitSignal(hooks.save_action.saved):
        hooks.save_action.trigger()
    assert [record.operator for record in services.list_records(id_number=id_number)] == ["clerk"]
    assert "Đã lưu hồ sơ" in window.statusBar().currentMessage()
    assert "mục chờ gửi" in hooks.sync_indicator.text()


def test_a_failed_read_is_audited_with_its_kind(
    qtbot: QtBot, window: MainWindow, services: StationServices, clerk: Operator
) -> None:
    hooks = attach_admin(window, services, clerk)
    with qtbot.waitSignals([window.error_shown, hooks.attempt_recorded], timeout=READ_TIMEOUT_MS):
        _read(qtbot, window, "001099000000")  # not this card's number
    events = services.search_audit(verdict="none")
    assert [(e.error_kind, e.operator) for e in events] == [("wrong_key", "clerk")]


def test_admin_menu_and_sign_out(
    qtbot: QtBot,
    window: MainWindow,
    services: StationServices,
    admin: Operator,
    clerk: Operator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hooks: AdminHooks = attach_admin(window, services, admin)
    assert hooks.admin_action.isEnabled()
    assert hooks.menu is window.records_menu and not window.records_placeholder.isVisible()
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
    assert not hooks.admin_action.isEnabled() and hooks.admin_window is None
    assert [e.operator for e in services.db.audit.search(action="sign_out")] == ["admin"]


def test_outside_the_demo_reads_use_the_services_trust_store(
    qtbot: QtBot, window: MainWindow, services: StationServices, admin: Operator
) -> None:
    window.demo = False  # as a PC/SC window: trust comes from the station's store
    hooks = attach_admin(window, services, admin)
    assert window.trust is services.trust_store
    # A new station trusts no CSCA yet: every card would be amber, and the status bar says why.
    assert hooks.trust_warning.isVisible() and "CSCA" in hooks.trust_warning.text()
    with qtbot.waitSignal(hooks.trust_replaced):
        services.import_trust_file(admin, TESTPKI_DIR / "csca-test-vnm.pem", TrustKind.CSCA)
    assert window.trust is services.trust_store and window.trust is not None
    assert len(window.trust.entries()) == 1
    assert not hooks.trust_warning.isVisible()


def test_the_demo_never_warns_about_missing_csca(
    qtbot: QtBot, window: MainWindow, services: StationServices, admin: Operator
) -> None:
    hooks = attach_admin(window, services, admin)  # the demo window keeps its own TEST anchors
    assert not hooks.trust_warning.isVisible()


def test_a_language_switch_retranslates_the_admin_menu_and_an_open_admin_window(
    qtbot: QtBot, window: MainWindow, services: StationServices, admin: Operator
) -> None:
    hooks = attach_admin(window, services, admin)
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
    assert services.settings().retention_days != 1

    window.set_language("vi")
    assert hooks.sign_out_action.text() == "Đăng &xuất"
    assert hooks.admin_window is not None and hooks.admin_window.windowTitle().startswith("Quản trị")
    hooks.admin_window.close()
