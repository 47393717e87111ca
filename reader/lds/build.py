"""Builders for LDS files: the virtual chip personalises itself with these.

Every builder emits exact DER (definite minimal lengths, minimal integers) so that the parsers
in this package read back what was built.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cccd_station.reader.lds.asn1 import (
    PRINTABLE_STRING,
    SEQUENCE,
    UTF8_STRING,
    encode_integer,
    encode_oid,
    encode_sequence,
    encode_set_of,
)
from cccd_station.reader.lds.com import COM_TAG, LDS_VERSION_TAG, TAG_LIST_TAG, UNICODE_VERSION_TAG
from cccd_station.reader.lds.details import (
    DG11_OTHER_NAME_TAG,
    DG11_PROOF_OF_CITIZENSHIP_TAG,
    DG11_TAG,
    DG11_TEXT_TAGS,
    DG12_OTHER_PERSON_TAG,
    DG12_TAG,
    DG12_TEXT_TAGS,
    OTHER_NAMES_GROUP_TAG,
    AdditionalDocumentDetails,
    AdditionalPersonalDetails,
)
from cccd_station.reader.lds.dg2 import (
    BIOMETRIC_DATA_TAG,
    BIOMETRIC_GROUP_TAG,
    BIOMETRIC_TEMPLATE_TAG,
    DG2_TAG,
    FACE_RECORD_MAGIC,
)
from cccd_station.reader.lds.dg13 import (
    DATE_FIELDS,
    DG13_TAG,
    EXPIRY_FIELD,
    NO_EXPIRY_TEXT,
    PARENTS_FIELD,
    PRINTABLE_FIELDS,
    SPOUSE_FIELD,
    TEXT_FIELDS,
    VnCitizenDetails,
    format_vn_date,
)
from cccd_station.reader.lds.files import data_group
from cccd_station.reader.lds.mrz import CCCD_NO_EXPIRY, DG1_TAG, FILLER, MRZ_TAG, check_digit
from cccd_station.reader.lds.oids import VN_DG13_CONTENT
from cccd_station.reader.lds.security_infos import DG14_TAG, DG15_TAG, SecurityInfo
from cccd_station.reader.lds.text import name_words
from cccd_station.reader.lds.tlv import encode_tag, encode_tlv

_MRZ_CHARS = re.compile(r"[A-Z0-9<]*")
_PRINTABLE_CHARS = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]*")
_SEXES = ("M", "F", "X", FILLER)

# ---------------------------------------------------------------- machine readable zones


def _mrz_field(text: str, width: int, what: str) -> str:
    text = text.upper().replace(" ", FILLER)
    if not _MRZ_CHARS.fullmatch(text):
        raise ValueError(f"{what} {text!r} holds characters not allowed in an MRZ")
    if len(text) > width:
        raise ValueError(f"{what} {text!r} is longer than {width} characters")
    return text.ljust(width, FILLER)


def _yymmdd(text: str, what: str) -> str:
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"{what} must be YYMMDD, got {text!r}")
    return text


def _sex(sex: str) -> str:
    if sex not in _SEXES:
        raise ValueError(f"sex must be one of {_SEXES}, got {sex!r}")
    return sex


def mrz_name(surname: str, given_names: str, width: int) -> str:
    """SURNAME<<GIVEN<NAMES without diacritics, cut to ``width`` (ICAO 9303-3 §4.6)."""
    primary = FILLER.join(name_words(surname))
    secondary = FILLER.join(name_words(given_names))
    text = f"{primary}<<{secondary}" if secondary else primary
    return text[:width].ljust(width, FILLER)


def _number_and_optional(document_number: str, optional_data: str, width: int) -> tuple[str, str]:
    """Document number field with check digit, and the optional data field (9303-5 §4.2.2 note j:
    a number longer than 9 characters continues in the optional data, followed by its check digit)."""
    number = document_number.upper()
    if len(number) <= 9:
        padded = _mrz_field(number, 9, "document number")
        return padded + check_digit(padded), _mrz_field(optional_data, width, "optional data")
    head, tail = _mrz_field(number[:9], 9, "document number"), number[9:]
    extension = tail + check_digit(head + tail) + FILLER
    return head + FILLER, _mrz_field(extension + optional_data, width, "long document number + optional data")


def td1_mrz(
    document_code: str,
    issuing_state: str,
    document_number: str,
    birth: str,
    sex: str,
    expiry: str,
    nationality: str,
    surname: str,
    given_names: str,
    optional_data: str = "",
    optional_data_2: str = "",
) -> tuple[str, str, str]:
    """TD1 (3x30), ICAO 9303-5 §4.2.2, with all check digits."""
    number, optional = _number_and_optional(document_number, optional_data, 15)
    line1 = _mrz_field(document_code, 2, "document code") + _mrz_field(issuing_state, 3, "issuing state")
    line1 += number + optional
    birth, expiry = _yymmdd(birth, "birth"), _yymmdd(expiry, "expiry")
    line2 = birth + check_digit(birth) + _sex(sex) + expiry + check_digit(expiry)
    line2 += _mrz_field(nationality, 3, "nationality") + _mrz_field(optional_data_2, 11, "optional data 2")
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return line1, line2, mrz_name(surname, given_names, 30)


def td2_mrz(
    document_code: str,
    issuing_state: str,
    document_number: str,
    birth: str,
    sex: str,
    expiry: str,
    nationality: str,
    surname: str,
    given_names: str,
    optional_data: str = "",
) -> tuple[str, str]:
    """TD2 (2x36), ICAO 9303-6 §4.2.2, with all check digits."""
    line1 = _mrz_field(document_code, 2, "document code") + _mrz_field(issuing_state, 3, "issuing state")
    line1 += mrz_name(surname, given_names, 31)
    number, optional = _number_and_optional(document_number, optional_data, 7)
    birth, expiry = _yymmdd(birth, "birth"), _yymmdd(expiry, "expiry")
    line2 = number + _mrz_field(nationality, 3, "nationality") + birth + check_digit(birth) + _sex(sex)
    line2 += expiry + check_digit(expiry) + optional
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:35])
    return line1, line2


def td3_mrz(
    document_code: str,
    issuing_state: str,
    document_number: str,
    birth: str,
    sex: str,
    expiry: str,
    nationality: str,
    surname: str,
    given_names: str,
    personal_number: str = "",
) -> tuple[str, str]:
    """TD3 (2x44), ICAO 9303-4 §4.2.2, with all check digits."""
    line1 = _mrz_field(document_code, 2, "document code") + _mrz_field(issuing_state, 3, "issuing state")
    line1 += mrz_name(surname, given_names, 39)
    number = _mrz_field(document_number, 9, "document number")
    personal = _mrz_field(personal_number, 14, "personal number")
    birth, expiry = _yymmdd(birth, "birth"), _yymmdd(expiry, "expiry")
    line2 = number + check_digit(number) + _mrz_field(nationality, 3, "nationality")
    line2 += birth + check_digit(birth) + _sex(sex) + expiry + check_digit(expiry)
    line2 += personal + check_digit(personal)
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return line1, line2


def cccd_mrz(id_number: str, birth: str, sex: str, expiry: str | None, name: str) -> tuple[str, str, str]:
    """The TD1 MRZ of a Vietnamese CCCD: document number = last 9 digits of the 12-digit ID number,
    optional data = the ID number, '<<' and its check digit; expiry 991231 when there is none.

    ``name`` is the full name in natural order ("Nguyễn Văn An"); the first word is the surname.
    """
    if len(id_number) != 12 or not id_number.isdigit():
        raise ValueError("a CCCD ID number has 12 digits")
    words = name_words(name)
    if not words:
        raise ValueError("name is empty")
    optional = id_number + "<<" + check_digit(id_number)
    return td1_mrz(
        "ID", "VNM", id_number[3:], birth, sex, expiry or CCCD_NO_EXPIRY, "VNM",
        words[0], " ".join(words[1:]), optional,
    )  # fmt: skip


def build_dg1(lines: Sequence[str]) -> bytes:
    """DG1: 61 { 5F1F MRZ text without line breaks } (ICAO 9303-10 §4.7.1)."""
    text = "".join(lines)
    if len(text) not in (90, 72, 88) or not _MRZ_CHARS.fullmatch(text):
        raise ValueError("DG1 needs the lines of a TD1, TD2 or TD3 MRZ")
    return encode_tlv(DG1_TAG, encode_tlv(MRZ_TAG, text.encode("ascii")))


# ---------------------------------------------------------------- DG2 portrait

_IMAGE_DATA_TYPES = {"jpeg": 0, "jp2": 1, "j2k": 1}
_FULL_FRONTAL = 1
_RGB_24_BIT = 1
_DIGITAL_STILL = 2


def face_record(image: bytes, fmt: str, width: int, height: int) -> bytes:
    """An ISO/IEC 19794-5:2005 face record holding one full frontal image, no feature points."""
    if fmt not in _IMAGE_DATA_TYPES:
        raise ValueError(f"image format must be one of {sorted(_IMAGE_DATA_TYPES)}, got {fmt!r}")
    if not (0 < width <= 0xFFFF and 0 < height <= 0xFFFF):
        raise ValueError("image width and height must fit 16 bits")
    facial_information = struct.pack(
        ">IHBBB3sH3s3s", 20 + 12 + len(image), 0, 0, 0, 0, bytes(3), 0, bytes(3), bytes(3)
    )
    image_information = struct.pack(
        ">BBHHBBHH", _FULL_FRONTAL, _IMAGE_DATA_TYPES[fmt], width, height, _RGB_24_BIT, _DIGITAL_STILL, 0, 0
    )
    body = facial_information + image_information + image
    header = FACE_RECORD_MAGIC + b"010\x00" + struct.pack(">IH", 14 + len(body), 1)
    return header + body


def build_dg2(image: bytes, fmt: str, width: int, height: int) -> bytes:
    """DG2: 75 / 7F61 { 02 count, 7F60 { A1 header, 5F2E face record } } (ICAO 9303-10 §4.7.2)."""
    biometric_header = b"".join(
        [
            encode_tlv(0x80, b"\x01\x01"),  # patron header version 1.1
            encode_tlv(0x81, b"\x02"),  # biometric type: facial features
            encode_tlv(0x87, b"\x01\x01"),  # format owner: ISO/IEC JTC 1/SC 37
            encode_tlv(0x88, b"\x00\x08"),  # format type: face image
        ]
    )
    template = encode_tlv(
        BIOMETRIC_TEMPLATE_TAG,
        encode_tlv(0xA1, biometric_header)
        + encode_tlv(BIOMETRIC_DATA_TAG, face_record(image, fmt, width, height)),
    )
    group = encode_tlv(BIOMETRIC_GROUP_TAG, encode_tlv(0x02, b"\x01") + template)
    return encode_tlv(DG2_TAG, group)


# ---------------------------------------------------------------- DG11, DG12


def _tag_list(tags: Iterable[int]) -> bytes:
    return encode_tlv(TAG_LIST_TAG, b"".join(encode_tag(tag) for tag in tags))


def _names_group(names: Sequence[str], name_tag: int) -> bytes:
    count = encode_integer(len(names))
    return encode_tlv(
        OTHER_NAMES_GROUP_TAG, count + b"".join(encode_tlv(name_tag, n.encode()) for n in names)
    )


def _details_file(
    file_tag: int,
    text_tags: Mapping[str, int],
    texts: Mapping[str, str | None],
    extra: Sequence[tuple[int, bytes]],
) -> bytes:
    objects = [
        (tag, encode_tlv(tag, (texts[name] or "").encode())) for name, tag in text_tags.items() if texts[name]
    ]
    objects += extra
    listed = [tag for tag, _ in objects]
    return encode_tlv(file_tag, _tag_list(listed) + b"".join(encoded for _, encoded in objects))


def build_dg11(details: AdditionalPersonalDetails | Mapping[str, Any]) -> bytes:
    """DG11: 6B { 5C tag list, 5F0E ..., A0 { 02 count, 5F0F ... } } (ICAO 9303-10 §4.7.11)."""
    if not isinstance(details, AdditionalPersonalDetails):
        details = AdditionalPersonalDetails.from_mapping(details)
    extra: list[tuple[int, bytes]] = []
    if details.other_names:
        extra.append((DG11_OTHER_NAME_TAG, _names_group(details.other_names, DG11_OTHER_NAME_TAG)))
    if details.proof_of_citizenship:
        proof = details.proof_of_citizenship
        extra.append((DG11_PROOF_OF_CITIZENSHIP_TAG, encode_tlv(DG11_PROOF_OF_CITIZENSHIP_TAG, proof)))
    texts = {name: getattr(details, name) for name in DG11_TEXT_TAGS}
    return _details_file(DG11_TAG, DG11_TEXT_TAGS, texts, extra)


def build_dg12(details: AdditionalDocumentDetails | Mapping[str, Any]) -> bytes:
    """DG12: 6C { 5C tag list, 5F19 ..., A0 { 02 count, 5F1A ... } } (ICAO 9303-10 §4.7.12)."""
    if not isinstance(details, AdditionalDocumentDetails):
        details = AdditionalDocumentDetails.from_mapping(details)
    extra: list[tuple[int, bytes]] = []
    if details.other_persons:
        extra.append((DG12_OTHER_PERSON_TAG, _names_group(details.other_persons, DG12_OTHER_PERSON_TAG)))
    for tag, image in ((0x5F1D, details.image_of_front), (0x5F1E, details.image_of_rear)):
        if image:
            extra.append((tag, encode_tlv(tag, image)))
    texts = {name: getattr(details, name) for name in DG12_TEXT_TAGS}
    return _details_file(DG12_TAG, DG12_TEXT_TAGS, texts, extra)


# ---------------------------------------------------------------- DG13 (Vietnam)


def _dg13_string(text: str, printable: bool) -> bytes:
    use_printable = printable and _PRINTABLE_CHARS.fullmatch(text)
    return encode_tlv(PRINTABLE_STRING if use_printable else UTF8_STRING, text.encode("utf-8"))


def _dg13_entry(number: int, *values: bytes) -> bytes:
    return encode_sequence([encode_integer(number), *values])


def build_dg13(details: VnCitizenDetails | Mapping[str, object]) -> bytes:
    """DG13 of a CCCD or Căn cước (layout in :mod:`reader.lds.dg13`): the named fields 1-15 and the
    raw ``extra_fields`` in number order; absent (None) fields are left out, field 12 reads
    "Không thời hạn" when there is no expiry."""
    if not isinstance(details, VnCitizenDetails):
        details = VnCitizenDetails.from_mapping(details)
    texts: dict[int, str | None] = {number: getattr(details, name) for number, name in TEXT_FIELDS.items()}
    for number, name in DATE_FIELDS.items():
        value = getattr(details, name)
        texts[number] = format_vn_date(value) if value is not None else None
    if details.no_expiry:
        texts[EXPIRY_FIELD] = NO_EXPIRY_TEXT
    entries: list[tuple[int, bytes]] = []
    for number, text in texts.items():
        if text is not None:
            entries.append((number, _dg13_entry(number, _dg13_string(text, number in PRINTABLE_FIELDS))))
    if details.father_name is not None or details.mother_name is not None:
        parents = [details.father_name or "", details.mother_name or ""]
        slots = (encode_sequence([_dg13_string(name, False)]) for name in parents)
        entries.append((PARENTS_FIELD, _dg13_entry(PARENTS_FIELD, *slots)))
    if details.spouse_name is not None:
        entries.append((SPOUSE_FIELD, _dg13_entry(SPOUSE_FIELD, _dg13_string(details.spouse_name, False))))
    for raw in details.extra_fields:
        entries.append((raw.number, _dg13_entry(raw.number, _dg13_string(raw.text, True))))
    # The entries keep card order (by field number) rather than DER SET sorting, as chips do.
    entries.sort(key=lambda entry: entry[0])
    content = (
        encode_integer(1) + encode_oid(VN_DG13_CONTENT) + encode_tlv(0x31, b"".join(e for _, e in entries))
    )
    return encode_tlv(DG13_TAG, encode_tlv(SEQUENCE, content))


# ---------------------------------------------------------------- EF.COM, SecurityInfos, DG14, DG15


def build_com(dg_numbers: Iterable[int], lds_version: str = "0107", unicode_version: str = "040000") -> bytes:
    """EF.COM: 60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list } (ICAO 9303-10 §4.6.1)."""
    tags = []
    for number in dg_numbers:
        tag = data_group(number).tag
        assert tag is not None  # every data group has an application tag
        tags.append(tag)
    content = encode_tlv(LDS_VERSION_TAG, lds_version.encode("ascii"))
    content += encode_tlv(UNICODE_VERSION_TAG, unicode_version.encode("ascii"))
    content += encode_tlv(TAG_LIST_TAG, bytes(tags))
    return encode_tlv(COM_TAG, content)


def build_security_infos(infos: Iterable[SecurityInfo]) -> bytes:
    """DER SET OF SecurityInfo: the whole of EF.CardAccess, or DG14's content."""
    return encode_set_of(info.to_der() for info in infos)


def build_dg14(infos: Iterable[SecurityInfo]) -> bytes:
    return encode_tlv(DG14_TAG, build_security_infos(infos))


def build_dg15(spki_der: bytes) -> bytes:
    """DG15: 6F { SubjectPublicKeyInfo } (ICAO 9303-10 §4.7.15)."""
    return encode_tlv(DG15_TAG, spki_der)


__all__ = [
    "build_com",
    "build_dg1",
    "build_dg2",
    "build_dg11",
    "build_dg12",
    "build_dg13",
    "build_dg14",
    "build_dg15",
    "build_security_infos",
    "cccd_mrz",
    "face_record",
    "mrz_name",
    "td1_mrz",
    "td2_mrz",
    "td3_mrz",
]
