"""`station` (no subcommand): demo fallback without a physical reader, sign-in at a real counter."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import cccd_station.ui.command as gui_command
from cccd_station.db.database import SQLITE_FILE_NAME
from cccd_station.reader.errors import ReaderUnavailableError
from cccd_station.station.core import Station
from cccd_station.station.readers import DemoReaders
from cccd_station.ui import app as ui_app
from cccd_station.ui.admin.sign_in import SignInDialog


def test_virtual_readers_do_not_count_as_attached(monkeypatch: pytest.MonkeyPatch) -> None:
    from cccd_station.reader import pcsc

    monkeypatch.setattr(pcsc, "list_readers", lambda: ["Virtual PCD 00 00", "Virtual PCD 00 01"])
    assert gui_command.physical_readers() == []
    monkeypatch.setattr(pcsc, "list_readers", lambda: ["ACS ACR1252 1S CL Reader 00 00", "Virtual PCD 00 00"])
    assert gui_command.physical_readers() == ["ACS ACR1252 1S CL Reader 00 00"]


def test_no_pcsc_service_means_no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    from cccd_station.reader import pcsc

    def unavailable() -> list[str]:
        raise ReaderUnavailableError("pcscd is not running")

    monkeypatch.setattr(pcsc, "list_readers", unavailable)
    assert gui_command.physical_readers() == []


def _open_without_reader_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, readers: list[str], argv: list[str]
) -> tuple[dict[str, Any], Any, ExitStack]:
    """Run the start-up as `station` does; a counter's station gets the demo reader instead of pcscd's
    readers so the test needs no pcscd, and ``built`` tells which mode the start-up asked for."""
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STATION_DATABASE_URL", raising=False)
    monkeypatch.setattr(gui_command, "physical_readers", lambda: readers)
    built: dict[str, Any] = {}
    real_open = ui_app.open_station

    def spy(*, demo: bool) -> Station:
        built["demo"] = demo
        return real_open(demo=True) if demo else Station.open(tmp_path, readers=DemoReaders())

    monkeypatch.setattr(ui_app, "open_station", spy)
    args = gui_command.parse_arguments([*argv, "--lang", "en"])
    demo, notice = gui_command.choose_demo(args)
    window, resources = ui_app.open_window(args, demo=demo, notice=notice, started=0.0)
    return built, window, resources


def _answer_sign_in(qtbot: QtBot, fill: Callable[[SignInDialog], None]) -> None:
    """When the modal sign-in dialog opens, ``fill`` answers it as the operator would."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, answer)  # not shown yet
            return
        fill(dialog)

    QTimer.singleShot(0, answer)


@pytest.mark.parametrize(("readers", "argv"), [([], []), (["ACS ACR1252 00 00"], ["--demo"])])
def test_demo_mode_opens_without_sign_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: QtBot, readers: list[str], argv: list[str]
) -> None:
    built, window, resources = _open_without_reader_service(monkeypatch, tmp_path, readers, argv)
    qtbot.addWidget(window)
    assert built["demo"] is True
    assert window.isVisible()
    message = window.statusBar().currentMessage()
    assert ("demo mode" in message) is (not argv)  # the notice is for the automatic choice only
    assert window.station.demo and window.demo_panel is not None
    window.close()
    resources.close()
    # The demo keeps its own database (its audit trail of fictitious reads), apart from the counter's.
    assert (tmp_path / "demo" / SQLITE_FILE_NAME).exists()
    assert not (tmp_path / SQLITE_FILE_NAME).exists()


def test_a_real_reader_asks_for_sign_in_first_and_audits_as_that_operator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: QtBot
) -> None:
    def create_first_admin(dialog: SignInDialog) -> None:
        assert dialog.first_run  # an empty database: the first operator becomes the admin
        dialog.username.setText("admin")
        dialog.display_name.setText("Quản trị viên")
        dialog.password.setText("correct horse battery")
        dialog.confirm.setText("correct horse battery")
        dialog.submit.click()

    _answer_sign_in(qtbot, create_first_admin)
    built, window, resources = _open_without_reader_service(monkeypatch, tmp_path, ["ACS ACR1252 00 00"], [])
    qtbot.addWidget(window)
    assert built["demo"] is False
    assert window.isVisible()
    assert "demo mode" not in window.statusBar().currentMessage()
    actions = {action.text().replace("&", ""): action for action in window.records_menu.actions()}
    assert {"Save record", "Admin screens…", "Sign out"} <= actions.keys()
    assert actions["Admin screens…"].isEnabled()  # the first operator is the administrator
    assert window.operator is not None and window.operator.username == "admin"  # reads audited as them
    assert (tmp_path / SQLITE_FILE_NAME).exists()
    window.close()
    resources.close()


def test_quitting_the_sign_in_ends_the_program_without_a_window(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: QtBot
) -> None:
    _answer_sign_in(qtbot, lambda dialog: dialog.reject())
    with pytest.raises(SystemExit) as exit_info:
        _open_without_reader_service(monkeypatch, tmp_path, ["ACS ACR1252 00 00"], [])
    assert exit_info.value.code == 0
