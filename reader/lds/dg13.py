"""DG13 of the Vietnamese CCCD and Căn cước: the citizen's details in Vietnamese.

Layout (observed on chips; no published specification, sources in docs/dg13.md): tag 6D holding
SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value... } ... } }.
Numbers and dates are PrintableString (dates dd/mm/yyyy), text is UTF8String. Fields may be
absent or in any order; field 13 (parents) holds two names, either directly or each in its own
SEQUENCE; field 14 (spouse) may be present but empty. Fields 1-15 are named below (as decoded by
open readers such as NghiaLio/NFC_CCCD_Reader); any other number, such as the 16-character field
16 that no source explains, is kept raw in ``extra_fields``.

Two card generations carry this DG13: the chip CCCD ("Căn cước công dân", Circular 06/2021/TT-BCA)
and, for cards issued from 1 July 2024, the "Căn cước" of Law 26/2023/QH15 (Circular
16/2024/TT-BCA). No source shows a different field numbering on the newer card; they differ in
how the card prints the labels, so :attr:`VnCitizenDetails.generation` tells them apart by the
date of issue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.asn1 import (
    INTEGER,
    OBJECT_IDENTIFIER,
    SEQUENCE,
    SET,
    STRING_TAGS,
    decode_integer,
    decode_string,
)
from cccd_station.reader.lds.text import redacted_repr, strip_diacritics
from cccd_station.reader.lds.tlv import Tlv, parse_one

DG13_TAG = 0x6D
NO_EXPIRY_TEXT = "Không thời hạn"
MAX_FIELDS = 64
MAX_FIELD_NUMBER = 255
MAX_RAW_HEX_BYTES = 64  # a raw field that holds no text is shown as this much hex at most
_MAX_VALUE_DEPTH = 4
# Law 26/2023/QH15 on Identification took effect on this day: cards issued from it are "Căn cước".
CAN_CUOC_FIRST_ISSUE = date(2024, 7, 1)

# Field number -> attribute of VnCitizenDetails holding its text.
TEXT_FIELDS: dict[int, str] = {
    1: "id_number",
    2: "full_name",
    4: "sex",
    5: "nationality",
    6: "ethnicity",
    7: "religion",
    8: "place_of_origin",
    9: "place_of_residence",
    10: "identifying_marks",
    15: "old_id_number",
}
DATE_FIELDS: dict[int, str] = {3: "date_of_birth", 11: "date_of_issue", 12: "date_of_expiry"}
EXPIRY_FIELD = 12
PARENTS_FIELD = 13
SPOUSE_FIELD = 14
# Fields stored as PrintableString when their text allows it; every other one is UTF8String
# (raw fields too are PrintableString when they can be, as field 16 is on cards).
PRINTABLE_FIELDS = frozenset({1, 3, 11, 12, 15})
KNOWN_FIELDS = frozenset({*TEXT_FIELDS, *DATE_FIELDS, PARENTS_FIELD, SPOUSE_FIELD})


class CardGeneration(Enum):
    """Which card holds this DG13; the value is what the JSON report states."""

    CCCD_2021 = "cccd_2021"  # "Căn cước công dân" with a chip, Circular 06/2021/TT-BCA
    CAN_CUOC_2024 = "can_cuoc_2024"  # "Căn cước", Law 26/2023/QH15, Circular 16/2024/TT-BCA


@dataclass(frozen=True, repr=False)
class RawField:
    """A DG13 field the station does not interpret: its number and its text as the chip holds it
    (strings joined by "; ", or hex when it holds no string)."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("number",))

    number: int
    text: str


@dataclass(frozen=True, repr=False)
class VnCitizenDetails:
    """The CCCD holder as DG13 states it; fields the chip leaves out are None."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("no_expiry",))

    id_number: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None  # "Nam" | "Nữ"
    nationality: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    place_of_residence: str | None = None
    identifying_marks: str | None = None
    date_of_issue: date | None = None
    date_of_expiry: date | None = None
    no_expiry: bool = False
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None  # "" when the field is present but empty
    old_id_number: str | None = None
    extra_fields: tuple[RawField, ...] = ()  # in card order

    @classmethod
    def from_bytes(cls, data: bytes) -> VnCitizenDetails:
        """Parse DG13 of a Vietnamese CCCD (layout in the module docstring)."""
        outer, _ = parse_one(data)
        entries = _entries(outer.expect(DG13_TAG))
        values: dict[str, object] = {}
        extra: list[RawField] = []
        for number, parts in entries:
            if number in KNOWN_FIELDS:
                _apply(values, number, parts)
            else:
                extra.append(RawField(number, _raw_text(parts)))
        return cls(**values, extra_fields=tuple(extra))  # type: ignore[arg-type]

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> VnCitizenDetails:
        """Build from plain data (a persona file): dates as ``date``, ISO text or dd/mm/yyyy;
        ``extra_fields`` as {field number: text} for fields the station does not interpret."""
        known = {item.name for item in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown DG13 fields: {', '.join(sorted(unknown))}")
        converted: dict[str, object] = {}
        for name, value in values.items():
            if name in DATE_FIELDS.values() and isinstance(value, str):
                value = _date_from_text(value)
            elif name == "extra_fields" and isinstance(value, Mapping):
                value = _raw_fields(value)
            converted[name] = value
        return cls(**converted)  # type: ignore[arg-type]

    @property
    def generation(self) -> CardGeneration | None:
        """The card generation by the date of issue (field 11); None without one.

        Neither the MRZ (document code "ID", issuing state VNM on both) nor any DG13 field known to
        the sources tells the two apart, so the issue date is the only evidence the chip carries.
        """
        if self.date_of_issue is None:
            return None
        if self.date_of_issue >= CAN_CUOC_FIRST_ISSUE:
            return CardGeneration.CAN_CUOC_2024
        return CardGeneration.CCCD_2021

    @property
    def sex_code(self) -> str | None:
        """'M', 'F' or None, as in the MRZ."""
        if self.sex is None:
            return None
        folded = strip_diacritics(self.sex).strip().lower()
        return {"nam": "M", "nu": "F", "m": "M", "f": "F", "male": "M", "female": "F"}.get(folded)


def _container(dg13: Tlv) -> Tlv:
    """The data object whose children are the numbered fields.

    Normally the SET inside SEQUENCE { INTEGER, OID, SET }; leniently a bare SET, or the fields
    directly inside tag 6D.
    """
    children = dg13.children()
    for child in children:
        parts = child.children() if child.tag == SEQUENCE else []
        if len(parts) >= 2 and parts[0].tag == INTEGER and parts[1].tag == OBJECT_IDENTIFIER:
            return next((part for part in parts if part.tag == SET), child)
    return next((child for child in children if child.tag == SET), dg13)


def _entries(dg13: Tlv) -> list[tuple[int, list[Tlv]]]:
    """(field number, value data objects) for every numbered field."""
    entries = []
    for item in _container(dg13).children():
        if item.tag != SEQUENCE:
            continue
        parts = item.children()
        if not parts or parts[0].tag != INTEGER:
            continue
        number = decode_integer(parts[0])
        if not 0 <= number <= MAX_FIELD_NUMBER:
            raise ParseError(f"DG13 field number {number} is outside 0-{MAX_FIELD_NUMBER}")
        entries.append((number, parts[1:]))
        if len(entries) > MAX_FIELDS:
            raise ParseError(f"DG13 holds more than {MAX_FIELDS} fields")
    if not entries:
        raise ParseError("DG13 holds no numbered fields")
    return entries


def _strings(items: list[Tlv], depth: int = 0) -> list[str]:
    """Every string inside ``items`` in order, looking into nested SEQUENCEs."""
    texts: list[str] = []
    for item in items:
        if item.tag in STRING_TAGS:
            texts.append(decode_string(item))
        elif item.constructed and depth < _MAX_VALUE_DEPTH:
            texts.extend(_strings(item.children(), depth + 1))
    return texts


def _raw_text(parts: list[Tlv]) -> str:
    """A field's strings joined by "; "; without any, the hex of its value (at most
    MAX_RAW_HEX_BYTES bytes, then "…")."""
    texts = _strings(parts)
    if texts:
        return "; ".join(texts)
    content = b"".join(part.encode() if part.constructed else part.value for part in parts)
    shown = content[:MAX_RAW_HEX_BYTES].hex(" ").upper()
    return shown + (" …" if len(content) > MAX_RAW_HEX_BYTES else "")


def _raw_fields(values: Mapping[object, object]) -> tuple[RawField, ...]:
    """{number: text} from a persona file as RawFields in number order; ValueError for a number
    that a named field already has, or one outside 0-MAX_FIELD_NUMBER."""
    raw = []
    for key, text in values.items():
        number = int(str(key))
        if number in KNOWN_FIELDS or not 0 <= number <= MAX_FIELD_NUMBER:
            raise ValueError(f"DG13 field {number} cannot be a raw field")
        if not isinstance(text, str):
            raise ValueError(f"raw DG13 field {number} must be text")
        raw.append(RawField(number, text))
    return tuple(sorted(raw, key=lambda field: field.number))


def _parents(parts: list[Tlv]) -> tuple[str | None, str | None]:
    """Father and mother by position: two strings, two SEQUENCEs of one string each, or one
    SEQUENCE holding either. An empty or missing slot is None."""
    slots = parts
    if len(parts) == 1 and parts[0].constructed:
        slots = parts[0].children()
    names = [(_strings([slot]) or [""])[0] or None for slot in slots[:2]]
    names += [None] * (2 - len(names))
    return names[0], names[1]


def _apply(values: dict[str, object], number: int, parts: list[Tlv]) -> None:
    if number == PARENTS_FIELD:
        values["father_name"], values["mother_name"] = _parents(parts)
        return
    texts = _strings(parts)
    first = texts[0] if texts else None
    if number in TEXT_FIELDS:
        values[TEXT_FIELDS[number]] = first
    elif number == EXPIRY_FIELD:
        if first is not None and is_no_expiry_text(first):
            values["no_expiry"] = True
        else:
            values["date_of_expiry"] = parse_vn_date(first)
    elif number in DATE_FIELDS:
        values[DATE_FIELDS[number]] = parse_vn_date(first)
    elif number == SPOUSE_FIELD:
        values["spouse_name"] = " ".join(text for text in texts if text)


def is_no_expiry_text(text: str) -> bool:
    return strip_diacritics(unicodedata.normalize("NFC", text)).strip().lower() == "khong thoi han"


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy -> date; None when absent or not a real date (e.g. 00/00/1950)."""
    if text is None:
        return None
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


def _date_from_text(text: str) -> date:
    parsed = parse_vn_date(text)
    if parsed is None:
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date (dd/mm/yyyy or yyyy-mm-dd): {text!r}") from None
    return parsed


def format_vn_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def parse_dg13(data: bytes) -> VnCitizenDetails:
    return VnCitizenDetails.from_bytes(data)
