"""`station` (no subcommand): demo fallback without a physical reader, and the PC/SC event adapter."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import cccd_station.ui.command as gui_command
from cccd_station.db.database import SQLITE_FILE_NAME
from cccd_station.reader.errors import ReaderUnavailableError
from cccd_station.reader.pcsc import ReaderEvent, ReaderEventKind
from cccd_station.ui import app as ui_app
from cccd_station.ui.admin.sign_in import SignInDialog
from cccd_station.ui.sources import PcscSource


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
    """Run the start-up as `station` does; the window itself is always built on the virtual card so
    the test needs no pcscd, and ``built`` tells which mode the start-up asked for."""
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STATION_DATABASE_URL", raising=False)
    monkeypatch.setattr(gui_command, "physical_readers", lambda: readers)
    built: dict[str, Any] = {}
    real_build = ui_app.build_window

    def spy(*args: Any, **kwargs: Any) -> Any:
        built["demo"] = kwargs["demo"]
        return real_build(*args, **{**kwargs, "demo": True})

    monkeypatch.setattr(ui_app, "build_window", spy)
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
    window.close()
    resources.close()
    assert gc.isenabled()  # the program's GUI-thread collector handed collection back
    assert not (tmp_path / SQLITE_FILE_NAME).exists()  # no sign-in, no audit trail in the demo


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
    assert (tmp_path / SQLITE_FILE_NAME).exists()
    window.close()
    resources.close()
    assert gc.isenabled()


def test_quitting_the_sign_in_ends_the_program_without_a_window(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: QtBot
) -> None:
    _answer_sign_in(qtbot, lambda dialog: dialog.reject())
    with pytest.raises(SystemExit) as exit_info:
        _open_without_reader_service(monkeypatch, tmp_path, ["ACS ACR1252 00 00"], [])
    assert exit_info.value.code == 0


class _Window(QObject):
    """Stands for the main window: a GUI-thread object whose bound slots get the source's events."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, str, bool]] = []

    def _note(self, kind: str, reader: str = "") -> None:
        self.heard.append((kind, reader, threading.current_thread() is threading.main_thread()))

    @Slot(str)
    def inserted(self, reader: str) -> None:
        self._note("inserted", reader)

    @Slot(str)
    def removed(self, reader: str) -> None:
        self._note("reader removed", reader)

    @Slot()
    def down(self) -> None:
        self._note("service down")


def test_reader_monitor_events_reach_the_gui_thread_from_the_monitors_thread(qtbot: QtBot) -> None:
    source, window = PcscSource(), _Window()
    source.card_inserted.connect(window.inserted)
    source.reader_removed.connect(window.removed)
    source.service_down.connect(window.down)
    events = [
        ReaderEvent(ReaderEventKind.CARD_INSERTED, "Reader A", b"\x3b"),
        ReaderEvent(ReaderEventKind.READER_REMOVED, "Reader A"),
        ReaderEvent(ReaderEventKind.SERVICE_UNAVAILABLE),
    ]

    def monitor_thread() -> None:
        for event in events:
            source._on_event(event)

    monitor = threading.Thread(target=monitor_thread)
    monitor.start()
    monitor.join()
    # Polled, not waitSignal: pytest-qt's waitSignal must not be fed from another thread.
    qtbot.waitUntil(lambda: len(window.heard) == len(events), timeout=2000)
    assert window.heard == [
        ("inserted", "Reader A", True),
        ("reader removed", "Reader A", True),
        ("service down", "", True),
    ]
