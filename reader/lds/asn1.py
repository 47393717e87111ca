"""The few DER universal types the LDS files use (X.690 §8.3, §8.19, §8.23)."""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto.core import Integer, ObjectIdentifier

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
    if len(tlv.value) > MAX_INTEGER_BYTES:
        raise ParseError(f"INTEGER longer than {MAX_INTEGER_BYTES} bytes")
    try:
        return int(Integer.load(encode_tlv(INTEGER, tlv.value), strict=True).native)
    except ValueError as error:
        raise ParseError(f"malformed INTEGER: {error}") from error


def encode_integer(number: int) -> bytes:
    return bytes(Integer(number).dump())


def decode_oid(tlv: Tlv) -> str:
    """An OBJECT IDENTIFIER as dotted text (X.690 §8.19), with a bounded number of arcs."""
    tlv.expect(OBJECT_IDENTIFIER)
    if not tlv.value or tlv.value[-1] & 0x80:  # asn1crypto would drop a last, unfinished sub-identifier
        raise ParseError("OBJECT IDENTIFIER is empty or ends inside a sub-identifier")
    try:
        dotted = str(ObjectIdentifier.load(encode_tlv(OBJECT_IDENTIFIER, tlv.value), strict=True).dotted)
    except ValueError as error:
        raise ParseError(f"malformed OBJECT IDENTIFIER: {error}") from error
    if dotted.count(".") >= MAX_OID_ARCS:
        raise ParseError(f"OBJECT IDENTIFIER has more than {MAX_OID_ARCS} arcs")
    return dotted


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
