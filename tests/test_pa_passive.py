"""Passive authentication against the test PKI: what a clerk would see for genuine and faulty documents."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_station.crypto.der import encode_length
from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import MAX_SOD_SIZE, Sod, SodError
from cccd_station.crypto.truststore import TrustAnchors, anchors_from_files
from cccd_station.crypto.verdict import (
    CHIP_ACTIVE_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    NO_CRL,
    SOD_SIGNATURE,
    Check,
    CheckStatus,
    Verdict,
    verdict_of,
)
from cccd_station.reader.chip import pki
from cccd_station.reader.chip.pki import TESTPKI_DIR, sign_sod, test_pki

DATA_GROUPS = {1: b"\x61\x05fake1", 2: b"\x75\x06portrait", 14: b"\x6e\x03abc", 15: b"\x6f\x02xy"}
CHIP_PROVEN = Check.passed(CHIP_ACTIVE_AUTHENTICATION, "test: the chip signed the challenge")


def hashes_of(groups: dict[int, bytes], name: str = "sha256") -> dict[int, bytes]:
    return {number: hashlib.new(name, content).digest() for number, content in groups.items()}


def anchors_of(*names: str) -> TrustAnchors:
    """What an administrator's import of these TEST PKI files makes trusted."""
    return anchors_from_files([(name, (TESTPKI_DIR / name).read_bytes()) for name in names]).anchors


@pytest.fixture
def trust() -> TrustAnchors:
    return anchors_of("csca-test-vnm.pem", "crl-test-vnm.crl", "csca-test-utopia.pem")


def statuses(result: object) -> dict[str, CheckStatus]:
    return {check.id: check.status for check in result}  # type: ignore[attr-defined]


def test_genuine_document_passes_every_passive_check(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS)), DATA_GROUPS, trust)
    assert statuses(result) == {
        SOD_SIGNATURE: CheckStatus.PASS,
        DSC_CHAIN: CheckStatus.PASS,
        DSC_REVOCATION: CheckStatus.PASS,
        DG_HASHES: CheckStatus.PASS,
    }
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.VERIFIED
    assert result.dsc is not None and "DS TEST VNM 01" in result.dsc.subject
    assert result.csca is not None and "CSCA TEST VNM" in result.csca.subject
    assert result.sod is not None and set(result.sod.data_group_hashes) == set(DATA_GROUPS)


@pytest.mark.parametrize("hash_name", ["SHA-1", "SHA-224", "SHA-384", "SHA-512"])
def test_other_hash_algorithms_verify(trust: TrustAnchors, hash_name: str) -> None:
    name = hash_name.lower().replace("-", "")
    result = passive_authentication(
        sign_sod(hashes_of(DATA_GROUPS, name), hash_name=hash_name), DATA_GROUPS, trust
    )
    assert all(check.status is CheckStatus.PASS for check in result), list(result)


def test_tampered_data_group_fails_the_hash_check(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of(DATA_GROUPS))
    tampered = {**DATA_GROUPS, 2: DATA_GROUPS[2] + b"!"}
    result = passive_authentication(sod, tampered, trust)
    assert result.check(DG_HASHES).status is CheckStatus.FAIL
    assert "DG2" in result.check(DG_HASHES).detail and "DG1" not in result.check(DG_HASHES).detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_data_group_missing_from_sod_fails_and_unread_ones_are_named(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of({**DATA_GROUPS, 3: b"fingerprints"}))
    extra = {**DATA_GROUPS, 11: b"\x6b\x00"}
    hashes_check = passive_authentication(sod, extra, trust).check(DG_HASHES)
    assert hashes_check.status is CheckStatus.FAIL
    assert "DG11" in hashes_check.detail and "DG3" in hashes_check.detail


def test_data_group_skipped_on_purpose_is_reported_not_failed(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of({**DATA_GROUPS, 3: b"fingerprints"}))
    hashes_check = passive_authentication(sod, DATA_GROUPS, trust).check(DG_HASHES)
    assert hashes_check.status is CheckStatus.PASS
    assert "DG3" in hashes_check.detail and "not read" in hashes_check.detail


def test_bad_sod_signature_fails(trust: TrustAnchors) -> None:
    result = passive_authentication(
        sign_sod(hashes_of(DATA_GROUPS), tamper_signature=True), DATA_GROUPS, trust
    )
    assert result.check(SOD_SIGNATURE).status is CheckStatus.FAIL
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_changed_hash_inside_signed_content_breaks_the_message_digest(trust: TrustAnchors) -> None:
    sod = bytearray(sign_sod(hashes_of(DATA_GROUPS)))
    position = bytes(sod).index(hashlib.sha256(DATA_GROUPS[2]).digest())
    sod[position] ^= 0xFF
    result = passive_authentication(bytes(sod), DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.FAIL
    assert "messageDigest" in result.check(SOD_SIGNATURE).detail


def test_a_signer_under_an_authority_other_than_its_countrys_trusted_csca_fails(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS), signer="ds-unknown"), DATA_GROUPS, trust)
    chain = result.check(DSC_CHAIN)
    assert chain.status is CheckStatus.FAIL
    assert "CSCA TEST UNKNOWN" in chain.detail and "trusted CSCAs of VN (CSCA TEST VNM)" in chain.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_a_country_with_no_trusted_csca_gives_partial_with_the_reason() -> None:
    only_utopia = anchors_of("csca-test-utopia.pem")
    for signer in ("ds", "ds-unknown"):  # Vietnam's own signer and the stranger alike: nothing to check
        result = passive_authentication(
            sign_sod(hashes_of(DATA_GROUPS), signer=signer), DATA_GROUPS, only_utopia
        )
        chain = result.check(DSC_CHAIN)
        assert chain.status is CheckStatus.SKIPPED
        assert "There is no trusted CSCA for CSCA TEST" in chain.detail
        assert result.check(DSC_REVOCATION).status is CheckStatus.SKIPPED
        assert verdict_of([*result, CHIP_PROVEN]) is Verdict.PARTIAL


def test_revoked_document_signer_fails(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS), signer="ds-revoked"), DATA_GROUPS, trust)
    assert result.check(DSC_REVOCATION).status is CheckStatus.FAIL
    assert "revoked" in result.check(DSC_REVOCATION).detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_expired_document_signer_fails_the_chain(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS), signer="ds-expired"), DATA_GROUPS, trust)
    assert result.check(DSC_CHAIN).status is CheckStatus.FAIL
    assert "not valid" in result.check(DSC_CHAIN).detail


def test_document_signed_while_the_dsc_was_valid_stays_valid_later(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of(DATA_GROUPS), signer="ds-expired", signing_time=datetime(2024, 5, 1, tzinfo=UTC))
    result = passive_authentication(sod, DATA_GROUPS, trust, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS


def test_csca_without_crl_skips_revocation_with_the_reason_and_can_verify(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS), signer="ds-uto"), DATA_GROUPS, trust)
    revocation = result.check(DSC_REVOCATION)
    assert revocation.status is CheckStatus.SKIPPED
    assert revocation.code == NO_CRL and "CSCA TEST UTOPIA" in revocation.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.VERIFIED


def test_dsc_under_a_new_csca_key_chains_through_the_link_certificate(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of(DATA_GROUPS), signer="ds-new-csca")
    assert passive_authentication(sod, DATA_GROUPS, trust).check(DSC_CHAIN).status is CheckStatus.SKIPPED
    with_link = anchors_of("csca-test-vnm.pem", "crl-test-vnm.crl", "csca-test-vnm-link.pem")
    result = passive_authentication(sod, DATA_GROUPS, with_link)
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS
    assert "link certificate" in result.check(DSC_CHAIN).detail
    assert result.check(DSC_REVOCATION).status is CheckStatus.PASS


def _forged_sod(copy_authority_key_id: bool) -> bytes:
    """EF.SOD by a forger who made a CSCA with the trusted CSCA's name and their own key."""
    genuine = test_pki().csca_vnm
    forger_key = pki.derive_test_ec_key("forger", ec.BrainpoolP384R1())
    dsc_key = pki.derive_test_ec_key("forged-ds", ec.BrainpoolP384R1())
    authority_key = genuine.key if copy_authority_key_id else forger_key
    dsc = (
        x509.CertificateBuilder()
        .subject_name(pki._name("DS TEST VNM 01", "Bo Cong an TEST", "VN"))
        .issuer_name(genuine.certificate.subject)
        .public_key(dsc_key.public_key())
        .serial_number(0x2001)
        .not_valid_before(pki.VALID_FROM)
        .not_valid_after(pki.VALID_UNTIL)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), False)
        .sign(forger_key, hashes.SHA384())
    )
    lso = pki.LdsSecurityObject(
        {
            "version": 0,
            "hashAlgorithm": {"algorithm": "sha256"},
            "dataGroupHashValues": [
                {"dataGroupNumber": n, "dataGroupHashValue": h}
                for n, h in sorted(hashes_of(DATA_GROUPS).items())
            ],
        }
    )
    content_info = pki.sign_cms(pki.LDS_SECURITY_OBJECT_OID, lso.dump(), pki.Authority(dsc, dsc_key))
    return bytes([0x77]) + encode_length(len(content_info)) + content_info


def test_forged_dsc_claiming_the_trusted_csca_key_fails(trust: TrustAnchors) -> None:
    result = passive_authentication(_forged_sod(copy_authority_key_id=True), DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.PASS  # self-consistent forgery...
    assert result.check(DSC_CHAIN).status is CheckStatus.FAIL  # ...caught at the chain
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_forged_dsc_under_an_unknown_key_of_the_csca_is_never_verified(trust: TrustAnchors) -> None:
    result = passive_authentication(_forged_sod(copy_authority_key_id=False), DATA_GROUPS, trust)
    chain = result.check(DSC_CHAIN)
    assert chain.status is CheckStatus.SKIPPED and "key id" in chain.detail
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.PARTIAL


def test_crl_with_a_bad_signature_is_no_crl_at_all() -> None:
    crl = bytearray((TESTPKI_DIR / "crl-test-vnm.crl").read_bytes())
    crl[-3] ^= 0x01  # inside the signature
    state = anchors_from_files(
        [("csca.pem", (TESTPKI_DIR / "csca-test-vnm.pem").read_bytes()), ("damaged.crl", bytes(crl))]
    )
    assert state.anchors.crls == () and "does not verify" in state.refused()[0].reason
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS)), DATA_GROUPS, state.anchors)
    assert result.check(DSC_REVOCATION).code == NO_CRL


@pytest.mark.parametrize(
    "damage",
    [
        lambda sod: b"",
        lambda sod: b"\x30" + sod[1:],
        lambda sod: sod[: len(sod) // 2],
        lambda sod: sod[:40] + b"\x00" * 8 + sod[48:],
        lambda sod: b"\x77\x84\xff\xff\xff\xff" + sod,
    ],
)
def test_malformed_sod_is_a_specific_error_and_a_failed_check(trust: TrustAnchors, damage: object) -> None:
    broken = damage(sign_sod(hashes_of(DATA_GROUPS)))  # type: ignore[operator]
    with pytest.raises(SodError):
        Sod.parse(broken)
    result = passive_authentication(broken, DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.FAIL
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.FAILED


def test_oversized_sod_is_refused_before_parsing() -> None:
    with pytest.raises(SodError, match="more than"):
        Sod.parse(b"\x77\x83\x01\x00\x00" + b"\x00" * MAX_SOD_SIZE)


def test_indefinite_length_ber_sod_parses_and_verifies(trust: TrustAnchors) -> None:
    sod = sign_sod(hashes_of(DATA_GROUPS))
    sod_object = Sod.parse(sod)
    # Re-wrap the ContentInfo in tag 77 with an indefinite length, as some issuers do.
    header_length = 2 + (sod[1] & 0x7F if sod[1] & 0x80 else 0)
    indefinite = b"\x77\x80" + sod[header_length:] + b"\x00\x00"
    reparsed = Sod.parse(indefinite)
    assert reparsed.data_group_hashes == sod_object.data_group_hashes
    assert (
        passive_authentication(indefinite, DATA_GROUPS, trust).check(SOD_SIGNATURE).status is CheckStatus.PASS
    )


def test_without_a_trust_store_the_chain_is_skipped_and_never_verified() -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS)), DATA_GROUPS, None)
    assert result.check(DSC_CHAIN).status is CheckStatus.SKIPPED
    assert result.check(SOD_SIGNATURE).status is CheckStatus.PASS
    assert verdict_of([*result, CHIP_PROVEN]) is Verdict.PARTIAL


def test_details_name_no_data_group_content(trust: TrustAnchors) -> None:
    secret = b"NGUYEN VAN TEST 001099012345"
    groups = {**DATA_GROUPS, 13: secret}
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS)), groups, trust)
    for check in result:
        assert "NGUYEN" not in check.detail and secret.hex() not in check.detail


def test_naive_check_time_is_taken_as_utc(trust: TrustAnchors) -> None:
    result = passive_authentication(
        sign_sod(hashes_of(DATA_GROUPS)), DATA_GROUPS, trust, at=datetime(2030, 1, 1)
    )
    assert all(check.status is CheckStatus.PASS for check in result)


def test_summary_shows_the_certificates_without_personal_data(trust: TrustAnchors) -> None:
    result = passive_authentication(sign_sod(hashes_of(DATA_GROUPS)), DATA_GROUPS, trust)
    assert result.dsc is not None and result.csca is not None
    assert result.dsc.serial == format(test_pki().signer("ds").certificate.serial_number, "X")
    assert "CSCA TEST VNM" in result.dsc.issuer
    assert result.dsc.not_before < result.dsc.not_after
    assert result.csca.subject == result.csca.issuer
