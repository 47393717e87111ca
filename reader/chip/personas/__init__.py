"""Fictitious card holders the virtual chip can impersonate.

Each ``<key>.json`` in this package describes one invented person: Vietnamese CCCD holders
(``kind`` "cccd", their details in DG13 form, the MRZ derived from them) and passport holders
(``kind`` "passport", MRZ data plus DG11/DG12). Nobody here is a real person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from PIL import Image

from cccd_station.reader.chip.portrait import FORMATS, PortraitStyle, draw_portrait, encode_portrait
from cccd_station.reader.lds.build import (
    build_dg1,
    build_dg2,
    build_dg11,
    build_dg12,
    build_dg13,
    cccd_mrz,
    td3_mrz,
)
from cccd_station.reader.lds.details import AdditionalDocumentDetails, AdditionalPersonalDetails
from cccd_station.reader.lds.dg13 import VnCitizenDetails
from cccd_station.reader.lds.mrz import Mrz
from cccd_station.reader.lds.text import redacted_repr

KINDS = ("cccd", "passport")


class PersonaError(ValueError):
    """A persona file is missing or inconsistent."""


@dataclass(frozen=True, repr=False)
class Persona:
    """One fictitious holder and everything needed to personalise a virtual chip for them."""

    key: str
    kind: str  # "cccd" | "passport"
    can: str
    mrz_lines: tuple[str, ...]
    vn_details: VnCitizenDetails | None
    dg11: AdditionalPersonalDetails | None
    dg12: AdditionalDocumentDetails | None
    portrait_style: PortraitStyle
    portrait_format: str  # "jpeg" | "jp2" | "j2k"
    document_signer: str | None = None  # the test Document Signer of EF.SOD, when not the default

    def __repr__(self) -> str:
        return redacted_repr(self, ("key", "kind"))

    @property
    def mrz(self) -> Mrz:
        return Mrz.parse("".join(self.mrz_lines))

    @property
    def id_number(self) -> str | None:
        """The 12-digit CCCD number (None for passports)."""
        return self.vn_details.id_number if self.vn_details else None

    @property
    def document_number(self) -> str:
        return self.mrz.document_number

    @property
    def display_name(self) -> str:
        if self.vn_details and self.vn_details.full_name:
            return self.vn_details.full_name
        mrz = self.mrz
        return f"{mrz.given_names} {mrz.surname}".strip()

    def portrait(self, width: int = 240, height: int = 320) -> Image.Image:
        return draw_portrait(self.portrait_style, width, height)

    def portrait_bytes(self) -> bytes:
        """The portrait encoded in this persona's format, as DG2 stores it."""
        return encode_portrait(self.portrait(), self.portrait_format)

    def data_groups(self) -> dict[int, bytes]:
        """The personal data groups (DG1, DG2, and DG11/DG12 or DG13) by number; DG14, DG15 and
        EF.SOD depend on the chip's keys and are the virtual chip's to add."""
        image = self.portrait()
        groups = {
            1: build_dg1(self.mrz_lines),
            2: build_dg2(encode_portrait(image, self.portrait_format), self.portrait_format, *image.size),
        }
        if self.dg11 is not None:
            groups[11] = build_dg11(self.dg11)
        if self.dg12 is not None:
            groups[12] = build_dg12(self.dg12)
        if self.vn_details is not None:
            groups[13] = build_dg13(self.vn_details)
        return groups


def _yymmdd(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%y%m%d")


def _cccd_mrz(details: VnCitizenDetails) -> tuple[str, ...]:
    if not (details.id_number and details.full_name and details.date_of_birth and details.sex_code):
        raise PersonaError("a CCCD persona needs id_number, full_name, date_of_birth and sex in dg13")
    expiry = None if details.no_expiry or details.date_of_expiry is None else details.date_of_expiry
    return cccd_mrz(
        details.id_number,
        details.date_of_birth.strftime("%y%m%d"),
        details.sex_code,
        expiry.strftime("%y%m%d") if expiry else None,
        details.full_name,
    )


def _passport_mrz(mrz: dict[str, Any]) -> tuple[str, ...]:
    return td3_mrz(
        mrz["document_code"],
        mrz["issuing_state"],
        mrz["document_number"],
        _yymmdd(mrz["date_of_birth"]),
        mrz["sex"],
        _yymmdd(mrz["date_of_expiry"]),
        mrz["nationality"],
        mrz["surname"],
        mrz["given_names"],
        mrz.get("personal_number", ""),
    )


def _persona_from_json(data: dict[str, Any]) -> Persona:
    kind = data.get("kind")
    if kind not in KINDS:
        raise PersonaError(f"persona kind must be one of {KINDS}, got {kind!r}")
    can = str(data.get("can", ""))
    if len(can) != 6 or not can.isdigit():
        raise PersonaError("a persona's CAN has 6 digits")
    vn_details = VnCitizenDetails.from_mapping(data["dg13"]) if "dg13" in data else None
    dg11 = data.get("dg11")
    dg12 = data.get("dg12")
    if kind == "cccd":
        if vn_details is None:
            raise PersonaError("a CCCD persona needs dg13")
        lines = _cccd_mrz(vn_details)
    else:
        lines = _passport_mrz(data["mrz"])
    portrait_format = data.get("portrait_format", "jpeg")
    if portrait_format not in FORMATS:
        raise PersonaError(f"portrait_format must be one of {FORMATS}")
    return Persona(
        key=data["key"],
        kind=kind,
        can=can,
        mrz_lines=tuple(lines),
        vn_details=vn_details,
        dg11=AdditionalPersonalDetails.from_mapping(dg11) if dg11 else None,
        dg12=AdditionalDocumentDetails.from_mapping(dg12) if dg12 else None,
        portrait_style=PortraitStyle(**data["portrait"]),
        portrait_format=portrait_format,
        document_signer=data.get("document_signer"),
    )


def persona_names() -> list[str]:
    """Keys of the stored personas, sorted."""
    files = resources.files(__name__).iterdir()
    return sorted(item.name.removesuffix(".json") for item in files if item.name.endswith(".json"))


@cache
def load_persona(name: str) -> Persona:
    """The persona stored as ``<name>.json``; PersonaError when there is none or it is inconsistent."""
    if name not in persona_names():
        raise PersonaError(f"no persona {name!r}; known: {', '.join(persona_names())}")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    try:
        persona = _persona_from_json(json.loads(text))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, PersonaError):
            raise
        raise PersonaError(f"persona {name!r} is malformed: {error}") from error
    if persona.key != name:
        raise PersonaError(f"persona file {name}.json holds key {persona.key!r}")
    return persona
