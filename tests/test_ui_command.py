"""`station` (no subcommand): demo fallback without a physical reader, and the PC/SC event adapter."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import ui.app
import ui.command as gui_command
from reader.errors import ReaderUnavailableError
from reader.pcsc import ReaderEvent, ReaderEventKind
from ui.sources import PcscSource


def test_virtual_readers_do_not_count_as_attached(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.pcsc

    monkeypatch.setattr(reader.pcsc, "list_readers", lambda: ["Virtual PCD 00 00", "Virtual PCD 00 01"])
    assert gui_command.physical_readers() == []
    monkeypatch.setattr(
        reader.pcsc, "list_readers", lambda: ["ACS ACR1252 1S CL Reader 00 00", "Virtual PCD 00 00"]
    )
    assert gui_command.physical_readers() == ["ACS ACR1252 1S CL Reader 00 00"]


def test_no_pcsc_service_means_no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.pcsc

    def unavailable() -> list[str]:
        raise ReaderUnavailableError("pcscd is not running")

    monkeypatch.setattr(reader.pcsc, "list_readers", unavailable)
    assert gui_command.physical_readers() == []


@pytest.mark.parametrize(
    ("readers", "argv", "expect_demo"),
    [([], [], True), (["ACS ACR1252 00 00"], [], False), (["ACS ACR1252 00 00"], ["--demo"], True)],
)
def test_start_picks_demo_mode_when_no_physical_reader(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
    readers: list[str],
    argv: list[str],
    expect_demo: bool,
) -> None:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(gui_command, "physical_readers", lambda: readers)
    built: dict[str, Any] = {}
    real_build = ui.app.build_window

    def spy(*args: Any, **kwargs: Any) -> Any:
        built.update(kwargs)
        if not kwargs["demo"]:
            kwargs["demo"] = True  # no pcscd needed: the choice is what this test checks
        window, keep = real_build(*args, **kwargs)
        built["window"] = window
        return window, keep

    monkeypatch.setattr(ui.app, "build_window", spy)
    args = gui_command.parse_arguments([*argv, "--lang", "en"])
    demo, notice = gui_command.choose_demo(args)
    window, resources = ui.app.open_window(args, demo=demo, notice=notice, started=0.0)
    qtbot.addWidget(window)
    assert built["demo"] is expect_demo
    assert window.isVisible()
    message = window.statusBar().currentMessage()
    assert ("demo mode" in message) is (expect_demo and not argv)
    window.close()
    resources.close()
    assert gc.isenabled()  # the program's GUI-thread collector handed collection back


def test_reader_monitor_events_become_signals_from_any_thread(qtbot: QtBot) -> None:
    source = PcscSource()
    with qtbot.waitSignal(source.card_inserted, timeout=2000) as inserted:
        threading.Thread(
            target=source._on_event, args=(ReaderEvent(ReaderEventKind.CARD_INSERTED, "Reader A", b"\x3b"),)
        ).start()
    assert inserted.args == ["Reader A"]
    with qtbot.waitSignal(source.reader_removed, timeout=2000) as removed:
        source._on_event(ReaderEvent(ReaderEventKind.READER_REMOVED, "Reader A"))
    assert removed.args == ["Reader A"]
    with qtbot.waitSignal(source.service_down, timeout=2000):
        source._on_event(ReaderEvent(ReaderEventKind.SERVICE_UNAVAILABLE))
