"""What the clerk types or scans to open a card, checked before any card work starts.

No Qt here: the desktop program and tests share these rules. Four inputs reach this module:
the 12-digit CCCD number, a 6-digit CAN, MRZ data (document number, dates dd/mm/yyyy) or the
MRZ lines themselves, and the text a USB 2D scanner "types" when it reads the QR code on the
front of a CCCD.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.mrz import Mrz

ID_NUMBER_LENGTH = 12
CAN_LENGTH = 6
QR_SEPARATOR = "|"
# A CCCD QR holds 7 fields; newer cards append empty ones, so accept a few more.
QR_MIN_FIELDS = 7
QR_MAX_FIELDS = 12
# A person types at most ~15 characters a second; keyboard-emulating scanners send hundreds.
SCANNER_MAX_MEAN_INTERVAL = 0.03
SCANNER_MIN_LENGTH = 20


class KeyInputError(ValueError):
    """Input that cannot open a card; the message is a plain English sentence for the clerk."""


def _digits_only(text: str) -> str:
    return "".join(text.split())


def validate_id_number(text: str) -> str:
    """The 12-digit CCCD number (spaces allowed between groups); KeyInputError otherwise."""
    digits = _digits_only(text)
    if not digits.isdigit() or not digits.isascii():
        raise KeyInputError("The ID number has only digits.")
    if len(digits) != ID_NUMBER_LENGTH:
        raise KeyInputError(f"The ID number has {ID_NUMBER_LENGTH} digits, not {len(digits)}.")
    return digits


def validate_can(text: str) -> str:
    """The 6-digit card access number printed on the card."""
    digits = _digits_only(text)
    if not digits.isdigit() or not digits.isascii() or len(digits) != CAN_LENGTH:
        raise KeyInputError(f"The card access number (CAN) has {CAN_LENGTH} digits.")
    return digits


def date_to_yymmdd(text: str) -> str:
    """A date typed as dd/mm/yyyy (also with '.' or '-') as the MRZ's YYMMDD."""
    parts = re.split(r"[/.\-]", text.strip())
    if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        raise KeyInputError("Dates are written dd/mm/yyyy.")
    try:
        value = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError as error:
        raise KeyInputError("That date does not exist.") from error
    return value.strftime("%y%m%d")


@dataclass(frozen=True, repr=False)
class MrzData:
    """The three MRZ fields that open a chip with BAC or PACE-MRZ (ICAO 9303-11 §4.3 / §9.7.2)."""

    document_number: str
    birth_yymmdd: str
    expiry_yymmdd: str

    def __repr__(self) -> str:  # personal data: keep it out of logs
        return "MrzData(<redacted>)"


def validate_mrz_data(document_number: str, birth: str, expiry: str) -> MrzData:
    """Document number (letters and digits) and dates dd/mm/yyyy as typed in the MRZ tab."""
    number = document_number.strip().upper().replace(" ", "")
    if not number or not re.fullmatch(r"[A-Z0-9]{1,22}", number):
        raise KeyInputError("The document number has letters A-Z and digits only.")
    return MrzData(number, date_to_yymmdd(birth), date_to_yymmdd(expiry))


def parse_mrz_lines(text: str) -> MrzData:
    """MRZ lines pasted or scanned (TD1 3x30, TD2 2x36 or TD3 2x44; ICAO 9303-3 §4)."""
    cleaned = "".join(text.upper().split())
    try:
        mrz = Mrz.parse(cleaned)
    except (ParseError, ValueError) as error:
        raise KeyInputError("These are not the machine readable lines of a document.") from error
    if {"document_number", "date_of_birth", "date_of_expiry"} & set(mrz.check_digit_errors):
        raise KeyInputError("A check digit in the MRZ is wrong: scan or type the lines again.")
    return MrzData(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)


@dataclass(frozen=True, repr=False)
class CccdQr:
    """The QR code on the front of a CCCD: ``ID|old ID|name|ddMMyyyy birth|sex|address|ddMMyyyy issue``.

    Observed layout (no published specification); later cards append empty fields.
    """

    id_number: str
    old_id_number: str
    full_name: str
    date_of_birth: date | None
    sex: str
    address: str
    date_of_issue: date | None

    def __repr__(self) -> str:
        return "CccdQr(<redacted>)"

    @classmethod
    def parse(cls, text: str) -> CccdQr:
        """Parse the QR text; KeyInputError when it does not have the CCCD shape."""
        fields = text.strip().split(QR_SEPARATOR)
        if not QR_MIN_FIELDS <= len(fields) <= QR_MAX_FIELDS:
            raise KeyInputError("This is not the QR code of a CCCD.")
        if any(extra.strip() for extra in fields[QR_MIN_FIELDS:]):
            raise KeyInputError("This is not the QR code of a CCCD.")
        id_number = validate_id_number(fields[0])
        old_id = fields[1].strip()
        if old_id and not old_id.isdigit():
            raise KeyInputError("This is not the QR code of a CCCD.")
        return cls(
            id_number=id_number,
            old_id_number=old_id,
            full_name=fields[2].strip(),
            date_of_birth=_ddmmyyyy(fields[3]),
            sex=fields[4].strip(),
            address=fields[5].strip(),
            date_of_issue=_ddmmyyyy(fields[6]),
        )


def _ddmmyyyy(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{8}", text):
        raise KeyInputError("This is not the QR code of a CCCD.")
    try:
        return datetime.strptime(text, "%d%m%Y").date()
    except ValueError as error:
        raise KeyInputError("This is not the QR code of a CCCD.") from error


def looks_like_cccd_qr(text: str) -> bool:
    """True when ``text`` has the CCCD QR shape (cheap: used on every keystroke burst)."""
    try:
        CccdQr.parse(text)
    except KeyInputError:
        return False
    return True


@dataclass(frozen=True)
class ScanVerdict:
    is_scan: bool
    qr: CccdQr | None = None


def detect_scan(text: str, key_times: Sequence[float]) -> ScanVerdict:
    """Whether ``text`` arrived from a keyboard-emulating 2D scanner reading a CCCD QR code.

    ``key_times`` are the monotonic times (seconds) of the keystrokes that produced ``text``.
    A scan is a long burst, faster on average than anyone types, with the QR shape.
    """
    if len(text) < SCANNER_MIN_LENGTH or len(key_times) < 2:
        return ScanVerdict(False)
    mean_interval = (key_times[-1] - key_times[0]) / (len(key_times) - 1)
    if mean_interval > SCANNER_MAX_MEAN_INTERVAL:
        return ScanVerdict(False)
    try:
        return ScanVerdict(True, CccdQr.parse(text))
    except KeyInputError:
        return ScanVerdict(False)


class ScanDetector:
    """Collects keystrokes and says when the last burst was a CCCD QR scan.

    Feed every typed character with its time; call :meth:`finish` at Enter (scanners end with
    it) or after a pause. Keystrokes more than ``gap`` seconds apart start a new burst.
    """

    def __init__(self, gap: float = 0.2) -> None:
        self._gap = gap
        self._chars: list[str] = []
        self._times: list[float] = []

    def feed(self, char: str, at: float) -> None:
        if self._times and at - self._times[-1] > self._gap:
            self.reset()
        self._chars.append(char)
        self._times.append(at)

    def finish(self) -> ScanVerdict:
        verdict = detect_scan("".join(self._chars), self._times)
        self.reset()
        return verdict

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()


@dataclass(frozen=True, repr=False)
class OpeningKey:
    """What the clerk gave to open the card: an ID number, a CAN or MRZ data."""

    kind: str  # "id" | "can" | "mrz"
    number: str = ""  # the ID number or the CAN
    mrz: MrzData | None = None

    def __repr__(self) -> str:
        return f"OpeningKey({self.kind}, <redacted>)"

    @classmethod
    def id_number(cls, text: str) -> OpeningKey:
        return cls("id", validate_id_number(text))

    @classmethod
    def can(cls, text: str) -> OpeningKey:
        return cls("can", validate_can(text))

    @classmethod
    def mrz_data(cls, data: MrzData) -> OpeningKey:
        return cls("mrz", mrz=data)

    def to_access_key(self) -> Any:
        """The reader.access key for the pipeline (IdNumberKey, CanKey or MrzKey)."""
        from cccd_station.reader.access import CanKey, IdNumberKey, MrzKey

        if self.kind == "id":
            return IdNumberKey(self.number)
        if self.kind == "can":
            return CanKey(self.number)
        assert self.mrz is not None
        return MrzKey(self.mrz.document_number, self.mrz.birth_yymmdd, self.mrz.expiry_yymmdd)
