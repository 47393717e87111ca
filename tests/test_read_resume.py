"""A card that slips away mid-read and is laid back, in-process: pulled at every APDU of a full read.

Each case must end in a verified read equal to an uninterrupted one, opened again with PACE and SELECT
only (no EF.CardAccess, no file read twice) and then nothing but what the uninterrupted read still had to
do; another card restarts the read cleanly; a card that does not come back ends it as card_removed.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personalise import personalise
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.errors import CardRemovedError
from cccd_station.reader.keys import AccessKey, CanKey
from cccd_station.reader.transport import InProcessTransport
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import InspectionResult, ReadContext, Suspension, read_document

INS_READ_BINARY = (0xB0, 0xB1)
INS_PACE = (0x22, 0x86)  # MSE:Set AT and GENERAL AUTHENTICATE, in PACE (plain) or CA (protected)
INS_SELECT = 0xA4
CARD_ACCESS_SFI = 0x1C


@pytest.fixture(scope="module")
def trust() -> TrustAnchors:
    return demo_anchors()


class Recorder(InProcessTransport):
    """A connection that keeps every command sent and the size of every answer."""

    def __init__(self, chip: VirtualChip, log: list[tuple[bytes, int]]) -> None:
        super().__init__(chip)
        self.log = log

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        data, sw = super().transmit(apdu)
        self.log.append((apdu, len(data) + 2))
        return data, sw


class LaidBack:
    """A card source whose card slips away (slip-at fault) and is laid back at once; ``others`` are the
    cards laid back instead, in turn."""

    def __init__(self, chip: VirtualChip, *others: VirtualChip) -> None:
        self.chips = [chip, *others]
        self.sessions: list[list[tuple[bytes, int]]] = []

    def connect(self) -> InProcessTransport:
        chip = self.chips[min(len(self.sessions), len(self.chips) - 1)]
        self.sessions.append([])
        return Recorder(chip, self.sessions[-1])

    def wait_for_card(self, timeout: float) -> bool:
        return True


def _plain(apdu: bytes) -> CommandApdu:
    return CommandApdu.from_bytes(apdu)


def _is_access(apdu: bytes) -> bool:
    """EF.CardAccess, PACE's MSE and GENERAL AUTHENTICATE (plain), the SELECT of the application."""
    cmd = _plain(apdu)
    if cmd.ins == INS_SELECT and cmd.p1 == 0x04:  # the application, by its AID (under PACE's keys)
        return True
    if cmd.cla & 0x0C:  # protected: the read itself, Chip and Active Authentication
        return False
    return cmd.ins in INS_PACE or (cmd.ins == 0xB0 and cmd.p1 == 0x80 | CARD_ACCESS_SFI)


def _uninterrupted(persona: str, faults: Faults, key: AccessKey, trust: TrustAnchors) -> tuple[Any, list]:
    source = LaidBack(VirtualChip(persona, faults))
    result = read_document(source, key, trust)
    [trace] = source.sessions
    return result, trace


def _summary(result: InspectionResult) -> tuple[Any, ...]:
    photo = hashlib.sha256(result.photo.data).hexdigest() if result.photo else None
    return result.verdict, result.record, photo, [(c.id, c.status) for c in result.checks]


CASES = [
    ("nguyen-van-an", ()),
    ("nguyen-van-an", ("no-extended-length",)),
    ("nguyen-van-an", ("pace-cam",)),
    ("lindqvist-maja", ()),
]


@pytest.mark.parametrize(("persona", "fault_names"), CASES, ids=["-".join((p, *f)) for p, f in CASES])
def test_a_card_pulled_at_any_apdu_and_laid_back_is_read_on_from_where_it_stopped(
    persona: str, fault_names: tuple[str, ...], trust: TrustAnchors
) -> None:
    key = demo_key(persona)
    base = Faults.parse(list(fault_names))
    expected, trace = _uninterrupted(persona, base, key, trust)
    assert expected.verdict is Verdict.VERIFIED
    for index in range(1, len(trace) + 1):  # the APDU (1-based) during which the card leaves
        suspended: list[Suspension] = []
        context = ReadContext(suspended=suspended.append)
        source = LaidBack(VirtualChip(persona, replace(base, slip_at=index)))
        result = read_document(source, key, trust, context)
        first, second = source.sessions
        assert _summary(result) == _summary(expected), f"slip at APDU {index}"
        assert result.resumed == 1 and len(suspended) == 1
        assert len(first) == index - 1  # the command that slipped got no answer
        # Opened again with PACE and SELECT only: EF.CardAccess is not read again (unless that was the slip).
        reopening = [apdu for apdu, _ in second[:6]]
        if index > 1:
            assert all(_is_access(apdu) for apdu in reopening) and len(reopening) == 6, f"slip at {index}"
            assert not any(_plain(a).p1 == 0x80 | CARD_ACCESS_SFI for a in reopening)
        # Then only what the uninterrupted read still had to do from the slipped command on (Chip
        # Authentication again when the slip came before its first proof, i.e. during the read right after).
        remaining = [(apdu, size) for apdu, size in trace[index - 1 :] if not _is_access(apdu)]
        after = [(apdu, size) for apdu, size in second if not _is_access(apdu)]
        ca_again = _ca_again(trace, index)
        assert len(after) <= len(remaining) + ca_again, f"slip at APDU {index}"
        # No file read twice: what came back after the return is no more than what was still to come.
        assert sum(size for _, size in after) <= sum(size for _, size in remaining) + 64 * (1 + ca_again)


def _ca_again(trace: list[tuple[bytes, int]], index: int) -> int:
    """Commands of Chip Authentication that a slip at APDU ``index`` (1-based) makes run again: those of
    the exchange before the slipped one (it starts over at MSE), or all of them when the slip took the
    first protected answer after it, the one that proves it."""
    protected = [position for position, (apdu, _) in enumerate(trace, 1) if _plain(apdu).cla & 0x0C]
    exchange = [
        position
        for position in protected
        if _plain(trace[position - 1][0]).ins in (0x22, 0x86)
        and _plain(trace[position - 1][0]).p1 == (0x41 if _plain(trace[position - 1][0]).ins == 0x22 else 0)
    ]
    if not exchange:
        return 0
    if exchange[0] <= index <= exchange[-1]:
        return index - exchange[0]
    proof = [position for position in protected if position > exchange[-1]]
    return len(exchange) if proof and proof[0] == index else 0


def test_another_card_with_the_same_access_number_restarts_the_read_cleanly(trust: TrustAnchors) -> None:
    first = "nguyen-van-an"
    can = personalise(first).can
    # Another holder's chip that opens with the same CAN: PACE cannot tell them apart, the files can.
    other = replace(personalise("pham-thi-dao"), can=can)
    slipping = VirtualChip(first, Faults(slip_at=15))  # during the portrait
    source = LaidBack(slipping, VirtualChip("pham-thi-dao", personalisation=other))
    result = read_document(source, CanKey(can), trust)
    assert result.verdict is Verdict.VERIFIED
    assert result.record.id_number == load_persona("pham-thi-dao").id_number
    assert result.photo is not None and result.photo.data == bytes(_dg2_portrait("pham-thi-dao"))
    assert len(source.sessions) == 3  # slipped, found another card, read that card from the start


def _dg2_portrait(persona: str) -> bytes:
    from cccd_station.reader.lds.dg2 import parse_dg2

    return parse_dg2(personalise(persona).data_group(2)).data


def test_another_card_the_key_does_not_open_ends_the_read_as_card_removed(trust: TrustAnchors) -> None:
    source = LaidBack(VirtualChip("nguyen-van-an", Faults(slip_at=12)), VirtualChip("pham-thi-dao"))
    with pytest.raises(CardRemovedError, match="another card"):
        read_document(source, demo_key("nguyen-van-an"), trust)


def test_a_card_that_does_not_come_back_in_time_ends_the_read(trust: TrustAnchors) -> None:
    class NeverBack(LaidBack):
        def wait_for_card(self, timeout: float) -> bool:
            return False

    source = NeverBack(VirtualChip("nguyen-van-an", Faults(slip_at=15)))
    suspended: list[Suspension] = []
    with pytest.raises(CardRemovedError):
        read_document(source, demo_key("nguyen-van-an"), trust, ReadContext(suspended=suspended.append), 0.3)
    [suspension] = suspended
    assert suspension.bytes_kept > 1000 and suspension.seconds == 0.3
    assert len(source.sessions) == 1


def test_without_a_window_a_slip_ends_the_read_at_once(trust: TrustAnchors) -> None:
    source = LaidBack(VirtualChip("nguyen-van-an", Faults(slip_at=15)))
    with pytest.raises(CardRemovedError):
        read_document(source, demo_key("nguyen-van-an"), trust, resume_window=0)
    assert len(source.sessions) == 1


def test_a_pace_cam_chip_swapped_for_a_clone_after_dg14_is_found_out(trust: TrustAnchors) -> None:
    persona = "nguyen-van-an"
    genuine = VirtualChip(persona, Faults(pace_cam=True, slip_at=12))  # DG14 and CAM proved, then DG1 slips
    clone = VirtualChip(persona, Faults(pace_cam=True, cloned_ca=True))
    source = LaidBack(genuine, clone)
    result = read_document(source, demo_key(persona), trust)
    # The new PACE-CAM does not prove DG14's key: the read starts over with the card there, a clone.
    assert result.verdict is Verdict.FAILED
    assert next(c for c in result.checks if c.id == "chip.authentication").status.value == "fail"
    assert result.holder is None and result.photo is None  # a chip that fails its proof is read no further


def _other_holder_with_the_same_can() -> VirtualChip:
    can = personalise("nguyen-van-an").can
    return VirtualChip("pham-thi-dao", personalisation=replace(personalise("pham-thi-dao"), can=can))


def test_another_chip_that_fails_the_proof_set_up_with_the_first_cards_key_restarts_the_read(
    trust: TrustAnchors,
) -> None:
    can = personalise("nguyen-van-an").can
    # The slip takes Chip Authentication's proof (DG1's answer): CA runs again, with the first card's DG14.
    source = LaidBack(VirtualChip("nguyen-van-an", Faults(slip_at=12)), _other_holder_with_the_same_can())
    result = read_document(source, CanKey(can), trust)
    # Never the first card's verdict on the second card's answers: the read starts over and the second
    # card, genuine, is verified (not failed as a clone of the first).
    assert result.verdict is Verdict.VERIFIED
    assert result.record.id_number == load_persona("pham-thi-dao").id_number
    assert len(source.sessions) == 3


def test_an_older_card_of_the_same_holder_laid_back_instead_gets_its_own_verdict(trust: TrustAnchors) -> None:
    persona = "nguyen-van-an"
    # The same person's older card: the same DG1, DG2 and DG13, and no DG14 or DG15 (so no proof).
    older = VirtualChip(persona, Faults(no_chip_auth=True))
    source = LaidBack(VirtualChip(persona, Faults(slip_at=14)), older)  # the slip takes DG15's read
    result = read_document(source, demo_key(persona), trust)
    # The older card withholds DG15, which the first card's EF.SOD lists: that is no verdict on it, the
    # read starts over and the older card reads as what it is: partly verified, nothing failed.
    assert result.verdict is Verdict.PARTIAL
    assert not [check for check in result.checks if check.status.value == "fail"]
    assert len(source.sessions) == 3
