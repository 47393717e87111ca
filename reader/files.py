"""Reading elementary files with as few round trips as the chip allows (ICAO 9303-10 §3.6, ISO 7816-4 §11.2).

The first READ BINARY names the file by its short identifier (no SELECT) and asks for a whole
block; its first bytes are the file's TLV header, which gives the total size, and the rest comes
in the largest blocks the link accepts. Offsets above 32767 use the odd READ BINARY (B1).
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import (
    ApduError,
    CardError,
    CardRemovedError,
    ChipDataError,
    ParseError,
    ReaderUnavailableError,
)
from cccd_station.reader.lds.tlv import encode_tlv, header_length, parse_all, parse_one

INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_READ_BINARY_ODD = 0xB1
SFI_FLAG = 0x80
MAX_EVEN_OFFSET = 0x7FFF
MAX_FILE_SIZE = 512 * 1024  # far above any LDS file the station reads (DG2 is ~20 KB)
MAX_CHUNKS = 4096
# Largest plain block whose protected response still fits a short Le of 256: with DO87, DO99 and
# DO8E around it, 223 bytes (JMRTD's well-known 0xDF) is safe for 3DES and AES alike.
SHORT_BLOCK = 0xDF
EXTENDED_BLOCK = 0xFF00  # the chip may answer with less; any non-empty chunk moves us on
SFI_NOT_SUPPORTED = (SW.INCORRECT_P1P2, SW.WRONG_P1P2, SW.FUNCTION_NOT_SUPPORTED, SW.INS_NOT_SUPPORTED)


class FileNotFoundOnChip(ChipDataError):
    """The chip has no such file (6A82)."""


@dataclass(frozen=True)
class LinkLimits:
    """What the chip and reader accept: whether extended length works, and the largest block."""

    extended: bool = False
    max_block: int | None = None

    @property
    def block(self) -> int:
        default = EXTENDED_BLOCK if self.extended else SHORT_BLOCK
        return min(default, self.max_block) if self.max_block else default


class FileReader:
    def __init__(self, sender: ApduSender, limits: LinkLimits = LinkLimits()) -> None:
        self.sender = sender
        self.limits = limits

    def read(self, fid: int, sfi: int) -> bytes:
        """The whole file, by short file identifier, or by SELECT if the chip does not do SFIs."""
        first = self._read_first_by_sfi(sfi)
        if first is None:
            self._select(fid)
            first = self._read_chunk(0, self.limits.block)
        return self._read_rest(first)

    def _select(self, fid: int) -> None:
        response = self.sender.transmit(CommandApdu(0x00, INS_SELECT, 0x02, 0x0C, fid.to_bytes(2, "big")))
        self._raise_for_status(response)

    def _read_first_by_sfi(self, sfi: int) -> bytes | None:
        cmd = CommandApdu(0x00, INS_READ_BINARY, SFI_FLAG | sfi, 0, ne=self.limits.block)
        response = self._with_exact_le(cmd)
        if response.sw in SFI_NOT_SUPPORTED:
            return None
        self._raise_for_status(response, SW.END_OF_FILE)
        return response.data

    def _read_rest(self, first: bytes) -> bytes:
        try:
            header_len, value_len = header_length(first)
        except ParseError as error:
            raise ParseError(f"file does not start with a valid TLV header: {error}") from error
        total = header_len + value_len
        if total > MAX_FILE_SIZE:
            raise ParseError(f"file claims {total} bytes, more than the {MAX_FILE_SIZE} the station accepts")
        chunks = [first[:total]]
        offset = len(chunks[0])
        for _ in range(MAX_CHUNKS):
            if offset >= total:
                return b"".join(chunks)
            try:
                chunk = self._read_chunk(offset, min(self.limits.block, total - offset))
            except ApduError as error:
                # The file started well: refusing its continuation is damage, not absence.
                raise ChipDataError(
                    f"the chip stopped at offset {offset} of a {total}-byte file ({error})"
                ) from error
            if not chunk:
                raise ChipDataError(f"the chip returned no data at offset {offset} of a {total}-byte file")
            chunk = chunk[: total - offset]
            chunks.append(chunk)
            offset += len(chunk)
        raise ChipDataError("file needed more READ BINARY commands than any real chip does")

    def _read_chunk(self, offset: int, length: int) -> bytes:
        if offset <= MAX_EVEN_OFFSET:
            cmd = CommandApdu(0x00, INS_READ_BINARY, offset >> 8, offset & 0xFF, ne=length)
            response = self._with_exact_le(cmd)
            self._raise_for_status(response, SW.END_OF_FILE, SW.WRONG_P1P2)
            return response.data
        # Odd READ BINARY: the offset travels in DO54, the data comes back in DO53.
        offset_do = encode_tlv(0x54, offset.to_bytes(3, "big"))
        cmd = CommandApdu(0x00, INS_READ_BINARY_ODD, 0, 0, offset_do, ne=min(length + 4, 65536))
        response = self._with_exact_le(cmd)
        self._raise_for_status(response, SW.END_OF_FILE, SW.WRONG_P1P2)
        if not response.data:
            return b""
        wrapped, _ = parse_one(response.data)
        if wrapped.tag != 0x53:
            raise ParseError(f"odd READ BINARY answered tag {wrapped.tag:X} instead of 53")
        return wrapped.value

    def _with_exact_le(self, cmd: CommandApdu) -> ResponseApdu:
        response = self.sender.transmit(cmd)
        if response.sw >> 8 == 0x6C:  # wrong Le: the card names the length it has
            exact = (response.sw & 0xFF) or 256
            response = self.sender.transmit(CommandApdu(cmd.cla, cmd.ins, cmd.p1, cmd.p2, cmd.data, exact))
        return response

    @staticmethod
    def _raise_for_status(response: ResponseApdu, *accepted: int) -> None:
        if response.sw == SW.FILE_NOT_FOUND:
            raise FileNotFoundOnChip("the chip has no such file")
        if response.sw != SW.OK and response.sw not in accepted:
            raise ApduError(response.sw, response.data)


EF_ATR_INFO_SFI = 0x01
TAG_EXTENDED_LENGTH_INFO = 0x7F66
HISTORICAL_CATEGORY_COMPACT_TLV = 0x80
COMPACT_TAG_CARD_CAPABILITIES = 0x7
EXTENDED_LENGTH_BIT = 0x40  # third software-function byte (ISO 7816-4 §12.1.1.9, table 118)


def historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (ISO 7816-3 §8.2): skip the interface bytes T0 announces."""
    if len(atr) < 2:
        return b""
    count = atr[1] & 0x0F
    position, indicator = 2, atr[1] >> 4
    while True:
        position += bin(indicator).count("1")
        if not indicator & 0x8 or position - 1 >= len(atr):
            break
        indicator = atr[position - 1] >> 4
    return atr[position : position + count]


def atr_announces_extended_length(atr: bytes) -> bool:
    hist = historical_bytes(atr)
    if not hist or hist[0] != HISTORICAL_CATEGORY_COMPACT_TLV:
        return False
    position = 1
    while position < len(hist):
        tag, length = hist[position] >> 4, hist[position] & 0x0F
        value = hist[position + 1 : position + 1 + length]
        if tag == COMPACT_TAG_CARD_CAPABILITIES and len(value) >= 3:
            return bool(value[2] & EXTENDED_LENGTH_BIT)
        position += 1 + length
    return False


def probe_link_limits(channel: ApduSender, atr: bytes) -> LinkLimits:
    """Before any secure messaging: does the chip take extended length, and how large a response?

    The ATR's card capabilities may say so; otherwise one extended READ BINARY of EF.ATR/INFO both
    tests extended length and, when the file exists, reads the chip's buffer sizes (DO 7F66).
    Probing unprotected keeps a refusal from costing a secure-messaging counter step.
    """
    atr_says_extended = atr_announces_extended_length(atr)
    read_atr_info = CommandApdu(0x00, INS_READ_BINARY, SFI_FLAG | EF_ATR_INFO_SFI, 0, ne=65536)
    try:
        response = channel.transmit(read_atr_info)
    except (CardRemovedError, ReaderUnavailableError):
        raise
    except CardError:
        # Some readers (T=0) cannot carry an extended APDU at all: then short it is.
        return LinkLimits(extended=atr_says_extended)
    extended = atr_says_extended or response.sw in (SW.OK, SW.END_OF_FILE)
    if response.sw not in (SW.OK, SW.END_OF_FILE) or not response.data:
        return LinkLimits(extended=extended)
    try:
        for tlv in parse_all(response.data):
            if tlv.tag == TAG_EXTENDED_LENGTH_INFO:
                sizes = [int.from_bytes(child.value, "big") for child in tlv.children() if child.tag == 0x02]
                if len(sizes) >= 2 and sizes[1] > 0:
                    # Leave room for the secure-messaging objects around the data.
                    return LinkLimits(extended=True, max_block=max(SHORT_BLOCK, sizes[1] - 32))
    except ParseError:
        pass  # a damaged EF.ATR/INFO only costs us its hints
    return LinkLimits(extended=extended)
