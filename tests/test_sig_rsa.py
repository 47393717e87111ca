"""RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017, RFC 4055) in every key size and parameter form documents
use, for certificate and EF.SOD signatures."""

from __future__ import annotations

import pytest
from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import rsa
from sigkit import (
    ECDSA_OIDS,
    HASH_OIDS,
    NULL,
    RSA_ENCRYPTION,
    RSASSA_PSS,
    Signer,
    SodOptions,
    algorithm,
    certificate,
    explicit,
    integer,
    make_pki,
    make_sod,
    pss_default_signer,
    pss_parameters,
    pss_signer,
    rsa_key,
    rsa_spki,
    seq,
    simple_name,
)

from cccd_station.crypto.sod import (
    SignatureError,
    Sod,
    UnsupportedAlgorithmError,
    verify_certificate_signature,
    verify_signature,
)

DATA = b"the signed attributes of an EF.SOD"
SIZES = [1024, 1025, 1031, 1536, 2047, 2048, 3072, 4096, 6144, 8192]


def verify(spki: bytes, signer: Signer, data: bytes = DATA, fallback: str = "sha256") -> None:
    signature = signer.sign(DATA)
    verify_signature(
        spki, signature, data, algos.SignedDigestAlgorithm.load(signer.algorithm_identifier()), fallback
    )


def self_signed(signer: Signer, spki: bytes | None = None) -> bytes:
    assert isinstance(signer.key, rsa.RSAPrivateKey)
    name = simple_name("CSCA RSA TEST")
    return certificate(name, name, spki or rsa_spki(signer.key.public_key()), signer, ca=True)


def check_certificate(der: bytes) -> None:
    """The self-signature verifies, and no longer once a byte of the subject changed."""
    csca = asn1_x509.Certificate.load(der)
    verify_certificate_signature(csca, csca)
    damaged = asn1_x509.Certificate.load(der.replace(b"CSCA RSA TEST", b"CSCA RSA TESU"))
    with pytest.raises(SignatureError, match="does not verify"):
        verify_certificate_signature(damaged, csca)


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("form", ["pkcs1", "pss"])
def test_certificate_and_sod_signatures_of_every_key_size(bits: int, form: str) -> None:
    key = rsa_key(bits)
    signer = pss_signer(key, "sha256") if form == "pss" else Signer(key, "sha256", "pkcs1")
    check_certificate(self_signed(signer))
    pki = make_pki(signer, signer)
    sod = Sod.parse(make_sod(pki))
    dsc = sod.document_signer()
    assert dsc is not None
    sod.cms.verify(dsc.public_key.dump())
    verify_certificate_signature(dsc, asn1_x509.Certificate.load(pki.csca))
    with pytest.raises(SignatureError, match="does not verify"):
        verify(rsa_spki(key.public_key()), signer, data=DATA + b"!")


@pytest.mark.parametrize(
    ("hash_name", "options"),
    [
        ("sha256", {}),
        ("sha384", {}),
        ("sha512", {}),
        ("sha224", {}),
        ("sha1", {}),
        ("sha256", {"salt": 0}),
        ("sha256", {"salt": 20}),
        ("sha256", {"salt": 64}),
        ("sha512", {"mgf_hash": "sha256"}),
        ("sha256", {"hash_null": False}),  # hash AlgorithmIdentifiers without NULL (the UK's form)
        ("sha256", {"trailer": 1}),  # the default trailer written out
        ("sha256", {"mgf_hash_absent": True}),  # MGF1 without its hash: the message hash
    ],
)
def test_explicit_pss_parameters(hash_name: str, options: dict[str, object]) -> None:
    key = rsa_key(2048)
    verify(rsa_spki(key.public_key()), pss_signer(key, hash_name, **options))


@pytest.mark.parametrize(
    "parameters",
    [seq(), seq(explicit(2, integer(20)))],
    ids=["empty sequence", "salt 20 only"],
)
def test_pss_parameters_all_defaults_mean_sha1_mgf1_sha1_salt20(parameters: bytes) -> None:
    key = rsa_key(2048)
    verify(rsa_spki(key.public_key()), pss_default_signer(key, parameters))


@pytest.mark.parametrize("parameters", [None, NULL], ids=["absent", "NULL"])
def test_a_pss_signature_without_its_parameters_is_refused(parameters: bytes | None) -> None:
    """RFC 4055 §3.1: parameters MUST be present in a signature's algorithm identifier (only a key's may
    omit them); a signature that does not say its hashes is refused, never guessed at, never a crash."""
    key = rsa_key(2048)
    with pytest.raises(SignatureError, match="must state its parameters"):
        verify(rsa_spki(key.public_key()), pss_default_signer(key, parameters))


@pytest.mark.parametrize("parameters", [seq()], ids=["defaults"])
def test_pss_with_default_parameters_in_a_certificate_and_a_signer_info(parameters: bytes | None) -> None:
    key = rsa_key(2048)
    signer = pss_default_signer(key, parameters)
    check_certificate(self_signed(signer))
    pki = make_pki(signer, signer)
    sod = Sod.parse(make_sod(pki))
    dsc = sod.document_signer()
    assert dsc is not None
    sod.cms.verify(dsc.public_key.dump())
    # Signed with SHA-256 but labelled with absent parameters (SHA-1): does not verify, no crash.
    mislabelled = pss_signer(key, "sha256").with_(identifier=algorithm(RSASSA_PSS, parameters))
    with pytest.raises(SignatureError, match="does not verify"):
        verify(rsa_spki(key.public_key()), mislabelled)


def test_pss_trailer_other_than_one_fails() -> None:
    key = rsa_key(2048)
    with pytest.raises(SignatureError, match="trailer field 2"):
        verify(rsa_spki(key.public_key()), pss_signer(key, "sha256", trailer=2))


def test_pss_with_another_mask_generation_function_is_unsupported() -> None:
    key = rsa_key(2048)
    parameters = seq(
        explicit(0, algorithm(HASH_OIDS["sha256"], NULL)),
        explicit(1, algorithm("1.3.6.1.4.1.99999.1", algorithm(HASH_OIDS["sha256"], NULL))),
    )
    signer = pss_signer(key).with_(identifier=algorithm(RSASSA_PSS, parameters))
    with pytest.raises(UnsupportedAlgorithmError, match="mask generation"):
        verify(rsa_spki(key.public_key()), signer)


def test_pss_salt_longer_than_the_key_allows_fails_cleanly() -> None:
    key = rsa_key(1024)
    signer = pss_signer(key).with_(identifier=algorithm(RSASSA_PSS, pss_parameters("sha256", salt=200)))
    with pytest.raises(SignatureError):
        verify(rsa_spki(key.public_key()), signer)


@pytest.mark.parametrize(
    "key_parameters",
    [None, seq(), pss_parameters("sha256")],
    ids=["absent", "defaults", "restricted to SHA-256"],
)
def test_id_rsassa_pss_as_the_key_algorithm(key_parameters: bytes | None) -> None:
    key = rsa_key(2048)
    spki = rsa_spki(key.public_key(), key_parameters, as_pss=True)
    verify(spki, pss_signer(key, "sha256"))
    check_certificate(self_signed(pss_signer(key, "sha256"), spki))


@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
def test_pkcs1_digest_info_without_null_parameters_verifies(hash_name: str) -> None:
    key = rsa_key(2048)
    verify(rsa_spki(key.public_key()), Signer(key, hash_name, "pkcs1-no-null"))
    with pytest.raises(SignatureError, match="does not verify"):
        verify(rsa_spki(key.public_key()), Signer(key, hash_name, "pkcs1-no-null"), data=b"other")


def test_digest_info_of_another_hash_does_not_pass_for_this_one() -> None:
    key = rsa_key(2048)
    signer = Signer(key, "sha1", "pkcs1-no-null", identifier=algorithm("1.2.840.113549.1.1.11", NULL))
    with pytest.raises(SignatureError, match="does not verify"):
        verify(rsa_spki(key.public_key()), signer)


def test_rsa_encryption_as_signature_algorithm_takes_the_digest_algorithm() -> None:
    key = rsa_key(2048)
    signer = Signer(key, "sha384", "pkcs1", identifier=algorithm(RSA_ENCRYPTION, NULL))
    verify(rsa_spki(key.public_key()), signer, fallback="sha384")
    with pytest.raises(SignatureError):
        verify(rsa_spki(key.public_key()), signer, fallback="sha256")


def test_signature_with_leading_zero_bytes_dropped_verifies() -> None:
    key = rsa_key(1024)
    signer = Signer(key, "sha256", "pkcs1")
    for counter in range(5000):
        data = counter.to_bytes(4, "big")
        signature = signer.sign(data)
        if signature[0] == 0:
            break
    else:
        pytest.fail("no signature with a leading zero byte among 5000")
    identifier = algos.SignedDigestAlgorithm.load(signer.algorithm_identifier())
    verify_signature(rsa_spki(key.public_key()), signature.lstrip(b"\x00"), data, identifier, "sha256")


def test_small_public_exponent_verifies() -> None:
    key = rsa_key(2048, exponent=3)
    verify(rsa_spki(key.public_key()), pss_signer(key))
    verify(rsa_spki(key.public_key()), Signer(key, "sha256", "pkcs1"))


def test_key_and_algorithm_of_different_families_fail() -> None:
    key = rsa_key(2048)
    with pytest.raises(SignatureError, match="cannot verify"):
        verify(
            rsa_spki(key.public_key()),
            Signer(key, "sha256", "pkcs1", identifier=algorithm(ECDSA_OIDS["sha256"])),
        )


@pytest.mark.parametrize(
    "identifier",
    [
        algorithm("1.2.840.113549.1.1.4", NULL),  # md5WithRSAEncryption
        algorithm("2.16.840.1.101.3.4.3.14", NULL),  # RSA with SHA3-256
        algorithm("1.2.840.10040.4.3"),  # DSA with SHA-1
        algorithm(RSASSA_PSS, seq(explicit(0, algorithm("2.16.840.1.101.3.4.2.8")))),  # PSS with SHA3-256
    ],
    ids=["md5", "sha3-rsa", "dsa", "pss-sha3"],
)
def test_exotic_algorithms_are_unsupported_not_failed(identifier: bytes) -> None:
    key = rsa_key(2048)
    with pytest.raises(UnsupportedAlgorithmError):
        verify(rsa_spki(key.public_key()), Signer(key, "sha256", "pkcs1", identifier=identifier))


def test_sod_with_pss_signer_info_without_parameters_does_not_crash() -> None:
    key = rsa_key(2048)
    pki = make_pki(Signer(key, "sha256", "pkcs1"), pss_default_signer(key, None))
    sod = Sod.parse(make_sod(pki, options=SodOptions()))
    dsc = sod.document_signer()
    assert dsc is not None
    with pytest.raises(SignatureError, match="must state its parameters"):
        sod.cms.verify(dsc.public_key.dump())
