"""Every sentence the clerk reads about a read's outcome, translatable (context "Messages").

Errors are told apart by their kind (:func:`cccd_station.station.errors.error_kind`) and by nothing
else: one table maps each kind to a plain reason and what the clerk should do next. A kind the table
does not know (a bug, or a kind newer than this window) reads as "unexpected error".
The key format sentences of :mod:`cccd_station.reader.keys` are translated here too (context
"KeyFormat"), keyed by the English template the error carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cccd_station.crypto.verdict import (
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    MRZ_CONSISTENCY,
    SOD_SIGNATURE,
    Check,
    CheckStatus,
    Verdict,
)
from cccd_station.reader.keys import KeyFormatError
from cccd_station.station.errors import UNEXPECTED, error_kind

translate = QCoreApplication.translate
CONTEXT = "Messages"


@dataclass(frozen=True)
class ErrorText:
    kind: str  # the error's kind: wrong_key, card_removed, storage_full, ...
    title: str
    next_step: str


_PUT_BACK = QT_TRANSLATE_NOOP("Messages", "Put the card back on the reader and try again.")
_DAMAGED = (
    QT_TRANSLATE_NOOP("Messages", "The chip's data is damaged or could not be read correctly"),
    QT_TRANSLATE_NOOP(
        "Messages", "Put the card back and try once more. If it happens again, check the document by eye."
    ),
)
_NOT_READ = (QT_TRANSLATE_NOOP("Messages", "The card could not be read"), _PUT_BACK)
_STATION_DISK = QT_TRANSLATE_NOOP(
    "Messages", "Tell technical support; reads still work but are not recorded until it is fixed."
)
# kind -> (title, next step), English sources; translated when shown.
ERROR_TEXTS: dict[str, tuple[object, object]] = {
    "mrz_required": (
        QT_TRANSLATE_NOOP("Messages", "This chip opens only with the MRZ data"),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Open the MRZ tab (Alt+M) and type the document number, date of birth and date of expiry.",
        ),
    ),
    "wrong_key": (
        QT_TRANSLATE_NOOP("Messages", "The ID number or key does not open this card"),
        QT_TRANSLATE_NOOP(
            "Messages", "Compare the number with the one printed on the card, correct it and press Enter."
        ),
    ),
    "card_removed": (
        QT_TRANSLATE_NOOP("Messages", "The card was moved away during reading"),
        QT_TRANSLATE_NOOP(
            "Messages", "Place the card flat on the reader and leave it there until the result shows."
        ),
    ),
    "reader_unavailable": (
        QT_TRANSLATE_NOOP("Messages", "The card reader is not connected"),
        QT_TRANSLATE_NOOP("Messages", "Plug the reader in again. Reading starts by itself when it is back."),
    ),
    "no_card": (
        QT_TRANSLATE_NOOP("Messages", "There is no card on the reader"),
        QT_TRANSLATE_NOOP("Messages", "Place the card on the reader."),
    ),
    "unsupported_card": (
        QT_TRANSLATE_NOOP("Messages", "This card is not supported"),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Only chip ID cards (CCCD) and electronic passports can be read. Check the document by eye.",
        ),
    ),
    "bad_chip_data": _DAMAGED,
    "secure_messaging": _DAMAGED,
    "card_refused": _NOT_READ,
    "card_error": _NOT_READ,
    "busy": (
        QT_TRANSLATE_NOOP("Messages", "The reader is busy with another read"),
        QT_TRANSLATE_NOOP("Messages", "Wait until that read ends, then press Enter."),
    ),
    "bad_key": (
        QT_TRANSLATE_NOOP("Messages", "The key is not complete"),
        QT_TRANSLATE_NOOP("Messages", "Correct the number and press Enter."),
    ),
    "trust_refused": (
        QT_TRANSLATE_NOOP("Messages", "The trust list was refused"),
        QT_TRANSLATE_NOOP("Messages", "Ask the administrator to import the trust list again."),
    ),
    "storage_full": (
        QT_TRANSLATE_NOOP("Messages", "The station's disk is full"),
        _STATION_DISK,
    ),
    "storage_unavailable": (
        QT_TRANSLATE_NOOP("Messages", "The station's database cannot be reached"),
        _STATION_DISK,
    ),
    "storage_busy": (
        QT_TRANSLATE_NOOP("Messages", "The station's database is busy"),
        QT_TRANSLATE_NOOP("Messages", "Try again in a moment."),
    ),
    "storage_read_only": (
        QT_TRANSLATE_NOOP("Messages", "The station's database cannot be written"),
        _STATION_DISK,
    ),
    "storage_failed": (
        QT_TRANSLATE_NOOP("Messages", "The station's database failed"),
        _STATION_DISK,
    ),
}
# Kinds that read the same to a clerk as another.
ERROR_TEXTS["storage_unreachable"] = ERROR_TEXTS["storage_unavailable"]
ERROR_TEXTS["db_error"] = ERROR_TEXTS["storage_failed"]
_UNEXPECTED = (
    QT_TRANSLATE_NOOP("Messages", "Unexpected error"),
    QT_TRANSLATE_NOOP(
        "Messages", "Try again. If it keeps happening, tell technical support (details are in the log)."
    ),
)
SILENT_KINDS = frozenset({"cancelled"})  # the clerk asked for it: nothing to say


def kind_text(kind: str) -> ErrorText:
    """The reason and next step for an error kind, in the language installed now."""
    title, next_step = ERROR_TEXTS.get(kind, _UNEXPECTED)
    shown_kind = kind if kind in ERROR_TEXTS else UNEXPECTED
    return ErrorText(shown_kind, translate(CONTEXT, str(title)), translate(CONTEXT, str(next_step)))


def error_text(error: BaseException) -> ErrorText:
    """What went wrong in plain words, and what the clerk should do next."""
    return kind_text(error_kind(error))


# The sentences of reader.keys and station.keyinput, English templates as the errors carry them.
KEY_FORMAT_TEMPLATES = (
    QT_TRANSLATE_NOOP("KeyFormat", "The ID number has only digits."),
    QT_TRANSLATE_NOOP("KeyFormat", "The ID number has {expected} digits, not {given}."),
    QT_TRANSLATE_NOOP("KeyFormat", "The card access number (CAN) has {length} digits."),
    QT_TRANSLATE_NOOP("KeyFormat", "That date does not exist."),
    QT_TRANSLATE_NOOP("KeyFormat", "Dates are written dd/mm/yyyy."),
    QT_TRANSLATE_NOOP("KeyFormat", "The document number has letters A-Z and digits only."),
    QT_TRANSLATE_NOOP(
        "KeyFormat", "MRZ data are written DOCNO,YYMMDD,YYMMDD (document number, birth date, expiry date)."
    ),
    QT_TRANSLATE_NOOP("KeyFormat", "These are not the machine readable lines of a document."),
    QT_TRANSLATE_NOOP("KeyFormat", "A check digit in the MRZ is wrong: scan or type the lines again."),
    QT_TRANSLATE_NOOP("KeyFormat", "A key is one of: {kinds}."),
    QT_TRANSLATE_NOOP("KeyFormat", "This is not the QR code of a CCCD."),
)


def key_format_text(error: KeyFormatError) -> str:
    """The key format sentence in the language installed now (its values filled in as in English)."""
    return translate("KeyFormat", error.template).format(**error.values)


def check_name(check_id: str) -> str:
    names = {
        SOD_SIGNATURE: translate("Messages", "Issuer's signature on the data"),
        DSC_CHAIN: translate("Messages", "Signer certificate from a trusted authority"),
        DSC_REVOCATION: translate("Messages", "Signer certificate not revoked"),
        DG_HASHES: translate("Messages", "Data unchanged since issue"),
        CHIP_AUTHENTICATION: translate("Messages", "Chip is genuine (chip authentication)"),
        CHIP_ACTIVE_AUTHENTICATION: translate("Messages", "Chip is genuine (active authentication)"),
        MRZ_CONSISTENCY: translate("Messages", "Printed code (MRZ) consistent"),
    }
    return names.get(check_id, check_id)


def status_name(status: CheckStatus) -> str:
    return {
        CheckStatus.PASS: translate("Messages", "passed"),
        CheckStatus.FAIL: translate("Messages", "FAILED"),
        CheckStatus.SKIPPED: translate("Messages", "not checked"),
    }[status]


def verdict_title(verdict: Verdict) -> str:
    return {
        Verdict.VERIFIED: translate("Messages", "Valid card"),
        Verdict.PARTIAL: translate("Messages", "Partly verified"),
        Verdict.FAILED: translate("Messages", "Card NOT valid"),
    }[verdict]


def verdict_sentence(verdict: Verdict, checks: list[Check]) -> str:
    """Why: the checks that failed or could not be made, by name."""
    if verdict is Verdict.VERIFIED:
        return translate(
            "Messages",
            "The data is signed by a trusted authority, unchanged, and the chip proved it is genuine.",
        )
    failed = _names_in_sentence([c.id for c in checks if c.status is CheckStatus.FAIL])
    skipped = _names_in_sentence([c.id for c in checks if c.status is CheckStatus.SKIPPED])
    if verdict is Verdict.FAILED:
        return translate(
            "Messages", "Do not accept this document. Failed: {checks}. It may be forged or altered."
        ).format(checks="; ".join(failed))
    return translate(
        "Messages", "The data could not be fully verified. Not checked: {checks}. Check the document by eye."
    ).format(checks="; ".join(skipped) or "-")


def _names_in_sentence(check_ids: list[str]) -> list[str]:
    """Check names for the banner, where the two ways a chip proves itself are one fact to a clerk."""
    chip = translate("Messages", "Chip is genuine (not a copy)")
    names = [
        chip if check_id in (CHIP_AUTHENTICATION, CHIP_ACTIVE_AUTHENTICATION) else check_name(check_id)
        for check_id in check_ids
    ]
    return list(dict.fromkeys(names))


def step_text(step: str) -> str:
    return {
        "connecting": translate("Messages", "Connecting to the card…"),
        "opening": translate("Messages", "Opening the chip…"),
        "reading": translate("Messages", "Reading the data…"),
        "photo": translate("Messages", "Reading the photo…"),
        "verifying": translate("Messages", "Verifying…"),
    }.get(step, step)


__all__ = [
    "ERROR_TEXTS",
    "ErrorText",
    "check_name",
    "error_text",
    "key_format_text",
    "kind_text",
    "status_name",
    "step_text",
    "verdict_sentence",
    "verdict_title",
]
