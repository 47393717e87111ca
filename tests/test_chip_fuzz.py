"""Whatever arrives, the virtual chip answers with a status word and never fails inside."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_station.reader.access import CanKey, open_document
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.errors import SecureMessagingError
from cccd_station.reader.transport import InProcessTransport

KNOWN_INS = [0xA4, 0xB0, 0xB1, 0x22, 0x86, 0x88, 0x84, 0x82, 0xC0, 0x2A]
FAILED_INSIDE = b"\x6f\x00"


@pytest.fixture(autouse=True)
def _no_internal_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.ERROR, logger="cccd_station.reader.chip.chip")
    yield
    assert not [record for record in caplog.records if record.name == "cccd_station.reader.chip.chip"]


commands = st.builds(
    lambda cla, ins, p1, p2, body: bytes([cla, ins, p1, p2]) + body,
    st.sampled_from([0x00, 0x0C, 0x10, 0x1C, 0x80, 0x04]),
    st.sampled_from(KNOWN_INS) | st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=80),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(commands, min_size=1, max_size=8))
def test_plain_garbage_gets_a_status_word(apdus: list[bytes]) -> None:
    chip = VirtualChip("nguyen-van-an")
    chip.power_on()
    for apdu in apdus:
        response = chip.process_apdu(apdu)
        assert len(response) >= 2 and response[-2:] != FAILED_INSIDE


inner_commands = st.builds(
    CommandApdu,
    st.just(0x00),
    st.sampled_from(KNOWN_INS),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=70),
    st.none() | st.integers(1, 65536),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(inner_commands, min_size=1, max_size=6))
def test_protected_garbage_gets_a_status_word(commands_: list[CommandApdu]) -> None:
    chip = VirtualChip("lindqvist-maja")
    secure = open_document(CardChannel(InProcessTransport(chip)), CanKey("615248")).channel
    for cmd in commands_:
        try:
            response = secure.transmit(cmd)
        except SecureMessagingError:
            return  # e.g. Chip Authentication switched keys under the terminal's feet
        assert response.sw != 0x6F00
