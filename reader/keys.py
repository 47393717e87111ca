"""What opens a chip: a CCCD's ID number, a card access number or the MRZ data (ICAO 9303-11 §4.3, §9.7.2).

Each key is checked here and nowhere else: whatever a clerk types in the window, a command-line option or a
local-API request becomes one of these typed values or a :class:`KeyFormatError` with the sentence every
front end shows. Keys are personal data: their repr says only which kind they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.mrz import Mrz, check_digit

ID_NUMBER_LENGTH = 12
CAN_LENGTH = 6
MAX_DOCUMENT_NUMBER_LENGTH = 22  # TD1 documents continue a long number in the optional data


class KeyFormatError(ValueError):
    """Input that cannot be a key; the message is a plain English sentence for the clerk.

    ``template`` is that sentence before its ``values`` are filled in: the window translates the
    template (one table, keyed by it) and fills in the same values.
    """

    kind: ClassVar[str] = "bad_key"

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values) if values else template)
        self.template = template
        self.values = values


def _without_spaces(text: str) -> str:
    return "".join(text.split())


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@dataclass(frozen=True, repr=False)
class IdNumberKey:
    """A CCCD's 12-digit personal identification number; its last six digits are the card's CAN."""

    id_number: str

    def __post_init__(self) -> None:
        if not _ascii_digits(self.id_number):
            raise KeyFormatError("The ID number has only digits.")
        if len(self.id_number) != ID_NUMBER_LENGTH:
            raise KeyFormatError(
                "The ID number has {expected} digits, not {given}.",
                expected=ID_NUMBER_LENGTH,
                given=len(self.id_number),
            )

    def __repr__(self) -> str:
        return "IdNumberKey(<redacted>)"

    @classmethod
    def parse(cls, text: str) -> IdNumberKey:
        """The number as typed; spaces between the groups are allowed."""
        return cls(_without_spaces(text))

    @property
    def can(self) -> str:
        return self.id_number[-CAN_LENGTH:]


@dataclass(frozen=True, repr=False)
class CanKey:
    """The 6-digit card access number printed on the document (9303-11 §4.4.1)."""

    can: str

    def __post_init__(self) -> None:
        if not _ascii_digits(self.can) or len(self.can) != CAN_LENGTH:
            raise KeyFormatError("The card access number (CAN) has {length} digits.", length=CAN_LENGTH)

    def __repr__(self) -> str:
        return "CanKey(<redacted>)"

    @classmethod
    def parse(cls, text: str) -> CanKey:
        return cls(_without_spaces(text))


def _yymmdd(text: str) -> str:
    """A date typed dd/mm/yyyy (also with '.' or '-'), or already the MRZ's YYMMDD."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        try:
            date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
        except ValueError as error:
            raise KeyFormatError("That date does not exist.") from error
        return text
    parts = re.split(r"[/.\-]", text)
    if len(parts) != 3 or not all(_ascii_digits(part) for part in parts) or len(parts[2]) != 4:
        raise KeyFormatError("Dates are written dd/mm/yyyy.")
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])).strftime("%y%m%d")
    except ValueError as error:
        raise KeyFormatError("That date does not exist.") from error


@dataclass(frozen=True, repr=False)
class MrzKey:
    """Document number and dates (YYMMDD) from the MRZ: the key of BAC and of PACE with the MRZ."""

    document_number: str
    date_of_birth: str
    date_of_expiry: str

    def __post_init__(self) -> None:
        if not re.fullmatch(rf"[A-Z0-9<]{{1,{MAX_DOCUMENT_NUMBER_LENGTH}}}", self.document_number):
            raise KeyFormatError("The document number has letters A-Z and digits only.")
        for value in (self.date_of_birth, self.date_of_expiry):
            if value != _yymmdd(value):
                raise KeyFormatError("Dates are written dd/mm/yyyy.")

    def __repr__(self) -> str:
        return "MrzKey(<redacted>)"

    @classmethod
    def parse(cls, document_number: str, birth: str, expiry: str) -> MrzKey:
        """As typed in the MRZ fields: any case and spacing, dates dd/mm/yyyy or YYMMDD."""
        return cls(_without_spaces(document_number).upper(), _yymmdd(birth), _yymmdd(expiry))

    @classmethod
    def parse_compact(cls, text: str) -> MrzKey:
        """``DOCNO,YYMMDD,YYMMDD`` as the command line and the local API take it."""
        parts = text.split(",")
        if len(parts) != 3:
            raise KeyFormatError(
                "MRZ data are written DOCNO,YYMMDD,YYMMDD (document number, birth date, expiry date)."
            )
        return cls.parse(*parts)

    @classmethod
    def parse_lines(cls, text: str) -> MrzKey:
        """The machine readable lines, pasted or scanned (TD1 3x30, TD2 2x36 or TD3 2x44; 9303-3 §4)."""
        try:
            mrz = Mrz.parse("".join(text.upper().split()))
        except (ParseError, ValueError) as error:
            raise KeyFormatError("These are not the machine readable lines of a document.") from error
        if {"document_number", "date_of_birth", "date_of_expiry"} & set(mrz.check_digit_errors):
            raise KeyFormatError("A check digit in the MRZ is wrong: scan or type the lines again.")
        return cls(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)

    @property
    def mrz_information(self) -> str:
        """Document number, birth and expiry dates, each with its check digit (9303-11 §9.7.2)."""
        number = self.document_number.ljust(9, "<")
        fields = (number, self.date_of_birth, self.date_of_expiry)
        return "".join(field + check_digit(field) for field in fields)


AccessKey = IdNumberKey | CanKey | MrzKey
KEY_KINDS = ("id", "can", "mrz")


def parse_key(kind: str, text: str) -> AccessKey:
    """A key given as text by kind: "id" (12 digits), "can" (6 digits) or "mrz" (DOCNO,YYMMDD,YYMMDD)."""
    if kind == "id":
        return IdNumberKey.parse(text)
    if kind == "can":
        return CanKey.parse(text)
    if kind == "mrz":
        return MrzKey.parse_compact(text)
    raise KeyFormatError("A key is one of: {kinds}.", kinds=", ".join(KEY_KINDS))
