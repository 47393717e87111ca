"""The window on the one core: the same audit row as any other front end, a failed audit said, the
station's events reaching the GUI thread, and Qt objects owned so that Python's garbage collector,
whichever thread it runs on, never destroys one."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken
from station_fixtures import ADMIN_PASSWORD

from cccd_station.db import StorageError
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.keys import IdNumberKey
from cccd_station.station.core import Operator, Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.station.readers import DEMO_READER, DemoReaders
from cccd_station.ui.admin import wiring as admin_wiring
from cccd_station.ui.admin.wiring import attach_admin
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow, ReaderLine, State, reader_line
from cccd_station.ui.station_bridge import StationBridge

READ_TIMEOUT_MS = 30_000
CCCD = "nguyen-van-an"
ID_NUMBER = load_persona(CCCD).id_number or ""


@pytest.fixture
def demo_station(tmp_path: Path) -> Iterator[Station]:
    with Station.open_demo(tmp_path) as opened:
        yield opened


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, demo_station: Station) -> Iterator[MainWindow]:
    main = build_window(demo_station, setup_application(qapp, "vi"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _read_in_window(qtbot: QtBot, window: MainWindow, id_number: str = ID_NUMBER) -> None:
    window.keys.set_id_number(id_number)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(CCCD)
    with qtbot.waitSignals([window.result_shown], timeout=READ_TIMEOUT_MS):
        if not panel.card_present:
            panel.toggle_card()


def _without_identity(row: Any) -> dict[str, Any]:
    """An audit row as a clerk's action decides it: without its id, sequence number and time."""
    values = asdict(row)
    for key in ("id", "seq", "occurred_at"):
        values.pop(key)
    return values


def test_the_window_and_a_direct_read_leave_the_same_audit_row(
    qtbot: QtBot, window: MainWindow, demo_station: Station
) -> None:
    _read_in_window(qtbot, window)
    demo_station.read(IdNumberKey(ID_NUMBER), reader=DEMO_READER)  # the card is still on the reader
    reads = demo_station.db.audit.search(action="card_read")
    assert len(reads) == 2
    assert _without_identity(reads[0]) == _without_identity(reads[1])
    assert reads[0].verdict == "verified" and reads[0].reader_name == DEMO_READER
    assert reads[0].document_hash and ID_NUMBER not in str(asdict(reads[0]))


def test_a_read_the_database_could_not_record_is_shown_and_said(
    qtbot: QtBot, window: MainWindow, demo_station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise StorageError("database or disk is full")

    monkeypatch.setattr(demo_station.db.audit, "record_read", disk_full)
    _read_in_window(qtbot, window)
    assert window.state is State.RESULT  # the read stands
    qtbot.waitUntil(lambda: "chưa được ghi" in window.statusBar().currentMessage(), timeout=2000)
    assert "cơ sở dữ liệu" in window.statusBar().currentMessage().lower()


def test_the_reader_line_follows_state_reader_and_card() -> None:
    assert reader_line(State.IDLE, None, False) is ReaderLine.NO_READER
    assert reader_line(State.IDLE, DEMO_READER, False) is ReaderLine.READY
    assert reader_line(State.WAITING_FOR_CARD, DEMO_READER, True) is ReaderLine.CARD_PRESENT
    assert reader_line(State.READING, DEMO_READER, True) is ReaderLine.READING
    assert reader_line(State.RESULT, DEMO_READER, True) is ReaderLine.DONE
    assert reader_line(State.ERROR, DEMO_READER, True) is ReaderLine.DONE
    assert reader_line(State.RESULT_CARD_GONE, DEMO_READER, False) is ReaderLine.READY


class _Listener(QObject):
    """Stands for the window: records on which thread the bridge's signals reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, str, bool]] = []

    def inserted(self, reader: str) -> None:
        self.heard.append(("inserted", reader, threading.current_thread() is threading.main_thread()))

    def removed(self, reader: str) -> None:
        self.heard.append(("removed", reader, threading.current_thread() is threading.main_thread()))


def test_events_published_on_another_thread_reach_the_gui_thread_in_order(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    readers = DemoReaders()
    with Station.open(tmp_path, readers=readers) as station:
        parent, listener = QObject(), _Listener()
        bridge = StationBridge(station, parent)
        bridge.card_inserted.connect(listener.inserted)
        bridge.reader_removed.connect(listener.removed)

        def monitor() -> None:  # as pcscd's monitor thread would
            readers.place_card(CCCD)
            readers.unplug()

        thread = threading.Thread(target=monitor)
        thread.start()
        thread.join()
        # Polled, not waitSignal: pytest-qt's waitSignal must not be fed from another thread.
        qtbot.waitUntil(lambda: len(listener.heard) == 2, timeout=2000)
        assert listener.heard == [("inserted", DEMO_READER, True), ("removed", DEMO_READER, True)]
        bridge.stop()
        parent.deleteLater()


# -- ownership: no Qt object is ever destroyed by the garbage collector on a non-GUI thread ------------


class _DestructionWatch:
    """Records, for each watched Qt object destroyed, whether that happened on the GUI thread."""

    def __init__(self) -> None:
        self.off_thread: list[str] = []
        self.watched = 0

    def watch(self, qobject: QObject) -> None:
        name = f"{type(qobject).__name__} {qobject.objectName()}"

        def destroyed(*_args: object) -> None:
            if threading.current_thread() is not threading.main_thread():
                self.off_thread.append(name)

        qobject.destroyed.connect(destroyed, Qt.ConnectionType.DirectConnection)
        self.watched += 1

    def watch_everything(self) -> None:
        """Every Qt object Python knows of, garbage not yet collected included, and every widget."""
        found = {id(each): each for each in gc.get_objects() if isinstance(each, QObject)}
        for widget in QApplication.allWidgets():
            found.update({id(each): each for each in [widget, *widget.findChildren(QObject)]})
        for qobject in found.values():
            if Shiboken.isValid(qobject):
                self.watch(qobject)


def _collect_on_another_thread() -> None:
    thread = threading.Thread(target=gc.collect, name="not-the-gui-thread")
    thread.start()
    thread.join()


def _python_owned(window: QWidget) -> list[str]:
    """Objects of the window's tree that Python, not a Qt parent, would destroy."""
    return [
        f"{type(child).__name__} {child.objectName()}"
        for child in window.findChildren(QObject)
        if Shiboken.ownedByPython(child)
    ]


def test_the_watch_sees_a_qt_object_the_collector_destroys_off_the_gui_thread(qapp: QApplication) -> None:
    """The attack the next test defends against: a parentless Qt object in a reference cycle."""
    watch = _DestructionWatch()
    gc.disable()
    try:
        orphan = QObject()
        orphan.setObjectName("orphan")
        orphan.cycle = orphan  # type: ignore[attr-defined]
        watch.watch(orphan)
        del orphan
        _collect_on_another_thread()
    finally:
        gc.enable()
    assert watch.off_thread == ["QObject orphan"]


def test_garbage_collected_on_a_card_thread_destroys_no_qt_object(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A demo read, the admin window opened and closed, a language switch and a sign-out, with automatic
    collection off so that every cycle they leave is still there; then a collection on another thread."""
    readers = DemoReaders()
    watch = _DestructionWatch()
    gc.collect()
    gc.disable()
    try:
        with Station.open(tmp_path, readers=readers) as station:
            assert station.trust is not None
            station.trust.import_files(demo_trust_files(), "test")
            admin: Operator = station.db.operators.create_first_admin(
                "admin", "Quản trị viên", ADMIN_PASSWORD
            )
            window = build_window(station, setup_application(qapp, "vi"))
            qtbot.addWidget(window)
            hooks = attach_admin(window, station, admin)
            window.apply_settings(replace(station.settings(), auto_clear_seconds=300))
            window.show()
            _read_in_window(qtbot, window)
            assert hooks.open_admin() is not None
            window.set_language("en")  # rebuilds the open admin window in English
            assert hooks.admin_window is not None
            hooks.admin_window.close()
            window.set_language("vi")
            signed_in_again: Callable[..., Operator] = lambda *_args: admin  # noqa: E731
            monkeypatch.setattr(admin_wiring, "sign_in", signed_in_again)
            hooks.sign_out()
            _read_in_window(qtbot, window)
            qtbot.wait(50)  # deleteLater of the closed admin windows runs on the GUI thread
            assert _python_owned(window) == []
            watch.watch_everything()
            assert watch.watched > 100
            _collect_on_another_thread()
            assert watch.off_thread == []
            window.close()
    finally:
        gc.enable()
