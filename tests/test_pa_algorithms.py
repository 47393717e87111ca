"""EF.SOD signature algorithms and key encodings beyond the test PKI's default ECDSA signer."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_station.crypto.chipauth import EcDomain, named_ec_domain
from cccd_station.crypto.der import encode_length
from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import LDS_SECURITY_OBJECT_OID, Sod
from cccd_station.crypto.truststore import TrustAnchors, anchors_from_files
from cccd_station.crypto.verdict import DSC_CHAIN, SOD_SIGNATURE, CheckStatus
from cccd_station.reader.chip import pki
from cccd_station.reader.chip.pki import TESTPKI_DIR, test_pki

DATA_GROUPS = {1: b"\x61\x03abc", 2: b"\x75\x03def"}


@pytest.fixture
def trust() -> TrustAnchors:
    return anchors_from_files([("vnm.pem", (TESTPKI_DIR / "csca-test-vnm.pem").read_bytes())]).anchors


def make_sod(signer: pki.Authority, hash_name: str = "sha256", **options: bool) -> bytes:
    lso = pki.LdsSecurityObject(
        {
            "version": 0,
            "hashAlgorithm": {"algorithm": hash_name},
            "dataGroupHashValues": [
                {"dataGroupNumber": number, "dataGroupHashValue": hashlib.new(hash_name, content).digest()}
                for number, content in sorted(DATA_GROUPS.items())
            ],
        }
    )
    content_info = pki.sign_cms(LDS_SECURITY_OBJECT_OID, lso.dump(), signer, hash_name, **options)  # type: ignore[arg-type]
    return b"\x77" + encode_length(len(content_info)) + content_info


@pytest.fixture(scope="module")
def rsa_signer() -> pki.Authority:
    key = rsa.generate_private_key(65537, 2048)
    name = pki._name("DS TEST VNM RSA", "Bo Cong an TEST", "VN")
    return pki.Authority(pki._certificate(name, key, 0x2501, test_pki().csca_vnm, ca=False), key)


@pytest.mark.parametrize("rsa_pss", [False, True])
@pytest.mark.parametrize("hash_name", ["sha256", "sha512"])
def test_rsa_document_signer_pkcs1_and_pss(
    trust: TrustAnchors, rsa_signer: pki.Authority, rsa_pss: bool, hash_name: str
) -> None:
    result = passive_authentication(make_sod(rsa_signer, hash_name, rsa_pss=rsa_pss), DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.PASS, result.check(SOD_SIGNATURE).detail
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS


def test_rsa_pss_signature_tampered_fails(trust: TrustAnchors, rsa_signer: pki.Authority) -> None:
    sod = make_sod(rsa_signer, rsa_pss=True, tamper_signature=True)
    assert passive_authentication(sod, DATA_GROUPS, trust).check(SOD_SIGNATURE).status is CheckStatus.FAIL


def test_signer_identified_by_subject_key_identifier(trust: TrustAnchors) -> None:
    sod = make_sod(test_pki().signer("ds"), sid_by_key_id=True)
    assert Sod.parse(sod).cms.signer.subject_key_id is not None
    result = passive_authentication(sod, DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.PASS


def _explicit_spki(domain: EcDomain, point: bytes) -> keys.PublicKeyInfo:
    size = domain.field_bytes
    specified = keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": domain.p},
            "curve": {"a": domain.a.to_bytes(size, "big"), "b": domain.b.to_bytes(size, "big")},
            "base": domain.encode_point(domain.gx, domain.gy),
            "order": domain.n,
            "cofactor": domain.cofactor,
        }
    )
    return keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters({"specified": specified})},
            "public_key": point,
        }
    )


def _dsc_with_explicit_parameters(domain: EcDomain, key: ec.EllipticCurvePrivateKey) -> pki.Authority:
    """A DSC whose SubjectPublicKeyInfo spells the curve out, as many issuers' DSCs do."""
    csca = test_pki().csca_vnm
    template = pki._certificate(
        pki._name("DS TEST VNM EXPLICIT", "Bo Cong an TEST", "VN"), key, 0x2601, csca, ca=False
    )
    certificate = asn1_x509.Certificate.load(template.public_bytes(serialization.Encoding.DER))
    tbs = asn1_x509.TbsCertificate.load(certificate["tbs_certificate"].dump())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    tbs["subject_public_key_info"] = _explicit_spki(domain, point)
    assert isinstance(csca.key, ec.EllipticCurvePrivateKey)
    signature = csca.key.sign(tbs.dump(force=True), ec.ECDSA(hashes.SHA384()))
    rebuilt = asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": certificate["signature_algorithm"],
            "signature_value": signature,
        }
    )
    return pki.Authority(x509.load_der_x509_certificate(rebuilt.dump()), key)


def test_dsc_with_explicit_parameters_of_a_named_curve_verifies(trust: TrustAnchors) -> None:
    key = pki.derive_test_ec_key("ds-explicit", ec.BrainpoolP384R1())
    signer = _dsc_with_explicit_parameters(named_ec_domain("brainpoolp384r1"), key)
    result = passive_authentication(make_sod(signer, "sha384"), DATA_GROUPS, trust)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.PASS, result.check(SOD_SIGNATURE).detail
    assert result.check(DSC_CHAIN).status is CheckStatus.PASS


def test_dsc_whose_key_is_not_on_its_explicit_base_point_fails(trust: TrustAnchors) -> None:
    key = pki.derive_test_ec_key("ds-explicit", ec.BrainpoolP384R1())
    known = named_ec_domain("brainpoolp384r1")
    # Same curve with another base point: valid parameters no named curve matches, checked with plain
    # arithmetic; the key was made on the usual base point, so under these parameters it signed nothing.
    other_base = known.multiply(2, known.gx, known.gy)
    odd = EcDomain(known.p, known.a, known.b, other_base[0], other_base[1], known.n, known.cofactor)
    signer = _dsc_with_explicit_parameters(odd, key)
    check = passive_authentication(make_sod(signer, "sha384"), DATA_GROUPS, trust).check(SOD_SIGNATURE)
    assert check.status is CheckStatus.FAIL
    assert "does not verify" in check.detail
