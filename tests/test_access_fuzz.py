"""Garbage on either side of BAC and PACE gives a status word or a CardError, never a crash or a hang."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_station.reader.apdu import CommandApdu, ResponseApdu
from cccd_station.reader.bac import bac
from cccd_station.reader.chip.access import CardAccess
from cccd_station.reader.errors import CardError
from cccd_station.reader.lds.security_infos import PaceInfo
from cccd_station.reader.pace import pace

CCCD = ("0.4.0.127.0.7.2.2.4.2.2", 13)
MRZ_INFORMATION = "T22000129364081251010318"
SET_AT_CAN = bytes.fromhex("800A04007F00070202040202830102")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class ScriptedSender:
    """An ApduSender that answers every command with the next of the given responses."""

    def __init__(self, responses: list[tuple[bytes, int]]) -> None:
        self.responses = responses

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        data, sw = self.responses.pop(0) if self.responses else (b"", 0x9000)
        return ResponseApdu(data, sw)


responses = st.lists(
    st.tuples(st.binary(max_size=300), st.sampled_from([0x9000, 0x6300, 0x6982, 0x6A80, 0x63C1, 0x6D00])),
    min_size=6,
    max_size=6,
)


@FUZZ
@given(responses)
def test_terminal_pace_survives_any_chip_answers(answers: list[tuple[bytes, int]]) -> None:
    sender = ScriptedSender(answers)
    with contextlib.suppress(CardError):
        pace(sender, "123456", "CAN", [PaceInfo(CCCD[0], 2, CCCD[1])])


@FUZZ
@given(responses)
def test_terminal_bac_survives_any_chip_answers(answers: list[tuple[bytes, int]]) -> None:
    with contextlib.suppress(CardError):
        bac(ScriptedSender(answers), MRZ_INFORMATION)


commands = st.lists(
    st.builds(
        CommandApdu,
        cla=st.sampled_from([0x00, 0x10, 0x0C, 0x1C]),
        ins=st.sampled_from([0x84, 0x82, 0x22, 0x86, 0xB0]),
        p1=st.sampled_from([0x00, 0xC1, 0x41]),
        p2=st.sampled_from([0x00, 0xA4]),
        data=st.one_of(
            st.binary(max_size=120),
            st.just(SET_AT_CAN),
            st.builds(lambda body: b"\x7c" + bytes([len(body)]) + body, st.binary(max_size=100)),
        ),
        ne=st.sampled_from([None, 8, 40, 256]),
    ),
    max_size=8,
)


@FUZZ
@given(commands)
def test_chip_answers_any_command_sequence_with_a_status_word(sequence: list[CommandApdu]) -> None:
    chip = CardAccess(MRZ_INFORMATION, "123456", [CCCD])
    for cmd in sequence:
        answer = chip.handle(cmd)
        assert answer is None or 0x6000 <= answer.sw <= 0x9FFF
    session = chip.take_session()
    assert session is None or session[1] >= 0


class TamperingChip:
    """The real card side, with one byte of one of its answers flipped on the way back."""

    def __init__(self, victim: int, position: int, flip: int) -> None:
        self.chip = CardAccess(MRZ_INFORMATION, "123456", [CCCD])
        self.victim, self.position, self.flip, self.count = victim, position, flip, 0

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        answer = self.chip.handle(cmd)
        assert answer is not None
        self.count += 1
        if self.count - 1 != self.victim or not answer.data:
            return answer
        data = bytearray(answer.data)
        data[self.position % len(data)] ^= self.flip
        return ResponseApdu(bytes(data), answer.sw)


@FUZZ
@given(st.integers(1, 4), st.integers(0, 200), st.integers(1, 255))
def test_terminal_never_accepts_a_tampered_pace_run(victim: int, position: int, flip: int) -> None:
    sender = TamperingChip(victim, position, flip)
    # Every byte of the chip's answers feeds the nonce, the mapping, the key agreement or the token.
    with pytest.raises(CardError):
        pace(sender, "123456", "CAN", [PaceInfo(CCCD[0], 2, CCCD[1])])


def test_untampered_run_through_the_same_plumbing_succeeds() -> None:
    secure = pace(TamperingChip(99, 0, 1), "123456", "CAN", [PaceInfo(CCCD[0], 2, CCCD[1])])
    assert secure.ssc == 0
