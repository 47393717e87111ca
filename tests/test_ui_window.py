"""The desktop program driven like a clerk would, against the built-in virtual chip in-process.

Every read runs on the core's card thread through the real pipeline and is audited by the core; the
tests wait for the window's signals, emitted on the GUI thread (never fed from another thread).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QLayoutItem, QWidget
from pytestqt.qtbot import QtBot

from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.chip.personas import load_persona
from cccd_station.station.core import Station
from cccd_station.station.events import READ_PROGRESS, StationEvent
from cccd_station.station.readers import DemoReaders
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.demo_panel import BAC_ONLY, CLONED, NO_CHIP_AUTH, TAMPERED, UNKNOWN_ISSUER
from cccd_station.ui.icons import AMBER
from cccd_station.ui.main_window import MainWindow, ReaderLine, State

READ_TIMEOUT_MS = 30_000
CCCD = "nguyen-van-an"
PASSPORT = "lindqvist-maja"


@pytest.fixture
def demo_station(tmp_path: Path) -> Iterator[Station]:
    with Station.open_demo(tmp_path) as opened:
        yield opened


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, demo_station: Station) -> Iterator[MainWindow]:
    translations = setup_application(qapp, "vi")
    main = build_window(demo_station, translations)
    main.apply_settings(replace(demo_station.settings(), auto_clear_seconds=1))  # 1 s, for the tests
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()  # before the station closes


def _demo(window: MainWindow) -> DemoReaders:
    readers = window.station.readers
    assert isinstance(readers, DemoReaders)
    return readers


def _on_the_card_thread(window: MainWindow, step: str, action: object) -> None:
    """Run ``action`` on the card thread when the read reaches ``step`` (once)."""
    done = threading.Event()

    def at_step(event: StationEvent) -> None:
        if event.kind == READ_PROGRESS and event.data["step"] == step and not done.is_set():
            done.set()
            assert callable(action)
            action()

    window.station.events.subscribe(at_step)


def _type_id_number(qtbot: QtBot, window: MainWindow, number: str) -> None:
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.keys.key_changed, timeout=2000):
        qtbot.keyClicks(window.keys.id_field, number)


def _place_card(qtbot: QtBot, window: MainWindow, persona: str, faults: tuple[str, ...] = ()) -> None:
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(persona)
    panel.select_condition(faults)
    if panel.card_present:  # the button takes the card off first
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)


def _scanner_types(widget: QWidget, text: str) -> None:
    """A keyboard-emulating scanner: one key event per character, as fast as they come
    (QTest.keyClicks cannot send Vietnamese letters)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def _shown_texts(window: MainWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel))


def _label_text(item: QLayoutItem | None) -> str:
    widget = item.widget() if item is not None else None
    return widget.text() if isinstance(widget, QLabel) else ""


def _field_value(window: MainWindow, label_text: str) -> str:
    form = window.result_view.fields
    for row in range(form.rowCount()):
        if label_text in _label_text(form.itemAt(row, form.ItemRole.LabelRole)):
            return _label_text(form.itemAt(row, form.ItemRole.FieldRole))
    raise AssertionError(f"no field labelled {label_text!r}")


def test_demo_read_shows_a_verified_holder_in_vietnamese(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert window.demo_banner.isVisible()
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        _place_card(qtbot, window, CCCD)
    assert shown.args[0].verdict is Verdict.VERIFIED
    assert window.result_view.banner.title.text() == "Thẻ hợp lệ"
    assert window.result_view.banner.icon.pixmap() is not None
    assert _field_value(window, "Số") == persona.id_number  # a 2021 CCCD prints "Số / No."
    assert _field_value(window, "Họ và tên") == persona.display_name
    assert not window.result_view.portrait.pixmap().isNull()
    assert window.state is State.RESULT and window.line is ReaderLine.DONE


def test_wrong_id_number_says_so_and_the_corrected_number_reads(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    wrong = persona.id_number[:6] + str((int(persona.id_number[6:]) + 1) % 10**6).zfill(6)
    _type_id_number(qtbot, window, wrong)
    with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
        _place_card(qtbot, window, CCCD)
    assert error.args == ["wrong_key"]
    assert window.state is State.ERROR
    assert "không mở được" in window.error_title.text()
    assert persona.display_name not in _shown_texts(window)
    window.keys.id_field.selectAll()
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        qtbot.keyClicks(window.keys.id_field, persona.id_number)
    assert window.result_view.banner.verdict is Verdict.VERIFIED


def test_card_removed_during_reading_then_put_back(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _on_the_card_thread(window, "reading", _demo(window).remove_card)  # between two commands
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
        _place_card(qtbot, window, CCCD)
    assert error.args == ["card_removed"]
    qtbot.waitUntil(lambda: window.line is ReaderLine.READY, timeout=2000)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)  # same key, card back: reads by itself
    assert window.result_view.banner.verdict is Verdict.VERIFIED


def test_reader_unplugged_during_reading(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    demo = window.demo_panel
    assert demo is not None
    _on_the_card_thread(window, "photo", _demo(window).unplug)
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
        _place_card(qtbot, window, CCCD)
    assert error.args == ["reader_unavailable"]
    qtbot.waitUntil(lambda: window.line is ReaderLine.NO_READER, timeout=2000)
    assert "đầu đọc" in window.reader_status.text().lower()
    qtbot.mouseClick(demo.plug_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.line is ReaderLine.READY, timeout=2000)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)


def test_holder_data_disappears_after_the_card_leaves(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)
    assert persona.display_name in _shown_texts(window)
    demo = window.demo_panel
    assert demo is not None
    with qtbot.waitSignal(window.cleared, timeout=5000):  # auto-clear delay: 1 s in this fixture
        qtbot.mouseClick(demo.card_button, Qt.MouseButton.LeftButton)
    texts = _shown_texts(window)
    assert persona.display_name not in texts
    assert persona.id_number not in texts
    assert window.keys.id_field.text() == ""
    assert not window.keys.id_field.isUndoAvailable()  # Ctrl+Z cannot bring the number back
    assert window.result_view.portrait.pixmap().isNull()
    assert window.result_view.result is None
    assert persona.display_name not in (QApplication.clipboard().text() or "")


def test_escape_clears_at_once_and_the_card_is_not_read_again(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)
    with qtbot.waitSignal(window.cleared, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert persona.display_name not in _shown_texts(window)
    assert window.state is State.IDLE and window.line is ReaderLine.CARD_PRESENT


def test_qr_scanner_fills_the_number_and_reads(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    details = persona.vn_details
    assert details is not None and details.date_of_birth is not None and details.date_of_issue is not None
    qr = "|".join(
        [
            persona.id_number or "",
            details.old_id_number or "",
            details.full_name or "",
            details.date_of_birth.strftime("%d%m%Y"),
            details.sex or "",
            details.place_of_residence or "",
            details.date_of_issue.strftime("%d%m%Y"),
        ]
    )
    _place_card(qtbot, window, CCCD)
    qtbot.waitUntil(lambda: window.line is ReaderLine.CARD_PRESENT, timeout=2000)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _scanner_types(window.keys.id_field, qr)
        qtbot.keyClick(window.keys.id_field, Qt.Key.Key_Return)
    assert window.keys.id_field.text() == persona.id_number
    assert persona.display_name in window.scanned_note.text()
    assert window.result_view.banner.verdict is Verdict.VERIFIED


def test_slow_typing_of_a_qr_shaped_text_is_not_taken_for_a_scan(qtbot: QtBot, window: MainWindow) -> None:
    window.keys.id_field.setFocus()
    qtbot.keyClicks(window.keys.id_field, "001085014763|", delay=60)
    qtbot.wait(200)
    assert window.keys.key is None
    assert window.scanned_note.text() == ""


def test_language_switch_at_run_time(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)
    assert window.result_view.banner.title.text() == "Thẻ hợp lệ"
    window.toggle_language_action.trigger()
    assert window.result_view.banner.title.text() == "Valid card"
    assert _field_value(window, "No.") == persona.id_number
    assert window.done_button.text() == "Done (Esc)"
    window.language_actions["vi"].trigger()
    assert window.result_view.banner.title.text() == "Thẻ hợp lệ"
    assert window.done_button.text() == "Xong (Esc)"
    assert _field_value(window, "Nơi thường trú")


def test_tampered_card_gets_a_failed_verdict_that_says_why(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        _place_card(qtbot, window, CCCD, TAMPERED)
    assert shown.args[0].verdict is Verdict.FAILED
    banner = window.result_view.banner
    assert banner.title.text() == "Thẻ KHÔNG hợp lệ"
    assert "Dữ liệu không bị thay đổi" in banner.sentence.text()  # names the failed check
    assert "#b3261e" in banner.styleSheet()


def test_an_older_chip_is_amber_and_unknown_issuer_and_cloned_chip_fail(
    qtbot: QtBot, window: MainWindow
) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        _place_card(qtbot, window, CCCD, NO_CHIP_AUTH)
    assert shown.args[0].verdict is Verdict.PARTIAL
    banner = window.result_view.banner
    assert AMBER in banner.styleSheet()
    assert "Chưa kiểm tra" in banner.sentence.text()
    for faults, says in ((UNKNOWN_ISSUER, "Chứng thư"), (CLONED, "chip thật")):
        with qtbot.waitSignal(window.cleared, timeout=2000):  # another card: the holder and key go
            _place_card(qtbot, window, CCCD, faults)
        assert window.keys.key is None and window.result_view.result is None
        with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
            _type_id_number(qtbot, window, persona.id_number)
        assert shown.args[0].verdict is Verdict.FAILED
        assert "#b3261e" in banner.styleSheet()
        assert says in banner.sentence.text(), banner.sentence.text()


def test_passport_by_can_shows_mrz_fields(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(PASSPORT)
    window.keys.setCurrentIndex(window.keys.CAN_TAB)
    window.keys.can_field.setFocus()
    qtbot.keyClicks(window.keys.can_field, persona.can)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, PASSPORT)
    assert _field_value(window, "Số giấy tờ") == persona.document_number
    assert _field_value(window, "Họ") == persona.mrz.surname


def test_copy_and_json_export_hold_the_record(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    assert not window.copy_action.isEnabled()
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        _place_card(qtbot, window, CCCD)
    window.copy_action.trigger()
    assert persona.display_name in QApplication.clipboard().text()
    QApplication.clipboard().clear()
    target = tmp_path / "record.json"
    window.export_json(str(target))
    record = json.loads(target.read_text(encoding="utf-8"))
    assert record["verdict"] == "verified"
    assert record["holder"]["id_number"] == persona.id_number
    pdf = tmp_path / "record.pdf"
    window.save_pdf(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_escape_during_reading_cancels_quietly(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    reached, may_continue = threading.Event(), threading.Event()

    def hold_at_reading() -> None:
        reached.set()
        may_continue.wait(10)  # the card thread waits here while the clerk presses Esc

    _on_the_card_thread(window, "reading", hold_at_reading)
    errors: list[str] = []
    window.error_shown.connect(errors.append)
    _type_id_number(qtbot, window, persona.id_number)
    _place_card(qtbot, window, CCCD)
    qtbot.waitUntil(reached.is_set, timeout=READ_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.state is State.READING, timeout=2000)
    assert window.line is ReaderLine.READING
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.state is State.IDLE and window.line is ReaderLine.CARD_PRESENT
    may_continue.set()
    # The core records the cancelled attempt; polled here, on the GUI thread.
    qtbot.waitUntil(
        lambda: [e.outcome for e in window.station.search_audit(verdict="none")] == ["cancelled"],
        timeout=READ_TIMEOUT_MS,
    )
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        qtbot.keyClick(window.keys.id_field, Qt.Key.Key_Return)  # Enter reads again
    assert errors == []  # the cancelled read said nothing, before or after the new one


def test_keyboard_only(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(PASSPORT)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(PASSPORT)
    qtbot.keyClick(window, Qt.Key.Key_F8)  # the demo's "place card"
    qtbot.waitUntil(lambda: window.line is ReaderLine.CARD_PRESENT, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # C&AN tab
    assert window.keys.currentIndex() == window.keys.CAN_TAB
    window.keys.can_field.setFocus()
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        qtbot.keyClicks(window.keys.can_field, persona.can)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.translations.language == "en"
    with qtbot.waitSignal(window.cleared, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_pasted_mrz_lines_open_a_passport(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(PASSPORT)
    window.keys.setCurrentIndex(window.keys.MRZ_TAB)
    _place_card(qtbot, window, PASSPORT)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        window.keys.mrz_lines.setPlainText("\n".join(persona.mrz_lines))
    assert shown.args[0].access.password == "MRZ"
    assert _field_value(window, "Số giấy tờ") == persona.document_number


def test_mrz_data_typed_day_first_opens_a_passport(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(PASSPORT)
    mrz = persona.mrz
    assert mrz.date_of_birth is not None and mrz.date_of_expiry is not None
    window.keys.setCurrentIndex(window.keys.MRZ_TAB)
    _place_card(qtbot, window, PASSPORT)
    qtbot.keyClicks(window.keys.document_field, mrz.document_number)
    window.keys.birth_field.setFocus()
    qtbot.keyClicks(window.keys.birth_field, mrz.date_of_birth.strftime("%d%m%Y"))
    window.keys.expiry_field.setFocus()
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        qtbot.keyClicks(window.keys.expiry_field, mrz.date_of_expiry.strftime("%d%m%Y"))


def test_language_and_window_geometry_are_remembered_by_the_station(
    qtbot: QtBot, window: MainWindow, demo_station: Station
) -> None:
    window.set_language("en")
    assert demo_station.settings().language == "en"
    window.close()
    assert demo_station.settings().window_geometry  # kept on close, for the next start


def test_chip_that_needs_mrz_data_sends_the_clerk_to_the_mrz_tab(qtbot: QtBot, window: MainWindow) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    _type_id_number(qtbot, window, persona.id_number)
    with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
        _place_card(qtbot, window, CCCD, BAC_ONLY)
    assert error.args == ["mrz_required"]
    assert window.keys.currentIndex() == window.keys.MRZ_TAB
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        window.keys.mrz_lines.setPlainText("\n".join(persona.mrz_lines))
    assert shown.args[0].access.protocol == "BAC"


def _alt_key_clashes(window: MainWindow) -> dict[str, list[str]]:
    """Alt+letter keys that more than one visible menu, tab, label, button or box answers to."""
    texts = [action.text() for action in window.menuBar().actions()]
    texts += [window.keys.tabText(i) for i in range(window.keys.count())]
    texts += [child.text() for child in window.findChildren(QLabel) if child.isVisible()]
    texts += [child.text() for child in window.findChildren(QAbstractButton) if child.isVisible()]
    texts += [box.title() for box in window.findChildren(QGroupBox) if box.isVisible()]
    by_key: dict[str, list[str]] = {}
    for text in texts:
        match = re.search(r"&([^&\s])", text)
        if match:
            by_key.setdefault(match.group(1).lower(), []).append(text)
    return {key: owners for key, owners in by_key.items() if len(owners) > 1}


def test_every_alt_key_of_the_main_window_is_unique_in_both_languages(
    qtbot: QtBot, window: MainWindow
) -> None:
    for language in ("vi", "en"):
        window.set_language(language)
        for tab in range(window.keys.count()):
            window.keys.setCurrentIndex(tab)
            assert _alt_key_clashes(window) == {}, (language, window.keys.tabText(tab))
    assert window.read_button.text() == "R&ead (Enter)"
