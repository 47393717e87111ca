"""The outcome of the authenticity checks of one document, and the overall verdict.

A check is one named step of ICAO 9303-11 §5 (passive authentication) or §6 (chip or active
authentication). The verdict combines them so that a forged or cloned card can never be "verified".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

SOD_SIGNATURE = "sod.signature"
DSC_CHAIN = "dsc.chain"
DSC_REVOCATION = "dsc.revocation"
DG_HASHES = "dg.hashes"
CHIP_AUTHENTICATION = "chip.authentication"
CHIP_ACTIVE_AUTHENTICATION = "chip.active_authentication"
MRZ_CONSISTENCY = "mrz.consistency"
ACCESS_CONTROL = "access.control"

# The code of a skipped dsc.revocation check when no CRL of the CSCA is known at all: the one gap that
# still allows `verified` (many states publish no CRL a counter can fetch); an out-of-date CRL does not.
NO_CRL = "no_crl"


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    """One authenticity check; `detail` is an English sentence for the clerk, never personal data."""

    id: str
    status: CheckStatus
    detail: str
    code: str = ""  # why, as a token the verdict may rely on (the detail is for people)

    @classmethod
    def passed(cls, check_id: str, detail: str) -> Check:
        return cls(check_id, CheckStatus.PASS, detail)

    @classmethod
    def failed(cls, check_id: str, detail: str) -> Check:
        return cls(check_id, CheckStatus.FAIL, detail)

    @classmethod
    def skipped(cls, check_id: str, detail: str, code: str = "") -> Check:
        return cls(check_id, CheckStatus.SKIPPED, detail, code)


class Verdict(StrEnum):
    VERIFIED = "verified"
    PARTIAL = "partial"
    FAILED = "failed"


def _status(checks: list[Check], check_id: str) -> CheckStatus | None:
    statuses = [check.status for check in checks if check.id == check_id]
    if not statuses:
        return None
    if CheckStatus.FAIL in statuses:
        return CheckStatus.FAIL
    if CheckStatus.SKIPPED in statuses:
        return CheckStatus.SKIPPED
    return CheckStatus.PASS


def _revocation_acceptable(checks: list[Check]) -> bool:
    revocation = [check for check in checks if check.id == DSC_REVOCATION]
    if not revocation:
        return False
    return all(
        check.status is CheckStatus.PASS or (check.status is CheckStatus.SKIPPED and check.code == NO_CRL)
        for check in revocation
    )


def verdict_of(checks: Iterable[Check]) -> Verdict:
    """Failed if any check failed; verified only when the SOD, its chain, the data group hashes,
    revocation (or no CRL known for the CSCA) and the chip's authenticity all passed; else partial."""
    checks = list(checks)
    if any(check.status is CheckStatus.FAIL for check in checks):
        return Verdict.FAILED
    passive_ok = all(
        _status(checks, check_id) is CheckStatus.PASS for check_id in (SOD_SIGNATURE, DSC_CHAIN, DG_HASHES)
    )
    # Passive authentication alone cannot tell a clone: the chip must prove it holds its private key.
    chip_ok = CheckStatus.PASS in (
        _status(checks, CHIP_AUTHENTICATION),
        _status(checks, CHIP_ACTIVE_AUTHENTICATION),
    )
    # A chip opened with BAC after its PACE failed may sit behind a relay: at best partial.
    access_ok = _status(checks, ACCESS_CONTROL) is not CheckStatus.SKIPPED
    if passive_ok and chip_ok and access_ok and _revocation_acceptable(checks):
        return Verdict.VERIFIED
    return Verdict.PARTIAL
