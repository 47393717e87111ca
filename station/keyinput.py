"""The text a USB 2D scanner "types" when it reads the QR code on the front of a CCCD.

The keys themselves (ID number, CAN, MRZ data or lines) are parsed by :mod:`cccd_station.reader.keys`;
this module tells a scanned QR code from typing and takes the ID number (and the holder's name, for a
hint on screen) out of it. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cccd_station.reader.keys import IdNumberKey, KeyFormatError

QR_SEPARATOR = "|"
# A CCCD QR holds 7 fields; newer cards append empty ones, so accept a few more.
QR_MIN_FIELDS = 7
QR_MAX_FIELDS = 12
# A person types at most ~15 characters a second; keyboard-emulating scanners send hundreds.
SCANNER_MAX_MEAN_INTERVAL = 0.03
SCANNER_MIN_LENGTH = 20


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
        """Parse the QR text; KeyFormatError when it does not have the CCCD shape."""
        fields = text.strip().split(QR_SEPARATOR)
        if not QR_MIN_FIELDS <= len(fields) <= QR_MAX_FIELDS:
            raise KeyFormatError("This is not the QR code of a CCCD.")
        if any(extra.strip() for extra in fields[QR_MIN_FIELDS:]):
            raise KeyFormatError("This is not the QR code of a CCCD.")
        id_number = IdNumberKey.parse(fields[0]).id_number
        old_id = fields[1].strip()
        if old_id and not old_id.isdigit():
            raise KeyFormatError("This is not the QR code of a CCCD.")
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
        raise KeyFormatError("This is not the QR code of a CCCD.")
    try:
        return datetime.strptime(text, "%d%m%Y").date()
    except ValueError as error:
        raise KeyFormatError("This is not the QR code of a CCCD.") from error


def looks_like_cccd_qr(text: str) -> bool:
    """True when ``text`` has the CCCD QR shape (cheap: used on every keystroke burst)."""
    try:
        CccdQr.parse(text)
    except KeyFormatError:
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
    except KeyFormatError:
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
