"""The terminal (open_document, pace, bac) against the card side (CardAccess) through an in-process chip.

A small chip stands in for the virtual chip's dispatcher: it serves EF.CardAccess at MF level and,
once access control succeeded, one file of the eMRTD application under secure messaging, which
proves that both ends hold the same session keys and counter.
"""

from __future__ import annotations

import pytest

from cccd_station.crypto.pace import ID_PACE
from cccd_station.crypto.symmetric import SmKeys
from cccd_station.reader.access import (
    AccessResult,
    CanKey,
    IdNumberKey,
    MrzKey,
    MrzRequiredError,
    open_document,
    read_card_access,
)
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.access import CardAccess, ef_card_access
from cccd_station.reader.errors import (
    AccessDeniedError,
    ChipDataError,
    SecureMessagingError,
    UnsupportedCardError,
)
from cccd_station.reader.lds.security_infos import PaceInfo
from cccd_station.reader.pace import PaceRefusedError, pace, select_pace_info
from cccd_station.reader.sm import unwrap_command, wrap_response
from cccd_station.reader.transport import InProcessTransport

# Fictitious holder: the worked example's MRZ, and a made-up CCCD number whose last six digits are the CAN.
DOCUMENT = MrzKey("T22000129", "640812", "101031")
ID_NUMBER = "001099012345"
CAN = ID_NUMBER[-6:]
EF_COM_SFI = 0x1E
EF_COM = bytes.fromhex("60145F0104303130365F36063034303030305C026175")
AID = bytes.fromhex("A0000002471001")

GM_ECDH, GM_DH = ID_PACE + ".2", ID_PACE + ".1"
IM_ECDH, IM_DH = ID_PACE + ".4", ID_PACE + ".3"
AES128, AES192, AES256, DES3 = ".2", ".3", ".4", ".1"
CCCD_PACE = [(GM_ECDH + AES128, 13)]


class MiniChip:
    """A chip with an MF, the eMRTD application holding EF.COM, and CardAccess for access control."""

    def __init__(self, access: CardAccess, card_access: bytes | None) -> None:
        self.access = access
        self.card_access = card_access
        self.session: tuple[SmKeys, int] | None = None
        self.application_selected = False
        self.commands: list[CommandApdu] = []

    def power_on(self) -> bytes:
        return b"\x3b\x80\x80\x01\x01"

    def power_off(self) -> None:
        self.session = None

    def process_apdu(self, apdu: bytes) -> bytes:
        cmd = CommandApdu.from_bytes(apdu)
        self.commands.append(cmd)
        if self.session is not None and cmd.cla & 0x0C:
            keys, ssc = self.session
            plain = unwrap_command(keys, ssc + 1, cmd)
            response = self.answer(plain)
            self.session = (keys, ssc + 2)
            return wrap_response(keys, ssc + 2, response).to_bytes()
        self.session = None  # a plain command ends secure messaging
        response = self.access.handle(cmd) or self.answer(cmd)
        self.session = self.access.take_session() or self.session
        return response.to_bytes()

    def answer(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.ins == 0xA4 and cmd.p1 == 0x04:
            if cmd.data != AID:
                return ResponseApdu(b"", SW.FILE_NOT_FOUND)
            self.application_selected = True
            return ResponseApdu(b"", SW.OK)
        if cmd.ins == 0xB0 and cmd.p1 & 0x80:
            sfi = cmd.p1 & 0x1F
            if sfi == 0x1C and not self.application_selected and self.card_access is not None:
                return ResponseApdu(self.card_access[: cmd.ne], SW.OK)
            if sfi == EF_COM_SFI and self.application_selected and self.session is not None:
                return ResponseApdu(EF_COM[: cmd.ne], SW.OK)
            return ResponseApdu(b"", SW.FILE_NOT_FOUND)
        return ResponseApdu(b"", SW.INS_NOT_SUPPORTED)


def make_chip(
    pace_infos: list[tuple[str, int]] = CCCD_PACE,
    allow_bac: bool = True,
    allow_pace: bool = True,
    card_access: bool = True,
) -> tuple[MiniChip, CardChannel]:
    access = CardAccess(DOCUMENT.mrz_information, CAN, pace_infos, allow_bac=allow_bac, allow_pace=allow_pace)
    chip = MiniChip(access, ef_card_access(pace_infos) if card_access and pace_infos else None)
    return chip, CardChannel(InProcessTransport(chip))


def read_ef_com(result: AccessResult) -> bytes:
    return result.channel.transmit(CommandApdu(0x00, 0xB0, 0x80 | EF_COM_SFI, 0x00, ne=256)).check()


# --- open_document -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "password"),
    [(IdNumberKey(ID_NUMBER), "CAN"), (CanKey(CAN), "CAN"), (DOCUMENT, "MRZ")],
    ids=["id-number", "can", "mrz"],
)
def test_cccd_opens_with_pace_and_reads_under_secure_messaging(
    key: IdNumberKey | CanKey | MrzKey, password: str
) -> None:
    chip, channel = make_chip()
    result = open_document(channel, key)
    assert (result.protocol, result.password) == ("PACE-ECDH-GM-AES-128", password)
    assert chip.application_selected
    assert read_ef_com(result) == EF_COM
    # PACE ran at MF level: EF.CardAccess first, the application selected only under SM.
    first = chip.commands[0]
    assert (first.ins, first.p1, first.p2) == (0xB0, 0x9C, 0x00)
    selects = [cmd for cmd in chip.commands if cmd.ins == 0xA4]
    assert len(selects) == 1 and selects[0].cla & 0x0C


def test_passport_without_card_access_opens_with_bac() -> None:
    _, channel = make_chip(pace_infos=[])
    result = open_document(channel, DOCUMENT)
    assert (result.protocol, result.password) == ("BAC", "MRZ")
    assert read_ef_com(result) == EF_COM


def test_chip_that_refuses_pace_falls_back_to_bac_with_mrz_data_and_says_so() -> None:
    _, channel = make_chip(allow_pace=False)
    result = open_document(channel, DOCUMENT)
    assert result.protocol == "BAC"
    assert result.downgraded_from == "PACE-ECDH-GM-AES-128"
    assert result.downgrade_reason == "the chip refused MSE:Set AT (6A86)"
    assert read_ef_com(result) == EF_COM


def test_chip_that_refuses_the_first_pace_step_falls_back_to_bac_and_says_so() -> None:
    class FirstStepRefused(MiniChip):
        def process_apdu(self, apdu: bytes) -> bytes:
            if apdu[1] == 0x86 and self.session is None:
                self.access.handle(CommandApdu(0x00, 0x22, 0xC1, 0xA4, b""))  # forget the run
                return SW.WRONG_DATA.to_bytes(2, "big")
            return super().process_apdu(apdu)

    access = CardAccess(DOCUMENT.mrz_information, CAN, CCCD_PACE)
    chip = FirstStepRefused(access, ef_card_access(CCCD_PACE))
    result = open_document(CardChannel(InProcessTransport(chip)), DOCUMENT)
    assert (result.protocol, result.downgraded_from) == ("BAC", "PACE-ECDH-GM-AES-128")
    assert result.downgrade_reason == "the chip refused the first step of PACE (6A80)"


@pytest.mark.parametrize(
    ("key", "password"),
    [(IdNumberKey(ID_NUMBER), "CAN"), (CanKey(CAN), "CAN"), (DOCUMENT, "MRZ")],
    ids=["id-number", "can", "mrz"],
)
def test_a_chip_opened_as_it_offers_reports_no_downgrade(
    key: IdNumberKey | CanKey | MrzKey, password: str
) -> None:
    result = open_document(make_chip()[1], key)
    assert (result.password, result.downgraded_from, result.downgrade_reason) == (password, None, None)
    bac_only = open_document(make_chip(pace_infos=[])[1], DOCUMENT)
    assert (bac_only.protocol, bac_only.downgraded_from, bac_only.downgrade_reason) == ("BAC", None, None)


def test_a_wrong_mrz_under_pace_gets_no_second_guess_over_bac() -> None:
    chip, channel = make_chip()
    with pytest.raises(AccessDeniedError, match="MRZ data does not open this chip"):
        open_document(channel, MrzKey("T22000129", "640812", "101030"))
    bac_commands = [cmd for cmd in chip.commands if cmd.ins in (0x84, 0x82)]
    assert bac_commands == [], "the wrong MRZ data must not be tried again with BAC"


def test_a_blocked_mrz_password_under_pace_is_not_worked_around_with_bac() -> None:
    class Blocked(MiniChip):
        def process_apdu(self, apdu: bytes) -> bytes:
            if apdu[1] == 0x22 and self.session is None:
                return SW.AUTHENTICATION_BLOCKED.to_bytes(2, "big")
            return super().process_apdu(apdu)

    chip = Blocked(CardAccess(DOCUMENT.mrz_information, CAN, CCCD_PACE), ef_card_access(CCCD_PACE))
    with pytest.raises(AccessDeniedError, match="blocked"):
        open_document(CardChannel(InProcessTransport(chip)), DOCUMENT)
    assert not [cmd for cmd in chip.commands if cmd.ins in (0x84, 0x82)]


def test_pace_variants_the_station_cannot_run_are_a_named_downgrade_with_mrz_data() -> None:
    # The integrated mapping on secp224r1 (p = 1 mod 4) has no point encoding the station can run.
    _, channel = make_chip(pace_infos=[(IM_ECDH + AES128, 10)])
    result = open_document(channel, DOCUMENT)
    assert (result.protocol, result.downgraded_from) == ("BAC", "PACE-ECDH-IM-AES-128")
    assert result.downgrade_reason == "the chip offers only PACE variants this station does not support"


def test_chip_that_refuses_pace_cannot_be_opened_with_a_can() -> None:
    _, channel = make_chip(allow_pace=False)
    with pytest.raises(PaceRefusedError):
        open_document(channel, CanKey(CAN))


def test_bac_only_chip_asks_for_the_mrz_when_given_an_id_number() -> None:
    _, channel = make_chip(pace_infos=[])
    with pytest.raises(MrzRequiredError, match="MRZ data"):
        open_document(channel, IdNumberKey(ID_NUMBER))


def test_unsupported_pace_variants_only_are_reported() -> None:
    _, channel = make_chip(pace_infos=[(IM_ECDH + AES128, 10)])  # integrated mapping on secp224r1 only
    with pytest.raises(UnsupportedCardError, match="PACE variants"):
        open_document(channel, CanKey(CAN))


@pytest.mark.parametrize(
    "key",
    [IdNumberKey("001099012346"), CanKey("000000"), MrzKey("T22000129", "640812", "101030")],
    ids=["id-number", "can", "mrz"],
)
def test_wrong_key_is_access_denied_over_pace(key: IdNumberKey | CanKey | MrzKey) -> None:
    chip, channel = make_chip()
    named = {IdNumberKey: "ID number", CanKey: "CAN", MrzKey: "MRZ data"}[type(key)]
    with pytest.raises(AccessDeniedError, match=f"the {named} does not open this chip"):
        open_document(channel, key)
    assert chip.session is None
    # The chip is not stuck: the right key opens it afterwards.
    assert read_ef_com(open_document(channel, CanKey(CAN))) == EF_COM


def test_wrong_mrz_is_access_denied_over_bac() -> None:
    _, channel = make_chip(pace_infos=[])
    with pytest.raises(AccessDeniedError, match="MRZ data does not open this chip"):
        open_document(channel, MrzKey("T22000128", "640812", "101031"))


def test_card_access_longer_than_one_read_is_read_whole() -> None:
    infos = [(GM_ECDH + suite, pid) for pid in range(8, 19) for suite in (AES128, AES192, AES256)]
    content = ef_card_access(infos)
    assert len(content) > 256

    class LongFileChip(MiniChip):
        def answer(self, cmd: CommandApdu) -> ResponseApdu:
            if cmd.ins == 0xB0 and not cmd.p1 & 0x80:
                offset = cmd.p1 << 8 | cmd.p2
                return ResponseApdu(content[offset : offset + (cmd.ne or 256)], SW.OK)
            if cmd.ins == 0xB0:
                return ResponseApdu(content[: cmd.ne], SW.OK)
            return super().answer(cmd)

    chip = LongFileChip(CardAccess(None, CAN, infos), content)
    channel = CardChannel(InProcessTransport(chip))
    assert read_card_access(channel) == content
    result = open_document(channel, CanKey(CAN))
    assert result.protocol == "PACE-ECDH-GM-AES-256"  # the largest key is preferred


def test_protected_traffic_with_a_tampered_mac_ends_the_session() -> None:
    chip, channel = make_chip()
    result = open_document(channel, CanKey(CAN))
    assert chip.session is not None
    keys, ssc = chip.session
    chip.session = (keys, ssc + 7)  # the chip's counter drifts: its MACs no longer verify
    with pytest.raises(SecureMessagingError):
        read_ef_com(result)


# --- every standardized domain parameter, cipher and password --------------------------------------

ECDH_IDS = list(range(8, 19))


@pytest.mark.parametrize("parameter_id", ECDH_IDS)
@pytest.mark.parametrize("password", ["CAN", "MRZ"])
def test_pace_ecdh_on_every_curve(parameter_id: int, password: str) -> None:
    infos = [(GM_ECDH + AES128, parameter_id)]
    _, channel = make_chip(infos)
    key = CanKey(CAN) if password == "CAN" else DOCUMENT
    result = open_document(channel, key)
    assert result.password == password
    assert read_ef_com(result) == EF_COM


@pytest.mark.parametrize(
    ("oid", "parameter_id", "name"),
    [
        (GM_ECDH + DES3, 13, "PACE-ECDH-GM-3DES"),
        (GM_ECDH + AES192, 15, "PACE-ECDH-GM-AES-192"),
        (GM_ECDH + AES256, 17, "PACE-ECDH-GM-AES-256"),
        (GM_DH + DES3, 0, "PACE-DH-GM-3DES"),
        (GM_DH + AES128, 0, "PACE-DH-GM-AES-128"),
        (GM_DH + AES192, 1, "PACE-DH-GM-AES-192"),
        (GM_DH + AES256, 2, "PACE-DH-GM-AES-256"),
    ],
)
def test_pace_with_every_cipher_and_dh_group(oid: str, parameter_id: int, name: str) -> None:
    _, channel = make_chip([(oid, parameter_id)])
    result = open_document(channel, DOCUMENT)
    assert result.protocol == name
    assert read_ef_com(result) == EF_COM
    with pytest.raises(AccessDeniedError):
        open_document(make_chip([(oid, parameter_id)])[1], CanKey("999999"))


@pytest.mark.parametrize("parameter_id", [8, 9, 11, 12, 13, 14, 15, 16, 17, 18])
def test_pace_integrated_mapping_on_every_curve_with_p_3_mod_4(parameter_id: int) -> None:
    _, channel = make_chip([(IM_ECDH + AES128, parameter_id)])
    result = open_document(channel, CanKey(CAN))
    assert result.protocol == "PACE-ECDH-IM-AES-128"
    assert read_ef_com(result) == EF_COM


@pytest.mark.parametrize(
    ("oid", "parameter_id"),
    [
        (IM_ECDH + DES3, 13),
        (IM_ECDH + AES192, 16),
        (IM_ECDH + AES256, 17),
        (IM_DH + AES128, 0),
        (IM_DH + AES256, 2),
    ],
)
def test_pace_integrated_mapping_with_every_cipher_and_dh(oid: str, parameter_id: int) -> None:
    _, channel = make_chip([(oid, parameter_id)])
    assert read_ef_com(open_document(channel, DOCUMENT)) == EF_COM
    with pytest.raises(AccessDeniedError):
        open_document(make_chip([(oid, parameter_id)])[1], CanKey("999999"))


def test_dh_2048_uses_extended_length() -> None:
    chip, channel = make_chip([(GM_DH + AES128, 2)])
    open_document(channel, CanKey(CAN))
    general_authenticate = [cmd for cmd in chip.commands if cmd.ins == 0x86]
    ga2, ga3 = general_authenticate[1:3]
    assert len(ga2.data) > 255 and ga2.ne == 65536
    assert len(ga3.data) > 255 and ga3.ne == 65536


# --- order, selection and the chip's refusals ----------------------------------------------------


def test_station_prefers_ecdh_aes_and_the_largest_key() -> None:
    offered = [
        PaceInfo(GM_DH + AES256, 2, 2),
        PaceInfo(GM_ECDH + DES3, 2, 13),
        PaceInfo(GM_ECDH + AES128, 2, 13),
        PaceInfo(IM_ECDH + AES256, 2, 13),  # integrated mapping: only when nothing generic is offered
        PaceInfo(ID_PACE + ".6.2", 2, 0),  # chip authentication mapping on a DH group: not usable
        PaceInfo(GM_ECDH + AES256, 2, None),  # proprietary parameters: not supported
        PaceInfo(GM_ECDH + AES128, 2, 0),  # DH group for ECDH: not usable
        PaceInfo(IM_ECDH + AES128, 2, 10),  # secp224r1 has p = 1 mod 4: no point encoding
    ]
    assert select_pace_info(offered) == PaceInfo(GM_ECDH + AES128, 2, 13)
    assert select_pace_info(offered[:1]) == offered[0]
    assert select_pace_info(offered[3:]) == PaceInfo(IM_ECDH + AES256, 2, 13)
    assert select_pace_info(offered[4:]) is None
    # The chip authentication mapping proves the chip inside PACE: chosen whenever it is offered.
    cam = PaceInfo(ID_PACE + ".6.2", 2, 13)
    assert select_pace_info([*offered, cam]) == cam


def test_chip_answers_steps_out_of_order_with_6985() -> None:
    access = CardAccess(None, CAN, CCCD_PACE)
    # EXTERNAL AUTHENTICATE without MRZ data is not this chip's business.
    assert access.handle(CommandApdu(0x00, 0x82, 0x00, 0x00, bytes(40), 40)) is None
    bac_chip = CardAccess(DOCUMENT.mrz_information, None, [])
    answer = bac_chip.handle(CommandApdu(0x00, 0x82, 0x00, 0x00, bytes(40), 40))
    assert answer is not None and answer.sw == SW.CONDITIONS_NOT_SATISFIED  # no GET CHALLENGE before

    mse = CommandApdu(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800A04007F00070202040202830102"))
    assert access.handle(mse) == ResponseApdu(b"", SW.OK)
    last_step_first = CommandApdu(0x00, 0x86, 0x00, 0x00, bytes.fromhex("7C00"), 256)
    answer = access.handle(last_step_first)
    assert answer is not None and answer.sw == SW.CONDITIONS_NOT_SATISFIED
    assert (
        access.handle(CommandApdu(0x10, 0x86, 0x00, 0x00, bytes.fromhex("7C00"), 256)) is None
    )  # run forgotten


def test_chip_refuses_unknown_protocols_and_passwords() -> None:
    access = CardAccess(None, CAN, CCCD_PACE)

    def set_at(data: str) -> int:
        answer = access.handle(CommandApdu(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex(data)))
        assert answer is not None
        return answer.sw

    assert set_at("800A04007F00070202040202830101") == SW.REFERENCED_DATA_NOT_FOUND  # no MRZ on this chip
    assert set_at("800A04007F00070202040102830102") == SW.WRONG_DATA  # DH not offered
    assert set_at("800A04007F0007020204020283010284010C") == SW.WRONG_DATA  # other curve
    assert set_at("800A04007F00070202040202") == SW.WRONG_DATA  # no password reference
    assert set_at("800A04007F0007020204020283010284010D") == SW.OK
    # MSE:Set AT for chip authentication is left to the dispatcher.
    assert (
        access.handle(CommandApdu(0x00, 0x22, 0x41, 0xA4, bytes.fromhex("800A04007F00070202030202"))) is None
    )


def test_pace_after_a_bac_session_starts_afresh() -> None:
    chip, channel = make_chip()
    chip.application_selected = True
    bac(channel, DOCUMENT.mrz_information)
    channel.transmit(CommandApdu(0x00, 0xA4, 0x00, 0x0C, b"\x3f\x00"))  # a plain command ends SM
    secure = pace(channel, CAN, "CAN", [PaceInfo(GM_ECDH + AES128, 2, 13)])
    assert secure.ssc == 0
    assert secure.transmit(CommandApdu(0x00, 0xB0, 0x80 | EF_COM_SFI, 0x00, ne=256)).check() == EF_COM


def test_chip_garbage_in_general_authenticate_is_refused() -> None:
    access = CardAccess(None, CAN, CCCD_PACE)
    access.handle(CommandApdu(0x00, 0x22, 0xC1, 0xA4, bytes.fromhex("800A04007F00070202040202830102")))
    access.handle(CommandApdu(0x10, 0x86, 0x00, 0x00, bytes.fromhex("7C00"), 256))
    bad_point = CommandApdu(0x10, 0x86, 0x00, 0x00, bytes.fromhex("7C438141") + b"\x04" + bytes(64), 256)
    answer = access.handle(bad_point)
    assert answer is not None and answer.sw == SW.WRONG_DATA


@pytest.mark.parametrize(
    "content",
    [b"\x31\x05\x30\x03\x06", b"\x31\x04\x30\x05\x06\x01", b"\x04\x02\x00\x00"],
    ids=["truncated", "inner-overrun", "not-a-set"],
)
def test_garbled_card_access_is_chip_data_error_without_mrz_and_a_named_downgrade_with_it(
    content: bytes,
) -> None:
    chip, channel = make_chip()
    chip.card_access = content
    for key in (CanKey(CAN), IdNumberKey(ID_NUMBER)):
        with pytest.raises(ChipDataError):
            open_document(channel, key)
    result = open_document(channel, DOCUMENT)
    assert (result.protocol, result.downgraded_from) == ("BAC", "PACE")
    assert result.downgrade_reason is not None
    assert result.downgrade_reason.startswith("EF.CardAccess is damaged: ")
    assert read_ef_com(result) == EF_COM


def test_chip_takes_pace_infos_as_parsed_from_ef_card_access() -> None:
    info = PaceInfo(GM_ECDH + AES128, 2, 13)
    chip = MiniChip(CardAccess(None, CAN, [info]), ef_card_access(CCCD_PACE))
    result = open_document(CardChannel(InProcessTransport(chip)), CanKey(CAN))
    assert result.protocol == "PACE-ECDH-GM-AES-128"
    with pytest.raises(ValueError, match="standardized"):
        CardAccess(None, CAN, [PaceInfo(GM_ECDH + AES128, 2, None)])
