"""Every persona's virtual chip opens as a real one would and gives back exactly its files."""

from __future__ import annotations

import pytest

from cccd_station.crypto.verdict import CheckStatus
from cccd_station.reader.access import CanKey, IdNumberKey, MrzKey, open_document, select_application
from cccd_station.reader.apdu import SW, CommandApdu
from cccd_station.reader.authenticity import active_authentication, start_chip_authentication
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personalise import personalise
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.errors import AccessDeniedError
from cccd_station.reader.files import FileReader, LinkLimits, atr_extended_length
from cccd_station.reader.lds.files import EF_COM, EF_SOD, data_group
from cccd_station.reader.lds.mrz import parse_dg1
from cccd_station.reader.lds.security_infos import parse_dg14, parse_dg15
from cccd_station.reader.sm import SecureChannel
from cccd_station.reader.transport import InProcessTransport

PERSONAS = persona_names()


def _can(name: str) -> CanKey | IdNumberKey:
    persona = load_persona(name)
    if persona.kind == "cccd":
        assert persona.id_number is not None
        return IdNumberKey(persona.id_number)
    return CanKey(persona.can)


def _mrz_key(name: str) -> MrzKey:
    mrz = load_persona(name).mrz
    # On a CCCD the MRZ document number is the last 9 digits of the ID number.
    return MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)


def _read_everything(secure: SecureChannel, limits: LinkLimits, chip: VirtualChip) -> None:
    reader = FileReader(secure, limits)
    chip_files = chip.personalisation
    assert reader.read(EF_COM.fid, EF_COM.sfi) == chip_files.com
    numbers = [n for n in range(1, 17) if data_group(n).fid in chip_files.files.application]
    assert {1, 2, 14, 15} <= set(numbers)
    for number in numbers:
        group = data_group(number)
        assert reader.read(group.fid, group.sfi) == chip_files.data_group(number), f"DG{number}"
    assert reader.read(EF_SOD.fid, EF_SOD.sfi) == chip_files.sod


@pytest.mark.parametrize("name", PERSONAS)
def test_pace_with_the_can_opens_the_chip_and_every_file_reads_back(name: str) -> None:
    chip = VirtualChip(name)
    transport = InProcessTransport(chip)
    channel = CardChannel(transport)
    assert atr_extended_length(transport.atr) is True  # the ATR's card capabilities say so
    limits = LinkLimits(extended=True)
    opened = open_document(channel, _can(name))
    assert opened.protocol.startswith("PACE-ECDH-GM-AES-128")
    _read_everything(opened.channel, limits, chip)


@pytest.mark.parametrize("name", PERSONAS)
def test_bac_with_the_mrz_data_opens_the_chip_and_every_file_reads_back(name: str) -> None:
    chip = VirtualChip(name)
    transport = InProcessTransport(chip)
    channel = CardChannel(transport)
    select_application(channel)
    key = _mrz_key(name)
    secure = bac(channel, key.mrz_information)
    _read_everything(secure, LinkLimits(), chip)


def test_cccd_mrz_document_number_is_the_last_nine_digits_of_the_id_number() -> None:
    for name in PERSONAS:
        persona = load_persona(name)
        if persona.kind == "cccd":
            assert persona.id_number is not None
            assert persona.document_number == persona.id_number[-9:]
            assert personalise(name).can == persona.id_number[-6:]


def test_pace_with_mrz_data_and_bac_only_chips_open_with_the_mrz() -> None:
    name = "tran-thi-bich-ngoc"
    opened = open_document(CardChannel(InProcessTransport(VirtualChip(name))), _mrz_key(name))
    assert opened.protocol.startswith("PACE") and opened.password == "MRZ"
    bac_chip = VirtualChip(name, Faults(bac_only=True))
    opened = open_document(CardChannel(InProcessTransport(bac_chip)), _mrz_key(name))
    assert opened.protocol == "BAC"
    _read_everything(opened.channel, LinkLimits(), bac_chip)


def test_wrong_keys_are_refused() -> None:
    name = "nguyen-van-an"
    with pytest.raises(AccessDeniedError):
        open_document(CardChannel(InProcessTransport(VirtualChip(name))), CanKey("000000"))
    channel = CardChannel(InProcessTransport(VirtualChip(name)))
    select_application(channel)
    with pytest.raises(AccessDeniedError):
        bac(channel, MrzKey("123456789", "850614", "450614").mrz_information)


@pytest.mark.parametrize(
    ("parameter_id", "protocol"), [(12, "PACE-ECDH-GM-AES-128"), (0, "PACE-DH-GM-AES-128")]
)
def test_pace_runs_on_other_domain_parameters_when_selected(parameter_id: int, protocol: str) -> None:
    chip = VirtualChip("pham-thi-dao", Faults.parse(f"pace-param={parameter_id}"))
    opened = open_document(CardChannel(InProcessTransport(chip)), _can("pham-thi-dao"))
    assert opened.protocol.startswith(protocol)
    assert (
        opened.channel.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4)).data == chip.personalisation.com[:4]
    )


@pytest.mark.parametrize(
    ("name", "switch", "cipher"),
    [
        ("nguyen-van-an", "MSE:Set AT + GENERAL AUTHENTICATE", "AES"),
        ("lindqvist-maja", "MSE:Set KAT", "3DES"),
    ],
)
def test_chip_authentication_switches_keys_and_active_authentication_signs(
    name: str, switch: str, cipher: str
) -> None:
    chip = VirtualChip(name)
    transport = InProcessTransport(chip)
    stats = LinkStats()
    secure = open_document(CardChannel(transport, stats), _can(name)).channel
    reader = FileReader(secure)
    dg14 = parse_dg14(reader.read(data_group(14).fid, 14))
    dg15 = parse_dg15(reader.read(data_group(15).fid, 15))
    before = stats.apdus
    suite = start_chip_authentication(secure, dg14)
    assert isinstance(suite, str) and cipher in suite
    assert stats.apdus - before == (2 if switch.startswith("MSE:Set AT") else 1)  # no proof command
    assert secure.keys.cipher.value == cipher and secure.ssc == 0
    # The session goes on under the new keys: the next read is the proof.
    assert reader.read(data_group(1).fid, 1) == chip.personalisation.data_group(1)
    assert secure.ssc == 2
    aa = active_authentication(secure, dg15, dg14.active_authentication)
    assert aa.status is CheckStatus.PASS, aa.detail


def test_active_authentication_wants_an_eight_byte_challenge() -> None:
    chip = VirtualChip("nguyen-van-an")
    secure = open_document(CardChannel(InProcessTransport(chip)), _can("nguyen-van-an")).channel
    assert secure.transmit(CommandApdu(0x00, 0x88, 0, 0, bytes(7), ne=256)).sw == SW.WRONG_LENGTH
    assert secure.transmit(CommandApdu(0x00, 0x88, 0, 0, bytes(8), ne=256)).sw == SW.OK


def test_chip_authentication_refuses_bad_requests_without_losing_the_session() -> None:
    chip = VirtualChip("nguyen-van-an")
    secure = open_document(CardChannel(InProcessTransport(chip)), _can("nguyen-van-an")).channel
    ga = CommandApdu(0x00, 0x86, 0, 0, bytes.fromhex("7C0380010A"), ne=256)
    assert secure.transmit(ga).sw == SW.CONDITIONS_NOT_SATISFIED  # no MSE:Set AT before
    unknown_oid = bytes.fromhex("800A04007F00070202030207")  # id-CA-DH-AES-128: not this chip's
    assert (
        secure.transmit(CommandApdu(0x00, 0x22, 0x41, 0xA4, unknown_oid)).sw == SW.REFERENCED_DATA_NOT_FOUND
    )
    oid = bytes.fromhex("800A04007F00070202030202")  # id-CA-ECDH-AES-CBC-CMAC-128
    assert secure.transmit(CommandApdu(0x00, 0x22, 0x41, 0xA4, oid)).sw == SW.OK
    off_curve = bytes.fromhex("7C43804104") + bytes(64)
    assert secure.transmit(CommandApdu(0x00, 0x86, 0, 0, off_curve, ne=256)).sw == SW.WRONG_DATA
    assert secure.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4)).sw == SW.OK


def test_dg1_holds_the_persona_mrz() -> None:
    for name in PERSONAS:
        assert parse_dg1(personalise(name).data_group(1)).lines == load_persona(name).mrz_lines
