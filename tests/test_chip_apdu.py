"""The virtual chip at the APDU level: ISO/IEC 7816-4 status words, files and access control."""

from __future__ import annotations

import pytest

from cccd_station.reader.access import IdNumberKey, open_document
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.errors import SecureMessagingError
from cccd_station.reader.files import atr_extended_length, historical_bytes
from cccd_station.reader.lds.files import EF_ATR_INFO, EF_CARD_ACCESS, EF_COM, EMRTD_AID, data_group
from cccd_station.reader.lds.security_infos import SecurityInfos
from cccd_station.reader.lds.tlv import encode_tlv, parse_one
from cccd_station.reader.sm import SecureChannel
from cccd_station.reader.transport import InProcessTransport

PERSONA = "nguyen-van-an"
ID_NUMBER = "001085014763"


def _send(chip: VirtualChip, apdu: bytes | str) -> ResponseApdu:
    raw = bytes.fromhex(apdu) if isinstance(apdu, str) else apdu
    response = chip.process_apdu(raw)
    return ResponseApdu(response[:-2], int.from_bytes(response[-2:], "big"))


@pytest.fixture
def chip() -> VirtualChip:
    chip = VirtualChip(PERSONA)
    chip.power_on()
    return chip


def _opened(chip: VirtualChip) -> SecureChannel:
    return open_document(CardChannel(InProcessTransport(chip)), IdNumberKey(ID_NUMBER)).channel


def test_atr_is_a_contactless_atr_with_a_valid_check_byte_and_extended_length_flag() -> None:
    for faults, extended in ((Faults(), True), (Faults(no_extended_length=True), False)):
        atr = VirtualChip(PERSONA, faults).power_on()
        assert atr[0] == 0x3B
        check = 0
        for byte in atr[1:]:
            check ^= byte
        assert check == 0, "TCK makes the XOR of T0..TCK zero"
        assert historical_bytes(atr)[0] == 0x80  # compact-TLV
        assert atr_extended_length(atr) is extended


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("00", SW.WRONG_LENGTH),  # shorter than a header
        ("00B0", SW.WRONG_LENGTH),
        ("00A4040C07A000000247", SW.WRONG_LENGTH),  # Lc says 7, 3 bytes follow
        ("00B0000000000000", SW.WRONG_LENGTH),  # extended lengths that do not add up
        ("80CA9F7F00", SW.CLA_NOT_SUPPORTED),
        ("FFCA000000", SW.CLA_NOT_SUPPORTED),
        ("01B0000000", SW.LOGICAL_CHANNEL_NOT_SUPPORTED),
        ("0050000000", SW.INS_NOT_SUPPORTED),
        ("00C0000000", SW.INS_NOT_SUPPORTED),
        ("00A4040C07A0000002471002", SW.FILE_NOT_FOUND),  # another application
        ("00A4020C020101", SW.FILE_NOT_FOUND),  # DG1 is not in the MF
        ("00A4020C01", SW.WRONG_LENGTH),
        ("00A4030C02011E", SW.INCORRECT_P1P2),
        ("00A4020D02011C", SW.INCORRECT_P1P2),
        ("00B0000010", SW.COMMAND_NOT_ALLOWED),  # no current file
        ("00B0C10000", SW.INCORRECT_P1P2),
        ("00B09F0000", SW.INCORRECT_P1P2),  # SFI 1F is not a file
        ("00B0850000", SW.FILE_NOT_FOUND),
        ("00B09C00", SW.WRONG_LENGTH),  # READ BINARY without Le
        ("00B09CFF00", SW.WRONG_P1P2),  # offset past the end of EF.CardAccess
        ("0088000008" + "11" * 8 + "00", SW.SECURITY_STATUS_NOT_SATISFIED),  # AA before access control
        ("002241A60391" + "0104", SW.SECURITY_STATUS_NOT_SATISFIED),  # CA before access control
        ("0CB0000004", SW.SM_DATA_INCORRECT),  # protected command, no session
    ],
)
def test_bad_or_out_of_place_commands_get_the_status_word_a_real_chip_gives(
    chip: VirtualChip, apdu: str, sw: SW
) -> None:
    assert _send(chip, apdu) == ResponseApdu(b"", sw)


def test_random_garbage_never_raises(chip: VirtualChip) -> None:
    import random

    generator = random.Random(7)
    for _ in range(2000):
        raw = bytes(generator.randrange(256) for _ in range(generator.randrange(0, 12)))
        response = chip.process_apdu(raw)
        assert len(response) >= 2


def test_master_file_files_are_free_to_read_by_sfi_and_after_select(chip: VirtualChip) -> None:
    card_access = chip.personalisation.files.master_file[EF_CARD_ACCESS.fid].content
    by_sfi = _send(chip, "00B09C0000")  # Le 00 = 256: runs past the end
    assert by_sfi == ResponseApdu(card_access, SW.END_OF_FILE)
    assert SecurityInfos.from_bytes(by_sfi.data).pace[0].parameter_id == 13
    assert _send(chip, "00A4020C02011C").sw == SW.OK
    assert _send(chip, "00B0000004") == ResponseApdu(card_access[:4], SW.OK)
    assert _send(chip, "00B0000400") == ResponseApdu(card_access[4:], SW.END_OF_FILE)


def test_ef_atr_info_announces_buffer_sizes_only_with_extended_length() -> None:
    chip = VirtualChip(PERSONA, Faults(max_response=1000))
    chip.power_on()
    response = _send(chip, "00B08100000000")  # extended Le 0000 = 65536
    assert response.sw == SW.END_OF_FILE
    info, _ = parse_one(response.data)
    sizes = [int.from_bytes(child.value, "big") for child in info.children()]
    assert info.tag == 0x7F66 and sizes[1] == 1000
    short_only = VirtualChip(PERSONA, Faults(no_extended_length=True))
    short_only.power_on()
    assert _send(short_only, "00B08100000000").sw == SW.WRONG_LENGTH
    assert _send(short_only, "00B0810000").sw == SW.FILE_NOT_FOUND
    assert EF_ATR_INFO.fid not in short_only.personalisation.files.master_file


def test_application_files_need_secure_messaging(chip: VirtualChip) -> None:
    assert _send(chip, "00A4040C07" + EMRTD_AID.hex()).sw == SW.OK
    assert _send(chip, "00B09E0000").sw == SW.SECURITY_STATUS_NOT_SATISFIED
    assert _send(chip, "00A4020C02011E").sw == SW.OK
    assert _send(chip, "00B0000004").sw == SW.SECURITY_STATUS_NOT_SATISFIED
    # Back in the MF, SFI 1E names no file (EF.COM lives in the application).
    assert _send(chip, "00A4000C023F00").sw == SW.OK
    assert _send(chip, "00B09E0000").sw == SW.FILE_NOT_FOUND


def test_read_binary_offsets_and_lengths_under_secure_messaging(chip: VirtualChip) -> None:
    secure = _opened(chip)
    dg1 = chip.personalisation.data_group(1)
    first = secure.transmit(CommandApdu(0x00, 0xB0, 0x81, 0, ne=10))
    assert first == ResponseApdu(dg1[:10], SW.OK)
    rest = secure.transmit(CommandApdu(0x00, 0xB0, 0, 10, ne=256))
    assert rest == ResponseApdu(dg1[10:], SW.END_OF_FILE)
    exact = secure.transmit(CommandApdu(0x00, 0xB0, 0, len(dg1) - 5, ne=5))
    assert exact == ResponseApdu(dg1[-5:], SW.OK)
    past = secure.transmit(CommandApdu(0x00, 0xB0, 0, len(dg1), ne=1))
    assert past.sw == SW.WRONG_P1P2
    missing = secure.transmit(CommandApdu(0x00, 0xB0, 0x80 | 3, 0, ne=1))
    assert missing.sw == SW.FILE_NOT_FOUND  # DG3 is not on a CCCD


def test_odd_read_binary_answers_do53_at_offsets_above_32767(chip: VirtualChip) -> None:
    secure = _opened(chip)
    dg2 = chip.personalisation.data_group(2)
    group = data_group(2)
    assert secure.transmit(CommandApdu(0x00, 0xA4, 0x02, 0x0C, group.fid_bytes)).sw == SW.OK
    response = secure.transmit(CommandApdu(0x00, 0xB1, 0, 0, encode_tlv(0x54, b"\x00\x10\x00"), ne=102))
    wrapped, _ = parse_one(response.data)
    assert wrapped.tag == 0x53 and wrapped.value == dg2[0x1000 : 0x1000 + 100]
    by_sfi = secure.transmit(CommandApdu(0x00, 0xB1, 0, group.sfi, encode_tlv(0x54, b"\x00"), ne=20))
    assert parse_one(by_sfi.data)[0].value == dg2[:18]
    past = secure.transmit(
        CommandApdu(0x00, 0xB1, 0, 0, encode_tlv(0x54, (1 << 16).to_bytes(3, "big")), ne=20)
    )
    assert past.sw == SW.WRONG_P1P2
    garbled = secure.transmit(CommandApdu(0x00, 0xB1, 0, 0, b"\x99\x01\x00", ne=20))
    assert garbled.sw == SW.WRONG_DATA


def test_short_le_keeps_protected_answers_within_256_bytes(chip: VirtualChip) -> None:
    secure = _opened(chip)
    protected_sizes: list[int] = []
    original = secure.plain.transmit

    def spy(cmd: CommandApdu) -> ResponseApdu:
        response = original(cmd)
        protected_sizes.append(len(response.data))
        return response

    secure.plain.transmit = spy  # type: ignore[method-assign]
    response = secure.transmit(CommandApdu(0x00, 0xB0, 0x82, 0, ne=256))
    assert response.sw == SW.OK and 200 < len(response.data) < 256
    assert response.data == chip.personalisation.data_group(2)[: len(response.data)]
    assert protected_sizes[-1] <= 256


def test_unprotected_command_ends_the_session_with_6987(chip: VirtualChip) -> None:
    secure = _opened(chip)
    assert _send(chip, "00B09E0004") == ResponseApdu(b"", SW.SM_DATA_MISSING)
    # The old keys are gone: a protected command now has nothing to be checked against.
    with pytest.raises(SecureMessagingError, match="6988"):
        secure.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4))


def test_bad_mac_gets_6988_unprotected_and_a_new_authentication_is_needed(chip: VirtualChip) -> None:
    secure = _opened(chip)
    good = secure.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4))
    assert good.data == chip.personalisation.files.application[EF_COM.fid].content[:4]
    secure.ssc += 5  # the terminal loses count: its MACs no longer verify
    with pytest.raises(SecureMessagingError, match="6988"):
        secure.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4))
    assert _send(chip, "00B09E0004").sw == SW.SECURITY_STATUS_NOT_SATISFIED
    reopened = _opened(chip)
    assert reopened.transmit(CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4)).sw == SW.OK


def test_each_power_on_starts_a_fresh_session(chip: VirtualChip) -> None:
    _opened(chip)
    chip.power_off()
    chip.power_on()
    assert _send(chip, "00B0810000").sw == SW.END_OF_FILE  # MF again: SFI 01 is EF.ATR/INFO
    assert _send(chip, "0CB09E000D9701048E080011223344556677" + "00").sw == SW.SM_DATA_INCORRECT
