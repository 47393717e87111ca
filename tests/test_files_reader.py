"""The file reader against a scripted card: few round trips, every quirk handled, hostile sizes bounded."""

from __future__ import annotations

import pytest

from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.errors import CardRemovedError, ChipDataError, ParseError
from cccd_station.reader.files import (
    FileNotFoundOnChip,
    FileReader,
    LinkLimits,
    atr_extended_length,
)
from cccd_station.reader.lds.tlv import encode_tlv, parse_one

SFI, FID = 0x02, 0x0102


class ScriptedCard:
    """A plain (unprotected) card holding one EF, with switchable quirks."""

    def __init__(
        self,
        content: bytes,
        *,
        max_response: int = 65536,
        sfi_supported: bool = True,
        wants_exact_le: bool = False,
    ) -> None:
        self.content = content
        self.max_response = max_response
        self.sfi_supported = sfi_supported
        self.wants_exact_le = wants_exact_le
        self.commands: list[CommandApdu] = []
        self.selected = False

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        self.commands.append(cmd)
        if cmd.ins == 0xA4:
            self.selected = cmd.data == FID.to_bytes(2, "big")
            return ResponseApdu(b"", SW.OK if self.selected else SW.FILE_NOT_FOUND)
        if cmd.ins == 0xB0 and cmd.p1 & 0x80:
            if not self.sfi_supported:
                return ResponseApdu(b"", SW.INCORRECT_P1P2)
            if cmd.p1 & 0x1F != SFI:
                return ResponseApdu(b"", SW.FILE_NOT_FOUND)
            self.selected = True
            return self._read(cmd.p2, cmd.ne or 0)
        if cmd.ins == 0xB1 and cmd.p1 == 0 and cmd.p2:  # odd READ BINARY naming the file by its SFI
            if cmd.p2 != SFI:
                return ResponseApdu(b"", SW.FILE_NOT_FOUND)
            self.selected = True
        assert self.selected, "READ BINARY without a current file"
        if cmd.ins == 0xB0:
            return self._read((cmd.p1 << 8) | cmd.p2, cmd.ne or 0)
        offset_do, _ = parse_one(cmd.data)
        response = self._read(int.from_bytes(offset_do.value, "big"), (cmd.ne or 0) - 4)
        return ResponseApdu(encode_tlv(0x53, response.data) if response.data else b"", response.sw)

    def _read(self, offset: int, ne: int) -> ResponseApdu:
        if offset > len(self.content):
            return ResponseApdu(b"", SW.WRONG_P1P2)
        available = len(self.content) - offset
        if self.wants_exact_le and ne > available:
            return ResponseApdu(b"", 0x6C00 | (available & 0xFF))
        data = self.content[offset : offset + min(ne, self.max_response)]
        return ResponseApdu(data, SW.END_OF_FILE if ne > available else SW.OK)


def dg(size: int) -> bytes:
    return encode_tlv(0x75, bytes(i % 251 for i in range(size)))


@pytest.mark.parametrize(
    ("limits", "size", "apdus"),
    [
        (LinkLimits(extended=False), 100, 1),  # a small file: header and all in one read
        (LinkLimits(extended=False), 15_000, 59),  # 256-byte blocks (no secure messaging around them)
        (LinkLimits(extended=True), 15_000, 1),  # the whole portrait at once
        (LinkLimits(extended=True, max_block=1000), 15_000, 16),
    ],
)
def test_reads_whole_files_in_the_fewest_commands(limits: LinkLimits, size: int, apdus: int) -> None:
    card = ScriptedCard(dg(size))
    assert FileReader(card, limits).read(FID, SFI) == card.content
    assert len(card.commands) == apdus
    assert card.commands[0].p1 == 0x80 | SFI  # by short file identifier, no SELECT


def test_short_blocks_are_the_most_a_protected_short_answer_can_carry() -> None:
    from cccd_station.reader.files import short_block
    from cccd_station.reader.sm import protected_size

    for cipher_block, expected in ((None, 256), (16, 223), (8, 231)):
        block = short_block(cipher_block)
        assert block == expected
        if cipher_block is not None:
            assert protected_size(block, cipher_block, odd_ins=False) <= 256
            assert protected_size(block + 1, cipher_block, odd_ins=False) > 256


def test_a_read_cut_short_goes_on_from_its_last_byte_without_a_select() -> None:
    card = ScriptedCard(dg(15_000))
    kept = bytearray()
    limits = LinkLimits(extended=False)
    reader = FileReader(card, limits)
    original = card.transmit
    calls = 0

    def slipping(cmd: CommandApdu) -> ResponseApdu:
        nonlocal calls
        calls += 1
        if calls == 20:
            raise CardRemovedError("the card slipped away")
        return original(cmd)

    card.transmit = slipping  # type: ignore[method-assign]
    with pytest.raises(CardRemovedError):
        reader.read(FID, SFI, kept)
    assert len(kept) == 19 * 256
    card.transmit = original  # type: ignore[method-assign]
    card.commands.clear()
    card.selected = False  # a new session: no file is current
    assert FileReader(card, limits).read(FID, SFI, kept) == card.content
    first = card.commands[0]
    # Beyond offset 255: odd READ BINARY naming the file by its SFI (P1 00, P2 SFI) with the offset in DO54.
    assert (first.ins, first.p1, first.p2) == (0xB1, 0, SFI) and parse_one(first.data)[0].value == (
        19 * 256
    ).to_bytes(3, "big")
    assert not any(cmd.ins == 0xA4 for cmd in card.commands)
    assert len(card.commands) == 59 - 19


def test_a_read_cut_short_near_the_start_continues_by_sfi_in_b0() -> None:
    card = ScriptedCard(dg(600))
    kept = bytearray(card.content[:100])
    assert FileReader(card, LinkLimits(extended=True)).read(FID, SFI, kept) == card.content
    assert (card.commands[0].ins, card.commands[0].p1, card.commands[0].p2) == (0xB0, 0x80 | SFI, 100)
    assert len(card.commands) == 1


def test_a_chip_that_sends_less_than_asked_is_read_on_from_where_it_stopped() -> None:
    card = ScriptedCard(dg(5000), max_response=700)
    assert FileReader(card, LinkLimits(extended=True)).read(FID, SFI) == card.content
    assert len(card.commands) == 8


def test_offsets_above_32767_use_odd_read_binary() -> None:
    card = ScriptedCard(dg(40_000))
    assert FileReader(card, LinkLimits(extended=True, max_block=8000)).read(FID, SFI) == card.content
    assert any(cmd.ins == 0xB1 for cmd in card.commands)
    offsets = [(cmd.p1 << 8) | cmd.p2 for cmd in card.commands[1:] if cmd.ins == 0xB0]
    assert offsets and max(offsets) <= 0x7FFF


def test_select_when_the_chip_does_not_take_short_file_identifiers() -> None:
    card = ScriptedCard(dg(600), sfi_supported=False)
    assert FileReader(card).read(FID, SFI) == card.content
    assert card.commands[1].ins == 0xA4


def test_wrong_le_answers_are_repeated_with_the_exact_length() -> None:
    card = ScriptedCard(dg(300), wants_exact_le=True)
    assert FileReader(card).read(FID, SFI) == card.content


def test_missing_file() -> None:
    with pytest.raises(FileNotFoundOnChip):
        FileReader(ScriptedCard(dg(10))).read(0x0103, 0x03)


def test_a_header_claiming_a_huge_file_is_refused_before_reading_it() -> None:
    hostile = b"\x75\x84\x7f\xff\xff\xff" + bytes(100)
    card = ScriptedCard(hostile)
    with pytest.raises(ParseError, match="claims"):
        FileReader(card).read(FID, SFI)
    assert len(card.commands) == 1


def test_a_file_shorter_than_its_header_is_chip_data_error() -> None:
    card = ScriptedCard(dg(1000)[:600])
    with pytest.raises(ChipDataError):
        FileReader(card).read(FID, SFI)


def test_atr_card_capabilities_announce_extended_length() -> None:
    # 3B 88 80 01 | historical: 80 73 C0 21 C0 ... (card capabilities, third byte 0xC0)
    with_caps = bytes.fromhex("3B8880018073C021C0000000") + b"\x00"
    without = bytes.fromhex("3B8880018073C0210000000000")
    assert atr_extended_length(with_caps) is True
    assert atr_extended_length(without) is False
    assert atr_extended_length(bytes.fromhex("3B80800101")) is None  # Type B, no historical bytes: unknown
