"""A scripted chip behind the real pcscd (vpcd driver), read through reader.pcsc.

Uses vpcd's second reader so a test run elsewhere on the first one does not interfere, and a
file lock so two runs of these tests on one machine take turns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from cccd_station.reader.apdu import SW
from cccd_station.reader.chip.vpcd import (
    VPCD_READER,
    VPCD_SECOND_READER,
    VpcdBridge,
    is_vpcd_reader,
)
from cccd_station.reader.errors import CardRemovedError, NoCardError, ReaderUnavailableError
from cccd_station.reader.pcsc import (
    PcscTransport,
    ReaderEvent,
    ReaderEventKind,
    ReaderMonitor,
    list_readers,
    wait_for_card,
    wait_for_card_removal,
)

pytestmark = pytest.mark.pcscd

READER = VPCD_SECOND_READER
INS_SELECT = 0xA4
INS_ECHO = 0xEE  # proprietary: answer the command data back
INS_READ_BINARY = 0xB0  # this chip answers with P1P2 bytes, to test long responses
INS_PULL = 0x99  # proprietary: the chip "leaves the reader" mid-command
WAIT = 5.0


def with_tck(atr: bytes) -> bytes:
    """Append the ATR check byte (ISO/IEC 7816-3 §8.2.5): XOR of T0 up to the last byte."""
    check = 0
    for byte in atr[1:]:
        check ^= byte
    return atr + bytes([check])


# Direct convention, T=1 offered in TD2, 8 historical bytes.
TEST_ATR = with_tck(bytes.fromhex("3B8880 01") + b"PCSCTEST")
OTHER_ATR = with_tck(bytes.fromhex("3B8880 01") + b"OTHERTST")


def pattern(size: int) -> bytes:
    return bytes((i * 7 + 3) & 0xFF for i in range(size))


class ScriptedChip:
    """Answers SELECT with 9000, echoes data, sends P1P2 bytes on READ BINARY."""

    def __init__(self, atr: bytes = TEST_ATR) -> None:
        self.atr = atr
        self.commands: list[bytes] = []
        self.powered = False

    def power_on(self) -> bytes:
        self.powered = True
        return self.atr

    def power_off(self) -> None:
        self.powered = False

    def process_apdu(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        ok = SW.OK.to_bytes(2, "big")
        ins = apdu[1]
        if ins == INS_SELECT:
            return ok
        if ins == INS_ECHO:
            return command_data(apdu) + ok
        if ins == INS_READ_BINARY:
            return pattern(int.from_bytes(apdu[2:4], "big")) + ok
        if ins == INS_PULL:
            raise CardRemovedError("pulled out by the test")
        return SW.INS_NOT_SUPPORTED.to_bytes(2, "big")


def command_data(apdu: bytes) -> bytes:
    """The data field of a case 3 command, short or extended (ISO/IEC 7816-4 §5.1)."""
    if len(apdu) > 7 and apdu[4] == 0:
        return apdu[7 : 7 + int.from_bytes(apdu[5:7], "big")]
    return apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""


def echo_command(data: bytes) -> bytes:
    if len(data) <= 255:
        return bytes([0x80, INS_ECHO, 0, 0, len(data)]) + data
    return bytes([0x80, INS_ECHO, 0, 0, 0]) + len(data).to_bytes(2, "big") + data


def read_command(size: int) -> bytes:
    """READ BINARY asking for ``size`` bytes; extended Le when over 256."""
    p1p2 = size.to_bytes(2, "big")
    if size <= 256:
        return bytes([0x00, INS_READ_BINARY]) + p1p2 + bytes([size & 0xFF])
    return bytes([0x00, INS_READ_BINARY]) + p1p2 + b"\x00" + (size & 0xFFFF).to_bytes(2, "big")


@pytest.fixture
def vpcd_port(vpcd_second_port: int) -> Iterator[int]:
    """The port, with its reader empty at start and end of the test."""
    wait_for_card_removal(READER, WAIT)
    yield vpcd_second_port
    wait_for_card_removal(READER, WAIT)


@pytest.fixture
def chip() -> ScriptedChip:
    return ScriptedChip()


def test_vpcd_readers_are_listed(pcscd: None) -> None:
    readers = list_readers()
    assert VPCD_SECOND_READER in readers
    assert len(set(readers)) == len(readers)
    assert [name for name in readers if is_vpcd_reader(name)] == [VPCD_READER, VPCD_SECOND_READER]


def test_stopping_the_bridge_mid_session_is_a_removed_card(vpcd_port: int, chip: ScriptedChip) -> None:
    bridge = VpcdBridge(chip, port=vpcd_port)
    bridge.start()
    wait_for_card(READER, WAIT)
    with PcscTransport(READER) as transport:
        assert transport.transmit(echo_command(b"before"))[0] == b"before"
        bridge.stop()
        with pytest.raises(CardRemovedError):
            transport.transmit(echo_command(b"after"))
        with pytest.raises(CardRemovedError):
            transport.transmit(echo_command(b"and again"))

    # The reader is free again: a new card works.
    other = ScriptedChip(OTHER_ATR)
    with VpcdBridge(other, port=vpcd_port):
        assert wait_for_card(READER, WAIT) == OTHER_ATR
        with PcscTransport(READER) as transport:
            assert transport.atr == OTHER_ATR
            assert transport.transmit(echo_command(b"new card")) == (b"new card", SW.OK)


def test_chip_pulled_while_answering_is_a_removed_card_then_comes_back(
    vpcd_port: int, chip: ScriptedChip
) -> None:
    with VpcdBridge(chip, port=vpcd_port, reinsert_delay=0.5):
        wait_for_card(READER, WAIT)
        with PcscTransport(READER) as transport, pytest.raises(CardRemovedError):
            transport.transmit(bytes([0x80, INS_PULL, 0, 0]))
        # Put back by the bridge after reinsert_delay, fresh.
        assert wait_for_card(READER, WAIT) == TEST_ATR
        with PcscTransport(READER) as transport:
            assert transport.transmit(echo_command(b"back")) == (b"back", SW.OK)


def test_chip_pulled_for_good_stays_out(vpcd_port: int, chip: ScriptedChip) -> None:
    with VpcdBridge(chip, port=vpcd_port, reinsert_delay=None) as bridge:
        wait_for_card(READER, WAIT)
        with PcscTransport(READER) as transport, pytest.raises(CardRemovedError):
            transport.transmit(bytes([0x80, INS_PULL, 0, 0]))
        wait_for_card_removal(READER, WAIT)
        time.sleep(1.0)
        assert not bridge.connected
        with pytest.raises(NoCardError):
            PcscTransport(READER).close()


def test_empty_reader_gives_no_card(vpcd_port: int) -> None:
    with pytest.raises(NoCardError):
        PcscTransport(READER)
    with pytest.raises(NoCardError):
        wait_for_card(READER, 0.3)


def test_unknown_reader_is_unavailable(pcscd: None) -> None:
    with pytest.raises(ReaderUnavailableError):
        PcscTransport("No Such Reader 00 00")
    with pytest.raises(ReaderUnavailableError):
        wait_for_card("No Such Reader 00 00", 0.3)


class Recorder:
    def __init__(self) -> None:
        self.events: list[ReaderEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ReaderEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, kind: ReaderEventKind, reader: str, count: int = 1) -> list[ReaderEvent]:
        def matching() -> list[ReaderEvent]:
            return [e for e in self.events if e.kind is kind and e.reader == reader]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= count, timeout=WAIT):
                pytest.fail(f"no {kind.value} event for {reader!r}; saw {self.events}")
            return matching()


def test_monitor_reports_readers_and_card_insertion_and_removal(vpcd_port: int) -> None:
    recorder = Recorder()
    monitor = ReaderMonitor(poll_interval=0.2)
    monitor.subscribe(recorder)
    with monitor:
        recorder.wait_for(ReaderEventKind.READER_ADDED, READER)
        with VpcdBridge(ScriptedChip(), port=vpcd_port):
            (inserted,) = recorder.wait_for(ReaderEventKind.CARD_INSERTED, READER)
            assert inserted.atr == TEST_ATR
        recorder.wait_for(ReaderEventKind.CARD_REMOVED, READER)
        with VpcdBridge(ScriptedChip(OTHER_ATR), port=vpcd_port):
            second = recorder.wait_for(ReaderEventKind.CARD_INSERTED, READER, count=2)[1]
            assert second.atr == OTHER_ATR
        recorder.wait_for(ReaderEventKind.CARD_REMOVED, READER, count=2)

    ours = [e.kind for e in recorder.events if e.reader == READER]
    assert ours == [
        ReaderEventKind.READER_ADDED,
        ReaderEventKind.CARD_INSERTED,
        ReaderEventKind.CARD_REMOVED,
        ReaderEventKind.CARD_INSERTED,
        ReaderEventKind.CARD_REMOVED,
    ]


def test_monitor_stops_promptly_and_survives_a_failing_subscriber(pcscd: None) -> None:
    recorder = Recorder()

    def broken(event: ReaderEvent) -> None:
        raise RuntimeError("subscriber bug")

    monitor = ReaderMonitor(poll_interval=5.0)
    monitor.subscribe(broken)
    monitor.subscribe(recorder)
    monitor.start()
    recorder.wait_for(ReaderEventKind.READER_ADDED, READER)
    started = time.monotonic()
    monitor.stop()
    assert time.monotonic() - started < 1.0


@pytest.fixture(scope="class")
def shared_chip() -> ScriptedChip:
    return ScriptedChip()


@pytest.fixture(scope="class")
def shared_card(vpcd_second_port: int, shared_chip: ScriptedChip) -> Iterator[VpcdBridge]:
    """One card for a whole test class."""
    wait_for_card_removal(READER, WAIT)
    bridge = VpcdBridge(shared_chip, port=vpcd_second_port)
    bridge.start()
    try:
        wait_for_card(READER, WAIT)
        yield bridge
    finally:
        bridge.stop()
        wait_for_card_removal(READER, WAIT)


class TestOneInsertedCard:
    """Tests that only talk to a card share one insertion (each costs pcscd's 0.4 s poll twice)."""

    def test_inserted_card_is_seen_with_its_atr(self, shared_card: VpcdBridge) -> None:
        assert wait_for_card(READER, WAIT) == TEST_ATR
        with PcscTransport(READER) as transport:
            assert transport.atr == TEST_ATR

    @pytest.mark.parametrize("protocol", ["T1", "any", "T0"])
    def test_apdus_round_trip_byte_exact(
        self, shared_card: VpcdBridge, shared_chip: ScriptedChip, protocol: str
    ) -> None:
        select = bytes.fromhex("00A4040C07A0000002471001")
        data = pattern(200)
        with PcscTransport(READER, protocol) as transport:  # type: ignore[arg-type]
            assert transport.transmit(select) == (b"", SW.OK)
            assert transport.transmit(echo_command(data)) == (data, SW.OK)
            assert transport.transmit(read_command(256)) == (pattern(256), SW.OK)
            assert transport.transmit(bytes([0x00, 0x20, 0, 0])) == (b"", SW.INS_NOT_SUPPORTED)
            expected = "T0" if protocol == "T0" else "T1"  # the ATR offers T=1, so "any" picks it
            assert transport.protocol == expected
        assert shared_chip.commands[-4:] == [
            select,
            echo_command(data),
            read_command(256),
            bytes([0x00, 0x20, 0, 0]),
        ]

    @pytest.mark.parametrize("size", [257, 261, 1024, 65533])
    def test_extended_length_responses_pass_through(self, shared_card: VpcdBridge, size: int) -> None:
        with PcscTransport(READER, "T1") as transport:
            assert transport.transmit(read_command(size)) == (pattern(size), SW.OK)

    @pytest.mark.parametrize("size", [256, 300, 4096, 65528])
    def test_extended_length_commands_pass_through(
        self, shared_card: VpcdBridge, shared_chip: ScriptedChip, size: int
    ) -> None:
        data = pattern(size)
        with PcscTransport(READER, "T1") as transport:
            assert transport.transmit(echo_command(data)) == (data, SW.OK)
        assert shared_chip.commands[-1] == echo_command(data)

    def test_closed_transport_refuses_commands(self, shared_card: VpcdBridge) -> None:
        transport = PcscTransport(READER)
        transport.close()
        transport.close()
        with pytest.raises(CardRemovedError):
            transport.transmit(echo_command(b"x"))

    def test_monitor_reports_a_card_already_inserted(self, shared_card: VpcdBridge) -> None:
        recorder = Recorder()
        monitor = ReaderMonitor()
        monitor.subscribe(recorder)
        with monitor:
            (event,) = recorder.wait_for(ReaderEventKind.CARD_INSERTED, READER)
        assert event.atr == TEST_ATR
