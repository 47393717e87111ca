"""Mutation fuzzing of whole EF.SOD and certificate structures: algorithm identifiers in every parameter
shape, missing or zone-less times, deep nesting, huge integers, odd keys, then random byte flips,
insertions and truncations. Whatever comes in, Sod.parse, SignedCms.verify, verify_certificate_signature
and the name helpers end in their declared errors, never in another exception.

STATION_FUZZ_EXAMPLES sets the number of examples per test (CI default 150).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

from asn1crypto import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sigkit import (
    EC_PUBLIC_KEY,
    ECDSA_OIDS,
    ECDSA_PLAIN_OIDS,
    HASH_OIDS,
    NULL,
    PRIME_FIELD,
    RSA_ENCRYPTION,
    RSA_PKCS1_OIDS,
    RSASSA_PSS,
    SIGNING_TIME,
    EcKey,
    Pki,
    Signer,
    SodOptions,
    algorithm,
    attribute,
    bit_string,
    certificate,
    domain_parameters,
    ec_spki,
    explicit,
    generalized_time,
    indefinite,
    integer,
    make_sod,
    octets,
    oid,
    pss_parameters,
    pss_signer,
    rsa_key,
    rsa_spki,
    seq,
    simple_name,
    tlv,
    utc_time,
)

from cccd_station.crypto.ecc import named_ec_domain
from cccd_station.crypto.names import name_key, same_name
from cccd_station.crypto.sod import (
    SignatureError,
    Sod,
    SodError,
    certificate_validity,
    load_certificate,
    verify_certificate_signature,
)

EXAMPLES = int(os.environ.get("STATION_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def nested(depth: int) -> bytes:
    inner = NULL
    for _ in range(depth):
        inner = tlv(0x30, inner)
    return inner


EC_FAST = EcKey.generate(named_ec_domain("brainpoolp256r1"))
EC_SLOW = EcKey.generate(named_ec_domain("brainpoolp224r1"))  # no cryptography object: integer arithmetic
RSA = rsa_key(1024)
RSA_RAGGED = rsa_key(1031)
SIGNERS = [
    Signer(EC_FAST, "sha256"),
    Signer(EC_FAST, "sha384", "plain"),
    Signer(EC_SLOW, "sha224"),
    Signer(RSA, "sha256", "pkcs1"),
    pss_signer(RSA_RAGGED, "sha256"),
    Signer(RSA, "sha1", "pss", (None, "sha1", "sha1", 20)),
]

ALGORITHM_OIDS = [
    RSASSA_PSS,
    RSA_ENCRYPTION,
    RSA_PKCS1_OIDS["sha256"],
    ECDSA_OIDS["sha256"],
    ECDSA_PLAIN_OIDS["sha384"],
    EC_PUBLIC_KEY,
    "1.2.840.10045.4.3",  # ecdsa-with-Specified
    "1.2.840.113549.1.1.4",  # md5WithRSAEncryption
    "1.2.3.4.5",
]
PARAMETER_SHAPES: list[bytes | None] = [
    None,
    NULL,
    seq(),
    octets(b""),
    pss_parameters("sha256"),
    pss_parameters("sha512", "sha1", 0, hash_null=False),
    pss_parameters("sha256", salt=2**64),
    pss_parameters("sha256", trailer=7),
    seq(explicit(0, algorithm("1.2.3.4"))),
    seq(explicit(1, algorithm("1.2.840.113549.1.1.8", NULL))),
    algorithm(HASH_OIDS["sha384"]),
    nested(3000),
    integer(2**4096),
]
TIMES: list[bytes | None] = [
    None,
    utc_time(SIGNING_TIME),
    generalized_time(SIGNING_TIME, zone=False),
    tlv(0x17, b"garbage"),
    tlv(0x18, b"20251399250000Z"),
    nested(3000),
    integer(-1),
]


def _spki_shapes() -> list[bytes]:
    """Keys a hostile DSC may hold: absurd sizes, invalid curves, odd encodings."""
    p224 = named_ec_domain("brainpoolp224r1")
    bad_curve = domain_parameters(p224).replace(p224.b.to_bytes(28, "big"), (p224.b ^ 1).to_bytes(28, "big"))
    huge_field = seq(
        integer(1),
        seq(oid(PRIME_FIELD), integer(2**1200 + 1)),
        seq(octets(b"\x01"), octets(b"\x02")),
        octets(b"\x04"),
        integer(3),
    )
    return [
        ec_spki(EC_FAST),
        ec_spki(EC_FAST, compressed=True),
        ec_spki(EC_SLOW),
        ec_spki(EC_SLOW, bad_curve),
        ec_spki(EC_FAST, huge_field),
        ec_spki(EC_FAST, NULL),  # implicitlyCA
        ec_spki(EC_FAST, oid("1.2.3.4")),
        ec_spki(EC_FAST, nested(3000)),
        rsa_spki(RSA.public_key()),
        rsa_spki(RSA.public_key(), None, as_pss=True),
        rsa_spki(RSA.public_key(), NULL, as_pss=True),
        seq(algorithm(RSA_ENCRYPTION, NULL), bit_string(seq(integer(2**20000 + 1), integer(65537)))),
        seq(
            algorithm(RSA_ENCRYPTION, NULL),
            bit_string(seq(integer(RSA.public_key().public_numbers().n), integer(2**3000))),
        ),
        seq(algorithm(RSA_ENCRYPTION, NULL), bit_string(seq(integer(-7), integer(3)))),
        seq(algorithm("1.3.101.112"), bit_string(bytes(32))),  # Ed25519
    ]


SPKI_SHAPES = _spki_shapes()
CSCA_SIGNER = Signer(EC_FAST, "sha384")
CSCA_NAME = simple_name("CSCA FUZZ")
CSCA = certificate(CSCA_NAME, CSCA_NAME, ec_spki(EC_FAST), CSCA_SIGNER, serial=1, ca=True)


@dataclass(frozen=True)
class Shape:
    """The structural choices of one fuzzed EF.SOD."""

    signer: int
    signer_identifier: bytes | None
    certificate_identifier: bytes | None
    spki: int | None
    serial: int
    signing_time: bytes | None
    unsigned: bytes | None
    ber: bool


identifiers = st.one_of(
    st.none(),
    st.builds(
        lambda o, p: algorithm(o, p), st.sampled_from(ALGORITHM_OIDS), st.sampled_from(PARAMETER_SHAPES)
    ),
)
shapes = st.builds(
    Shape,
    signer=st.integers(0, len(SIGNERS) - 1),
    signer_identifier=identifiers,
    certificate_identifier=identifiers,
    spki=st.one_of(st.none(), st.integers(0, len(SPKI_SHAPES) - 1)),
    serial=st.sampled_from([0x2024, 0, -5, 2**160, 2**4000]),
    signing_time=st.sampled_from(TIMES),
    unsigned=st.sampled_from([None, attribute("1.2.3.4", nested(4000)), b"\x30\x80garbage"]),
    ber=st.booleans(),
)
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "truncate", "delete"]),
        st.integers(0, 4000),
        st.binary(min_size=1, max_size=8),
    ),
    max_size=3,
)


def own_spki(signer: Signer) -> bytes:
    return ec_spki(signer.key) if isinstance(signer.key, EcKey) else rsa_spki(signer.key.public_key())


def document_signer(signer: Signer, spki: bytes, csca_signer: Signer = CSCA_SIGNER, serial: int = 7) -> bytes:
    return certificate(
        simple_name("DS FUZZ"), CSCA_NAME, spki, csca_signer, serial=serial, issuer_spki=ec_spki(EC_FAST)
    )


def build(shape: Shape) -> bytes:
    signer = SIGNERS[shape.signer]
    if shape.signer_identifier is not None:
        signer = signer.with_(identifier=shape.signer_identifier)
    csca_signer = CSCA_SIGNER
    if shape.certificate_identifier is not None:
        csca_signer = csca_signer.with_(identifier=shape.certificate_identifier)
    spki = own_spki(signer) if shape.spki is None else SPKI_SHAPES[shape.spki]
    dsc = document_signer(signer, spki, csca_signer, shape.serial)
    pki = Pki(CSCA, CSCA_SIGNER, dsc, signer, CSCA_NAME, shape.serial)
    options = SodOptions(
        signing_time=shape.signing_time, unsigned_attributes=shape.unsigned, extra_certificates=(CSCA,)
    )
    sod = make_sod(pki, options=options)
    return indefinite(sod) if shape.ber else sod


def mutate(data: bytes, changes: list[tuple[str, int, bytes]]) -> bytes:
    damaged = bytearray(data)
    for kind, position, value in changes:
        at = position % max(len(damaged), 1)
        if kind == "flip" and damaged:
            damaged[at] ^= value[0] or 1
        elif kind == "insert":
            damaged[at:at] = value
        elif kind == "truncate":
            del damaged[at:]
        elif damaged:
            del damaged[at : at + len(value)]
    return bytes(damaged)


def exercise(data: bytes) -> Sod | None:
    """Everything the station does with an EF.SOD; only the declared errors may come out."""
    try:
        sod = Sod.parse(data)
    except SodError:
        return None
    csca = x509.Certificate.load(CSCA)
    for der in sod.cms.certificates:
        certificate_ = load_certificate(der)  # parsed by Sod.parse already: must not fail now
        with contextlib.suppress(SignatureError):
            verify_certificate_signature(certificate_, csca)
        with contextlib.suppress(ValueError):
            certificate_validity(certificate_)
        same_name(certificate_.issuer, csca.subject)
        with contextlib.suppress(ValueError):
            name_key(certificate_.subject)
    dsc = sod.document_signer()
    if dsc is not None:
        with contextlib.suppress(SignatureError):
            sod.cms.verify(dsc.public_key.dump())
    return sod


@FUZZ
@given(shapes, mutations)
def test_hostile_sod_structures_end_in_declared_errors(
    shape: Shape, changes: list[tuple[str, int, bytes]]
) -> None:
    exercise(mutate(build(shape), changes))


GENUINE = [
    make_sod(Pki(CSCA, CSCA_SIGNER, document_signer(s, own_spki(s)), s, CSCA_NAME, 7)) for s in SIGNERS
]
CERTIFICATES = [CSCA, *(document_signer(s, own_spki(s)) for s in SIGNERS)]


def signed_parts(sod: Sod) -> tuple[bytes, bytes | None, bytes]:
    return sod.cms.content, sod.cms.signed_attributes, sod.cms.signature


@FUZZ
@given(st.integers(0, len(GENUINE) - 1), mutations.filter(bool))
def test_damaged_genuine_sods_verify_only_when_the_signed_bytes_are_intact(
    index: int, changes: list[tuple[str, int, bytes]]
) -> None:
    original = Sod.parse(GENUINE[index])
    sod = exercise(mutate(GENUINE[index], changes))
    if sod is None:
        return
    dsc = sod.document_signer()
    if dsc is None:
        return
    try:
        sod.cms.verify(dsc.public_key.dump())
    except SignatureError:
        return
    assert signed_parts(sod) == signed_parts(original)


@FUZZ
@given(st.sampled_from(CERTIFICATES), mutations)
def test_hostile_certificates_end_in_declared_errors(
    der: bytes, changes: list[tuple[str, int, bytes]]
) -> None:
    damaged = mutate(der, changes)
    try:
        certificate_ = load_certificate(damaged)
    except ValueError:
        return
    for issuer in (certificate_, x509.Certificate.load(CSCA)):
        with contextlib.suppress(SignatureError):
            verify_certificate_signature(certificate_, issuer)
    with contextlib.suppress(ValueError):
        certificate_validity(certificate_)
    same_name(certificate_.subject, certificate_.issuer)
