"""Attacks on the link and on access control, played by the virtual chip's faults and stopped by the reader.

Each fault is one attack from the review "Verified must mean genuine": a relay hiding a data group
behind a bare 6A82, a DO87 slipped in after the MAC, and two ways of pushing a PACE chip down to BAC.
"""

from __future__ import annotations

import pytest
from asn1crypto import parser

from cccd_station.reader.access import IdNumberKey, MrzKey, open_document
from cccd_station.reader.apdu import SW
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import FaultError, Faults
from cccd_station.reader.chip.personalise import personalise
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.errors import AccessDeniedError, ChipDataError, SecureMessagingError
from cccd_station.reader.files import FileReader, LinkLimits
from cccd_station.reader.lds.files import EF_CARD_ACCESS, EF_COM, data_group
from cccd_station.reader.lds.security_infos import SecurityInfos
from cccd_station.reader.lds.tlv import parse_all
from cccd_station.reader.pace import PaceRefusedError
from cccd_station.reader.transport import InProcessTransport
from cccd_station.station.demo import demo_anchors
from cccd_station.station.pipeline import inspect

NAME = "nguyen-van-an"
ID_KEY = IdNumberKey("001085014763")


def mrz_key(name: str = NAME) -> MrzKey:
    mrz = load_persona(name).mrz
    return MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)


class Tap(InProcessTransport):
    """Keeps every exchange as it crossed the link."""

    def __init__(self, chip: VirtualChip) -> None:
        super().__init__(chip)
        self.exchanges: list[tuple[bytes, bytes, int]] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        data, sw = super().transmit(apdu)
        self.exchanges.append((apdu, data, sw))
        return data, sw


def parse_der(data: bytes) -> None:
    """Walk every nested encoding with asn1crypto's strict parser (ValueError where it breaks)."""
    _, constructed, _, _, contents, _ = parser.parse(data, strict=True)
    while constructed and contents:
        _, _, _, header, value, _ = parser.parse(contents)
        parse_der(contents[: len(header) + len(value)])
        contents = contents[len(header) + len(value) :]


def opened(faults: Faults, key: IdNumberKey | MrzKey = ID_KEY) -> tuple[FileReader, VirtualChip, Tap]:
    chip = VirtualChip(NAME, faults)
    tap = Tap(chip)
    result = open_document(CardChannel(tap), key)
    return FileReader(result.channel, LinkLimits()), chip, tap


def test_new_fault_spellings_parse_and_round_trip() -> None:
    for spelling in ("plain-error-dg=2", "do87-after-mac", "pace-refused", "garbled-card-access"):
        faults = Faults.parse(spelling)
        assert faults != Faults() and faults.to_strings() == [spelling]
    for contradiction in (
        "pace-refused, pace-only",
        "pace-refused, bac-only",
        "garbled-card-access, bac-only",
    ):
        with pytest.raises(FaultError):
            Faults.parse(contradiction)
    for bad in ("plain-error-dg=0", "plain-error-dg=17", "plain-error-dg", "do87-after-mac=1"):
        with pytest.raises(FaultError):
            Faults.parse(bad)


# --- plain-error-dg=N: a relay answers the protected READ BINARY of DG N with a bare 6A82 ------------


def test_a_relays_bare_6a82_for_dg2_ends_the_session_instead_of_hiding_the_portrait() -> None:
    reader, chip, tap = opened(Faults.parse("plain-error-dg=2"))
    assert reader.read(data_group(1).fid, 1) == chip.personalisation.data_group(1)  # others read
    with pytest.raises(SecureMessagingError, match="6A82 came without secure messaging"):
        reader.read(data_group(2).fid, 2)
    command, data, sw = tap.exchanges[-1]
    assert command[:3] == bytes([0x0C, 0xB0, 0x82]) and (data, sw) == (b"", SW.FILE_NOT_FOUND)
    with pytest.raises(SecureMessagingError, match="open the chip again"):
        reader.read(EF_COM.fid, EF_COM.sfi)


def test_the_chips_own_errors_under_secure_messaging_are_protected_and_accepted() -> None:
    reader, _, tap = opened(Faults())
    with pytest.raises(ChipDataError, match="no such file"):
        reader.read(data_group(3).fid, 3)  # the CCCD has no DG3: a protected 6A82
    _, data, _ = tap.exchanges[-1]
    assert [tlv.tag for tlv in parse_all(data)] == [0x99, 0x8E]
    assert reader.read(EF_COM.fid, EF_COM.sfi)  # the session goes on


def test_inspection_stops_reading_at_a_hidden_data_group_and_fails() -> None:
    transport = InProcessTransport(VirtualChip(NAME, Faults.parse("plain-error-dg=2")))
    result = inspect(transport, ID_KEY, demo_anchors())
    hashes = next(check for check in result.checks if check.id == "dg.hashes")
    assert result.verdict.value == "failed" and hashes.status.value == "fail"
    assert (
        "DG2 listed in EF.SOD could not be read" in hashes.detail
        and "without secure messaging" in hashes.detail
    )


# --- do87-after-mac: a DO87 appended after DO8E ------------------------------------------------------


def test_a_do87_after_the_mac_never_reaches_the_reader() -> None:
    reader, _, tap = opened(Faults.parse("do87-after-mac"))
    with pytest.raises(SecureMessagingError, match="after its MAC"):
        reader.read(data_group(1).fid, 1)
    _, data, _ = tap.exchanges[-1]
    assert [tlv.tag for tlv in parse_all(data)] == [0x87, 0x99, 0x8E, 0x87]


def test_do87_after_mac_leaves_answers_without_data_alone() -> None:
    # Access control and SELECT answer without data: the chip opens, the first read is the attack.
    reader, _, tap = opened(Faults.parse("do87-after-mac"))
    protected = [data for command, data, _ in tap.exchanges if command[0] & 0x0C]
    assert protected and all([tlv.tag for tlv in parse_all(data)] == [0x99, 0x8E] for data in protected)
    with pytest.raises(SecureMessagingError):
        reader.read(EF_COM.fid, EF_COM.sfi)


# --- pace-refused and garbled-card-access: pushing a PACE chip down to BAC -----------------------------


def test_pace_refused_opens_with_bac_only_with_mrz_data_and_names_the_downgrade() -> None:
    faults = Faults.parse("pace-refused")
    assert EF_CARD_ACCESS.fid in personalise(NAME, faults).files.master_file  # PACE is still offered
    with pytest.raises(PaceRefusedError, match=r"MSE:Set AT \(6A80\)"):
        opened(faults)
    reader, chip, _ = opened(faults, mrz_key())
    assert reader.read(data_group(1).fid, 1) == chip.personalisation.data_group(1)
    result = open_document(CardChannel(InProcessTransport(VirtualChip(NAME, faults))), mrz_key())
    assert (result.protocol, result.downgraded_from) == ("BAC", "PACE-ECDH-GM-AES-128")
    assert result.downgrade_reason == "the chip refused MSE:Set AT (6A80)"


def test_garbled_card_access_is_not_der_and_is_a_named_downgrade_with_mrz_data() -> None:
    faults = Faults.parse("garbled-card-access")
    garbled = personalise(NAME, faults).files.master_file[EF_CARD_ACCESS.fid].content
    genuine = personalise(NAME).files.master_file[EF_CARD_ACCESS.fid].content
    assert len(garbled) == len(genuine) and garbled != genuine
    parse_der(genuine)
    with pytest.raises(ValueError):
        parse_der(garbled)
    with pytest.raises(ChipDataError):
        SecurityInfos.from_bytes(garbled)

    with pytest.raises(ChipDataError):
        opened(faults)  # with the ID number there is no way but PACE: an error, as before
    chip = VirtualChip(NAME, faults)
    result = open_document(CardChannel(InProcessTransport(chip)), mrz_key())
    assert (result.protocol, result.downgraded_from) == ("BAC", "PACE")
    assert result.downgrade_reason is not None
    assert result.downgrade_reason.startswith("EF.CardAccess is damaged: ")
    reader = FileReader(result.channel)
    assert reader.read(data_group(1).fid, 1) == chip.personalisation.data_group(1)


def test_a_wrong_mrz_on_a_pace_chip_is_denied_without_trying_bac() -> None:
    chip = VirtualChip(NAME)
    tap = Tap(chip)
    wrong = MrzKey(mrz_key().document_number, mrz_key().date_of_birth, "991231")
    with pytest.raises(AccessDeniedError, match="MRZ data does not open this chip"):
        open_document(CardChannel(tap), wrong)
    assert not [command for command, _, _ in tap.exchanges if command[1] in (0x82, 0x84)]
