"""The window on the real PC/SC path: pcscd with the vpcd driver, the virtual chip behind it.

The card arrives and leaves as pcscd reports it (ReaderMonitor -> the core's events -> the bridge's
signals), exactly as with a physical reader. Uses vpcd's second reader, under the same lock as test_pcsc_vpcd.
"""

from __future__ import annotations

import fcntl
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
from cccd_station.reader.chip.vpcd import VPCD_SECOND_PORT, VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.pcsc import wait_for_card_removal
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.station.readers import PcscReaders
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow, ReaderLine, State

pytestmark = pytest.mark.pcscd

READ_TIMEOUT_MS = 30_000
CCCD = "tran-thi-bich-ngoc"


@pytest.fixture
def vpcd_port(pcscd: None) -> Iterator[int]:
    with open(f"/tmp/vpcd-{VPCD_SECOND_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            wait_for_card_removal(VPCD_SECOND_READER, 10)
            yield VPCD_SECOND_PORT
            wait_for_card_removal(VPCD_SECOND_READER, 10)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, tmp_path: Path, vpcd_port: int) -> Iterator[MainWindow]:
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
    qtbot: QtBot, window: MainWindow, vpcd_port: int
) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    window.keys.set_id_number(persona.id_number)
    bridge = VpcdBridge(VirtualChip(CCCD, Faults()), port=vpcd_port)
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


def test_card_pulled_mid_read_on_a_pcsc_reader(qtbot: QtBot, window: MainWindow, vpcd_port: int) -> None:
    persona = load_persona(CCCD)
    assert persona.id_number is not None
    window.keys.set_id_number(persona.id_number)
    chip = VirtualChip(CCCD, Faults.parse(["remove-after=8"]))
    bridge = VpcdBridge(chip, port=vpcd_port, reinsert_delay=None)
    try:
        with qtbot.waitSignal(window.error_shown, timeout=READ_TIMEOUT_MS) as error:
            bridge.start()
        assert error.args == ["card_removed"]
    finally:
        bridge.stop()
