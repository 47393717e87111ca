"""ECDSA with named and explicit curves (SEC 1 §C.2, TR-03111, FIPS 186-4 §6.4): every shape of explicit
domain parameters issuers write, every hash, DER and plain signatures, and curves no library names."""

from __future__ import annotations

import time

import pytest
from asn1crypto import algos, crl
from asn1crypto import x509 as asn1_x509
from sigkit import (
    EC_PUBLIC_KEY,
    ECDSA_OIDS,
    ECDSA_PLAIN_OIDS,
    NULL,
    PRIME_FIELD,
    EcKey,
    Signer,
    SodOptions,
    algorithm,
    bit_string,
    certificate,
    domain_parameters,
    ec_spki,
    integer,
    make_cms,
    make_crl,
    make_pki,
    make_sod,
    octets,
    oid,
    seq,
    set_of,
    simple_name,
)

from cccd_station.crypto.ecc import CURVE_OIDS, EcDomain, ec_domain_of, named_ec_domain
from cccd_station.crypto.sod import (
    CSCA_MASTER_LIST_OID,
    SignatureError,
    SignedCms,
    Sod,
    UnsupportedAlgorithmError,
    verify_certificate_signature,
    verify_crl_signature,
    verify_signature,
)

DATA = b"the signed attributes of an EF.SOD"
ALL_CURVES = sorted(CURVE_OIDS)


def sig_algorithm(identifier: bytes) -> algos.SignedDigestAlgorithm:
    return algos.SignedDigestAlgorithm.load(identifier)


def check(
    spki: bytes, signer: Signer, data: bytes = DATA, signed: bytes = DATA, fallback: str = "sha256"
) -> None:
    identifier = sig_algorithm(signer.algorithm_identifier())
    verify_signature(spki, signer.sign(signed), data, identifier, fallback)


def tampered(signature: bytes) -> bytes:
    return signature[:-1] + bytes([signature[-1] ^ 0x01])


@pytest.mark.parametrize("curve", ALL_CURVES)
@pytest.mark.parametrize("shape", ["full", "no cofactor", "compressed base", "seed", "short coefficients"])
def test_every_known_curve_given_explicitly_verifies(curve: str, shape: str) -> None:
    key = EcKey.generate(named_ec_domain(curve))
    parameters = domain_parameters(
        key.domain,
        cofactor=shape != "no cofactor",
        compressed_base=shape == "compressed base",
        seed=bytes(20) if shape == "seed" else None,
        strip_zeros=shape == "short coefficients",
    )
    spki = ec_spki(key, parameters)
    signer = Signer(key, "sha256")
    check(spki, signer)
    with pytest.raises(SignatureError, match="does not verify"):
        check(spki, signer, data=DATA + b"!")


@pytest.mark.parametrize("curve", ALL_CURVES)
def test_every_known_curve_named_by_oid_verifies(curve: str) -> None:
    key = EcKey.generate(named_ec_domain(curve))
    check(ec_spki(key, oid(CURVE_OIDS[curve])), Signer(key, "sha384"))


@pytest.mark.parametrize("curve", ["brainpoolp256r1", "brainpoolp320r1", "brainpoolp512r1", "secp521r1"])
@pytest.mark.parametrize("hash_name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
@pytest.mark.parametrize("form", ["der", "plain"])
def test_every_hash_in_der_and_plain_form(curve: str, hash_name: str, form: str) -> None:
    key = EcKey.generate(named_ec_domain(curve))
    spki = ec_spki(key)
    signer = Signer(key, hash_name, form)
    check(spki, signer)
    # A plain r||s under an X9.62 OID (and DER under a BSI plain OID) is read as well.
    other = ECDSA_OIDS if form == "plain" else ECDSA_PLAIN_OIDS
    check(spki, signer.with_(identifier=algorithm(other[hash_name])))
    identifier = sig_algorithm(signer.algorithm_identifier())
    with pytest.raises(SignatureError, match="does not verify"):
        verify_signature(spki, tampered(signer.sign(DATA)), DATA, identifier, hash_name)


def test_id_ec_public_key_as_signature_algorithm_uses_the_digest_algorithm() -> None:
    key = EcKey.generate(named_ec_domain("brainpoolp384r1"))
    signer = Signer(key, "sha384", identifier=algorithm(EC_PUBLIC_KEY))
    check(ec_spki(key), signer, fallback="sha384")
    with pytest.raises(SignatureError):
        check(ec_spki(key), signer, fallback="sha256")


def test_ecdsa_with_specified_names_its_hash_in_the_parameters() -> None:
    key = EcKey.generate(named_ec_domain("secp256r1"))
    identifier = algorithm("1.2.840.10045.4.3", algorithm("2.16.840.1.101.3.4.2.2"))
    check(ec_spki(key), Signer(key, "sha384", identifier=identifier), fallback="sha1")


def test_compressed_public_point_verifies() -> None:
    for curve in ("brainpoolp256r1", "brainpoolp320t1"):
        key = EcKey.generate(named_ec_domain(curve))
        check(ec_spki(key, compressed=True), Signer(key))


def _other_base(domain: EcDomain) -> EcDomain:
    """The same curve with 2G as base point: valid parameters that match no named curve."""
    gx, gy = domain.multiply(2, domain.gx, domain.gy)
    return EcDomain(domain.p, domain.a, domain.b, gx, gy, domain.n, domain.cofactor)


def test_a_curve_no_library_names_verifies_with_plain_arithmetic() -> None:
    domain = _other_base(named_ec_domain("brainpoolp384r1"))
    parameters = domain_parameters(domain)
    assert ec_domain_of(_ec_parameters(parameters)).name is None
    key = EcKey.generate(domain)
    check(ec_spki(key), Signer(key, "sha384"))
    with pytest.raises(SignatureError, match="does not verify"):
        check(ec_spki(key), Signer(key, "sha384"), data=b"other")
    # The same private value taken on the usual base point is another key: its signatures fail.
    usual = EcKey(named_ec_domain("brainpoolp384r1"), key.private)
    with pytest.raises(SignatureError, match="does not verify"):
        check(ec_spki(key), Signer(usual, "sha384"))


def _ec_parameters(parameters: bytes) -> object:
    from asn1crypto import keys

    return keys.ECDomainParameters.load(parameters)


def _spki_with(domain: EcDomain, point: bytes, **changes: int) -> bytes:
    fields = {"p": domain.p, "a": domain.a, "b": domain.b, "n": domain.n}
    fields.update(changes)
    size = domain.field_bytes
    parameters = seq(
        integer(1),
        seq(oid(PRIME_FIELD), integer(fields["p"])),
        seq(octets(fields["a"].to_bytes(size, "big")), octets(fields["b"].to_bytes(size, "big"))),
        octets(domain.encode_point(domain.gx, domain.gy)),
        integer(fields["n"]),
    )
    return seq(algorithm(EC_PUBLIC_KEY, parameters), bit_string(point))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"p": named_ec_domain("brainpoolp256r1").p + 2}, "not prime|not on the curve"),
        ({"n": named_ec_domain("brainpoolp256r1").n + 2}, "order n|base point"),
        ({"b": 5}, "not on the curve"),
        ({"n": 7}, "order n is not a large prime"),
    ],
)
def test_invalid_explicit_parameters_fail_not_skip(change: dict[str, int], message: str) -> None:
    key = EcKey.generate(_other_base(named_ec_domain("brainpoolp256r1")))
    spki = _spki_with(key.domain, key.point(), **change)
    with pytest.raises(SignatureError, match=message) as raised:
        check(spki, Signer(key))
    assert not isinstance(raised.value, UnsupportedAlgorithmError)


def test_singular_curve_is_refused() -> None:
    # y² = x³ over GF(p): 4a³ + 27b² = 0. A point on it and a prime "order" are easy to give.
    p = named_ec_domain("brainpoolp256r1").p
    domain = EcDomain(p, 0, 0, 4, 8, named_ec_domain("brainpoolp256r1").n, 1)
    spki = _spki_with(domain, domain.encode_point(4, 8))
    key = EcKey.generate(named_ec_domain("brainpoolp256r1"))
    with pytest.raises(SignatureError, match="singular"):
        check(spki, Signer(key))


def test_public_point_off_the_curve_fails() -> None:
    for curve in ("brainpoolp256r1", "brainpoolp256t1"):
        key = EcKey.generate(named_ec_domain(curve))
        point = bytearray(key.point())
        point[-1] ^= 1
        spki = seq(algorithm(EC_PUBLIC_KEY, domain_parameters(key.domain)), bit_string(bytes(point)))
        with pytest.raises(SignatureError, match=r"not on the curve|not valid"):
            check(spki, Signer(key))


def _specified(field_id: bytes) -> bytes:
    return seq(
        integer(1), field_id, seq(octets(b"\x01"), octets(b"\x01")), octets(b"\x04\x01\x01"), integer(7)
    )


def test_binary_field_and_oversized_fields_are_unsupported_not_failed() -> None:
    key = EcKey.generate(named_ec_domain("brainpoolp256r1"))
    binary = _specified(seq(oid("1.2.840.10045.1.2"), seq(integer(163), oid("1.2.840.10045.1.2.1.1"), NULL)))
    with pytest.raises(UnsupportedAlgorithmError, match="prime fields"):
        check(seq(algorithm(EC_PUBLIC_KEY, binary), bit_string(b"\x04\x01\x01")), Signer(key))
    huge = _specified(seq(oid(PRIME_FIELD), integer((1 << 1100) + 1)))
    with pytest.raises(UnsupportedAlgorithmError, match="too large"):
        check(seq(algorithm(EC_PUBLIC_KEY, huge), bit_string(b"\x04\x01\x01")), Signer(key))
    with pytest.raises(UnsupportedAlgorithmError, match="unsupported elliptic curve"):
        check(ec_spki(key, oid("1.3.132.0.31")), Signer(key))  # secp192k1: named, not implemented


def test_csca_with_explicit_brainpool_p512r1_like_vietnam_self_signature_verifies() -> None:
    """The Vietnamese CSCA: explicit brainpoolP512r1, ecdsa-with-SHA512 without parameters."""
    key = EcKey.generate(named_ec_domain("brainpoolp512r1"))
    signer = Signer(key, "sha512")
    name = simple_name("CSCA ePassport TEST", "VN")
    der = certificate(name, name, ec_spki(key), signer, ca=True)
    csca = asn1_x509.Certificate.load(der)
    domain = ec_domain_of(csca.public_key["algorithm"]["parameters"])
    assert domain.name == "brainpoolp512r1" and domain.cryptography_curve() is not None  # the fast path
    verify_certificate_signature(csca, csca)
    damaged = asn1_x509.Certificate.load(der.replace(b"CSCA ePassport TEST", b"CSCA ePassport TESU"))
    with pytest.raises(SignatureError, match="does not verify"):
        verify_certificate_signature(damaged, csca)


def test_general_arithmetic_for_a_512_bit_curve_is_fast_enough() -> None:
    # brainpoolP512t1 has no cryptography object: every check runs on plain integers.
    key = EcKey.generate(named_ec_domain("brainpoolp512t1"))
    spki, signer = ec_spki(key), Signer(key, "sha512")
    signature, identifier = signer.sign(DATA), sig_algorithm(signer.algorithm_identifier())
    verify_signature(spki, signature, DATA, identifier, "sha512")  # validates the parameters once
    started = time.perf_counter()
    verify_signature(spki, signature, DATA, identifier, "sha512")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("curve", ["brainpoolp512r1", "secp256r1", "brainpoolp320r1", "brainpoolp256t1"])
def test_explicit_parameters_everywhere_a_signature_is_checked(curve: str) -> None:
    """CSCA self-signature, link certificate, DSC, EF.SOD, CRL and master list, all on explicit keys."""
    domain = named_ec_domain(curve)
    hash_name = "sha512" if domain.p.bit_length() > 384 else "sha256"
    old, new, ds, ml = (Signer(EcKey.generate(domain), hash_name) for _ in range(4))
    name = simple_name("CSCA EXPLICIT")
    spki = {signer: ec_spki(signer.key) for signer in (old, new, ds, ml)}  # type: ignore[arg-type]
    old_root = asn1_x509.Certificate.load(certificate(name, name, spki[old], old, serial=1, ca=True))
    new_root = asn1_x509.Certificate.load(certificate(name, name, spki[new], new, serial=2, ca=True))
    link = asn1_x509.Certificate.load(
        certificate(name, name, spki[new], old, serial=3, ca=True, issuer_spki=spki[old])
    )
    for certificate_, issuer in ((old_root, old_root), (new_root, new_root), (link, old_root)):
        verify_certificate_signature(certificate_, issuer)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_certificate_signature(link, new_root)

    pki = make_pki(new, ds, csca_spki=spki[new])
    sod = Sod.parse(make_sod(pki))
    dsc = sod.document_signer()
    assert dsc is not None
    verify_certificate_signature(dsc, new_root)
    sod.cms.verify(dsc.public_key.dump())

    revocation_list = crl.CertificateList.load(make_crl(name, new, (0x2024,)))
    verify_crl_signature(revocation_list, new_root)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_crl_signature(revocation_list, old_root)

    ml_pki = make_pki(new, ml, csca_spki=spki[new])
    master_list = seq(integer(0), set_of(old_root.dump(), new_root.dump(), link.dump()))
    signed = SignedCms.parse(make_cms(ml_pki, master_list, SodOptions(content_type=CSCA_MASTER_LIST_OID)))
    signer = signed.signer_certificate()
    assert signer is not None
    verify_certificate_signature(signer, new_root)
    signed.verify(signer.public_key.dump())
