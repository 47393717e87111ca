"""Builders for the signature tests: keys, names, certificates and EF.SOD written byte by byte, so that
every algorithm identifier, parameter shape, string type and encoding issuers use can be produced.

EC signatures are made with the ecdsa package and RSA signatures with the cryptography package (or raw
RSA for the DigestInfo variant), never with the code under test.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import ecdsa
import ecdsa.curves
import ecdsa.ellipticcurve
from asn1crypto import core
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cccd_station.crypto.ecc import EcDomain

VECTORS = Path(__file__).resolve().parent / "vectors"
LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
SIGNED_DATA = "1.2.840.113549.1.7.2"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
PRIME_FIELD = "1.2.840.10045.1.1"
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
HASH_OIDS = {
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}
ECDSA_OIDS = {
    "sha1": "1.2.840.10045.4.1",
    "sha224": "1.2.840.10045.4.3.1",
    "sha256": "1.2.840.10045.4.3.2",
    "sha384": "1.2.840.10045.4.3.3",
    "sha512": "1.2.840.10045.4.3.4",
}
ECDSA_PLAIN_OIDS = {name: f"0.4.0.127.0.7.1.1.4.1.{index}" for index, name in enumerate(HASH_OIDS, 1)}
RSA_PKCS1_OIDS = {
    "sha1": "1.2.840.113549.1.1.5",
    "sha224": "1.2.840.113549.1.1.14",
    "sha256": "1.2.840.113549.1.1.11",
    "sha384": "1.2.840.113549.1.1.12",
    "sha512": "1.2.840.113549.1.1.13",
}
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha1": hashes.SHA1(),  # test signatures with SHA-1, as old documents have
    "sha224": hashes.SHA224(),
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}
NAME_OIDS = {
    "C": "2.5.4.6",
    "ST": "2.5.4.8",
    "L": "2.5.4.7",
    "O": "2.5.4.10",
    "OU": "2.5.4.11",
    "CN": "2.5.4.3",
}
# Universal tags of the string types names are written in.
UTF8, PRINTABLE, T61, IA5, VISIBLE, UNIVERSAL, BMP = 0x0C, 0x13, 0x14, 0x16, 0x1A, 0x1C, 0x1E
_CODECS = {UTF8: "utf-8", PRINTABLE: "ascii", T61: "latin-1", IA5: "ascii", VISIBLE: "ascii"}
_CODECS |= {UNIVERSAL: "utf-32-be", BMP: "utf-16-be"}


# -- DER ------------------------------------------------------------------------------------------------


def length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    encoded = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + length(len(content)) + content


def seq(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def set_of(*items: bytes, sort: bool = True) -> bytes:
    return tlv(0x31, b"".join(sorted(items) if sort else items))


def integer(value: int) -> bytes:
    size = value.bit_length() // 8 + 1 if value >= 0 else (-value - 1).bit_length() // 8 + 1
    return tlv(0x02, value.to_bytes(size, "big", signed=True))


def oid(dotted: str) -> bytes:
    return bytes(core.ObjectIdentifier(dotted).dump())


def octets(value: bytes) -> bytes:
    return tlv(0x04, value)


def bit_string(value: bytes) -> bytes:
    return tlv(0x03, b"\x00" + value)


NULL = b"\x05\x00"


def explicit(number: int, content: bytes) -> bytes:
    return tlv(0xA0 + number, content)


def utc_time(moment: datetime) -> bytes:
    return tlv(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())


def generalized_time(moment: datetime, zone: bool = True) -> bytes:
    return tlv(0x18, moment.strftime("%Y%m%d%H%M%S").encode() + (b"Z" if zone else b""))


def algorithm(dotted: str, parameters: bytes | None = None) -> bytes:
    return seq(oid(dotted), parameters or b"")


def string(text: str, tag: int = UTF8) -> bytes:
    return tlv(tag, text.encode(_CODECS[tag]))


Attribute = tuple[str, str, int]  # (type, text, string tag)


def name(*rdns: Attribute | list[Attribute]) -> bytes:
    """A Name from RDNs, each one attribute or a list of them (a multi-valued RDN)."""
    encoded = []
    for rdn in rdns:
        members = rdn if isinstance(rdn, list) else [rdn]
        encoded.append(set_of(*(seq(oid(NAME_OIDS[kind]), string(text, tag)) for kind, text, tag in members)))
    return seq(*encoded)


def simple_name(common_name: str, country: str = "VN", tag: int = UTF8) -> bytes:
    return name(("C", country, PRINTABLE), ("O", "Bo Cong an TEST", tag), ("CN", common_name, tag))


def indefinite(der: bytes, keep: tuple[bytes, ...] = (), depth: int = 40) -> bytes:
    """The same value with every constructed element down to `depth` re-written with BER indefinite
    lengths, except the elements whose encoding is in `keep`."""
    out = bytearray()
    position = 0
    while position < len(der):
        tag, first = der[position], der[position + 1 : position + 2]
        if not first or first[0] == 0x80:
            return bytes(out) + der[position:]  # not DER (fuzzed content): left as it is
        if first[0] < 0x80:
            size, header = first[0], 2
        else:
            count = first[0] & 0x7F
            size, header = int.from_bytes(der[position + 2 : position + 2 + count], "big"), 2 + count
        element = der[position : position + header + size]
        if tag & 0x20 and element not in keep and depth:
            out += bytes([tag, 0x80]) + indefinite(element[header:], keep, depth - 1) + b"\x00\x00"
        else:
            out += element
        position += header + size
    return bytes(out)


# -- keys -----------------------------------------------------------------------------------------------


STORED_RSA_SIZES = (6144, 8192)  # generating these takes seconds to a minute


@cache
def rsa_key(bits: int, exponent: int = 65537) -> rsa.RSAPrivateKey:
    """An RSA test key of any size; the largest are stored in tests/vectors."""
    if bits in STORED_RSA_SIZES and exponent == 65537:
        pem = (VECTORS / f"rsa_{bits}_test_key.pem").read_bytes()
        key = serialization.load_pem_private_key(pem, None, unsafe_skip_rsa_key_validation=True)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    return rsa.generate_private_key(exponent, bits)


@cache
def ecdsa_curve(domain: EcDomain) -> ecdsa.curves.Curve:
    curve = ecdsa.ellipticcurve.CurveFp(domain.p, domain.a, domain.b, domain.cofactor)
    generator = ecdsa.ellipticcurve.PointJacobi(curve, domain.gx, domain.gy, 1, domain.n, generator=True)
    return ecdsa.curves.Curve("test", curve, generator, (1, 3, 6, 1, 4, 1, 99999, 1))


@dataclass(frozen=True)
class EcKey:
    """A private key on any prime curve, signing with the ecdsa package."""

    domain: EcDomain
    private: int = field(repr=False)

    @classmethod
    def generate(cls, domain: EcDomain) -> EcKey:
        return cls(domain, 1 + secrets.randbelow(domain.n - 1))

    def point(self, compressed: bool = False) -> bytes:
        public = _signing_key(self.domain, self.private).get_verifying_key().pubkey.point
        x, y = int(public.x()), int(public.y())
        if compressed:
            return bytes([2 + (y & 1)]) + x.to_bytes(self.domain.field_bytes, "big")
        return self.domain.encode_point(x, y)

    def sign_digest(self, digest: bytes) -> tuple[int, int]:
        key = _signing_key(self.domain, self.private)
        r, s = key.sign_digest(digest, sigencode=lambda r, s, order: (r, s), allow_truncate=True)
        return int(r), int(s)


@cache
def _signing_key(domain: EcDomain, private: int) -> ecdsa.SigningKey:
    return ecdsa.SigningKey.from_secret_exponent(private, curve=ecdsa_curve(domain))


def domain_parameters(
    domain: EcDomain,
    *,
    cofactor: bool = True,
    compressed_base: bool = False,
    seed: bytes | None = None,
    strip_zeros: bool = False,
) -> bytes:
    """SpecifiedECDomain (SEC 1 §C.2) in the shapes issuers write it."""
    size = domain.field_bytes

    def coefficient(value: int) -> bytes:
        return (
            value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
            if strip_zeros
            else value.to_bytes(size, "big")
        )

    if compressed_base:
        base = bytes([2 + (domain.gy & 1)]) + domain.gx.to_bytes(size, "big")
    else:
        base = domain.encode_point(domain.gx, domain.gy)
    curve = seq(
        octets(coefficient(domain.a)), octets(coefficient(domain.b)), bit_string(seed) if seed else b""
    )
    return seq(
        integer(1),
        seq(oid(PRIME_FIELD), integer(domain.p)),
        curve,
        octets(base),
        integer(domain.n),
        integer(domain.cofactor) if cofactor else b"",
    )


def ec_spki(key: EcKey, parameters: bytes | None = None, compressed: bool = False) -> bytes:
    """id-ecPublicKey SubjectPublicKeyInfo; explicit parameters unless `parameters` is given."""
    return seq(
        algorithm(EC_PUBLIC_KEY, parameters or domain_parameters(key.domain)),
        bit_string(key.point(compressed)),
    )


def named_ec_spki(key: EcKey, curve_oid: str) -> bytes:
    return ec_spki(key, oid(curve_oid))


def rsa_spki(key: rsa.RSAPublicKey, pss_parameters: bytes | None = None, as_pss: bool = False) -> bytes:
    """rsaEncryption, or id-RSASSA-PSS (RFC 4055 §1.2) with or without parameters."""
    numbers = key.public_numbers()
    public = seq(integer(numbers.n), integer(numbers.e))
    if as_pss:
        return seq(algorithm(RSASSA_PSS, pss_parameters), bit_string(public))
    return seq(algorithm(RSA_ENCRYPTION, NULL), bit_string(public))


# -- signers --------------------------------------------------------------------------------------------


def pss_parameters(
    hash_name: str,
    mgf_hash: str | None = None,
    salt: int | None = None,
    *,
    hash_null: bool = True,
    mgf_hash_absent: bool = False,
    trailer: int | None = None,
) -> bytes:
    """RSASSA-PSS-params (RFC 4055 §3.1) spelling every field out, with the variations issuers use."""
    hash_id = algorithm(HASH_OIDS[hash_name], NULL if hash_null else None)
    mgf_id = algorithm(HASH_OIDS[mgf_hash or hash_name], NULL if hash_null else None)
    fields = [
        explicit(0, hash_id),
        explicit(1, algorithm(MGF1, None if mgf_hash_absent else mgf_id)),
        explicit(2, integer(hashlib.new(hash_name).digest_size if salt is None else salt)),
    ]
    if trailer is not None:
        fields.append(explicit(3, integer(trailer)))
    return seq(*fields)


@dataclass(frozen=True)
class Signer:
    """A private key and how its signatures are written.

    `form`: for EC keys "der" or "plain"; for RSA keys "pkcs1", "pkcs1-no-null" (DigestInfo without
    its NULL) or "pss". `pss` holds (parameters DER or None for absent, hash, MGF1 hash, salt) as signed.
    `identifier` replaces the AlgorithmIdentifier written next to the signature.
    """

    key: rsa.RSAPrivateKey | EcKey
    hash_name: str = "sha256"
    form: str = "der"
    pss: tuple[bytes | None, str, str, int] | None = None
    identifier: bytes | None = None

    def with_(self, **changes: object) -> Signer:
        return replace(self, **changes)  # type: ignore[arg-type]

    def algorithm_identifier(self) -> bytes:
        if self.identifier is not None:
            return self.identifier
        if isinstance(self.key, EcKey):
            oids = ECDSA_PLAIN_OIDS if self.form == "plain" else ECDSA_OIDS
            return algorithm(oids[self.hash_name])
        if self.form == "pss":
            assert self.pss is not None
            return algorithm(RSASSA_PSS, self.pss[0])
        return algorithm(RSA_PKCS1_OIDS[self.hash_name], NULL)

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.key, EcKey):
            r, s = self.key.sign_digest(hashlib.new(self.hash_name, data).digest())
            if self.form == "plain":
                size = (self.key.domain.n.bit_length() + 7) // 8
                return r.to_bytes(size, "big") + s.to_bytes(size, "big")
            return seq(integer(r), integer(s))
        if self.form == "pss":
            assert self.pss is not None
            _parameters, hash_name, mgf_hash, salt = self.pss
            pss = padding.PSS(mgf=padding.MGF1(_HASHES[mgf_hash]), salt_length=salt)
            return self.key.sign(data, pss, _HASHES[hash_name])
        if self.form == "pkcs1-no-null":
            return _raw_pkcs1(self.key, algorithm(HASH_OIDS[self.hash_name]), self.hash_name, data)
        return self.key.sign(data, padding.PKCS1v15(), _HASHES[self.hash_name])


def pss_signer(key: rsa.RSAPrivateKey, hash_name: str = "sha256", **options: object) -> Signer:
    """A PSS signer writing explicit parameters (options as for `pss_parameters`)."""
    mgf_hash = str(options.get("mgf_hash") or hash_name)
    salt = options.get("salt")
    salt_length = hashlib.new(hash_name).digest_size if salt is None else int(salt)  # type: ignore[call-overload]
    parameters = pss_parameters(hash_name, **options)  # type: ignore[arg-type]
    return Signer(key, hash_name, "pss", (parameters, hash_name, mgf_hash, salt_length))


def pss_default_signer(key: rsa.RSAPrivateKey, parameters: bytes | None) -> Signer:
    """A PSS signer using RFC 4055's defaults (SHA-1, MGF1-SHA-1, salt 20) written as `parameters`."""
    return Signer(key, "sha1", "pss", (parameters, "sha1", "sha1", 20))


def _raw_pkcs1(key: rsa.RSAPrivateKey, hash_identifier: bytes, hash_name: str, data: bytes) -> bytes:
    numbers = key.private_numbers()
    size = (numbers.public_numbers.n.bit_length() + 7) // 8
    digest_info = seq(hash_identifier, octets(hashlib.new(hash_name, data).digest()))
    encoded = b"\x00\x01" + b"\xff" * (size - 3 - len(digest_info)) + b"\x00" + digest_info
    return pow(int.from_bytes(encoded, "big"), numbers.d, numbers.public_numbers.n).to_bytes(size, "big")


# -- certificates ---------------------------------------------------------------------------------------

NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2044, 1, 1, tzinfo=UTC)


def key_id(spki: bytes) -> bytes:
    public = core.Sequence.load(spki)[1]
    return hashlib.sha1(bytes(public.contents)[1:]).digest()  # RFC 5280 §4.2.1.2 method 1


def certificate(
    subject: bytes,
    issuer: bytes,
    spki: bytes,
    signer: Signer,
    *,
    serial: int = 0x1001,
    ca: bool = False,
    issuer_spki: bytes | None = None,
    validity: bytes | None = None,
    with_key_id: bool = True,
) -> bytes:
    """An X.509 v3 certificate (RFC 5280 §4.1) signed by `signer`."""
    extensions = [
        seq(oid("2.5.29.19"), tlv(0x01, b"\xff"), octets(seq(tlv(0x01, b"\xff")) if ca else seq())),
        seq(oid("2.5.29.15"), tlv(0x01, b"\xff"), octets(tlv(0x03, b"\x01\x06" if ca else b"\x07\x80"))),
    ]
    if with_key_id:
        extensions.append(seq(oid("2.5.29.14"), octets(octets(key_id(spki)))))
        extensions.append(seq(oid("2.5.29.35"), octets(seq(tlv(0x80, key_id(issuer_spki or spki))))))
    tbs = seq(
        explicit(0, integer(2)),
        integer(serial),
        signer.algorithm_identifier(),
        issuer,
        validity or seq(utc_time(NOT_BEFORE), generalized_time(NOT_AFTER)),
        subject,
        spki,
        explicit(3, seq(*extensions)),
    )
    return seq(tbs, signer.algorithm_identifier(), bit_string(signer.sign(tbs)))


@dataclass(frozen=True)
class Pki:
    """A CSCA and a Document Signer certificate under it, with their signers."""

    csca: bytes
    csca_signer: Signer
    dsc: bytes
    dsc_signer: Signer
    dsc_issuer: bytes
    dsc_serial: int


def spki_of(signer: Signer) -> bytes:
    if isinstance(signer.key, EcKey):
        return ec_spki(signer.key)
    return rsa_spki(signer.key.public_key())


def make_pki(
    csca_signer: Signer,
    dsc_signer: Signer,
    *,
    dsc_spki: bytes | None = None,
    csca_spki: bytes | None = None,
    issuer_tag: int = UTF8,
) -> Pki:
    csca_name = simple_name("CSCA TEST", tag=issuer_tag)
    csca_key = csca_spki or spki_of(csca_signer)
    csca = certificate(csca_name, csca_name, csca_key, csca_signer, serial=1, ca=True)
    dsc = certificate(
        simple_name("DS TEST"),
        csca_name,
        dsc_spki or spki_of(dsc_signer),
        csca_signer,
        serial=0x2024,
        issuer_spki=csca_key,
    )
    return Pki(csca, csca_signer, dsc, dsc_signer, csca_name, 0x2024)


# -- EF.SOD ---------------------------------------------------------------------------------------------

DATA_GROUPS = {1: b"\x61\x03abc", 2: b"\x75\x03def"}
SIGNING_TIME = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def lds_security_object(hash_name: str = "sha256", data_groups: dict[int, bytes] = DATA_GROUPS) -> bytes:
    return seq(
        integer(0),
        algorithm(HASH_OIDS[hash_name], NULL),
        seq(
            *(
                seq(integer(n), octets(hashlib.new(hash_name, v).digest()))
                for n, v in sorted(data_groups.items())
            )
        ),
    )


def attribute(dotted: str, *values: bytes) -> bytes:
    return seq(oid(dotted), set_of(*values))


CONTENT_TYPE_ATTRIBUTE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST_ATTRIBUTE = "1.2.840.113549.1.9.4"
SIGNING_TIME_ATTRIBUTE = "1.2.840.113549.1.9.5"


@dataclass(frozen=True)
class SodOptions:
    """How EF.SOD is written (every field defaults to what 9303-10 prescribes)."""

    content_type: str = LDS_SECURITY_OBJECT
    digest_algorithm: str = "sha256"
    signed_attributes: bool = True
    content_type_attribute: bool = True
    attribute_content_type: str | None = None  # what the contentType attribute says; default the content's
    message_digest: bool = True
    signing_time: bytes | None = field(default_factory=lambda: utc_time(SIGNING_TIME))
    sorted_attributes: bool = True
    sid: str = "issuer_and_serial"  # or "key_id"
    sid_issuer: bytes | None = None  # the issuer as the sid writes it; default the DSC's issuer
    extra_certificates: tuple[bytes, ...] = ()
    certificates_first: tuple[bytes, ...] = ()
    extra_signed_attributes: tuple[bytes, ...] = ()
    unsigned_attributes: bytes | None = None
    chunked_content: bool = False


def make_sod(pki: Pki, content: bytes | None = None, options: SodOptions = SodOptions()) -> bytes:
    """EF.SOD (tag 77 + ContentInfo of SignedData, 9303-10 §4.6.2) signed by the DSC of `pki`."""
    return tlv(0x77, make_cms(pki, lds_security_object() if content is None else content, options))


def make_cms(pki: Pki, content: bytes, options: SodOptions = SodOptions()) -> bytes:
    """A ContentInfo of SignedData over `content` signed by the DSC of `pki` (RFC 5652 §5)."""
    signer = pki.dsc_signer
    attributes = []
    if options.content_type_attribute:
        said = options.attribute_content_type or options.content_type
        attributes.append(attribute(CONTENT_TYPE_ATTRIBUTE, oid(said)))
    if options.signing_time is not None:
        attributes.append(attribute(SIGNING_TIME_ATTRIBUTE, options.signing_time))
    if options.message_digest:
        digest = hashlib.new(options.digest_algorithm, content).digest()
        attributes.append(attribute(MESSAGE_DIGEST_ATTRIBUTE, octets(digest)))
    attributes += options.extra_signed_attributes
    signed_set = set_of(*attributes, sort=options.sorted_attributes)
    signature = signer.sign(signed_set if options.signed_attributes else content)
    if options.sid == "key_id":
        sid = tlv(0x80, key_id(core.Sequence.load(pki.dsc)[0][6].dump()))
    else:
        sid = seq(options.sid_issuer or pki.dsc_issuer, integer(pki.dsc_serial))
    signer_info = seq(
        integer(3 if options.sid == "key_id" else 1),
        sid,
        algorithm(HASH_OIDS[options.digest_algorithm], NULL),
        tlv(0xA0, signed_set[2 if signed_set[1] < 0x80 else 2 + (signed_set[1] & 0x7F) :])
        if options.signed_attributes
        else b"",
        signer.algorithm_identifier(),
        octets(signature),
        tlv(0xA1, options.unsigned_attributes) if options.unsigned_attributes is not None else b"",
    )
    if options.chunked_content:
        half = len(content) // 2
        encapsulated = tlv(0x24, octets(content[:half]) + octets(content[half:]))
    else:
        encapsulated = octets(content)
    certificates = b"".join((*options.certificates_first, pki.dsc, *options.extra_certificates))
    signed_data = seq(
        integer(3),
        set_of(algorithm(HASH_OIDS[options.digest_algorithm], NULL)),
        seq(oid(options.content_type), explicit(0, encapsulated)),
        tlv(0xA0, certificates),
        set_of(signer_info),
    )
    return seq(oid(SIGNED_DATA), explicit(0, signed_data))


def make_crl(issuer: bytes, signer: Signer, revoked_serials: tuple[int, ...] = ()) -> bytes:
    """A v2 CRL (RFC 5280 §5.1) signed by `signer`."""
    revoked = seq(*(seq(integer(serial), utc_time(NOT_BEFORE)) for serial in revoked_serials))
    tbs = seq(
        integer(1),
        signer.algorithm_identifier(),
        issuer,
        utc_time(NOT_BEFORE),
        utc_time(NOT_AFTER),
        revoked if revoked_serials else b"",
    )
    return seq(tbs, signer.algorithm_identifier(), bit_string(signer.sign(tbs)))
