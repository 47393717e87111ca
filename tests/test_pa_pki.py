"""The test PKI is reproducible and marked TEST, and its files match a fresh generation."""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_station.crypto.sod import Sod
from cccd_station.reader.chip.pki import TESTPKI_DIR, generated_files, sign_sod, test_pki


def test_files_in_resources_equal_a_fresh_generation() -> None:
    expected = generated_files()
    on_disk = {path.name: path.read_bytes() for path in TESTPKI_DIR.iterdir() if path.is_file()}
    assert set(on_disk) == set(expected), "run: .venv/bin/python -m cccd_station.reader.chip.pki"
    for name, content in expected.items():
        assert on_disk[name] == content, f"{name} differs from a fresh generation"


def test_every_certificate_is_marked_test() -> None:
    pki = test_pki()
    certificates = [
        pki.csca_vnm.certificate,
        pki.csca_unknown.certificate,
        pki.csca_uto.certificate,
        pki.csca_vnm_link,
        pki.master_list_signer.certificate,
    ]
    certificates += [authority.certificate for authority in pki.signers.values()]
    for certificate in certificates:
        assert "TEST" in certificate.subject.rfc4514_string()


def test_csca_and_document_signer_as_specified() -> None:
    pki = test_pki()
    subject = pki.csca_vnm.certificate.subject
    assert subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "CSCA TEST VNM"
    assert subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value == "Bo Cong an TEST"
    key = pki.signer("ds").key
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "brainpoolP384r1"
    revoked = pki.signer("ds-revoked").certificate.serial_number
    assert pki.crl_vnm.get_revoked_certificate_by_serial_number(revoked) is not None
    assert (
        pki.crl_vnm.get_revoked_certificate_by_serial_number(pki.signer("ds").certificate.serial_number)
        is None
    )


def test_sod_is_deterministic_and_carries_the_hashes() -> None:
    hashes = {1: hashlib.sha256(b"one").digest(), 2: hashlib.sha256(b"two").digest()}
    sod = sign_sod(hashes)
    assert sod == sign_sod(hashes)
    assert sod[0] == 0x77
    parsed = Sod.parse(sod)
    assert parsed.data_group_hashes == hashes
    assert parsed.cms.content_type_attribute == "2.23.136.1.1.1"
    assert parsed.cms.signing_time is not None


def test_sod_with_lds_version_info() -> None:
    hashes = {1: hashlib.sha256(b"one").digest()}
    parsed = Sod.parse(sign_sod(hashes, lds_version="0108", unicode_version="040000"))
    assert (parsed.version, parsed.lds_version, parsed.unicode_version) == (1, "0108", "040000")
    assert Sod.parse(sign_sod(hashes)).lds_version is None
