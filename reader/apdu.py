"""Command and response APDUs (ISO/IEC 7816-4 §5.1) and status words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from cccd_station.reader.errors import ApduError, ParseError

SHORT_MAX_DATA = 255
SHORT_MAX_NE = 256
EXTENDED_MAX_NE = 65536


class SW(IntEnum):
    """Status words the station meets on ICAO chips (ISO/IEC 7816-4 §5.6)."""

    OK = 0x9000
    END_OF_FILE = 0x6282  # fewer bytes than asked for: the file ended
    VERIFICATION_FAILED = 0x6300
    WRONG_LENGTH = 0x6700
    LOGICAL_CHANNEL_NOT_SUPPORTED = 0x6881
    SECURE_MESSAGING_NOT_SUPPORTED = 0x6882
    COMMAND_INCOMPATIBLE = 0x6981
    SECURITY_STATUS_NOT_SATISFIED = 0x6982
    AUTHENTICATION_BLOCKED = 0x6983
    REFERENCE_DATA_NOT_USABLE = 0x6984
    CONDITIONS_NOT_SATISFIED = 0x6985
    COMMAND_NOT_ALLOWED = 0x6986
    SM_DATA_MISSING = 0x6987
    SM_DATA_INCORRECT = 0x6988
    WRONG_DATA = 0x6A80
    FUNCTION_NOT_SUPPORTED = 0x6A81
    FILE_NOT_FOUND = 0x6A82
    RECORD_NOT_FOUND = 0x6A83
    NOT_ENOUGH_MEMORY = 0x6A84
    INCORRECT_P1P2 = 0x6A86
    REFERENCED_DATA_NOT_FOUND = 0x6A88
    WRONG_P1P2 = 0x6B00  # for READ BINARY: offset beyond the end of the file
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    NO_PRECISE_DIAGNOSIS = 0x6F00
    UNKNOWN = 0x0000  # fallback for codes not listed here

    @classmethod
    def of(cls, sw: int) -> SW:
        """The named status word, or UNKNOWN; never raises on odd cards."""
        try:
            return cls(sw)
        except ValueError:
            return cls.UNKNOWN


def describe_sw(sw: int) -> str:
    """A short name for a status word, including the parameterised families."""
    sw1, sw2 = sw >> 8, sw & 0xFF
    if sw1 == 0x61:
        return f"{sw2} more bytes available"
    if sw1 == 0x6C:
        return f"wrong Le, {sw2 or 256} bytes available"
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        return f"verification failed, {sw2 & 0x0F} tries left"
    named = SW.of(sw)
    return "unknown status" if named is SW.UNKNOWN else named.name.lower().replace("_", " ")


@dataclass(frozen=True)
class CommandApdu:
    """A command APDU; ``ne`` is the number of expected response bytes (None: no Le field)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    ne: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ValueError(f"{name} out of range")
        if len(self.data) > 65535:
            raise ValueError("command data longer than 65535 bytes")
        if self.ne is not None and not 1 <= self.ne <= EXTENDED_MAX_NE:
            raise ValueError("ne must be 1..65536")

    @property
    def needs_extended(self) -> bool:
        return len(self.data) > SHORT_MAX_DATA or (self.ne is not None and self.ne > SHORT_MAX_NE)

    def to_bytes(self, extended: bool | None = None) -> bytes:
        """Encode as ISO 7816-4 case 1-4, short unless ``extended`` or the sizes require it."""
        use_extended = self.needs_extended if extended is None else extended or self.needs_extended
        header = bytes([self.cla, self.ins, self.p1, self.p2])
        if not use_extended:
            lc = bytes([len(self.data)]) if self.data else b""
            le = bytes([self.ne % 256]) if self.ne is not None else b""
            return header + lc + self.data + le
        lc = b"\x00" + len(self.data).to_bytes(2, "big") if self.data else b""
        le = b""
        if self.ne is not None:
            le_value = (self.ne % 65536).to_bytes(2, "big")
            le = le_value if self.data else b"\x00" + le_value
        return header + lc + self.data + le

    @classmethod
    def from_bytes(cls, raw: bytes) -> CommandApdu:
        """Decode any of the seven ISO 7816-4 §5.1 encodings (the card's side of the link)."""
        if len(raw) < 4:
            raise ParseError("command APDU shorter than its 4-byte header")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:  # case 2 short
            return cls(cla, ins, p1, p2, ne=body[0] or 256)
        if body[0] != 0:  # case 3 or 4 short
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, body[1:])
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, body[1 : 1 + lc], body[-1] or 256)
            raise ParseError("short APDU length fields do not match its size")
        if len(body) == 3:  # case 2 extended
            return cls(cla, ins, p1, p2, ne=int.from_bytes(body[1:], "big") or 65536)
        lc = int.from_bytes(body[1:3], "big")
        if lc and len(body) == 3 + lc:
            return cls(cla, ins, p1, p2, body[3:])
        if lc and len(body) == 5 + lc:
            return cls(cla, ins, p1, p2, body[3 : 3 + lc], int.from_bytes(body[-2:], "big") or 65536)
        raise ParseError("extended APDU length fields do not match its size")


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW.OK

    def check(self, *accepted: int) -> bytes:
        """The data, or ApduError when the status word is not 9000 (or one of ``accepted``)."""
        if self.sw != SW.OK and self.sw not in accepted:
            raise ApduError(self.sw, self.data)
        return self.data

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")
