"""DG2, DG11-DG15, EF.COM and EF.CardAccess: known-good inputs and builder round trips."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from cccd_station.reader.chip.portrait import PortraitStyle, draw_portrait, encode_portrait
from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds import (
    ActiveAuthenticationInfo,
    AdditionalDocumentDetails,
    AdditionalPersonalDetails,
    CardGeneration,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PaceInfo,
    RawField,
    SecurityInfo,
    UnknownSecurityInfo,
    VnCitizenDetails,
    oids,
    parse_card_access,
    parse_com,
    parse_dg2,
    parse_dg11,
    parse_dg12,
    parse_dg13,
    parse_dg14,
    parse_dg15,
)
from cccd_station.reader.lds.asn1 import encode_integer, encode_oid, encode_sequence
from cccd_station.reader.lds.build import (
    build_com,
    build_dg2,
    build_dg11,
    build_dg12,
    build_dg13,
    build_dg14,
    build_dg15,
    build_security_infos,
)
from cccd_station.reader.lds.files import DATA_GROUPS, EF_COM, EF_SOD, data_group, data_group_by_tag
from cccd_station.reader.lds.tlv import encode_tlv, parse_one

VECTORS = Path(__file__).resolve().parent / "vectors"


def _vector(name: str, key: str) -> bytes:
    path = VECTORS / name
    if not path.exists():
        pytest.skip("ICAO 9303-11 vectors not available")
    return bytes.fromhex(json.loads(path.read_text())["values"][key])


# ---------------------------------------------------------------- files table, EF.COM


def test_file_table_matches_icao_9303_10() -> None:
    assert (EF_COM.fid, EF_COM.sfi, EF_COM.tag) == (0x011E, 0x1E, 0x60)
    assert (EF_SOD.fid, EF_SOD.sfi, EF_SOD.tag) == (0x011D, 0x1D, 0x77)
    assert (data_group(1).fid, data_group(1).sfi, data_group(1).tag) == (0x0101, 0x01, 0x61)
    assert (data_group(16).fid, data_group(16).sfi, data_group(16).tag) == (0x0110, 0x10, 0x70)
    assert data_group(13).tag == 0x6D and data_group_by_tag(0x75) == data_group(2)
    assert len({dg.tag for dg in DATA_GROUPS.values()}) == 16
    with pytest.raises(ValueError):
        data_group(17)


def test_ef_com_of_the_icao_worked_example() -> None:
    com = parse_com(_vector("icao_9303_11_bac.json", "EF_COM"))
    assert (com.lds_version, com.unicode_version) == ("0106", "040000")
    assert com.data_groups == (1, 2)


def test_ef_com_round_trip() -> None:
    com = parse_com(build_com([1, 2, 13, 14, 15]))
    assert com.lds_version == "0107" and com.data_groups == (1, 2, 13, 14, 15)


def test_ef_com_without_tag_list_is_refused() -> None:
    with pytest.raises(ParseError, match="5C missing"):
        parse_com(encode_tlv(0x60, encode_tlv(0x5F01, b"0107")))


# ---------------------------------------------------------------- DG2


@pytest.mark.parametrize("fmt", ["jpeg", "jp2", "j2k"])
def test_dg2_round_trip_in_every_image_format(fmt: str) -> None:
    picture = draw_portrait(PortraitStyle(seed=7), 120, 160)
    image = encode_portrait(picture, fmt)
    face = parse_dg2(build_dg2(image, fmt, 120, 160))
    assert (face.format, face.data, face.width, face.height) == (fmt, image, 120, 160)
    png = Image.open(io.BytesIO(face.to_png()))
    assert png.format == "PNG" and png.size == (120, 160)


def test_dg2_takes_image_size_from_the_image_not_the_header() -> None:
    image = encode_portrait(draw_portrait(3, 90, 120), "jpeg")
    face = parse_dg2(build_dg2(image, "jpeg", 640, 480))
    assert (face.width, face.height) == (90, 120)


def test_dg2_with_iso_39794_constructed_biometric_data() -> None:
    image = encode_portrait(draw_portrait(5, 90, 120), "jpeg")
    record = encode_tlv(
        0xA1, encode_tlv(0xA0, encode_tlv(0x80, b"\x01")) + encode_tlv(0xA2, encode_tlv(0x80, image))
    )
    template = encode_tlv(
        0x7F60, encode_tlv(0xA1, encode_tlv(0x87, b"\x01\x01")) + encode_tlv(0x7F2E, record)
    )
    dg2 = encode_tlv(0x75, encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + template))
    assert parse_dg2(dg2).data == image


def test_dg2_refuses_non_images_and_decompression_bombs() -> None:
    with pytest.raises(ParseError, match="neither"):
        parse_dg2(build_dg2(b"GIF89a" + bytes(50), "jpeg", 1, 1))
    huge = io.BytesIO()
    Image.new("L", (9000, 9000)).save(huge, "JPEG", quality=5)
    with pytest.raises(ParseError, match="too large"):
        parse_dg2(build_dg2(huge.getvalue(), "jpeg", 9000, 9000))


def test_dg2_with_truncated_image_is_a_parse_error() -> None:
    image = encode_portrait(draw_portrait(9, 90, 120), "jpeg")
    with pytest.raises(ParseError, match="cannot be decoded"):
        parse_dg2(build_dg2(image[: len(image) // 3], "jpeg", 90, 120))


# ---------------------------------------------------------------- DG11, DG12


def test_dg11_round_trip_with_other_names() -> None:
    details = AdditionalPersonalDetails(
        full_name="LINDQVIST<<MAJA<SOFIA",
        other_names=("BERG<<MAJA", "LIND<<MAJA"),
        personal_number="ZU884237",
        full_date_of_birth="19880423",
        place_of_birth="NORDHAVN<UTOPIA",
        address="14 LIGHTHOUSE LANE<NORDHAVN",
        telephone="+000 555 0147",
        profession="MARINE BIOLOGIST",
        custody_information="NONE",
    )
    dg11 = build_dg11(details)
    parsed = parse_dg11(dg11)
    assert parsed == details
    assert parsed.date_of_birth == date(1988, 4, 23)
    tag_list = parse_one(dg11)[0].require(0x5C).value
    assert bytes.fromhex("5F0E") in tag_list and bytes.fromhex("5F0F") in tag_list


def test_dg11_fields_absent_on_the_chip_are_none() -> None:
    parsed = parse_dg11(encode_tlv(0x6B, encode_tlv(0x5C, b"\x5f\x0e") + encode_tlv(0x5F0E, b"DOE<<JANE")))
    assert parsed.full_name == "DOE<<JANE" and parsed.address is None and parsed.other_names == ()


def test_dg12_round_trip() -> None:
    details = AdditionalDocumentDetails(
        issuing_authority="PASSPORT OFFICE NORDHAVN",
        date_of_issue="20210831",
        endorsements="NONE",
        personalization_time="20210830141503",
        personalization_device="UTO-PERSO-07",
        other_persons=("LINDQVIST<<ELSA",),
    )
    parsed = parse_dg12(build_dg12(details))
    assert parsed == details
    assert parsed.issue_date == date(2021, 8, 31)
    assert parsed.personalized_at is not None and parsed.personalized_at.hour == 14


def test_dg12_text_that_is_not_utf8_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not UTF-8"):
        parse_dg12(encode_tlv(0x6C, encode_tlv(0x5F19, b"\xff\xfe")))


# ---------------------------------------------------------------- DG13


FULL_DETAILS = VnCitizenDetails(
    id_number="079198305127",
    full_name="Trần Thị Bích Ngọc",
    date_of_birth=date(1998, 11, 2),
    sex="Nữ",
    nationality="Việt Nam",
    ethnicity="Kinh",
    religion="Phật giáo",
    place_of_origin="Phường Phú Hội, Thành phố Huế, Thừa Thiên Huế",
    place_of_residence="Số 7 Đường Lan Anh, Phường Bến Thành, " * 6 + "Thành phố Hồ Chí Minh",
    identifying_marks="Sẹo chấm C:2cm dưới sau cánh mũi trái",
    date_of_issue=date(2023, 3, 15),
    date_of_expiry=date(2038, 11, 2),
    father_name="Trần Văn Dũng",
    mother_name="Võ Thị Lan",
    spouse_name="",
    old_id_number="025987654",
    extra_fields=(RawField(16, "0F1E2D3C4B5A6978"),),
)


def test_dg13_round_trip_with_long_fields() -> None:
    assert len(FULL_DETAILS.place_of_residence.encode()) > 200  # type: ignore[union-attr]
    dg13 = build_dg13(FULL_DETAILS)
    parsed = parse_dg13(dg13)
    assert parsed == FULL_DETAILS
    assert parsed.sex_code == "F" and not parsed.no_expiry


def test_dg13_layout_matches_the_cccd_chip() -> None:
    content = parse_one(build_dg13(FULL_DETAILS))[0].expect(0x6D).require(0x30)
    version, oid, fields = content.children()
    assert version.value == b"\x01"
    assert oid.encode() == encode_oid("1.0.10646.1.0.8")
    numbers = [entry.children()[0].value[0] for entry in fields.expect(0x31).children()]
    assert numbers == list(range(1, 17))
    by_number = {entry.children()[0].value[0]: entry.children()[1:] for entry in fields.children()}
    assert by_number[1][0].tag == 0x13  # ID number: PrintableString
    assert by_number[3][0].value == b"02/11/1998"
    assert by_number[2][0].tag == 0x0C  # name: UTF8String
    assert [part.tag for part in by_number[13]] == [0x30, 0x30]  # father, mother
    assert by_number[14][0].value == b""  # spouse present but empty
    assert by_number[16][0].tag == 0x13 and by_number[16][0].value == b"0F1E2D3C4B5A6978"


def test_dg13_without_expiry_says_khong_thoi_han() -> None:
    details = VnCitizenDetails(id_number="048158220931", full_name="Phạm Thị Đào", no_expiry=True)
    dg13 = build_dg13(details)
    assert "Không thời hạn".encode() in dg13
    parsed = parse_dg13(dg13)
    assert parsed.no_expiry and parsed.date_of_expiry is None
    assert parsed.spouse_name is None and parsed.father_name is None


def _entry(number: int, *values: bytes) -> bytes:
    return encode_sequence([encode_integer(number), *values])


def _dg13(*entries: bytes) -> bytes:
    body = encode_integer(1) + encode_oid("1.0.10646.1.0.8") + encode_tlv(0x31, b"".join(entries))
    return encode_tlv(0x6D, encode_sequence([body]))


def test_dg13_parents_as_two_plain_strings_and_fields_in_any_order() -> None:
    utf8 = lambda text: encode_tlv(0x0C, text.encode())  # noqa: E731
    dg13 = _dg13(
        _entry(13, utf8("Lê Văn Cường"), utf8("Đặng Thị Mơ")),
        _entry(2, utf8("Lê Thị Hằng")),
        _entry(12, encode_tlv(0x13, b"31/12/2040")),
        _entry(1, encode_tlv(0x13, b"001303000001")),
    )
    parsed = parse_dg13(dg13)
    assert (parsed.father_name, parsed.mother_name) == ("Lê Văn Cường", "Đặng Thị Mơ")
    assert parsed.full_name == "Lê Thị Hằng" and parsed.id_number == "001303000001"
    assert parsed.date_of_expiry == date(2040, 12, 31)
    assert parsed.extra_fields == ()


def test_dg13_fields_it_does_not_know_are_kept_raw_in_card_order() -> None:
    utf8 = lambda text: encode_tlv(0x0C, text.encode())  # noqa: E731
    dg13 = _dg13(
        _entry(2, utf8("Lê Thị Hằng")),
        _entry(99, utf8("Nơi sinh: Huế")),
        _entry(16, encode_tlv(0x13, b"A1B2C3D4E5F60718")),
        _entry(40, encode_tlv(0x04, bytes(range(1, 5)))),  # no text: shown as hex
        _entry(41, encode_sequence([utf8("Nhóm máu"), utf8("O")])),
        _entry(42),  # a number with no value
        _entry(40, encode_tlv(0x04, bytes(300))),  # long binary: cut, and says so
    )
    parsed = parse_dg13(dg13)
    assert parsed.full_name == "Lê Thị Hằng"
    assert [(raw.number, raw.text) for raw in parsed.extra_fields[:5]] == [
        (99, "Nơi sinh: Huế"),
        (16, "A1B2C3D4E5F60718"),
        (40, "01 02 03 04"),
        (41, "Nhóm máu; O"),
        (42, ""),
    ]
    long_hex = parsed.extra_fields[5].text
    assert long_hex.endswith(" …") and len(long_hex) == 64 * 3 + 1
    assert "Huế" not in repr(parsed.extra_fields[0])  # personal data stays out of logs


def test_dg13_raw_fields_round_trip_through_the_builder() -> None:
    details = VnCitizenDetails(
        full_name="Lê Thị Hằng",
        extra_fields=(RawField(0, "zero"), RawField(16, "0F1E2D3C4B5A6978"), RawField(20, "Nhóm máu: O")),
    )
    dg13 = build_dg13(details)
    assert parse_dg13(dg13) == details
    fields = parse_one(dg13)[0].require(0x30).require(0x31).children()
    assert [entry.children()[0].value[0] for entry in fields] == [0, 2, 16, 20]  # by number
    assert [entry.children()[1].tag for entry in fields] == [0x13, 0x0C, 0x13, 0x0C]


def test_dg13_generation_follows_the_date_of_issue() -> None:
    """Cards issued from 1 July 2024 are "Căn cước" (Law 26/2023/QH15); before it, CCCD."""
    on = {
        date(2021, 1, 23): CardGeneration.CCCD_2021,
        date(2024, 6, 30): CardGeneration.CCCD_2021,
        date(2024, 7, 1): CardGeneration.CAN_CUOC_2024,
        date(2026, 11, 30): CardGeneration.CAN_CUOC_2024,
    }
    for issued, generation in on.items():
        built = build_dg13(VnCitizenDetails(id_number="079196004521", date_of_issue=issued))
        assert parse_dg13(built).generation is generation
    assert VnCitizenDetails(id_number="079196004521").generation is None
    unreal_date = _dg13(_entry(11, encode_tlv(0x13, b"31/06/2024")))
    assert parse_dg13(unreal_date).generation is None


def test_dg13_lenient_layouts() -> None:
    utf8 = lambda text: encode_tlv(0x0C, text.encode())  # noqa: E731
    bare_set = encode_tlv(0x6D, encode_tlv(0x31, _entry(2, utf8("Lê Thị Hằng"))))
    assert parse_dg13(bare_set).full_name == "Lê Thị Hằng"
    # Father unknown: his slot is empty, the mother's name stays in the mother's slot.
    parents = _dg13(_entry(13, encode_sequence([]), encode_sequence([utf8("Đặng Thị Mơ")])))
    parsed = parse_dg13(parents)
    assert (parsed.father_name, parsed.mother_name) == (None, "Đặng Thị Mơ")
    one_sequence = _dg13(_entry(13, encode_sequence([utf8("Lê Văn Cường"), utf8("Đặng Thị Mơ")])))
    assert parse_dg13(one_sequence).mother_name == "Đặng Thị Mơ"


def test_dg13_unreal_dates_become_none() -> None:
    parsed = parse_dg13(_dg13(_entry(3, encode_tlv(0x13, b"00/00/1950"))))
    assert parsed.date_of_birth is None


@pytest.mark.parametrize(
    "data",
    [
        encode_tlv(0x6D, b""),
        encode_tlv(
            0x6D, encode_sequence([encode_integer(1), encode_oid("1.0.10646.1.0.8"), encode_tlv(0x31, b"")])
        ),
        encode_tlv(0x6D, encode_tlv(0x04, b"\x30\x03\x02\x01\x01")),
        _dg13(_entry(2, encode_tlv(0x0C, b"\xc3"))),
        _dg13(_entry(99, encode_tlv(0x0C, b"\xc3"))),  # a raw field is decoded like the others
        _dg13(_entry(256, encode_tlv(0x0C, b"x"))),
        _dg13(_entry(-1, encode_tlv(0x0C, b"x"))),
        encode_tlv(0x6E, b""),
    ],
)
def test_dg13_garbage_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_dg13(data)


def test_dg13_from_mapping_accepts_persona_style_dates() -> None:
    details = VnCitizenDetails.from_mapping(
        {"id_number": "1", "date_of_birth": "1998-11-02", "date_of_issue": "15/03/2023"}
    )
    assert details.date_of_birth == date(1998, 11, 2) and details.date_of_issue == date(2023, 3, 15)
    with pytest.raises(ValueError, match="unknown DG13 fields"):
        VnCitizenDetails.from_mapping({"idnumber": "1"})


def test_dg13_from_mapping_takes_raw_fields_by_number() -> None:
    details = VnCitizenDetails.from_mapping({"extra_fields": {"20": "b", "16": "a"}})
    assert details.extra_fields == (RawField(16, "a"), RawField(20, "b"))
    for bad in ({"8": "a named field"}, {"256": "too large"}, {"x": "not a number"}, {"17": 5}):
        with pytest.raises(ValueError):
            VnCitizenDetails.from_mapping({"extra_fields": bad})


# ---------------------------------------------------------------- SecurityInfos, DG14, DG15


def test_pace_infos_of_the_icao_worked_examples() -> None:
    for name, mapping, agreement, parameter in (
        ("icao_9303_11_pace_gm_ecdh.json", "GM", "ECDH", "brainpoolP256r1"),
        ("icao_9303_11_pace_gm_dh.json", "GM", "DH", "MODP-1024-160"),
        ("icao_9303_11_pace_cam.json", "CAM", "ECDH", "brainpoolP256r1"),
    ):
        card_access = encode_tlv(0x31, _vector(name, "PACEInfo"))
        (info,) = parse_card_access(card_access).pace
        assert (info.mapping, info.key_agreement, info.cipher, info.key_length) == (
            mapping,
            agreement,
            "AES",
            128,
        )
        assert info.version == 2 and info.parameter_name == parameter
        assert build_security_infos([info]) == card_access


def test_chip_authentication_public_key_of_the_cam_example() -> None:
    raw = _vector("icao_9303_11_pace_cam.json", "ChipAuthenticationPublicKeyInfo")
    (key,) = parse_card_access(encode_tlv(0x31, raw)).chip_authentication_keys
    assert key.protocol == oids.ID_PK_ECDH and key.key_id == 13
    assert key.public_key_der[0] == 0x30 and key.to_der() == raw


def test_dg14_round_trip_keeps_every_kind_and_is_der_sorted() -> None:
    spki = encode_sequence(
        [encode_sequence([encode_oid("1.2.840.10045.2.1")]), encode_tlv(0x03, b"\x00\x04" + bytes(64))]
    )
    infos: list[SecurityInfo] = [
        PaceInfo(oids.ID_PACE_ECDH_IM_AES_CBC_CMAC_256, 2, 16),
        ChipAuthenticationInfo(oids.ID_CA_ECDH_AES_CBC_CMAC_128, 1, 1),
        ChipAuthenticationPublicKeyInfo(oids.ID_PK_ECDH, spki, 1),
        ActiveAuthenticationInfo(oids.ID_AA, 1, oids.ECDSA_WITH_SHA256),
        UnknownSecurityInfo("1.2.3.4", encode_sequence([encode_oid("1.2.3.4"), encode_integer(7)])),
    ]
    dg14 = build_dg14(infos)
    parsed = parse_dg14(dg14)
    assert set(parsed.infos) == set(infos)
    assert parsed.active_authentication == infos[3]
    assert parsed.chip_authentication[0].key_agreement == "ECDH"
    assert parsed.pace[0].mapping == "IM" and parsed.pace[0].key_length == 256
    elements = [item.encode() for item in parse_one(parse_one(dg14)[0].value)[0].children()]
    assert elements == sorted(elements)
    assert build_dg14(parsed.infos) == dg14


def test_security_info_missing_required_data_is_a_parse_error() -> None:
    broken = encode_tlv(0x31, encode_sequence([encode_oid(oids.ID_AA), encode_integer(1)]))
    with pytest.raises(ParseError, match="ActiveAuthenticationInfo"):
        parse_card_access(broken)


def test_dg15_returns_the_subject_public_key_info() -> None:
    spki = encode_sequence(
        [encode_sequence([encode_oid("1.2.840.113549.1.1.1")]), encode_tlv(0x03, b"\x00\x30\x00")]
    )
    assert parse_dg15(build_dg15(spki)) == spki
    with pytest.raises(ParseError):
        parse_dg15(build_dg15(encode_integer(5)))


def test_chip_authentication_key_is_kept_exactly_as_stored() -> None:
    # A long-form length where DER wants the short form: the key bytes must survive unchanged.
    body = encode_sequence([encode_oid("1.2.840.10045.2.1")]) + encode_tlv(0x03, b"\x00\x04" + bytes(8))
    spki = b"\x30\x81" + bytes([len(body)]) + body
    info = encode_sequence([encode_oid(oids.ID_PK_ECDH), spki])
    (key,) = parse_dg14(encode_tlv(0x6E, encode_tlv(0x31, info))).chip_authentication_keys
    assert key.public_key_der == spki and key.key_id is None
