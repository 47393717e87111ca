"""Every sentence the clerk reads about a read's outcome, translatable (context "Messages").

Errors follow the three kinds of reader.errors: a CardError gets a plain reason and what to do
next; Cancelled is silent; anything else is a bug, shown as "unexpected error".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

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
from cccd_station.reader.access import MrzRequiredError
from cccd_station.reader.errors import (
    AccessDeniedError,
    CardError,
    CardRemovedError,
    ChipDataError,
    NoCardError,
    ReaderUnavailableError,
    SecureMessagingError,
    UnsupportedCardError,
)

translate = QCoreApplication.translate


@dataclass(frozen=True)
class ErrorText:
    kind: str  # stable name for tests and logs: wrong_key, card_removed, ...
    title: str
    next_step: str


def error_text(error: BaseException) -> ErrorText:
    """What went wrong in plain words, and what the clerk should do next."""
    if isinstance(error, MrzRequiredError):
        return ErrorText(
            "mrz_required",
            translate("Messages", "This chip opens only with the MRZ data"),
            translate(
                "Messages",
                "Open the MRZ tab (Alt+M) and type the document number, date of birth and date of expiry.",
            ),
        )
    if isinstance(error, AccessDeniedError):
        return ErrorText(
            "wrong_key",
            translate("Messages", "The ID number or key does not open this card"),
            translate(
                "Messages", "Compare the number with the one printed on the card, correct it and press Enter."
            ),
        )
    if isinstance(error, CardRemovedError):
        return ErrorText(
            "card_removed",
            translate("Messages", "The card was moved away during reading"),
            translate(
                "Messages", "Place the card flat on the reader and leave it there until the result shows."
            ),
        )
    if isinstance(error, ReaderUnavailableError):
        return ErrorText(
            "reader_unavailable",
            translate("Messages", "The card reader is not connected"),
            translate("Messages", "Plug the reader in again. Reading starts by itself when it is back."),
        )
    if isinstance(error, NoCardError):
        return ErrorText(
            "no_card",
            translate("Messages", "There is no card on the reader"),
            translate("Messages", "Place the card on the reader."),
        )
    if isinstance(error, UnsupportedCardError):
        return ErrorText(
            "unsupported",
            translate("Messages", "This card is not supported"),
            translate(
                "Messages",
                "Only chip ID cards (CCCD) and electronic passports can be read. Check the document by eye.",
            ),
        )
    if isinstance(error, ChipDataError | SecureMessagingError):
        return ErrorText(
            "damaged",
            translate("Messages", "The chip's data is damaged or could not be read correctly"),
            translate(
                "Messages",
                "Put the card back and try once more. If it happens again, check the document by eye.",
            ),
        )
    if isinstance(error, CardError):
        return ErrorText(
            "card_error",
            translate("Messages", "The card could not be read"),
            translate("Messages", "Put the card back on the reader and try again."),
        )
    return ErrorText(
        "unexpected",
        translate("Messages", "Unexpected error"),
        translate(
            "Messages", "Try again. If it keeps happening, tell technical support (details are in the log)."
        ),
    )


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
    "ErrorText",
    "check_name",
    "error_text",
    "status_name",
    "step_text",
    "verdict_sentence",
    "verdict_title",
]
