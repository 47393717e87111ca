"""DG11 additional personal details and DG12 additional document details (ICAO 9303-10 §4.7.11-12)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.asn1 import INTEGER, decode_integer
from cccd_station.reader.lds.text import redacted_repr
from cccd_station.reader.lds.tlv import Tlv, parse_one

DG11_TAG = 0x6B
DG12_TAG = 0x6C
TAG_LIST_TAG = 0x5C
OTHER_NAMES_GROUP_TAG = 0xA0

# Text fields of DG11 and DG12 by tag.
DG11_TEXT_TAGS: dict[str, int] = {
    "full_name": 0x5F0E,
    "personal_number": 0x5F10,
    "full_date_of_birth": 0x5F2B,
    "place_of_birth": 0x5F11,
    "address": 0x5F42,
    "telephone": 0x5F12,
    "profession": 0x5F13,
    "title": 0x5F14,
    "personal_summary": 0x5F15,
    "other_valid_td_numbers": 0x5F17,
    "custody_information": 0x5F18,
}
DG11_OTHER_NAME_TAG = 0x5F0F
DG11_PROOF_OF_CITIZENSHIP_TAG = 0x5F16
DG12_TEXT_TAGS: dict[str, int] = {
    "issuing_authority": 0x5F19,
    "date_of_issue": 0x5F26,
    "endorsements": 0x5F1B,
    "tax_or_exit_requirements": 0x5F1C,
    "personalization_time": 0x5F55,
    "personalization_device": 0x5F56,
}
DG12_OTHER_PERSON_TAG = 0x5F1A
MAX_NAMES = 64


def _text(tlv: Tlv) -> str:
    try:
        return tlv.value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(f"text in tag {tlv.tag:X} is not UTF-8") from error


def _yyyymmdd(text: str | None) -> date | None:
    if text is None or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _names(container: Tlv, name_tag: int) -> tuple[str, ...]:
    """Names listed either in an A0 group (count + names, 9303-10 §4.7.11) or bare."""
    names: list[str] = []
    for child in container.children():
        if child.tag == name_tag:
            names.append(_text(child))
        elif child.tag == OTHER_NAMES_GROUP_TAG:
            for inner in child.children():
                if inner.tag == name_tag:
                    names.append(_text(inner))
                elif inner.tag == INTEGER:
                    decode_integer(inner)  # the count; the names themselves are authoritative
        if len(names) > MAX_NAMES:
            raise ParseError(f"more than {MAX_NAMES} names")
    return tuple(names)


def _texts(container: Tlv, tags: dict[str, int]) -> dict[str, str | None]:
    by_tag = {child.tag: child for child in container.children()}
    return {name: _text(by_tag[tag]) if tag in by_tag else None for name, tag in tags.items()}


@dataclass(frozen=True, repr=False)
class AdditionalPersonalDetails:
    """DG11. Names use the MRZ convention SURNAME<<GIVEN<NAMES; fields absent on the chip are None."""

    def __repr__(self) -> str:
        return redacted_repr(self, ())

    full_name: str | None = None
    other_names: tuple[str, ...] = ()
    personal_number: str | None = None
    full_date_of_birth: str | None = None  # yyyymmdd
    place_of_birth: str | None = None
    address: str | None = None
    telephone: str | None = None
    profession: str | None = None
    title: str | None = None
    personal_summary: str | None = None
    proof_of_citizenship: bytes | None = None
    other_valid_td_numbers: str | None = None
    custody_information: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> AdditionalPersonalDetails:
        """Parse DG11, ICAO 9303-10 §4.7.11."""
        outer, _ = parse_one(data)
        dg11 = outer.expect(DG11_TAG)
        proof = dg11.find(DG11_PROOF_OF_CITIZENSHIP_TAG)
        return cls(
            other_names=_names(dg11, DG11_OTHER_NAME_TAG),
            proof_of_citizenship=proof.value if proof is not None else None,
            **_texts(dg11, DG11_TEXT_TAGS),
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AdditionalPersonalDetails:
        """From plain data (a persona file); ``other_names`` may be a list."""
        return cls(**{**values, "other_names": tuple(values.get("other_names", ()))})

    @property
    def date_of_birth(self) -> date | None:
        return _yyyymmdd(self.full_date_of_birth)


@dataclass(frozen=True, repr=False)
class AdditionalDocumentDetails:
    """DG12; fields absent on the chip are None."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("issuing_authority",))

    issuing_authority: str | None = None
    date_of_issue: str | None = None  # yyyymmdd
    other_persons: tuple[str, ...] = ()
    endorsements: str | None = None
    tax_or_exit_requirements: str | None = None
    image_of_front: bytes | None = None
    image_of_rear: bytes | None = None
    personalization_time: str | None = None  # yyyymmddhhmmss
    personalization_device: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> AdditionalDocumentDetails:
        """Parse DG12, ICAO 9303-10 §4.7.12."""
        outer, _ = parse_one(data)
        dg12 = outer.expect(DG12_TAG)
        front, rear = dg12.find(0x5F1D), dg12.find(0x5F1E)
        return cls(
            other_persons=_names(dg12, DG12_OTHER_PERSON_TAG),
            image_of_front=front.value if front is not None else None,
            image_of_rear=rear.value if rear is not None else None,
            **_texts(dg12, DG12_TEXT_TAGS),
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AdditionalDocumentDetails:
        """From plain data (a persona file); ``other_persons`` may be a list."""
        return cls(**{**values, "other_persons": tuple(values.get("other_persons", ()))})

    @property
    def issue_date(self) -> date | None:
        return _yyyymmdd(self.date_of_issue)

    @property
    def personalized_at(self) -> datetime | None:
        text = self.personalization_time
        if text is None or len(text) != 14 or not text.isdigit():
            return None
        try:
            return datetime.strptime(text, "%Y%m%d%H%M%S")  # the chip stores local time
        except ValueError:
            return None


def parse_dg11(data: bytes) -> AdditionalPersonalDetails:
    return AdditionalPersonalDetails.from_bytes(data)


def parse_dg12(data: bytes) -> AdditionalDocumentDetails:
    return AdditionalDocumentDetails.from_bytes(data)
