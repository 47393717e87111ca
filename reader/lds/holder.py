"""One view of the holder from DG1 (MRZ) and DG13 (Vietnamese details), and where they disagree.

DG13 is preferred for display (it has the diacritics); the MRZ fills in what DG13 lacks. A
disagreement does not stop the read: the clerk sees which fields differ. The card generation
(CCCD or Căn cước, docs/dg13.md) decides how the window labels DG13's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cccd_station.reader.lds.dg13 import CardGeneration, VnCitizenDetails
from cccd_station.reader.lds.mrz import Mrz
from cccd_station.reader.lds.text import name_words, redacted_repr

MRZ_NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39}


@dataclass(frozen=True, repr=False)
class HolderRecord:
    """The holder as the station shows it; ``disagreements`` names fields where DG1 and DG13 differ."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("no_expiry", "disagreements", "generation"))

    id_number: str | None
    document_number: str | None
    full_name: str | None
    date_of_birth: date | None
    sex: str | None  # "M" | "F" | None
    nationality: str | None
    date_of_expiry: date | None
    no_expiry: bool
    mrz: Mrz | None
    vn_details: VnCitizenDetails | None
    disagreements: tuple[str, ...]
    generation: CardGeneration | None = None

    @classmethod
    def merge(cls, mrz: Mrz | None, vn_details: VnCitizenDetails | None) -> HolderRecord:
        """Combine DG1 and DG13 (either may be missing) and compare what both state."""
        mrz_name = " ".join(part for part in (mrz.surname, mrz.given_names) if part) if mrz else None
        mrz_id = (mrz.cccd_id_number or mrz.document_number) if mrz else None
        mrz_sex = mrz.sex if mrz and mrz.sex in ("M", "F") else None
        mrz_no_expiry = bool(mrz and mrz.has_no_expiry)
        vn = vn_details
        return cls(
            id_number=(vn.id_number if vn else None) or mrz_id,
            document_number=mrz.document_number if mrz else None,
            full_name=(vn.full_name if vn else None) or mrz_name,
            date_of_birth=(vn.date_of_birth if vn else None) or (mrz.date_of_birth if mrz else None),
            sex=(vn.sex_code if vn else None) or mrz_sex,
            nationality=(vn.nationality if vn else None) or (mrz.nationality if mrz else None),
            date_of_expiry=_expiry(mrz, vn),
            no_expiry=(vn.no_expiry if vn else False) or mrz_no_expiry,
            mrz=mrz,
            vn_details=vn,
            disagreements=_disagreements(mrz, vn) if mrz and vn else (),
            generation=_generation(mrz, vn),
        )


def _generation(mrz: Mrz | None, vn: VnCitizenDetails | None) -> CardGeneration | None:
    """DG13's generation when the MRZ (if read) names a Vietnamese identity card: both
    generations write "ID" and "VNM" there (ICAO 9303-5 §4.2.2), so the MRZ can only rule out."""
    if vn is None or (mrz is not None and not _is_vietnamese_id_card(mrz)):
        return None
    return vn.generation


def _is_vietnamese_id_card(mrz: Mrz) -> bool:
    return mrz.format == "TD1" and mrz.document_code.startswith("I") and mrz.issuing_state == "VNM"


def _expiry(mrz: Mrz | None, vn: VnCitizenDetails | None) -> date | None:
    if vn is not None and (vn.no_expiry or vn.date_of_expiry is not None):
        return vn.date_of_expiry
    if mrz is None or mrz.has_no_expiry:
        return None
    return mrz.date_of_expiry


def _disagreements(mrz: Mrz, vn: VnCitizenDetails) -> tuple[str, ...]:
    found: list[str] = []
    if vn.id_number is not None:
        # Without the 12 digits in the MRZ, its document number is their last nine.
        mrz_id = mrz.cccd_id_number
        matches = vn.id_number == mrz_id if mrz_id else vn.id_number.endswith(mrz.document_number)
        if not matches:
            found.append("id_number")
    if vn.full_name is not None and not _same_name(mrz, vn.full_name):
        found.append("name")
    if (
        vn.date_of_birth is not None
        and mrz.date_of_birth is not None
        and vn.date_of_birth != mrz.date_of_birth
    ):
        found.append("date_of_birth")
    if vn.sex_code is not None and mrz.sex in ("M", "F") and vn.sex_code != mrz.sex:
        found.append("sex")
    if vn.no_expiry != mrz.has_no_expiry or (
        not vn.no_expiry
        and vn.date_of_expiry is not None
        and mrz.date_of_expiry is not None
        and vn.date_of_expiry != mrz.date_of_expiry
    ):
        found.append("date_of_expiry")
    return tuple(found)


def _same_name(mrz: Mrz, full_name: str) -> bool:
    """Compare letters only; an MRZ name that fills its whole field may have been cut short."""
    mrz_letters = "".join(name_words(f"{mrz.surname} {mrz.given_names}"))
    dg13_letters = "".join(name_words(full_name))
    if mrz_letters == dg13_letters:
        return True
    name_field = mrz.lines[2] if mrz.format == "TD1" else mrz.lines[0][5:]
    truncated = not name_field.endswith("<<")  # a cut may fall just before a separator
    return truncated and dg13_letters.startswith(mrz_letters)
