"""The inspection result as one JSON object (the shape `station read --json` prints)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Any

from cccd_station.reader.lds.dg13 import CardGeneration, VnCitizenDetails
from cccd_station.reader.lds.mrz import Mrz

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def mrz_to_json(mrz: Mrz) -> dict[str, Any]:
    return {
        "document_code": mrz.document_code,
        "issuing_state": mrz.issuing_state,
        "document_number": mrz.document_number,
        "date_of_birth": _iso(mrz.date_of_birth),
        "sex": mrz.sex,
        "date_of_expiry": None if mrz.has_no_expiry else _iso(mrz.date_of_expiry),
        "nationality": mrz.nationality,
        "surname": mrz.surname,
        "given_names": mrz.given_names,
        "optional_data": mrz.optional_data,
        "check_digit_errors": list(mrz.check_digit_errors),
    }


def holder_to_json(holder: VnCitizenDetails, generation: CardGeneration | None = None) -> dict[str, Any]:
    """DG13 as JSON: the named fields, the card generation ("cccd_2021", "can_cuoc_2024" or null,
    docs/dg13.md) and the fields the station does not interpret, raw, in card order."""
    return {
        "id_number": holder.id_number,
        "full_name": holder.full_name,
        "date_of_birth": _iso(holder.date_of_birth),
        "sex": holder.sex,
        "nationality": holder.nationality,
        "ethnicity": holder.ethnicity,
        "religion": holder.religion,
        "place_of_origin": holder.place_of_origin,
        "place_of_residence": holder.place_of_residence,
        "identifying_marks": holder.identifying_marks,
        "date_of_issue": _iso(holder.date_of_issue),
        "date_of_expiry": None if holder.no_expiry else _iso(holder.date_of_expiry),
        "no_expiry": holder.no_expiry,
        "father_name": holder.father_name,
        "mother_name": holder.mother_name,
        "spouse_name": holder.spouse_name or None,
        "old_id_number": holder.old_id_number,
        "card_generation": generation.value if generation else None,
        "extra_fields": [{"number": field.number, "text": field.text} for field in holder.extra_fields],
    }


def result_to_json(result: InspectionResult) -> dict[str, Any]:
    photo = result.photo
    return {
        "verdict": result.verdict.value,
        "checks": [{"id": c.id, "status": c.status.value, "detail": c.detail} for c in result.checks],
        "access": {
            "protocol": result.access.protocol,
            "password": result.access.password,
            "downgraded_from": result.access.downgraded_from,
        },
        "mrz": mrz_to_json(result.mrz) if result.mrz else None,
        "holder": holder_to_json(result.holder, result.record.generation) if result.holder else None,
        "disagreements": list(result.record.disagreements),
        "photo": (
            {
                "format": photo.format,
                "width": photo.width,
                "height": photo.height,
                "sha256": hashlib.sha256(photo.data).hexdigest(),
            }
            if photo
            else None
        ),
        "stats": {
            "apdus": result.stats.apdus,
            "bytes_sent": result.stats.bytes_sent,
            "bytes_received": result.stats.bytes_received,
            "seconds": round(result.seconds, 4),
        },
    }
