"""The verdict rules: only a fully proven document is "verified"; any failure is "failed"."""

from __future__ import annotations

import pytest

from cccd_station.crypto.verdict import (
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    MRZ_CONSISTENCY,
    NO_CRL,
    SOD_SIGNATURE,
    Check,
    CheckStatus,
    Verdict,
    verdict_of,
)

PASSIVE = [
    Check.passed(SOD_SIGNATURE, "signed"),
    Check.passed(DSC_CHAIN, "chained"),
    Check.passed(DSC_REVOCATION, "not revoked"),
    Check.passed(DG_HASHES, "hashes match"),
]


def with_check(checks: list[Check], replacement: Check) -> list[Check]:
    return [check for check in checks if check.id != replacement.id] + [replacement]


@pytest.mark.parametrize("chip_check", [CHIP_AUTHENTICATION, CHIP_ACTIVE_AUTHENTICATION])
def test_passive_and_chip_authenticity_verify(chip_check: str) -> None:
    assert verdict_of([*PASSIVE, Check.passed(chip_check, "proven")]) is Verdict.VERIFIED


def test_passive_authentication_alone_is_only_partial_because_a_clone_would_pass_it() -> None:
    assert verdict_of(PASSIVE) is Verdict.PARTIAL
    skipped_chip = Check.skipped(CHIP_AUTHENTICATION, "the chip offers no Chip Authentication")
    assert verdict_of([*PASSIVE, skipped_chip]) is Verdict.PARTIAL


@pytest.mark.parametrize(
    "failing",
    [
        SOD_SIGNATURE,
        DSC_CHAIN,
        DSC_REVOCATION,
        DG_HASHES,
        CHIP_AUTHENTICATION,
        CHIP_ACTIVE_AUTHENTICATION,
        MRZ_CONSISTENCY,
    ],
)
def test_any_failed_check_fails_the_document(failing: str) -> None:
    checks = [*PASSIVE, Check.passed(CHIP_AUTHENTICATION, "proven"), Check.passed(MRZ_CONSISTENCY, "same")]
    assert verdict_of(with_check(checks, Check.failed(failing, "broken"))) is Verdict.FAILED


def test_cloned_chip_failing_active_authentication_fails_even_when_chip_authentication_passed() -> None:
    checks = [
        *PASSIVE,
        Check.passed(CHIP_AUTHENTICATION, "ok"),
        Check.failed(CHIP_ACTIVE_AUTHENTICATION, "x"),
    ]
    assert verdict_of(checks) is Verdict.FAILED


@pytest.mark.parametrize("skipped", [SOD_SIGNATURE, DSC_CHAIN, DG_HASHES])
def test_skipped_core_check_is_partial(skipped: str) -> None:
    checks = [*PASSIVE, Check.passed(CHIP_AUTHENTICATION, "proven")]
    assert verdict_of(with_check(checks, Check.skipped(skipped, "not done"))) is Verdict.PARTIAL


def test_revocation_skipped_for_lack_of_a_crl_still_verifies_but_other_reasons_do_not() -> None:
    chip = Check.passed(CHIP_AUTHENTICATION, "proven")
    no_crl = Check.skipped(DSC_REVOCATION, "No CRL is known for CSCA TEST UTOPIA.", NO_CRL)
    assert verdict_of(with_check([*PASSIVE, chip], no_crl)) is Verdict.VERIFIED
    bad_crl = Check.skipped(DSC_REVOCATION, "The CRL of CSCA TEST VNM does not verify with the CSCA's key.")
    assert verdict_of(with_check([*PASSIVE, chip], bad_crl)) is Verdict.PARTIAL
    missing = [check for check in PASSIVE if check.id != DSC_REVOCATION]
    assert verdict_of([*missing, chip]) is Verdict.PARTIAL


def test_no_checks_at_all_is_not_verified() -> None:
    assert verdict_of([]) is Verdict.PARTIAL


def test_statuses_and_verdicts_have_their_stored_names() -> None:
    assert [status.value for status in CheckStatus] == ["pass", "fail", "skipped"]
    assert [verdict.value for verdict in Verdict] == ["verified", "partial", "failed"]
