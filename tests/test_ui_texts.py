"""Every kind of failure gets its own plain sentence and next step; bugs are not shown as card errors."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cccd_station.crypto.verdict import (
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    SOD_SIGNATURE,
    Check,
    Verdict,
)
from cccd_station.reader.access import MrzRequiredError
from cccd_station.reader.errors import (
    AccessDeniedError,
    ApduError,
    CardRemovedError,
    ChipDataError,
    NoCardError,
    ParseError,
    ReaderUnavailableError,
    SecureMessagingError,
    UnsupportedCardError,
)
from cccd_station.ui.texts import check_name, error_text, verdict_sentence

ERRORS = [
    (AccessDeniedError("PACE failed"), "wrong_key"),
    (MrzRequiredError("BAC only"), "mrz_required"),
    (CardRemovedError("gone"), "card_removed"),
    (ReaderUnavailableError("unplugged"), "reader_unavailable"),
    (NoCardError("empty"), "no_card"),
    (UnsupportedCardError("no eMRTD"), "unsupported"),
    (ChipDataError("bad"), "damaged"),
    (ParseError("truncated"), "damaged"),
    (SecureMessagingError("bad MAC"), "damaged"),
    (ApduError(0x6A82), "card_error"),
    (RuntimeError("a bug"), "unexpected"),
]


@pytest.mark.parametrize(("error", "kind"), ERRORS)
def test_each_error_has_a_reason_and_a_next_step(qapp: QApplication, error: Exception, kind: str) -> None:
    text = error_text(error)
    assert text.kind == kind
    assert text.title and text.next_step.endswith(".")
    assert str(error) not in text.title  # technical details stay out of the clerk's sentence


def test_distinct_problems_read_differently(qapp: QApplication) -> None:
    titles = {error_text(error).title for error, _ in ERRORS}
    assert len(titles) == len({kind for _, kind in ERRORS})


def test_verdict_sentence_names_what_failed_or_was_not_checked(qapp: QApplication) -> None:
    failed = [Check.passed(SOD_SIGNATURE, "ok"), Check.failed(DG_HASHES, "DG13 differs")]
    assert check_name(DG_HASHES) in verdict_sentence(Verdict.FAILED, failed)
    partial = [Check.passed(SOD_SIGNATURE, "ok"), Check.skipped(DSC_CHAIN, "no CSCA")]
    sentence = verdict_sentence(Verdict.PARTIAL, partial)
    assert check_name(DSC_CHAIN) in sentence
    assert check_name(SOD_SIGNATURE) not in sentence


def test_a_chip_that_proves_itself_neither_way_is_named_once(qapp: QApplication) -> None:
    older_chip = [
        Check.passed(SOD_SIGNATURE, "ok"),
        Check.skipped(CHIP_AUTHENTICATION, "no DG14"),
        Check.skipped(CHIP_ACTIVE_AUTHENTICATION, "no DG15"),
    ]
    sentence = verdict_sentence(Verdict.PARTIAL, older_chip)
    assert sentence.count("Chip is genuine") == 1
    assert "Not checked: Chip is genuine (not a copy)." in sentence
