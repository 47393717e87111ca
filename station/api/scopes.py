"""What each scope of the local API releases of a read: the object of `station read --json`, cut.

Every field of a read result is listed here under exactly one scope, or as information about the read
that holds no personal data (released to every client). A field that is listed nowhere is never
released, so a field added to the report later stays private until someone decides its scope.

- ``identity``: ``holder.id_number``, ``old_id_number``, ``full_name``, ``date_of_birth``, ``sex``,
  ``nationality``, ``date_of_issue``, ``date_of_expiry``, ``no_expiry``, ``card_generation``, and the whole
  ``mrz`` (its lines hold the same: document number, names, dates, sex, nationality)
- ``address``: ``holder.place_of_origin``, ``holder.place_of_residence``
- ``family``: ``holder.father_name``, ``holder.mother_name``, ``holder.spouse_name``
- ``details``: ``holder.ethnicity``, ``holder.religion``, ``holder.identifying_marks`` and
  ``holder.extra_fields`` (DG13 fields the station does not interpret: sensitive or unknown, so not part
  of ``identity``)
- ``photo``: ``photo`` with the portrait itself (``data``: the chip's bytes in base64; ``data_url``: a
  browser can show it, JPEG 2000 turned into PNG)
- ``checks``: ``checks`` (each check's id, status and detail) and ``disagreements`` (names of the fields
  where the MRZ and DG13 differ)
- to every client: ``verdict``, ``access``, ``stats``
- ``face``: no field of a read; the ``face.compared`` event (the band of the clerk's face comparison,
  nothing else), which clients without it never see (:func:`event_released`)

A field of a scope the client lacks is absent from ``holder`` (never null: null means the card holds no
value); ``mrz``, ``photo``, ``checks`` and ``disagreements`` are null without their scope; ``scopes``
lists what the object carries.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cccd_station.db.api_clients import API_SCOPES, DEFAULT_SCOPES
from cccd_station.station.events import FACE_COMPARED

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult

__all__ = ["API_SCOPES", "DEFAULT_SCOPES", "HOLDER_FIELDS", "event_released", "full_report", "released"]

HOLDER_FIELDS: Mapping[str, tuple[str, ...]] = {
    "identity": (
        "id_number",
        "old_id_number",
        "full_name",
        "date_of_birth",
        "sex",
        "nationality",
        "date_of_issue",
        "date_of_expiry",
        "no_expiry",
        "card_generation",
    ),
    "address": ("place_of_origin", "place_of_residence"),
    "family": ("father_name", "mother_name", "spouse_name"),
    "details": ("ethnicity", "religion", "identifying_marks", "extra_fields"),
}
TOP_LEVEL_FIELDS: Mapping[str, tuple[str, ...]] = {
    "identity": ("mrz",),
    "photo": ("photo",),
    "checks": ("checks", "disagreements"),
}
ABOUT_THE_READ = ("verdict", "access", "stats")
HOLDER_DATA_SCOPES = ("identity", "address", "family", "details", "photo")
# Events that only clients with a scope receive; every other event goes to every client.
EVENT_SCOPES: Mapping[str, str] = {FACE_COMPARED: "face"}


def event_released(kind: str, scopes: Iterable[str]) -> bool:
    """Whether a client with ``scopes`` receives events of ``kind`` at all."""
    needed = EVENT_SCOPES.get(kind)
    return needed is None or needed in set(scopes)


def full_report(result: InspectionResult) -> dict[str, Any]:
    """Everything any scope may release: `station read --json`'s object plus the portrait's bytes."""
    report = result.to_json()
    photo = result.photo
    if photo is not None and report.get("photo") is not None:
        if photo.format == "jpeg":
            mime, shown = "image/jpeg", photo.data
        else:  # no browser shows JPEG 2000
            mime, shown = "image/png", photo.to_png()
        report["photo"] = {
            **report["photo"],
            "data": base64.b64encode(photo.data).decode("ascii"),
            "data_url": f"data:{mime};base64,{base64.b64encode(shown).decode('ascii')}",
        }
    return report


def released(report: Mapping[str, Any], scopes: Iterable[str]) -> dict[str, Any]:
    """``report`` (from :func:`full_report`) cut to ``scopes``."""
    granted = [scope for scope in API_SCOPES if scope in set(scopes)]
    cut: dict[str, Any] = {name: report.get(name) for name in ABOUT_THE_READ}
    for scope, names in TOP_LEVEL_FIELDS.items():
        for name in names:
            cut[name] = report.get(name) if scope in granted else None
    holder = report.get("holder")
    holder_fields = [name for scope in granted for name in HOLDER_FIELDS.get(scope, ())]
    cut["holder"] = {name: holder.get(name) for name in holder_fields} if holder and holder_fields else None
    cut["scopes"] = granted
    return cut
