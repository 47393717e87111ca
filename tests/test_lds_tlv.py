"""BER-TLV reading and DER writing (reader.lds.tlv, reader.lds.asn1)."""

from __future__ import annotations

import pytest

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds import asn1
from cccd_station.reader.lds.tlv import (
    MAX_DEPTH,
    IncompleteHeaderError,
    Tlv,
    encode_tlv,
    header_length,
    parse_all,
    parse_one,
)

EF_COM_FROM_9303_11_D4 = bytes.fromhex("60145F0104303130365F36063034303030305C026175")


def test_reads_ef_com_of_the_icao_worked_example() -> None:
    com, end = parse_one(EF_COM_FROM_9303_11_D4)
    assert end == len(EF_COM_FROM_9303_11_D4)
    assert com.tag == 0x60 and com.constructed
    assert [child.tag for child in com.children()] == [0x5F01, 0x5F36, 0x5C]
    assert com.require(0x5F01).value == b"0106"
    assert com.find(0x5F1F) is None


def test_multi_byte_tags_and_long_lengths() -> None:
    value = bytes(300)
    encoded = encode_tlv(0x7F2E, value)
    assert encoded[:5] == bytes.fromhex("7F2E82012C")
    parsed, end = parse_one(encoded)
    assert (parsed.tag, parsed.value, end) == (0x7F2E, value, len(encoded))
    assert header_length(encoded[:6]) == (5, 300)


@pytest.mark.parametrize("length", [0, 1, 127, 128, 255, 256, 65535, 65536])
def test_encode_then_parse_round_trips_every_length_form(length: int) -> None:
    value = bytes(range(256)) * (length // 256) + bytes(range(length % 256))
    encoded = encode_tlv(0x5F2E, value)
    assert parse_all(encoded) == [Tlv(0x5F2E, value)]
    header, value_length = header_length(encoded[:8])
    assert header + value_length == len(encoded)


def test_non_minimal_lengths_from_real_chips_are_accepted() -> None:
    parsed, _ = parse_one(bytes.fromhex("04820003") + b"abc")
    assert parsed.value == b"abc"


def test_indefinite_length_constructed_value() -> None:
    inner = encode_tlv(0x02, b"\x01") + encode_tlv(0x04, b"xy")
    data = b"\x30\x80" + inner + b"\x00\x00" + encode_tlv(0x05, b"")
    first, end = parse_one(data)
    assert first.value == inner
    assert [c.tag for c in first.children()] == [0x02, 0x04]
    assert parse_one(data, end)[0].tag == 0x05


def test_nested_indefinite_lengths() -> None:
    data = b"\x30\x80\x31\x80" + encode_tlv(0x02, b"\x05") + b"\x00\x00\x00\x00"
    outer, end = parse_one(data)
    assert end == len(data)
    assert outer.children()[0].children()[0].value == b"\x05"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "ends before the tag"),
        (b"\x5f", "ends inside the tag"),
        (b"\x04", "ends before the length"),
        (b"\x04\x82\x01", "ends inside the length"),
        (b"\x04\x05abc", "claims 5 bytes"),
        (b"\x04\x85\x00\x00\x00\x00\x01", "uses 5 bytes"),
        (b"\x04\x80abc\x00\x00", "indefinite length"),
        (b"\x30\x80\x02\x01\x01", "end-of-contents"),
        (b"\x5f\xff\xff\xff\x01\x00", "longer than 4 bytes"),
    ],
)
def test_malformed_input_names_the_fault(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_one(data)


def test_empty_input_holds_no_data_objects() -> None:
    assert parse_all(b"") == []


def test_trailing_garbage_is_refused_by_parse_all() -> None:
    with pytest.raises(ParseError):
        parse_all(encode_tlv(0x04, b"ok") + b"\x04")


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    data = b"\x30\x80" * (MAX_DEPTH + 5) + b"\x00\x00" * (MAX_DEPTH + 5)
    with pytest.raises(ParseError, match="deeper"):
        parse_one(data)
    nested = b""
    for _ in range(MAX_DEPTH + 5):
        nested = encode_tlv(0x30, nested)
    node = parse_one(nested)[0]
    with pytest.raises(ParseError, match="deeper"):
        for _ in range(MAX_DEPTH + 5):
            node = node.children()[0]


def test_primitive_values_have_no_children() -> None:
    with pytest.raises(ParseError, match="primitive"):
        Tlv(0x04, b"\x02\x01\x00").children()


def test_header_length_asks_for_more_bytes() -> None:
    with pytest.raises(IncompleteHeaderError) as caught:
        header_length(b"\x77\x82\x01")
    assert caught.value.needed == 1
    with pytest.raises(ParseError, match="indefinite"):
        header_length(b"\x77\x80\x30\x80")


@pytest.mark.parametrize("number", [0, 1, 127, 128, 255, 256, -1, -129, 2**64])
def test_der_integers_round_trip_minimally(number: int) -> None:
    encoded = asn1.encode_integer(number)
    parsed = parse_one(encoded)[0]
    assert asn1.decode_integer(parsed) == number
    # Minimal: no redundant leading 00 or FF byte (X.690 §8.3.2).
    value = parsed.value
    assert len(value) == 1 or not (
        (value[0] == 0 and value[1] < 0x80) or (value[0] == 0xFF and value[1] >= 0x80)
    )


@pytest.mark.parametrize("oid", ["0.4.0.127.0.7.2.2.4.2.2", "2.23.136.1.1.5", "1.0.10646.1.0.8", "2.999.1"])
def test_object_identifiers_round_trip(oid: str) -> None:
    assert asn1.decode_oid(parse_one(asn1.encode_oid(oid))[0]) == oid


def test_pace_oid_encoding_matches_icao_example() -> None:
    # The OID as it opens the PACEInfo of ICAO 9303-11 Appendix G.1.
    assert asn1.encode_oid("0.4.0.127.0.7.2.2.4.2.2") == bytes.fromhex("060A04007F00070202040202")


def test_broken_oid_is_refused() -> None:
    with pytest.raises(ParseError):
        asn1.decode_oid(Tlv(asn1.OBJECT_IDENTIFIER, b"\x2b\x86"))
