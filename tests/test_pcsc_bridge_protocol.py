"""VpcdBridge against a stand-in for vpcd: the wire format and the bridge's reactions.

No pcscd needed: the test plays vpcd's side of the socket, so it can check every byte and
simulate vpcd going away.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from cccd_station.reader.apdu import SW
from cccd_station.reader.chip.vpcd import VpcdBridge, VpcdControl, is_vpcd_reader
from cccd_station.reader.errors import CardRemovedError

ATR = bytes.fromhex("3B8880015043534354455354") + b"\x1c"
TIMEOUT = 5.0


class FakeVpcd:
    """vpcd's listening side on a free localhost port."""

    def __init__(self, port: int = 0) -> None:
        self.server = socket.create_server(("127.0.0.1", port))
        self.server.settimeout(TIMEOUT)
        self.port = self.server.getsockname()[1]

    def accept(self) -> socket.socket:
        connection, _ = self.server.accept()
        connection.settimeout(TIMEOUT)
        return connection

    def close(self) -> None:
        self.server.close()


def send(connection: socket.socket, payload: bytes) -> None:
    connection.sendall(len(payload).to_bytes(2, "big") + payload)


def receive(connection: socket.socket) -> bytes:
    header = receive_exactly(connection, 2)
    return receive_exactly(connection, int.from_bytes(header, "big"))


def receive_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise EOFError("the bridge closed the connection")
        data += chunk
    return data


def hung_up(connection: socket.socket) -> bool:
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


class Chip:
    """Echoes the command; INS 0x99 pulls the card, INS 0xEE is a chip bug, INS 0xB0 is huge."""

    def __init__(self) -> None:
        self.powered = False
        self.power_ons = 0
        self.commands: list[bytes] = []

    def power_on(self) -> bytes:
        self.powered = True
        self.power_ons += 1
        return ATR

    def power_off(self) -> None:
        self.powered = False

    def process_apdu(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        if apdu[1] == 0x99:
            raise CardRemovedError("pulled")
        if apdu[1] == 0xEE:
            raise ValueError("a bug in the chip")
        if apdu[1] == 0xB0:
            return bytes(70_000) + SW.OK.to_bytes(2, "big")
        return apdu + SW.OK.to_bytes(2, "big")


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


@pytest.fixture
def chip() -> Chip:
    return Chip()


@pytest.fixture
def bridge(vpcd: FakeVpcd, chip: Chip) -> Iterator[VpcdBridge]:
    bridge = VpcdBridge(chip, port=vpcd.port, reconnect_delay=0.05, reinsert_delay=0.05)
    bridge.start()
    yield bridge
    bridge.stop()


def power_up(connection: socket.socket) -> None:
    send(connection, bytes([VpcdControl.POWER_ON]))
    send(connection, bytes([VpcdControl.GET_ATR]))
    assert receive(connection) == ATR


def test_atr_is_answered_even_before_power_on(vpcd: FakeVpcd, bridge: VpcdBridge, chip: Chip) -> None:
    with vpcd.accept() as connection:
        send(connection, bytes([VpcdControl.GET_ATR]))
        assert receive(connection) == ATR
        assert bridge.wait_connected(TIMEOUT)


def test_apdus_are_answered_with_data_and_status(vpcd: FakeVpcd, bridge: VpcdBridge, chip: Chip) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        for command in (bytes.fromhex("00A4040C07A0000002471001"), bytes(300), b"\x00\x20\x00\x00"):
            send(connection, command)
            assert receive(connection) == command + b"\x90\x00"
    assert chip.commands[-1] == b"\x00\x20\x00\x00"


def test_power_control_reaches_the_chip(vpcd: FakeVpcd, bridge: VpcdBridge, chip: Chip) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        assert chip.powered
        send(connection, bytes([VpcdControl.POWER_OFF]))
        send(connection, bytes([VpcdControl.GET_ATR]))  # a round trip so the power-off has happened
        receive(connection)
        assert not chip.powered
        before = chip.power_ons
        send(connection, bytes([VpcdControl.RESET]))
        send(connection, bytes([VpcdControl.GET_ATR]))
        assert receive(connection) == ATR
        assert chip.powered
        assert chip.power_ons == before + 1


def test_unknown_control_codes_are_ignored(vpcd: FakeVpcd, bridge: VpcdBridge) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        send(connection, b"\x07")
        send(connection, b"\x00\xa4\x00\x00")
        assert receive(connection) == b"\x00\xa4\x00\x00\x90\x00"


def test_chip_bug_is_answered_so_pcscd_does_not_hang(vpcd: FakeVpcd, bridge: VpcdBridge) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        send(connection, b"\x00\xee\x00\x00")
        assert receive(connection) == SW.NO_PRECISE_DIAGNOSIS.to_bytes(2, "big")
        send(connection, b"\x00\xb0\x00\x00")  # longer than the 2-byte length allows
        assert receive(connection) == SW.NO_PRECISE_DIAGNOSIS.to_bytes(2, "big")
        send(connection, b"\x00\xa4\x00\x00")
        assert receive(connection) == b"\x00\xa4\x00\x00\x90\x00"


def test_pulled_chip_drops_the_connection_then_comes_back(vpcd: FakeVpcd, bridge: VpcdBridge) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        send(connection, b"\x00\x99\x00\x00")
        assert hung_up(connection)
    with vpcd.accept() as again:
        power_up(again)


def test_pulled_chip_stays_out_without_reinsert_delay(vpcd: FakeVpcd, chip: Chip) -> None:
    bridge = VpcdBridge(chip, port=vpcd.port, reconnect_delay=0.05, reinsert_delay=None)
    bridge.start()
    try:
        with vpcd.accept() as connection:
            power_up(connection)
            send(connection, b"\x00\x99\x00\x00")
            assert hung_up(connection)
        vpcd.server.settimeout(0.5)
        with pytest.raises(TimeoutError):
            vpcd.accept()
        assert not bridge.connected
        assert not chip.powered
    finally:
        bridge.stop()


def test_stop_removes_the_card_and_powers_the_chip_off(
    vpcd: FakeVpcd, bridge: VpcdBridge, chip: Chip
) -> None:
    with vpcd.accept() as connection:
        power_up(connection)
        bridge.stop()
        assert hung_up(connection)
    assert not bridge.connected
    assert not chip.powered


def test_bridge_reconnects_when_vpcd_restarts(vpcd: FakeVpcd, chip: Chip) -> None:
    port = vpcd.port
    vpcd.close()
    bridge = VpcdBridge(chip, port=port, reconnect_delay=0.05)
    bridge.start()  # vpcd is not listening yet: the bridge keeps trying
    try:
        restarted = FakeVpcd(port)
        with restarted.accept() as connection:
            power_up(connection)
        # vpcd goes away with the card in it (pcscd restart) and comes back.
        restarted.close()
        again = FakeVpcd(port)
        with again.accept() as connection:
            power_up(connection)
            send(connection, b"\x00\xa4\x00\x00")
            assert receive(connection) == b"\x00\xa4\x00\x00\x90\x00"
        again.close()
    finally:
        bridge.stop()


def test_virtual_readers_are_told_from_physical_ones() -> None:
    assert is_vpcd_reader("Virtual PCD 00 01")
    assert not is_vpcd_reader("ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC] 00 00")
    assert not is_vpcd_reader("Identiv uTrust 3700 F CL Reader [uTrust 3700 F CL Reader] 01 00")
