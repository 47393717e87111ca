"""Passive authentication attacked the way a forger would: a signer of another country, a withheld data
group, a signer that is no Document Signer, revocation that says nothing about today."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from pki_builders import certificate, name

from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import LDS_SECURITY_OBJECT_OID, SOD_TAG, LdsSecurityObject
from cccd_station.crypto.truststore import TrustAnchors, anchors_from_files
from cccd_station.crypto.verdict import (
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    Check,
    CheckStatus,
    Verdict,
    verdict_of,
)
from cccd_station.reader.chip.pki import TESTPKI_DIR, Authority, sign_cms, sign_sod

GROUPS = {1: b"\x61\x03dg1", 2: b"\x75\x04face", 13: b"\x6d\x02vn"}
CHIP_PROVEN = Check.passed(CHIP_AUTHENTICATION, "test: the chip proved its key")


def trusted(*files: str) -> TrustAnchors:
    return anchors_from_files([(each, (TESTPKI_DIR / each).read_bytes()) for each in files]).anchors


ANCHORS = trusted("csca-test-vnm.pem", "crl-test-vnm.crl", "csca-test-utopia.pem")


def hashes(groups: dict[int, bytes]) -> dict[int, bytes]:
    return {number: hashlib.sha256(content).digest() for number, content in groups.items()}


def sod_signed_by(signer: Authority, groups: dict[int, bytes] = GROUPS) -> bytes:
    content = LdsSecurityObject(
        {
            "version": 0,
            "hashAlgorithm": {"algorithm": "sha256"},
            "dataGroupHashValues": [
                {"dataGroupNumber": number, "dataGroupHashValue": value}
                for number, value in hashes(groups).items()
            ],
        }
    ).dump()
    cms = sign_cms(LDS_SECURITY_OBJECT_OID, content, signer)
    return bytes([SOD_TAG, 0x82]) + len(cms).to_bytes(2, "big") + cms


def test_a_vietnamese_card_signed_by_another_trusted_countrys_signer_fails_naming_the_three() -> None:
    sod = sign_sod(hashes(GROUPS), signer="ds-uto")  # Utopia's genuine signer, Utopia's trusted CSCA
    result = passive_authentication(sod, GROUPS, ANCHORS, issuing_state="VNM")
    chain = result.check(DSC_CHAIN)
    assert chain.status is CheckStatus.FAIL
    assert "(VNM)" in chain.detail and "(UT)" in chain.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_the_same_signer_on_its_own_countrys_document_passes() -> None:
    result = passive_authentication(
        sign_sod(hashes(GROUPS), signer="ds-uto"), GROUPS, ANCHORS, issuing_state="UTO"
    )
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS


def test_germanys_one_letter_code_matches_its_certificates() -> None:
    csca = certificate("de-csca", name("CSCA GERMANY TEST", "DE"))
    dsc = certificate("de-ds", name("DS GERMANY TEST", "DE"), csca, ca=False, key_usage="sign")
    anchors = TrustAnchors((_asn1(csca),))
    result = passive_authentication(sod_signed_by(dsc), GROUPS, anchors, issuing_state="D<<")
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS


def test_an_issuing_state_without_a_known_code_is_not_checked_rather_than_red() -> None:
    result = passive_authentication(sign_sod(hashes(GROUPS)), GROUPS, ANCHORS, issuing_state="XQZ")
    chain = result.check(DSC_CHAIN)
    assert chain.status is CheckStatus.SKIPPED and "XQZ" in chain.detail


def test_a_signer_without_the_document_signing_key_usage_fails() -> None:
    from cccd_station.reader.chip.pki import test_pki

    not_a_signer = certificate("ca-usage-ds", name("DS TEST VNM 99", "VN"), test_pki().csca_vnm, ca=False)
    result = passive_authentication(sod_signed_by(not_a_signer), GROUPS, ANCHORS, issuing_state="VNM")
    chain = result.check(DSC_CHAIN)
    assert chain.status is CheckStatus.FAIL and "digitalSignature" in chain.detail


def test_a_withheld_required_data_group_fails_with_the_reason() -> None:
    sod = sign_sod(hashes(GROUPS))
    read = {number: content for number, content in GROUPS.items() if number != 2}
    result = passive_authentication(
        sod, read, ANCHORS, required=frozenset({1, 2, 13}), unread={2: "the chip's answer was not protected"}
    )
    hashes_check = result.check(DG_HASHES)
    assert hashes_check.status is CheckStatus.FAIL
    assert (
        "DG2 listed in EF.SOD could not be read (the chip's answer was not protected)" in hashes_check.detail
    )
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_a_required_data_group_the_sod_does_not_list_fails() -> None:
    sod = sign_sod(hashes({1: GROUPS[1], 2: GROUPS[2]}))  # a "CCCD" whose issuer signed no DG13
    result = passive_authentication(
        sod, {1: GROUPS[1], 2: GROUPS[2]}, ANCHORS, required=frozenset({1, 2, 13})
    )
    assert result.check(DG_HASHES).status is CheckStatus.FAIL
    assert "does not list DG13" in result.check(DG_HASHES).detail


def test_an_optional_group_not_read_is_only_noted() -> None:
    sod = sign_sod(hashes({**GROUPS, 3: b"fingerprints"}))
    check = passive_authentication(sod, GROUPS, ANCHORS, required=frozenset({1, 2})).check(DG_HASHES)
    assert check.status is CheckStatus.PASS and "DG3" in check.detail


def test_a_crl_past_its_next_update_leaves_revocation_unknown_with_the_date() -> None:
    sod = sign_sod(hashes(GROUPS))
    result = passive_authentication(sod, GROUPS, ANCHORS, at=datetime(2046, 1, 1, tzinfo=UTC))
    revocation = result.check(DSC_REVOCATION)
    assert revocation.status is CheckStatus.SKIPPED and "out of date since 2045-01-01" in revocation.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.PARTIAL


def test_a_crl_issued_after_the_check_time_says_nothing_either() -> None:
    sod = sign_sod(hashes(GROUPS))
    result = passive_authentication(sod, GROUPS, ANCHORS, at=datetime(2024, 3, 1, tzinfo=UTC))
    revocation = result.check(DSC_REVOCATION)
    assert revocation.status is CheckStatus.SKIPPED and "in the future" in revocation.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.PARTIAL


def test_a_current_crl_still_passes() -> None:
    result = passive_authentication(
        sign_sod(hashes(GROUPS)), GROUPS, ANCHORS, at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert result.check(DSC_REVOCATION).status is CheckStatus.PASS


def _asn1(authority: Authority) -> object:
    from asn1crypto import x509

    return x509.Certificate.load(authority.der)
