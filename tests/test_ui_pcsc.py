"""The window on the real PC/SC path: pcscd with the vpcd driver, the virtual chip behind it.

The card arrives and leaves as pcscd reports it (ReaderMonitor -> the core's events -> the bridge's
signals), exactly as with a physical reader. Uses vpcd's second reader, under the same lock as test_pcsc_vpcd.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.vpcd import VPCD_SECOND_READER, VpcdBridge
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.station.readers import PcscReaders
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow, ReaderLine, State

pytestmark = pytest.mark.pcscd

READ_TIMEOUT_MS = 30_000
CCCD = "tran-thi-bich-ngoc"


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, tmp_path: Path, vpcd_second_port: int) -> Iterator[MainWindow]:
    with Station.open(tmp_path, readers=PcscReaders()) as station:
        assert station.trust is not None
        station.trust.import_files(demo_trust_files(), "test")
        main = build_window(station, setup_application(qapp, "vi"), reader=VPCD_SECOND_READER)
        main.apply_settings(replace(station.settings(), auto_clear_seconds=1))
        qtbot.addWidget(main)
        main.show()
        qtbot.waitUntil(
            lambda: main.reader == VPCD_SECOND_READER and main.line is ReaderLine.READY, timeout=5000
        )
        yield main
        main.close()


def test_card_arriving_at_a_pcsc_reader_is_read_and_cleared_when_it_leaves(
    qtbot: QtBot, window: MainWindow, vpcd_second_port: int
) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    window.keys.set_id_number(persona.id_number)
    bridge = VpcdBridge(VirtualChip(CCCD, Faults()), port=vpcd_second_port)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        bridge.start()
    try:
        assert shown.args[0].verdict is Verdict.VERIFIED
        assert window.state is State.RESULT and window.line is ReaderLine.DONE
    finally:
        with qtbot.waitSignal(window.cleared, timeout=10_000):
            bridge.stop()
    assert window.result_view.result is None
    assert window.line is ReaderLine.READY


def test_card_pulled_mid_read_on_a_pcsc_reader_is_waited_for_then_given_up(
    qtbot: QtBot, window: MainWindow, vpcd_second_port: int
) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    window.station.resume_window_s = 1.0
    window.keys.set_id_number(persona.id_number)
    chip = VirtualChip(CCCD, Faults.parse(["remove-after=8"]))  # pulled out for good
    bridge = VpcdBridge(chip, port=vpcd_second_port, reinsert_delay=None)
    try:
        with qtbot.waitSignal(
            window.state_changed, timeout=READ_TIMEOUT_MS, check_params_cb=lambda state: state == "card_away"
        ):
            bridge.start()
        assert window.line is ReaderLine.CARD_AWAY
        with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
            pass
        assert error.args == ["card_removed"]
    finally:
        bridge.stop()


def test_card_that_slips_off_a_pcsc_reader_and_is_laid_back_reads_on(
    qtbot: QtBot, window: MainWindow, vpcd_second_port: int
) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    window.keys.set_id_number(persona.id_number)
    chip = VirtualChip(CCCD, Faults.parse(["slip-at=14"]))  # during the portrait; laid back after 1 s
    bridge = VpcdBridge(chip, port=vpcd_second_port, reinsert_delay=1.0)
    try:
        with qtbot.waitSignal(
            window.state_changed, timeout=READ_TIMEOUT_MS, check_params_cb=lambda state: state == "card_away"
        ):
            bridge.start()
        assert window.text_preview.isVisible()  # the verified text stays while the card is away
        with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
            pass
        assert shown.args[0].verdict is Verdict.VERIFIED and shown.args[0].resumed == 1
    finally:
        with qtbot.waitSignal(window.cleared, timeout=10_000):
            bridge.stop()
