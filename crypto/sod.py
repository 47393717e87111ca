"""EF.SOD, the Document Security Object (ICAO 9303-10 §4.6.2, 9303-11 §5.1, 9303-12 §4.6), and the
signature checks passive authentication and the trust store share.

EF.SOD is tag 77 wrapping a CMS ContentInfo of SignedData whose encapsulated content is the
LDSSecurityObject: the hash of every data group, signed by the Document Signer.

Signatures are RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA (9303-12 §4.4.6, RFC 4055, RFC 5758, BSI TR-03111),
with every parameter form issuers use: PSS parameters explicit, all defaults or absent, explicit EC domain
parameters (crypto.ecc), DER or plain r||s ECDSA values. Everything that comes from a card or a file is
hostile until checked: any malformed input ends as SodError or SignatureError, and UnsupportedAlgorithmError
is kept for algorithms this station really cannot compute.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from asn1crypto import algos, cms, core, crl, keys, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cccd_station.crypto.ber import BerError, to_der_lengths
from cccd_station.crypto.ecc import CurveError, UnsupportedCurveError, ec_domain_of, verify_ecdsa
from cccd_station.crypto.names import same_name

MAX_SOD_SIZE = 64 * 1024
SOD_TAG = 0x77
LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"  # id-icao-mrtd-security-ldsSecurityObject
CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"  # id-icao-cscaMasterList
DATA_OID = "1.2.840.113549.1.7.1"  # id-data: some issuers (China) label the LDSSecurityObject so
EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"
RSA_ENCRYPTION_OID = "1.2.840.113549.1.1.1"
RSASSA_PSS_OID = "1.2.840.113549.1.1.10"
ECDSA_WITH_SPECIFIED_OID = "1.2.840.10045.4.3"  # X9.62: the hash is in the parameters
MAX_RSA_BITS = 16384  # OpenSSL's limit; genuine keys stop at 8192

HASH_NAMES = ("sha1", "sha224", "sha256", "sha384", "sha512")

# Signature algorithm OID → (kind, hash). RFC 3279, RFC 4055, RFC 5758, BSI TR-03111 §5.2.1 (plain r||s).
_SIGNATURE_ALGORITHMS: dict[str, tuple[str, str | None]] = {
    EC_PUBLIC_KEY_OID: ("ecdsa", None),  # some issuers put the key OID here and mean ECDSA
    "1.2.840.10045.4.1": ("ecdsa", "sha1"),
    "1.2.840.10045.4.3.1": ("ecdsa", "sha224"),
    "1.2.840.10045.4.3.2": ("ecdsa", "sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa", "sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa", "sha512"),
    "0.4.0.127.0.7.1.1.4.1.1": ("ecdsa", "sha1"),
    "0.4.0.127.0.7.1.1.4.1.2": ("ecdsa", "sha224"),
    "0.4.0.127.0.7.1.1.4.1.3": ("ecdsa", "sha256"),
    "0.4.0.127.0.7.1.1.4.1.4": ("ecdsa", "sha384"),
    "0.4.0.127.0.7.1.1.4.1.5": ("ecdsa", "sha512"),
    RSA_ENCRYPTION_OID: ("rsassa_pkcs1v15", None),
    "1.2.840.113549.1.1.5": ("rsassa_pkcs1v15", "sha1"),
    "1.3.14.3.2.29": ("rsassa_pkcs1v15", "sha1"),  # OIW sha1WithRSASignature
    "1.2.840.113549.1.1.14": ("rsassa_pkcs1v15", "sha224"),
    "1.2.840.113549.1.1.11": ("rsassa_pkcs1v15", "sha256"),
    "1.2.840.113549.1.1.12": ("rsassa_pkcs1v15", "sha384"),
    "1.2.840.113549.1.1.13": ("rsassa_pkcs1v15", "sha512"),
}

# DigestInfo prefixes without the NULL parameters some old signers omit (RFC 8017 §9.2 note 1).
_DIGEST_INFO_WITHOUT_NULL = {
    "sha1": bytes.fromhex("301f300706052b0e03021a0414"),
    "sha224": bytes.fromhex("302b300b0609608648016503040204041c"),
    "sha256": bytes.fromhex("302f300b06096086480165030402010420"),
    "sha384": bytes.fromhex("303f300b06096086480165030402020430"),
    "sha512": bytes.fromhex("304f300b06096086480165030402030440"),
}


class SodError(ValueError):
    """EF.SOD that cannot be parsed or does not have the structure 9303-10 requires."""


class SignatureError(ValueError):
    """A signature that does not verify, or an algorithm or key we cannot verify with."""


class UnsupportedAlgorithmError(SignatureError):
    """A curve, hash or algorithm this station cannot compute with: unchecked, not proven false."""


class DataGroupHash(core.Sequence):
    _fields: ClassVar = [("dataGroupNumber", core.Integer), ("dataGroupHashValue", core.OctetString)]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields: ClassVar = [("ldsVersion", core.PrintableString), ("unicodeVersion", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    """LDSSecurityObject of 9303-10 §4.6.2.2 (version 0, or 1 with LDSVersionInfo)."""

    _fields: ClassVar = [
        ("version", core.Integer),
        ("hashAlgorithm", algos.DigestAlgorithm),
        ("dataGroupHashValues", DataGroupHashValues),
        ("ldsVersionInfo", LdsVersionInfo, {"optional": True}),
    ]


class _AlgorithmIdentifier(core.Sequence):
    """AlgorithmIdentifier with the parameters left unparsed, so that any shape can be inspected."""

    _fields: ClassVar = [("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True})]


class _EcdsaSigValue(core.Sequence):
    _fields: ClassVar = [("r", core.Integer), ("s", core.Integer)]


# Anything asn1crypto or the cryptography package raise on malformed input, which must not escape.
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, RecursionError)


def hash_algorithm(name: str) -> hashes.HashAlgorithm:
    """The cryptography hash for an asn1crypto digest name (sha1 … sha512)."""
    algorithms: dict[str, hashes.HashAlgorithm] = {
        "sha1": hashes.SHA1(),  # noqa: S303 - older documents are signed with SHA-1 (9303-12)
        "sha224": hashes.SHA224(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }
    if name not in algorithms:
        raise UnsupportedAlgorithmError(f"unsupported hash algorithm {name}")
    return algorithms[name]


def digest(name: str, data: bytes) -> bytes:
    if name not in HASH_NAMES:
        raise UnsupportedAlgorithmError(f"unsupported hash algorithm {name}")
    return hashlib.new(name, data).digest()


def _hash_name_of(identifier: core.Asn1Value, default: str) -> str:
    """The hash an AlgorithmIdentifier of a digest names; `default` when it is absent."""
    if isinstance(identifier, core.Void):
        return default
    if not isinstance(identifier, algos.DigestAlgorithm):
        identifier = algos.DigestAlgorithm.load(identifier.dump(), strict=True)
    name = algos.DigestAlgorithmId(identifier["algorithm"].dotted).native
    if name not in HASH_NAMES:
        raise UnsupportedAlgorithmError(f"unsupported hash algorithm {name}")
    return str(name)


@dataclass(frozen=True)
class PssParameters:
    """RSASSA-PSS-params (RFC 4055 §3.1); absent fields take the defaults SHA-1, MGF1 with SHA-1 and a
    20-byte salt (an empty SEQUENCE is all defaults)."""

    hash_name: str = "sha1"
    mgf_hash_name: str = "sha1"
    salt_length: int = 20

    @classmethod
    def parse(cls, parameters: bytes) -> PssParameters:
        """From the DER parameters of an id-RSASSA-PSS AlgorithmIdentifier."""
        params = algos.RSASSAPSSParams.load(parameters, strict=True)
        hash_name = _hash_name_of(params["hash_algorithm"], "sha1")
        mgf = params["mask_gen_algorithm"]
        if mgf["algorithm"].native != "mgf1":
            raise UnsupportedAlgorithmError(
                f"unsupported RSASSA-PSS mask generation {mgf['algorithm'].dotted}"
            )
        # MGF1 without its hash parameter: the message hash is the only sensible reading.
        mgf_hash_name = _hash_name_of(mgf["parameters"], hash_name)
        salt_length = int(params["salt_length"].native)
        trailer = params["trailer_field"].native
        if trailer not in ("trailer_field_bc", 1):
            raise SignatureError(f"the RSASSA-PSS trailer field {trailer} is not 1 (0xBC, RFC 4055 §3.1)")
        if not 0 <= salt_length <= MAX_RSA_BITS // 8:
            raise SignatureError(f"the RSASSA-PSS salt length {salt_length} is impossible")
        return cls(hash_name, mgf_hash_name, salt_length)


@dataclass(frozen=True)
class SignatureScheme:
    """What a signatureAlgorithm asks for: ecdsa, rsassa_pkcs1v15 or rsassa_pss, and the hash it names
    (None for rsaEncryption and id-ecPublicKey, which leave the hash to the context)."""

    kind: str
    hash_name: str | None
    pss: PssParameters | None = None

    @classmethod
    def of(cls, algorithm: core.Asn1Value) -> SignatureScheme:
        """Interpret a signature AlgorithmIdentifier; UnsupportedAlgorithmError for ones we cannot check."""
        try:
            identifier = _AlgorithmIdentifier.load(algorithm.dump(), strict=True)
            oid = identifier["algorithm"].dotted
            parameters = identifier["parameters"].dump()
            if oid == RSASSA_PSS_OID:
                if parameters in (b"", b"\x05\x00"):
                    # Unlike a key's, a signature's parameters say which hashes made it (RFC 4055 §3.1).
                    raise SignatureError("an RSASSA-PSS signature must state its parameters (RFC 4055 §3.1)")
                pss = PssParameters.parse(parameters)
                return cls("rsassa_pss", pss.hash_name, pss)
            if oid == ECDSA_WITH_SPECIFIED_OID:
                return cls("ecdsa", _hash_name_of(identifier["parameters"], "sha1"))
        except _MALFORMED as exc:
            if isinstance(exc, SignatureError):
                raise
            raise SignatureError(f"malformed signature algorithm parameters: {exc}") from exc
        if oid not in _SIGNATURE_ALGORITHMS:
            raise UnsupportedAlgorithmError(f"unsupported signature algorithm {oid}")
        kind, hash_name = _SIGNATURE_ALGORITHMS[oid]
        return cls(kind, hash_name)


def signature_hash_name(algorithm: algos.SignedDigestAlgorithm, fallback: str | None = None) -> str:
    """The hash a signature algorithm names (sha256_ecdsa → sha256), else `fallback` (bare rsaEncryption)."""
    hash_name = SignatureScheme.of(algorithm).hash_name or fallback
    if hash_name is None:
        raise SignatureError(f"the algorithm {algorithm['algorithm'].dotted} names no hash")
    return hash_name


def ecdsa_values(signature: bytes) -> tuple[int, int]:
    """(r, s) from a DER ECDSA-Sig-Value (X9.62) or a plain r||s (TR-03111 §5.2.1); some signers use the
    plain form under an X9.62 OID and some write r and s as unsigned DER integers."""
    try:
        value = _EcdsaSigValue.load(signature, strict=True)
        return int.from_bytes(value["r"].contents, "big"), int.from_bytes(value["s"].contents, "big")
    except ValueError:
        pass
    half = len(signature) // 2
    if len(signature) % 2 or not half:
        raise SignatureError("the ECDSA signature is neither DER nor plain r||s")
    return int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")


def _verify_ec(spki: keys.PublicKeyInfo, signature: bytes, data: bytes, hash_name: str) -> None:
    try:
        domain = ec_domain_of(spki["algorithm"]["parameters"])
        r, s = ecdsa_values(signature)
        valid = verify_ecdsa(domain, bytes(spki["public_key"].native), r, s, digest(hash_name, data))
    except UnsupportedCurveError as exc:
        raise UnsupportedAlgorithmError(str(exc)) from exc
    except CurveError as exc:
        raise SignatureError(f"the EC key is invalid: {exc}") from exc
    if not valid:
        raise SignatureError("the ECDSA signature does not verify")


def _rsa_key(spki: keys.PublicKeyInfo) -> rsa.RSAPublicKey:
    """The RSA key of an rsaEncryption or id-RSASSA-PSS SubjectPublicKeyInfo (RFC 4055 §1.2)."""
    numbers = spki["public_key"].parsed
    modulus, exponent = int(numbers["modulus"].native), int(numbers["public_exponent"].native)
    if modulus.bit_length() > MAX_RSA_BITS:
        raise SignatureError(f"the RSA key has {modulus.bit_length()} bits, more than {MAX_RSA_BITS}")
    if modulus < 3 or modulus % 2 == 0 or not 3 <= exponent < modulus or exponent % 2 == 0:
        raise SignatureError("the RSA key's modulus or exponent is invalid")
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()


def _verify_rsa(
    key: rsa.RSAPublicKey, signature: bytes, data: bytes, scheme: SignatureScheme, hash_name: str
) -> None:
    numbers = key.public_numbers()
    value = int.from_bytes(signature, "big")
    if value >= numbers.n:
        raise SignatureError("the RSA signature is not smaller than the modulus")
    # Some signers drop leading zero bytes; the signature is the integer (RFC 8017 §5.2.2).
    signature = value.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    algorithm = hash_algorithm(hash_name)
    if scheme.pss is not None:
        pss = padding.PSS(
            mgf=padding.MGF1(hash_algorithm(scheme.pss.mgf_hash_name)), salt_length=scheme.pss.salt_length
        )
        try:
            key.verify(signature, data, pss, algorithm)
        except InvalidSignature:
            raise SignatureError("the RSA-PSS signature does not verify") from None
        return
    try:
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
        return
    except InvalidSignature:
        pass
    # The same DigestInfo without its NULL parameters, byte for byte, is also a PKCS#1 v1.5 signature.
    try:
        recovered = key.recover_data_from_signature(signature, padding.PKCS1v15(), None)
    except InvalidSignature:
        raise SignatureError("the RSA signature does not verify") from None
    if recovered != _DIGEST_INFO_WITHOUT_NULL[hash_name] + digest(hash_name, data):
        raise SignatureError("the RSA signature does not verify")


def verify_signature(
    spki_der: bytes, signature: bytes, data: bytes, algorithm: algos.SignedDigestAlgorithm, hash_name: str
) -> None:
    """Verify `signature` over `data` with the key `spki_der` (9303-12 §4.4.6).

    The hash is the one `algorithm` names; `hash_name` is used when it names none (rsaEncryption,
    id-ecPublicKey: CMS gives it as the SignerInfo's digestAlgorithm). Raises SignatureError when the
    signature does not verify or anything is malformed, UnsupportedAlgorithmError when it cannot be checked.
    """
    try:
        _verify_signature(spki_der, signature, data, algorithm, hash_name)
    except SignatureError:
        raise
    except _MALFORMED as exc:
        # A malformed key or parameters from the card must not escape as a crash.
        raise SignatureError(f"the key or signature is malformed: {type(exc).__name__}: {exc}") from exc


def _verify_signature(
    spki_der: bytes, signature: bytes, data: bytes, algorithm: algos.SignedDigestAlgorithm, hash_name: str
) -> None:
    scheme = SignatureScheme.of(algorithm)
    hash_name = scheme.hash_name or hash_name
    spki = keys.PublicKeyInfo.load(spki_der, strict=True)
    key_algorithm = spki["algorithm"]["algorithm"].native
    if key_algorithm == "ec":
        if scheme.kind != "ecdsa":
            raise SignatureError(f"an EC key cannot verify a {scheme.kind} signature")
        _verify_ec(spki, signature, data, hash_name)
        return
    if key_algorithm not in ("rsa", "rsassa_pss"):
        raise UnsupportedAlgorithmError(f"unsupported public key algorithm {key_algorithm}")
    if scheme.kind == "ecdsa":
        raise SignatureError("an RSA key cannot verify an ECDSA signature")
    _verify_rsa(_rsa_key(spki), signature, data, scheme, hash_name)


def verify_certificate_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    """Check that `issuer`'s key signed `certificate` (RFC 5280 §6.1.3, 9303-12 §7.1.1)."""
    try:
        algorithm = certificate["signature_algorithm"]
        signature = certificate["signature_value"].native
        signed = certificate["tbs_certificate"].dump()
        issuer_key = issuer["tbs_certificate"]["subject_public_key_info"].dump()
    except _MALFORMED as exc:
        raise SignatureError(f"the certificate is malformed: {exc}") from exc
    verify_signature(issuer_key, signature, signed, algorithm, signature_hash_name(algorithm))


def verify_crl_signature(revocation_list: crl.CertificateList, issuer: x509.Certificate) -> None:
    """Check that `issuer`'s key signed the CRL (RFC 5280 §5.1.1.3, 9303-12 §7.1.4)."""
    try:
        algorithm = revocation_list["signature_algorithm"]
        signature = revocation_list["signature"].native
        signed = revocation_list["tbs_cert_list"].dump()
        issuer_key = issuer["tbs_certificate"]["subject_public_key_info"].dump()
    except _MALFORMED as exc:
        raise SignatureError(f"the CRL is malformed: {exc}") from exc
    verify_signature(issuer_key, signature, signed, algorithm, signature_hash_name(algorithm))


def as_utc(moment: datetime) -> datetime:
    """A time from a certificate, CRL or signingTime in UTC; one written without a zone is UTC
    (RFC 5280 §4.1.2.5 requires "Z", a few issuers omit it)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def certificate_validity(certificate: x509.Certificate) -> tuple[datetime, datetime]:
    """notBefore and notAfter in UTC (RFC 5280 §4.1.2.5); ValueError when they do not parse."""
    try:
        validity = certificate["tbs_certificate"]["validity"]
        return as_utc(validity["not_before"].native), as_utc(validity["not_after"].native)
    except _MALFORMED as exc:
        raise ValueError(f"the certificate's validity does not parse: {exc}") from exc


def load_certificate(der: bytes) -> x509.Certificate:
    """A certificate with every field parsed now, so that damage shows here and not in a later check;
    its signature AlgorithmIdentifiers are left to SignatureScheme, which reads shapes asn1crypto refuses
    (RSASSA-PSS parameters NULL, say). Raises ValueError."""
    try:
        certificate = x509.Certificate.load(der, strict=True)
        tbs = certificate["tbs_certificate"]
        for field_name in (
            "version",
            "serial_number",
            "issuer",
            "validity",
            "subject",
            "subject_public_key_info",
            "issuer_unique_id",
            "subject_unique_id",
            "extensions",
        ):
            _ = tbs[field_name].native
        _ = certificate["signature_value"].native
        _ = (tbs["signature"]["algorithm"].dotted, certificate["signature_algorithm"]["algorithm"].dotted)
    except _MALFORMED as exc:
        if isinstance(exc, RecursionError):
            raise ValueError("the certificate is nested too deeply") from None
        raise ValueError(f"the certificate is malformed: {exc}") from exc
    return certificate


def unwrap_sod(data: bytes) -> bytes:
    """The CMS ContentInfo inside the application tag 77 of EF.SOD (9303-10 §4.6.2)."""
    if len(data) > MAX_SOD_SIZE:
        raise SodError(f"EF.SOD is {len(data)} bytes, more than the {MAX_SOD_SIZE} allowed")
    if len(data) < 2 or data[0] != SOD_TAG:
        raise SodError("EF.SOD does not start with tag 77")
    try:
        outer = core.Asn1Value.load(to_der_lengths(data), strict=False)
        return bytes(outer.contents)
    except _MALFORMED as exc:
        raise SodError(f"EF.SOD is not valid BER: {exc}") from exc


@dataclass(frozen=True)
class SignerId:
    """The signerInfo's sid: issuerAndSerialNumber or subjectKeyIdentifier (RFC 5652 §5.3)."""

    issuer_der: bytes | None = None
    serial: int | None = None
    subject_key_id: bytes | None = None

    @classmethod
    def parse(cls, sid: cms.SignerIdentifier) -> SignerId:
        """From the CMS SignerIdentifier choice (RFC 5652 §5.3)."""
        if sid.name == "issuer_and_serial_number":
            return cls(issuer_der=sid.chosen["issuer"].dump(), serial=int(sid.chosen["serial_number"].native))
        return cls(subject_key_id=bytes(sid.chosen.native))

    def matches(self, certificate: x509.Certificate) -> bool:
        """Whether the sid names this certificate: its serial and issuer name compared as names, or its
        subjectKeyIdentifier (RFC 5652 §5.3), or the SHA-1 of its key when it has none (RFC 5280 §4.2.1.2)."""
        try:
            if self.subject_key_id is not None:
                key_id = certificate.key_identifier or certificate.public_key.sha1
                return bool(key_id == self.subject_key_id)
            return (
                certificate.serial_number == self.serial
                and self.issuer_der is not None
                and same_name(certificate.issuer, x509.Name.load(self.issuer_der))
            )
        except _MALFORMED:
            return False


def _signing_time(values: core.Asn1Value) -> datetime | None:
    """signingTime in UTC (RFC 5652 §11.3); it is optional and informative, so one that does not parse
    counts as absent rather than condemning the document."""
    try:
        moment = values[0].native
    except _MALFORMED:
        return None
    return as_utc(moment) if isinstance(moment, datetime) else None


def _der_attributes(attributes: bytes) -> bytes:
    """The DER encoding of a SET OF Attribute: members sorted by their encodings (X.690 §11.6)."""
    try:
        return bytes(cms.CMSAttributes.load(attributes).dump(force=True))
    except _MALFORMED:
        return attributes


@dataclass(frozen=True)
class SignedCms:
    """The parts of a CMS SignedData with one signer that EF.SOD and master lists share (RFC 5652 §5)."""

    content_type: str
    content: bytes
    certificates: tuple[bytes, ...]
    signer: SignerId
    digest_algorithm: str
    signature_algorithm: algos.SignedDigestAlgorithm
    signature: bytes
    signed_attributes: bytes | None  # DER SET OF Attribute, the bytes actually signed
    content_type_attribute: str | None
    message_digest: bytes | None
    signing_time: datetime | None  # in UTC

    @classmethod
    def parse(cls, content_info_der: bytes, error: type[ValueError] = SodError) -> SignedCms:
        """Parse a ContentInfo holding SignedData with exactly one signerInfo (9303-10 §4.6.2.1)."""
        try:
            return cls._parse(content_info_der, error)
        except _MALFORMED as exc:
            if isinstance(exc, error):
                raise
            if isinstance(exc, RecursionError):
                raise error("malformed CMS SignedData: it is nested too deeply") from None
            raise error(f"malformed CMS SignedData: {exc}") from exc

    @classmethod
    def _parse(cls, content_info_der: bytes, error: type[ValueError]) -> SignedCms:
        try:
            content_info_der = to_der_lengths(content_info_der)
        except BerError as exc:
            raise error(f"the CMS structure is not valid BER: {exc}") from exc
        info = cms.ContentInfo.load(content_info_der, strict=False)
        if info["content_type"].native != "signed_data":
            raise error(f"expected CMS SignedData, found {info['content_type'].native}")
        signed = info["content"]
        encap = signed["encap_content_info"]
        content = encap["content"]
        if content.native is None:
            raise error("the CMS SignedData carries no content")
        signer_infos = signed["signer_infos"]
        if len(signer_infos) != 1:
            raise error(f"expected one signerInfo, found {len(signer_infos)}")
        signer_info = signer_infos[0]
        certificates = tuple(
            choice.chosen.dump() for choice in (signed["certificates"] or []) if choice.name == "certificate"
        )
        # Parse what we use now, so damaged data fails here and not in the middle of a check. The
        # unsigned attributes are never read: nothing in them is trusted, and they may nest without end.
        for der in certificates:
            load_certificate(der)
        digest_algorithm = str(signer_info["digest_algorithm"]["algorithm"].native)
        signature_algorithm = signer_info["signature_algorithm"]
        _ = signature_algorithm["algorithm"].dotted
        signature = bytes(signer_info["signature"].native)
        attributes = signer_info["signed_attrs"]
        signed_attributes = content_type_attribute = message_digest = signing_time = None
        if not isinstance(attributes, core.Void):
            # The signature covers the attributes DER-encoded as a SET (RFC 5652 §5.4), not as [0].
            signed_attributes = b"\x31" + attributes.dump()[1:]
            seen = set()
            for attribute in attributes:
                kind = attribute["type"].native
                if kind in seen:
                    raise error(f"the signed attribute {kind} appears twice")
                seen.add(kind)
                values = attribute["values"]
                if kind in ("content_type", "message_digest", "signing_time") and len(values) != 1:
                    raise error(f"the signed attribute {kind} must have exactly one value")
                if kind == "content_type":
                    content_type_attribute = values[0].dotted
                elif kind == "message_digest":
                    message_digest = bytes(values[0].native)
                elif kind == "signing_time":
                    signing_time = _signing_time(values)
        return cls(
            content_type=encap["content_type"].dotted,
            content=bytes(content.native if isinstance(content.native, bytes) else content.contents),
            certificates=certificates,
            signer=SignerId.parse(signer_info["sid"]),
            digest_algorithm=digest_algorithm,
            signature_algorithm=signature_algorithm,
            signature=signature,
            signed_attributes=signed_attributes,
            content_type_attribute=content_type_attribute,
            message_digest=message_digest,
            signing_time=signing_time,
        )

    def signer_certificate(self) -> x509.Certificate | None:
        """The certificate inside the CMS that the sid names, if any."""
        for der in self.certificates:
            certificate = x509.Certificate.load(der)
            if self.signer.matches(certificate):
                return certificate
        return None

    def verify(self, signer_spki_der: bytes) -> None:
        """Check the signed attributes and the signature over them (RFC 5652 §5.4, §5.6).

        9303-10 §4.6.2 (and 9303-12 §8 for master lists) require signed attributes with contentType and
        messageDigest: without them the content would be signed directly, which ICAO does not allow."""
        if self.signed_attributes is None:
            raise SignatureError(
                "the SignerInfo has no signed attributes (ICAO 9303-10 §4.6.2 requires them)"
            )
        if self.content_type_attribute is None:
            raise SignatureError("the signed attributes hold no contentType (ICAO 9303-10 §4.6.2)")
        if self.message_digest is None:
            raise SignatureError("the signed attributes hold no messageDigest (ICAO 9303-10 §4.6.2)")
        if self.content_type_attribute != self.content_type:
            raise SignatureError("the contentType attribute does not match the content")
        if self.message_digest != digest(self.digest_algorithm, self.content):
            raise SignatureError("the messageDigest does not match the signed content")
        try:
            hash_name = signature_hash_name(self.signature_algorithm, fallback=self.digest_algorithm)
        except _MALFORMED as exc:
            if isinstance(exc, SignatureError):
                raise
            raise SignatureError(f"the signature algorithm is malformed: {exc}") from exc
        try:
            verify_signature(
                signer_spki_der, self.signature, self.signed_attributes, self.signature_algorithm, hash_name
            )
        except UnsupportedAlgorithmError:
            raise
        except SignatureError:
            # RFC 5652 §5.4 signs the DER form; a signer that sent its attributes unsorted may have
            # signed either form, so the sorted one gets a second chance.
            der = _der_attributes(self.signed_attributes)
            if der == self.signed_attributes:
                raise
            verify_signature(signer_spki_der, self.signature, der, self.signature_algorithm, hash_name)


@dataclass(frozen=True)
class Sod:
    """EF.SOD: the LDSSecurityObject and its CMS signature (9303-10 §4.6.2)."""

    version: int
    hash_algorithm: str
    data_group_hashes: dict[int, bytes]
    lds_version: str | None
    unicode_version: str | None
    cms: SignedCms
    raw: bytes

    @classmethod
    def parse(cls, data: bytes) -> Sod:
        """Parse EF.SOD (tag 77, CMS SignedData over an LDSSecurityObject, 9303-10 §4.6.2)."""
        signed = SignedCms.parse(unwrap_sod(data))
        if signed.content_type not in (LDS_SECURITY_OBJECT_OID, DATA_OID):
            raise SodError(f"EF.SOD signs {signed.content_type}, not an LDSSecurityObject")
        try:
            lso = LdsSecurityObject.load(signed.content, strict=True)
            version = int(lso["version"].native)
            hash_name = str(lso["hashAlgorithm"]["algorithm"].native)
            hashes_by_dg: dict[int, bytes] = {}
            for entry in lso["dataGroupHashValues"]:
                number = int(entry["dataGroupNumber"].native)
                if not 1 <= number <= 16 or number in hashes_by_dg:
                    raise SodError(f"LDSSecurityObject lists data group {number} invalidly")
                hashes_by_dg[number] = bytes(entry["dataGroupHashValue"].native)
            version_info = lso["ldsVersionInfo"]
            lds_version = unicode_version = None
            if version_info.native is not None:
                lds_version = str(version_info["ldsVersion"].native)
                unicode_version = str(version_info["unicodeVersion"].native)
        except _MALFORMED as exc:
            if isinstance(exc, SodError):
                raise
            raise SodError(f"malformed LDSSecurityObject: {exc}") from exc
        if version not in (0, 1):
            raise SodError(f"unknown LDSSecurityObject version {version}")
        if hash_name not in HASH_NAMES:
            raise SodError(f"unsupported data group hash algorithm {hash_name}")
        return cls(version, hash_name, hashes_by_dg, lds_version, unicode_version, signed, bytes(data))

    def document_signer(self) -> x509.Certificate | None:
        """The DSC inside EF.SOD (untrusted until chained to a CSCA)."""
        return self.cms.signer_certificate()
