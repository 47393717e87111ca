"""Reading elementary files in the fewest round trips the chip and the reader allow (ICAO 9303-10 §3.6,
ISO/IEC 7816-4 §11.2).

The first READ BINARY names the file by its short identifier (no SELECT) and asks for all of it: Le = 0
extended (up to 65536 bytes) when the link takes extended length, else the largest block a short answer
can carry. Its first bytes are the file's TLV header, which gives the total size; a chip that sent less
is asked for the rest from where it stopped, offsets above 32767 with the odd READ BINARY (B1). A read cut
short (the card slipped away) goes on from its last byte in the next session, again without a SELECT:
by short file identifier, in B0's offset byte or in B1's offset object.

Whether extended length can be used is settled before secure messaging starts, from what costs no APDU:
the reader's own report (PC/SC part 10 dwMaxAPDUDataSize), the card capabilities of the ATR, and otherwise
the answer to the first READ BINARY (of EF.CardAccess), asked with an extended Le.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import ApduError, ChipDataError, ParseError
from cccd_station.reader.lds.tlv import encode_tlv, header_length, parse_one
from cccd_station.reader.sm import SecureChannel, protected_size

INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_READ_BINARY_ODD = 0xB1
SFI_FLAG = 0x80
MAX_SFI_OFFSET = 0xFF  # B0 with a short file identifier carries the offset in P2 alone
MAX_EVEN_OFFSET = 0x7FFF
MAX_FILE_SIZE = 512 * 1024  # far above any LDS file the station reads (DG2 is ~20 KB)
MAX_CHUNKS = 4096
SHORT_RESPONSE = 256  # Le = 00 in a short APDU
EXTENDED_BLOCK = 65536  # Le = 0000 in an extended APDU: whatever the chip can send
ODD_WRAPPING = 4  # DO53's tag and length around the data of an odd READ BINARY answer
SFI_NOT_SUPPORTED = (SW.INCORRECT_P1P2, SW.WRONG_P1P2, SW.FUNCTION_NOT_SUPPORTED, SW.INS_NOT_SUPPORTED)
TAG_OFFSET, TAG_DISCRETIONARY = 0x54, 0x53

# (bytes of the file read so far, its total size)
ChunkCallback = Callable[[int, int], None]


class FileNotFoundOnChip(ChipDataError):
    """The chip has no such file (6A82)."""


def short_block(cipher_block: int | None) -> int:
    """Plain bytes per READ BINARY whose answer fits a short Le of 256: all 256 unprotected; under secure
    messaging the most that DO87 (indicator and padded cryptogram), DO99 and DO8E leave room for:
    223 with AES, 231 with 3DES (9303-11 §9.8)."""
    if cipher_block is None:
        return SHORT_RESPONSE
    size = SHORT_RESPONSE
    while protected_size(size, cipher_block, odd_ins=False) > SHORT_RESPONSE:
        size -= 1
    return size


@dataclass(frozen=True)
class LinkLimits:
    """What the chip and reader accept: whether extended length works, and a cap on the block size."""

    extended: bool = False
    max_block: int | None = None

    def block(self, cipher_block: int | None = None) -> int:
        """Bytes to ask for per READ BINARY on a session with this cipher block size (None: no SM)."""
        default = EXTENDED_BLOCK if self.extended else short_block(cipher_block)
        return min(default, self.max_block) if self.max_block else default


class FileReader:
    """Reads whole files over ``sender`` (the plain channel or a secure-messaging session).

    ``on_chunk`` hears after each answer how much of the file has arrived (bytes, total).
    """

    def __init__(
        self, sender: ApduSender, limits: LinkLimits = LinkLimits(), on_chunk: ChunkCallback | None = None
    ) -> None:
        self.sender = sender
        self.limits = limits
        self.on_chunk = on_chunk

    @property
    def block(self) -> int:
        keys = self.sender.keys if isinstance(self.sender, SecureChannel) else None
        return self.limits.block(keys.block_size if keys else None)

    def read(self, fid: int, sfi: int, kept: bytearray | None = None) -> bytes:
        """The whole file, by short file identifier (or by SELECT if the chip does not do SFIs).

        ``kept`` holds what an earlier session read of this file: the read goes on from its end. Every
        chunk is appended to it as it arrives, so a read cut short can go on in the next session.
        """
        buffer = kept if kept is not None else bytearray()
        if buffer:
            buffer += self._continue_by_sfi(fid, sfi, len(buffer))
        else:
            first = self._read_first_by_sfi(sfi)
            if first is None:
                self._select(fid)
                first = self._read_chunk(0, self.block)
            buffer += first
        return self._read_rest(buffer)

    def _select(self, fid: int) -> None:
        response = self.sender.transmit(CommandApdu(0x00, INS_SELECT, 0x02, 0x0C, fid.to_bytes(2, "big")))
        self._raise_for_status(response)

    def _read_first_by_sfi(self, sfi: int) -> bytes | None:
        cmd = CommandApdu(0x00, INS_READ_BINARY, SFI_FLAG | sfi, 0, ne=self.block)
        response = self._with_exact_le(cmd)
        if response.sw in SFI_NOT_SUPPORTED:
            return None
        self._raise_for_status(response, SW.END_OF_FILE)
        return response.data

    def _continue_by_sfi(self, fid: int, sfi: int, offset: int) -> bytes:
        """The chunk at ``offset`` of a file no command of this session has selected yet."""
        if offset <= MAX_SFI_OFFSET:
            cmd = CommandApdu(0x00, INS_READ_BINARY, SFI_FLAG | sfi, offset, ne=self.block)
            response = self._with_exact_le(cmd)
            if response.sw not in SFI_NOT_SUPPORTED:
                self._raise_for_status(response, SW.END_OF_FILE)
                return response.data
        else:
            # B1 names the file by its SFI in P2 (P1 00) and carries any offset (ISO/IEC 7816-4 §11.2.3).
            response = self._odd_read(sfi, offset, self.block)
            if response.sw not in (*SFI_NOT_SUPPORTED, SW.INS_NOT_SUPPORTED):
                return self._odd_data(response)
        self._select(fid)
        return self._read_chunk(offset, self.block)

    def _read_rest(self, buffer: bytearray) -> bytes:
        try:
            header_len, value_len = header_length(bytes(buffer[:8]))
        except ParseError as error:
            raise ParseError(f"file does not start with a valid TLV header: {error}") from error
        total = header_len + value_len
        if total > MAX_FILE_SIZE:
            raise ParseError(f"file claims {total} bytes, more than the {MAX_FILE_SIZE} the station accepts")
        del buffer[total:]
        self._report(len(buffer), total)
        for _ in range(MAX_CHUNKS):
            offset = len(buffer)
            if offset >= total:
                return bytes(buffer)
            try:
                chunk = self._read_chunk(offset, min(self.block, total - offset))
            except ApduError as error:
                # The file started well: refusing its continuation is damage, not absence.
                raise ChipDataError(
                    f"the chip stopped at offset {offset} of a {total}-byte file ({error})"
                ) from error
            if not chunk:
                raise ChipDataError(f"the chip returned no data at offset {offset} of a {total}-byte file")
            buffer += chunk[: total - offset]
            self._report(len(buffer), total)
        raise ChipDataError("file needed more READ BINARY commands than any real chip does")

    def _report(self, received: int, total: int) -> None:
        if self.on_chunk is not None:
            self.on_chunk(received, total)

    def _read_chunk(self, offset: int, length: int) -> bytes:
        if offset <= MAX_EVEN_OFFSET:
            cmd = CommandApdu(0x00, INS_READ_BINARY, offset >> 8, offset & 0xFF, ne=length)
            response = self._with_exact_le(cmd)
            self._raise_for_status(response, SW.END_OF_FILE, SW.WRONG_P1P2)
            return response.data
        return self._odd_data(self._odd_read(0, offset, length))

    def _odd_read(self, sfi: int, offset: int, length: int) -> ResponseApdu:
        """Odd READ BINARY: the offset travels in DO54, the data comes back in DO53 (P2: SFI, 0: current)."""
        offset_do = encode_tlv(TAG_OFFSET, offset.to_bytes(3, "big"))
        ne = min(length + ODD_WRAPPING, self.block)  # DO53's own header shares the answer's room
        return self._with_exact_le(CommandApdu(0x00, INS_READ_BINARY_ODD, 0, sfi, offset_do, ne=ne))

    def _odd_data(self, response: ResponseApdu) -> bytes:
        self._raise_for_status(response, SW.END_OF_FILE, SW.WRONG_P1P2)
        if not response.data:
            return b""
        wrapped, _ = parse_one(response.data)
        if wrapped.tag != TAG_DISCRETIONARY:
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


def atr_extended_length(atr: bytes) -> bool | None:
    """What the ATR's card capabilities (compact-TLV tag 7, third byte) say of extended Lc/Le; None when
    it carries none. A contactless reader builds the ATR from the chip's ATS or ATQB: a Type B passport's
    (3B 80 80 01 01) has no historical bytes at all, so then the first READ BINARY tells."""
    hist = historical_bytes(atr)
    if not hist or hist[0] != HISTORICAL_CATEGORY_COMPACT_TLV:
        return None
    position = 1
    while position < len(hist):
        tag, length = hist[position] >> 4, hist[position] & 0x0F
        value = hist[position + 1 : position + 1 + length]
        if tag == COMPACT_TAG_CARD_CAPABILITIES and len(value) >= 3:
            return bool(value[2] & EXTENDED_LENGTH_BIT)
        position += 1 + length
    return None


def initial_extended_length(atr: bytes, reader_extended: bool | None) -> bool | None:
    """Extended length as far as it is known before any APDU: never when the reader says it cannot carry
    it, else what the ATR announces; None when neither tells (the first READ BINARY will)."""
    if reader_extended is False:
        return False
    return atr_extended_length(atr)
