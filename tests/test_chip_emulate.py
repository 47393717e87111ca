"""`station emulate`: arguments, the message when vpcd is absent, and a card any PC/SC program can read."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest

from cccd_station.reader.access import IdNumberKey, open_document
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.faults import FAULT_HELP
from cccd_station.reader.chip.personas import persona_names
from cccd_station.reader.chip.vpcd import VPCD_SECOND_READER
from cccd_station.reader.files import FileReader, LinkLimits, atr_extended_length
from cccd_station.reader.lds.files import EF_COM
from cccd_station.reader.pcsc import PcscTransport, wait_for_card, wait_for_card_removal
from cccd_station.station import emulate
from cccd_station.station.cli import main

WAIT = 5.0


def test_list_names_every_persona_and_every_fault(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulate", "--list"]) == emulate.EXIT_OK
    out = capsys.readouterr().out
    for name in persona_names():
        assert name in out
    for spelling in FAULT_HELP:
        assert spelling in out
    assert "--id 001085014763" in out and "CAN 014763" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["emulate"],
        ["emulate", "--persona", "nobody-at-all"],
        ["emulate", "--persona", "nguyen-van-an", "--fault", "wrong-mac"],
        ["emulate", "--persona", "nguyen-van-an", "--fault", "melted"],
        ["emulate", "--persona", "nguyen-van-an", "--fault", "tampered-dg=12"],
    ],
)
def test_bad_arguments_exit_2_with_a_message(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == emulate.EXIT_BAD_ARGUMENTS
    assert "station emulate:" in capsys.readouterr().err


def test_absent_vpcd_gives_a_clear_message_and_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    monkeypatch.setattr(emulate, "CONNECT_TIMEOUT", 0.5)
    assert main(["emulate", "--persona", "nguyen-van-an", "--port", str(free_port)]) == emulate.EXIT_NO_VPCD
    assert "pcscd" in capsys.readouterr().err


@pytest.mark.pcscd
def test_emulated_card_is_read_through_pcscd_and_leaves_on_sigterm(vpcd_second_port: int) -> None:
    command = [sys.executable, "-m", "cccd_station.station.cli", "emulate", "--persona", "nguyen-van-an"]
    command += ["--port", str(vpcd_second_port), "--fault", "max-response=512"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        atr = wait_for_card(VPCD_SECOND_READER, 15.0)
        assert atr[0] == 0x3B
        with PcscTransport(VPCD_SECOND_READER) as transport:
            channel = CardChannel(transport)
            limits = LinkLimits(extended=atr_extended_length(transport.atr) is True)
            assert limits.extended
            opened = open_document(channel, IdNumberKey("001085014763"))
            dg2 = FileReader(opened.channel, limits).read(0x0102, 2)
            assert dg2.startswith(b"\x75")
            assert FileReader(opened.channel, limits).read(EF_COM.fid, EF_COM.sfi).startswith(b"\x60")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == emulate.EXIT_OK, err
    assert "inserted" in out and "Card removed" in out
    wait_for_card_removal(VPCD_SECOND_READER, WAIT)
