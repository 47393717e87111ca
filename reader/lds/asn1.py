"""The few DER universal types the LDS files use (X.690 §8.3, §8.19, §8.23)."""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto.core import ObjectIdentifier

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.tlv import Tlv, encode_tlv

INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OBJECT_IDENTIFIER = 0x06
UTF8_STRING = 0x0C
PRINTABLE_STRING = 0x13
IA5_STRING = 0x16
SEQUENCE = 0x30
SET = 0x31
STRING_TAGS = frozenset({UTF8_STRING, PRINTABLE_STRING, IA5_STRING, 0x14, 0x1A, 0x1E})

MAX_INTEGER_BYTES = 64
MAX_OID_ARCS = 32


def decode_integer(tlv: Tlv) -> int:
    """A signed INTEGER (X.690 §8.3), bounded so a hostile length cannot make it huge."""
    tlv.expect(INTEGER)
    if not tlv.value:
        raise ParseError("INTEGER with no content bytes")
    if len(tlv.value) > MAX_INTEGER_BYTES:
        raise ParseError(f"INTEGER longer than {MAX_INTEGER_BYTES} bytes")
    return int.from_bytes(tlv.value, "big", signed=True)


def encode_integer(number: int) -> bytes:
    size = number.bit_length() // 8 + 1  # room for the sign bit
    return encode_tlv(INTEGER, number.to_bytes(size, "big", signed=True))


def decode_oid(tlv: Tlv) -> str:
    """An OBJECT IDENTIFIER as dotted text (X.690 §8.19)."""
    tlv.expect(OBJECT_IDENTIFIER)
    value = tlv.value
    if not value or value[-1] & 0x80:
        raise ParseError("OBJECT IDENTIFIER is empty or ends inside a sub-identifier")
    arcs: list[int] = []
    current = 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if current.bit_length() > 64:
            raise ParseError("OBJECT IDENTIFIER sub-identifier too large")
        if not byte & 0x80:
            arcs.append(current)
            current = 0
        if len(arcs) > MAX_OID_ARCS:
            raise ParseError(f"OBJECT IDENTIFIER has more than {MAX_OID_ARCS} arcs")
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in [first, arcs[0] - 40 * first, *arcs[1:]])


def encode_oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER TLV; ValueError for a dotted string that is not one."""
    return bytes(ObjectIdentifier(dotted).dump())


def decode_string(tlv: Tlv) -> str:
    """Any character string type as text; chips put UTF-8 even where ASN.1 says Printable."""
    if tlv.tag not in STRING_TAGS:
        raise ParseError(f"expected a character string, found tag {tlv.tag:X}")
    try:
        return tlv.value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(f"string with tag {tlv.tag:X} is not valid UTF-8") from error


def encode_sequence(items: Iterable[bytes]) -> bytes:
    return encode_tlv(SEQUENCE, b"".join(items))


def encode_set_of(items: Iterable[bytes]) -> bytes:
    """DER SET OF: elements sorted by their encodings (X.690 §11.6)."""
    return encode_tlv(SET, b"".join(sorted(items)))
