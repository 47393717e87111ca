"""Machine readable zones (ICAO 9303-3 §4.9, 9303-4 §4.2, 9303-5 §4.2, 9303-6 §4.2) and DG1.

Vietnamese CCCD cards use TD1 with the 12-digit personal ID number in the optional data of
line 1: ``IDVNM`` + last 9 digits + check digit + the 12 digits + ``<<`` + its check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.text import redacted_repr
from cccd_station.reader.lds.tlv import parse_one

DG1_TAG = 0x61
MRZ_TAG = 0x5F1F
FILLER = "<"
_ALLOWED = re.compile(r"[A-Z0-9<]*")
_WEIGHTS = (7, 3, 1)
# Total length of the MRZ text -> (format, line length).
_FORMATS = {90: ("TD1", 30), 72: ("TD2", 36), 88: ("TD3", 44)}
CCCD_NO_EXPIRY = "991231"


def _char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise ValueError(f"{char!r} cannot appear in a machine readable zone")


def check_digit(text: str) -> str:
    """ICAO 9303-3 §4.9 check digit: weights 7-3-1, '<' = 0, A = 10 ... Z = 35."""
    return str(sum(_char_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(text)) % 10)


def birth_date(yymmdd: str, today: date | None = None) -> date | None:
    """Date of birth from YYMMDD, in the latest century that does not put it in the future."""
    today = today or date.today()
    parsed = _yymmdd(yymmdd, 2000)
    if parsed is not None and parsed > today:
        parsed = _yymmdd(yymmdd, 1900)
    return parsed


def expiry_date(yymmdd: str) -> date | None:
    """Date of expiry from YYMMDD; documents valid today expire in 20YY."""
    return _yymmdd(yymmdd, 2000)


def _yymmdd(text: str, century: int) -> date | None:
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return date(century + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


def _unfill(text: str) -> str:
    return text.replace(FILLER, " ").strip()


def _trim(text: str) -> str:
    """Optional data without its padding; fillers inside it are data and stay."""
    return text.strip(FILLER)


def _digit_ok(data: str, digit: str) -> bool:
    # An empty optional field may carry '<' instead of the check digit 0 (9303-4 §4.2.2).
    if digit == FILLER:
        return set(data) <= {FILLER}
    return check_digit(data) == digit


def _split_name(field_text: str) -> tuple[str, str]:
    surname, _, given = field_text.partition("<<")
    return _unfill(surname), " ".join(_unfill(given).split())


@dataclass(frozen=True, repr=False)
class Mrz:
    """A parsed machine readable zone; a wrong check digit is reported, not fatal."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("format", "issuing_state", "check_digit_errors"))

    format: str  # "TD1" | "TD2" | "TD3"
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    document_number: str  # full, including a TD1/TD2 long-number extension
    document_number_check: str
    birth_raw: str
    date_of_birth: date | None
    sex: str
    expiry_raw: str
    date_of_expiry: date | None
    nationality: str
    surname: str
    given_names: str
    optional_data: str
    optional_data_2: str = ""  # TD1 line 2 only
    check_digit_errors: tuple[str, ...] = field(default=())

    @classmethod
    def parse(cls, text: str) -> Mrz:
        """Parse TD1 (3x30), TD2 (2x36) or TD3 (2x44) text, with or without line breaks."""
        compact = "".join(text.split())
        if len(compact) not in _FORMATS:
            raise ParseError(f"MRZ of {len(compact)} characters is not TD1 (90), TD2 (72) or TD3 (88)")
        if not _ALLOWED.fullmatch(compact):
            raise ParseError("MRZ holds characters other than A-Z, 0-9 and '<'")
        kind, width = _FORMATS[len(compact)]
        lines = tuple(compact[i : i + width] for i in range(0, len(compact), width))
        if kind == "TD1":
            return cls._parse_td1(lines)
        return cls._parse_two_line(kind, lines)

    @classmethod
    def _parse_td1(cls, lines: tuple[str, ...]) -> Mrz:
        """TD1 layout, ICAO 9303-5 §4.2.2."""
        line1, line2, line3 = lines
        errors: list[str] = []
        number, number_check, optional = _long_document_number(line1[5:14], line1[14], line1[15:30])
        if not _digit_ok(number.ljust(9, FILLER), number_check):
            errors.append("document_number")
        errors += _date_errors(line2[0:6], line2[6], line2[8:14], line2[14])
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        if check_digit(composite) != line2[29]:
            errors.append("composite")
        surname, given = _split_name(line3)
        mrz = cls(
            "TD1", lines, _unfill(line1[0:2]), _unfill(line1[2:5]), number, number_check,
            line2[0:6], birth_date(line2[0:6]), line2[7], line2[8:14], expiry_date(line2[8:14]),
            _unfill(line2[15:18]), surname, given, _trim(optional), _trim(line2[18:29]),
        )  # fmt: skip
        if mrz.issuing_state == "VNM":
            digits = line1[15:27]
            if digits.isdigit() and line1[27:29] == "<<" and check_digit(digits) != line1[29]:
                errors.append("cccd_id_number")
        return _with_errors(mrz, errors)

    @classmethod
    def _parse_two_line(cls, kind: str, lines: tuple[str, ...]) -> Mrz:
        """TD2 (ICAO 9303-6 §4.2.2) and TD3 (ICAO 9303-4 §4.2.2) share line 2's first 28 characters."""
        line1, line2 = lines
        errors: list[str] = []
        width = len(line2)
        if kind == "TD3":
            number, number_check, optional = line2[0:9].rstrip(FILLER), line2[9], line2[28:42]
            if not _digit_ok(line2[28:42], line2[42]):
                errors.append("optional_data")
        else:
            number, number_check, optional = _long_document_number(line2[0:9], line2[9], line2[28:35])
        if not _digit_ok(number.ljust(9, FILLER), number_check):
            errors.append("document_number")
        errors += _date_errors(line2[13:19], line2[19], line2[21:27], line2[27])
        composite = line2[0:10] + line2[13:20] + line2[21 : width - 1]
        if check_digit(composite) != line2[width - 1]:
            errors.append("composite")
        surname, given = _split_name(line1[5:])
        mrz = cls(
            kind, lines, _unfill(line1[0:2]), _unfill(line1[2:5]), number, number_check,
            line2[13:19], birth_date(line2[13:19]), line2[20], line2[21:27], expiry_date(line2[21:27]),
            _unfill(line2[10:13]), surname, given, _trim(optional),
        )  # fmt: skip
        return _with_errors(mrz, errors)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def mrz_information(self) -> str:
        """Document number, date of birth and expiry with their check digits: the BAC key seed
        input (ICAO 9303-11 §9.7.2)."""
        number = self.document_number.ljust(9, FILLER)
        return (
            number + check_digit(number)
            + self.birth_raw + check_digit(self.birth_raw)
            + self.expiry_raw + check_digit(self.expiry_raw)
        )  # fmt: skip

    @property
    def cccd_id_number(self) -> str | None:
        """The 12-digit Vietnamese personal ID number of a CCCD, when the MRZ carries one."""
        if self.format != "TD1" or self.issuing_state != "VNM":
            return None
        candidate = self.lines[0][15:27]
        if candidate.isdigit() and candidate.endswith(self.document_number[-9:]):
            return candidate
        return None

    @property
    def has_no_expiry(self) -> bool:
        """A CCCD issued without expiry (holders over 60) carries 991231."""
        return self.issuing_state == "VNM" and self.expiry_raw == CCCD_NO_EXPIRY


def _long_document_number(field_text: str, check: str, optional: str) -> tuple[str, str, str]:
    """TD1/TD2 numbers longer than 9 characters (9303-5 §4.2.2 note j): the check digit position
    holds '<' and the rest of the number plus its check digit open the optional data."""
    if check != FILLER or not optional or optional[0] == FILLER:
        return field_text.rstrip(FILLER), check, optional
    extension = optional.split(FILLER, 1)[0]
    if len(extension) < 2:
        return field_text.rstrip(FILLER), check, optional
    return field_text + extension[:-1], extension[-1], optional[len(extension) :]


def _date_errors(birth: str, birth_check: str, expiry: str, expiry_check: str) -> list[str]:
    errors = []
    if not _digit_ok(birth, birth_check):
        errors.append("date_of_birth")
    if not _digit_ok(expiry, expiry_check):
        errors.append("date_of_expiry")
    return errors


def _with_errors(mrz: Mrz, errors: list[str]) -> Mrz:
    return replace(mrz, check_digit_errors=tuple(errors))


def parse_dg1(data: bytes) -> Mrz:
    """DG1 (ICAO 9303-10 §4.7.1): tag 61 holding the MRZ text in tag 5F1F."""
    outer, _ = parse_one(data)
    mrz = outer.expect(DG1_TAG).require(MRZ_TAG)
    try:
        text = mrz.value.decode("ascii")
    except UnicodeDecodeError as error:
        raise ParseError("DG1 MRZ holds bytes that are not ASCII") from error
    return Mrz.parse(text)
