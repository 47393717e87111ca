"""Garbage into every LDS parser: only ParseError may come out, and quickly.

Random bytes, and valid files with bits flipped, bytes replaced (length bytes included), tails cut
off, or wrapped in deep nesting, go into every parser (each file into every parser, so a DG13
also meets the DG2 parser). The hypothesis deadline catches parsers that slow down on bad input.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccd_station.reader.chip.portrait import draw_portrait, encode_portrait
from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds import (
    ActiveAuthenticationInfo,
    AdditionalDocumentDetails,
    AdditionalPersonalDetails,
    ChipAuthenticationPublicKeyInfo,
    Mrz,
    PaceInfo,
    RawField,
    SecurityInfo,
    VnCitizenDetails,
    oids,
    parse_card_access,
    parse_com,
    parse_dg1,
    parse_dg2,
    parse_dg11,
    parse_dg12,
    parse_dg13,
    parse_dg14,
    parse_dg15,
)
from cccd_station.reader.lds.asn1 import encode_oid, encode_sequence
from cccd_station.reader.lds.build import (
    build_com,
    build_dg1,
    build_dg2,
    build_dg11,
    build_dg12,
    build_dg13,
    build_dg14,
    build_dg15,
    build_security_infos,
    cccd_mrz,
)
from cccd_station.reader.lds.tlv import Tlv, encode_tlv, header_length, parse_all, parse_one

FUZZ = settings(
    max_examples=int(os.environ.get("LDS_FUZZ_EXAMPLES", "300")),
    deadline=1000,
    suppress_health_check=[HealthCheck.too_slow],
)


def _walk(tlv: Tlv, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] <= 0 or not tlv.constructed:
        return
    for child in tlv.children():
        _walk(child, budget)


def _walk_all(data: bytes) -> None:
    for item in parse_all(data):
        _walk(item, [10_000])


PARSERS: dict[str, Callable[[bytes], object]] = {
    "tlv": _walk_all,
    "header_length": header_length,
    "com": parse_com,
    "dg1": parse_dg1,
    "dg2": parse_dg2,
    "dg11": parse_dg11,
    "dg12": parse_dg12,
    "dg13": parse_dg13,
    "dg14": parse_dg14,
    "dg15": parse_dg15,
    "card_access": parse_card_access,
    "mrz_text": lambda data: Mrz.parse(data.decode("latin-1")),
}


@cache
def valid_files() -> tuple[bytes, ...]:
    spki = encode_sequence(
        [encode_sequence([encode_oid("1.2.840.10045.2.1")]), encode_tlv(0x03, b"\x00\x04" + bytes(8))]
    )
    infos: list[SecurityInfo] = [
        PaceInfo(oids.ID_PACE_ECDH_GM_AES_CBC_CMAC_128, 2, 13),
        ChipAuthenticationPublicKeyInfo(oids.ID_PK_ECDH, spki, 1),
        ActiveAuthenticationInfo(oids.ID_AA, 1, oids.ECDSA_WITH_SHA256),
    ]
    image = encode_portrait(draw_portrait(3, 60, 80), "jpeg")
    details = VnCitizenDetails(
        id_number="001085014763",
        full_name="Nguyễn Văn An",
        date_of_birth=date(1985, 6, 14),
        sex="Nam",
        place_of_residence="Số 12 Phố Hoa Sữa, Hà Nội " * 8,
        no_expiry=True,
        father_name="Nguyễn Văn Bình",
        mother_name="Trần Thị Cúc",
        spouse_name="",
        extra_fields=(RawField(16, "A1B2C3D4E5F60718"), RawField(99, "Nhóm máu: O")),
    )
    return (
        build_com([1, 2, 13]),
        build_dg1(cccd_mrz("001085014763", "850614", "M", None, "Nguyen Van An")),
        build_dg2(image, "jpeg", 60, 80),
        build_dg11(
            AdditionalPersonalDetails(full_name="DOE<<JANE", other_names=("ROE<<JANE",), address="1 MAIN ST")
        ),
        build_dg12(AdditionalDocumentDetails(issuing_authority="UTO", date_of_issue="20210101")),
        build_dg13(details),
        build_dg14(infos),
        build_security_infos(infos),
        build_dg15(spki),
    )


def _only_parse_errors(data: bytes) -> None:
    for name, parser in PARSERS.items():
        try:
            parser(data)
        except ParseError:
            pass
        except Exception as error:  # pragma: no cover - the failure this test exists to find
            raise AssertionError(f"{name} raised {type(error).__name__}: {error}") from error


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _only_parse_errors(data)


@FUZZ
@given(st.sampled_from(range(9)), st.data())
def test_bit_flips(index: int, data: st.DataObject) -> None:
    original = bytearray(valid_files()[index])
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] ^= 1 << data.draw(st.integers(0, 7))
    _only_parse_errors(bytes(original))


@FUZZ
@given(st.sampled_from(range(9)), st.data())
def test_replaced_bytes_in_the_headers(index: int, data: st.DataObject) -> None:
    # Headers sit near the start of each file and of each nested object: aim there.
    original = bytearray(valid_files()[index])
    position = data.draw(st.integers(0, min(len(original) - 1, 40)))
    original[position] = data.draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x82, 0x84, 0x85, 0xFF]))
    _only_parse_errors(bytes(original))


@FUZZ
@given(st.sampled_from(range(9)), st.data())
def test_truncation(index: int, data: st.DataObject) -> None:
    original = valid_files()[index]
    _only_parse_errors(original[: data.draw(st.integers(0, len(original) - 1))])


@FUZZ
@given(st.sampled_from(range(9)), st.integers(1, 200), st.booleans())
def test_deep_nesting(index: int, depth: int, indefinite: bool) -> None:
    data = valid_files()[index]
    for _ in range(depth):
        data = b"\x30\x80" + data + b"\x00\x00" if indefinite else encode_tlv(0x30, data)
    _only_parse_errors(data)
    outer = valid_files()[index][0]
    _only_parse_errors(bytes([outer]) + b"\x80" + b"\x30\x80" * depth)


def test_every_valid_file_parses_with_its_own_parser() -> None:
    # The mutations above start from files the parsers accept.
    files = valid_files()
    parsers = [
        parse_com,
        parse_dg1,
        parse_dg2,
        parse_dg11,
        parse_dg12,
        parse_dg13,
        parse_dg14,
        parse_card_access,
        parse_dg15,
    ]
    for data, parser in zip(files, parsers, strict=True):
        parser(data)
        header, length = header_length(data[:6])
        assert header + length == len(data) and parse_one(data)[1] == len(data)


# Well-formed TLV trees with tags the parsers look for, so garbage reaches their inner logic.
_PRIMITIVE_TAGS = [0x02, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x5C, 0x80, 0x5F01, 0x5F0E, 0x5F0F, 0x5F1F, 0x5F2E]
_CONSTRUCTED_TAGS = [0x30, 0x31, 0xA0, 0xA1, 0x7F2E, 0x7F60, 0x7F61]
_OUTER_TAGS = [0x60, 0x61, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x75, 0x31]
_trees = st.recursive(
    st.builds(
        encode_tlv,
        st.sampled_from(_PRIMITIVE_TAGS),
        st.one_of(
            st.binary(max_size=12), st.sampled_from([b"\x01", b"\x0d", encode_oid("1.0.10646.1.0.8")[2:]])
        ),
    ),
    lambda children: st.builds(
        lambda tag, items: encode_tlv(tag, b"".join(items)),
        st.sampled_from(_CONSTRUCTED_TAGS),
        st.lists(children, max_size=5),
    ),
    max_leaves=30,
)


@FUZZ
@given(st.sampled_from(_OUTER_TAGS), st.lists(_trees, max_size=4))
def test_well_formed_trees_of_wrong_content(outer: int, items: list[bytes]) -> None:
    _only_parse_errors(encode_tlv(outer, b"".join(items)))
