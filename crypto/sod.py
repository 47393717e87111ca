"""EF.SOD, the Document Security Object (ICAO 9303-10 §4.6.2, 9303-11 §5.1, 9303-12 §4.6), and the
signature checks passive authentication and the trust store share.

EF.SOD is tag 77 wrapping a CMS ContentInfo of SignedData whose encapsulated content is the
LDSSecurityObject: the hash of every data group, signed by the Document Signer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from asn1crypto import algos, cms, core, keys, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from cccd_station.crypto.chipauth import ChipAuthError, EcDomain, UnsupportedCurveError, ec_domain_of

MAX_SOD_SIZE = 64 * 1024
SOD_TAG = 0x77
LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"  # id-icao-mrtd-security-ldsSecurityObject
CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"  # id-icao-cscaMasterList
EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"

HASH_NAMES = ("sha1", "sha224", "sha256", "sha384", "sha512")


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


def _load_ec_public_key(info: keys.PublicKeyInfo) -> tuple[EcDomain, bytes]:
    try:
        domain = ec_domain_of(info["algorithm"]["parameters"])
    except UnsupportedCurveError as exc:
        raise UnsupportedAlgorithmError(str(exc)) from exc
    except ChipAuthError as exc:
        raise SignatureError(str(exc)) from exc
    return domain, bytes(info["public_key"].native)


def _verify_ec(spki: keys.PublicKeyInfo, signature_der: bytes, data: bytes, hash_name: str) -> None:
    domain, point = _load_ec_public_key(spki)
    curve = domain.cryptography_curve()
    if curve is None:
        raise UnsupportedAlgorithmError(
            "unsupported explicit curve" if domain.name is None else f"unsupported curve {domain.name}"
        )
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
        key.verify(signature_der, data, ec.ECDSA(hash_algorithm(hash_name)))
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError("the ECDSA signature does not verify") from exc


def _pss_padding(parameters: algos.RSASSAPSSParams, hash_name: str) -> padding.PSS:
    mgf = parameters["mask_gen_algorithm"]
    if mgf["algorithm"].native != "mgf1":
        raise UnsupportedAlgorithmError("unsupported RSASSA-PSS mask generation function")
    mgf_hash = mgf["parameters"]["algorithm"].native
    salt_length = int(parameters["salt_length"].native)
    return padding.PSS(mgf=padding.MGF1(hash_algorithm(mgf_hash)), salt_length=salt_length)


def verify_signature(
    spki_der: bytes, signature: bytes, data: bytes, algorithm: algos.SignedDigestAlgorithm, hash_name: str
) -> None:
    """Verify `signature` over `data`: RSA PKCS#1 v1.5, RSASSA-PSS, or ECDSA (DER) with named or explicit
    curves (9303-12 §4.4.6). Raises SignatureError when it does not verify or cannot be checked."""
    try:
        _verify_signature(spki_der, signature, data, algorithm, hash_name)
    except SignatureError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        # A malformed key or parameters from the card must not escape as a crash.
        raise SignatureError(f"the key or signature is malformed: {exc}") from exc


def signature_kind(algorithm: algos.SignedDigestAlgorithm) -> str:
    """ecdsa, rsassa_pkcs1v15 or rsassa_pss; some issuers put id-ecPublicKey here and mean ECDSA."""
    if algorithm["algorithm"].dotted == EC_PUBLIC_KEY_OID:
        return "ecdsa"
    try:
        return str(algorithm.signature_algo)
    except ValueError:
        raise UnsupportedAlgorithmError(
            f"unsupported signature algorithm {algorithm['algorithm'].dotted}"
        ) from None


def _verify_signature(
    spki_der: bytes, signature: bytes, data: bytes, algorithm: algos.SignedDigestAlgorithm, hash_name: str
) -> None:
    spki = keys.PublicKeyInfo.load(spki_der)
    key_algorithm = spki["algorithm"]["algorithm"].native
    signature_algorithm = signature_kind(algorithm)
    if key_algorithm == "ec":
        if signature_algorithm != "ecdsa":
            raise SignatureError(f"an EC key cannot verify a {signature_algorithm} signature")
        _verify_ec(spki, signature, data, hash_name)
        return
    if key_algorithm not in ("rsa", "rsassa_pss"):
        raise UnsupportedAlgorithmError(f"unsupported public key algorithm {key_algorithm}")
    public_key = serialization.load_der_public_key(spki_der)
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureError("the certificate does not hold an RSA key")
    if signature_algorithm == "rsassa_pss":
        parameters = algorithm["parameters"]
        hash_name = parameters["hash_algorithm"]["algorithm"].native
        rsa_padding: padding.AsymmetricPadding = _pss_padding(parameters, hash_name)
    elif signature_algorithm == "rsassa_pkcs1v15":
        rsa_padding = padding.PKCS1v15()
    else:
        raise SignatureError(f"an RSA key cannot verify a {signature_algorithm} signature")
    try:
        public_key.verify(signature, data, rsa_padding, hash_algorithm(hash_name))
    except InvalidSignature as exc:
        raise SignatureError("the RSA signature does not verify") from exc


def signature_hash_name(algorithm: algos.SignedDigestAlgorithm, fallback: str | None = None) -> str:
    """The hash a signature algorithm names (sha256_ecdsa → sha256), else `fallback` (bare rsaEncryption)."""
    if algorithm["algorithm"].native == "rsassa_pss":
        return str(algorithm["parameters"]["hash_algorithm"]["algorithm"].native)
    try:
        return str(algorithm.hash_algo)
    except ValueError:
        if fallback is None:
            raise SignatureError(f"the algorithm {algorithm['algorithm'].dotted} names no hash") from None
        return fallback


def verify_certificate_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    """Check that `issuer`'s key signed `certificate` (9303-12 §7.1.1)."""
    algorithm = certificate["signature_algorithm"]
    verify_signature(
        issuer.public_key.dump(),
        certificate["signature_value"].native,
        certificate["tbs_certificate"].dump(),
        algorithm,
        signature_hash_name(algorithm),
    )


def ecdsa_raw_to_der(signature: bytes) -> bytes:
    """Plain r||s (as chips return, TR-03111 §5.2.1) to the DER SEQUENCE X.509 uses."""
    half = len(signature) // 2
    if len(signature) % 2 or not half:
        raise SignatureError("a plain ECDSA signature must have an even, non-zero length")
    r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    return encode_dss_signature(r, s)


def _is_der_ecdsa(signature: bytes) -> bool:
    try:
        decode_dss_signature(signature)
    except ValueError:
        return False
    return True


def ecdsa_der_to_raw(signature: bytes, size: int) -> bytes:
    r, s = decode_dss_signature(signature)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def unwrap_sod(data: bytes) -> bytes:
    """The CMS ContentInfo inside the application tag 77 of EF.SOD (9303-10 §4.6.2)."""
    if len(data) > MAX_SOD_SIZE:
        raise SodError(f"EF.SOD is {len(data)} bytes, more than the {MAX_SOD_SIZE} allowed")
    if len(data) < 2 or data[0] != SOD_TAG:
        raise SodError("EF.SOD does not start with tag 77")
    try:
        outer = core.Asn1Value.load(data, strict=False)
    except (ValueError, TypeError) as exc:
        raise SodError(f"EF.SOD is not valid BER: {exc}") from exc
    return bytes(outer.contents)


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
        if self.subject_key_id is not None:
            return certificate.key_identifier == self.subject_key_id
        return (
            certificate.serial_number == self.serial
            and self.issuer_der is not None
            and certificate.issuer == x509.Name.load(self.issuer_der)
        )


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
    signing_time: datetime | None

    @classmethod
    def parse(cls, content_info_der: bytes, error: type[ValueError] = SodError) -> SignedCms:
        """Parse a ContentInfo holding SignedData with exactly one signerInfo (9303-10 §4.6.2.1)."""
        try:
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
                choice.chosen.dump()
                for choice in (signed["certificates"] or [])
                if choice.name == "certificate"
            )
            # Parse everything now, so damaged data fails here and not in the middle of a check.
            _ = signer_info.native
            for der in certificates:
                _ = x509.Certificate.load(der).native
            attributes = signer_info["signed_attrs"]
            signed_attributes = content_type_attribute = message_digest = signing_time = None
            if attributes.native is not None:
                # The signature covers the attributes DER-encoded as a SET (RFC 5652 §5.4), not as [0].
                signed_attributes = b"\x31" + attributes.dump()[1:]
                for attribute in attributes:
                    kind = attribute["type"].native
                    values = attribute["values"]
                    if len(values) != 1:
                        raise error(f"signed attribute {kind} must have exactly one value")
                    if kind == "content_type":
                        content_type_attribute = values[0].dotted
                    elif kind == "message_digest":
                        message_digest = bytes(values[0].native)
                    elif kind == "signing_time":
                        signing_time = values[0].native
            return cls(
                content_type=encap["content_type"].dotted,
                content=bytes(content.native if isinstance(content.native, bytes) else content.contents),
                certificates=certificates,
                signer=SignerId.parse(signer_info["sid"]),
                digest_algorithm=str(signer_info["digest_algorithm"]["algorithm"].native),
                signature_algorithm=signer_info["signature_algorithm"],
                signature=bytes(signer_info["signature"].native),
                signed_attributes=signed_attributes,
                content_type_attribute=content_type_attribute,
                message_digest=message_digest,
                signing_time=signing_time,
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            if isinstance(exc, error):
                raise
            raise error(f"malformed CMS SignedData: {exc}") from exc

    def signer_certificate(self) -> x509.Certificate | None:
        """The certificate inside the CMS that the sid names, if any."""
        for der in self.certificates:
            certificate = x509.Certificate.load(der)
            if self.signer.matches(certificate):
                return certificate
        return None

    def verify(self, signer_spki_der: bytes) -> None:
        """Check messageDigest and the signature over the signed attributes (RFC 5652 §5.4, §5.6)."""
        if self.signed_attributes is None:
            signed_data = self.content
        else:
            if self.message_digest is None:
                raise SignatureError("the signed attributes hold no messageDigest")
            if self.message_digest != digest(self.digest_algorithm, self.content):
                raise SignatureError("the messageDigest does not match the signed content")
            if self.content_type_attribute not in (None, self.content_type):
                raise SignatureError("the contentType attribute does not match the content")
            signed_data = self.signed_attributes
        hash_name = signature_hash_name(self.signature_algorithm, fallback=self.digest_algorithm)
        signature = self.signature
        if signature_kind(self.signature_algorithm) == "ecdsa" and not _is_der_ecdsa(signature):
            signature = ecdsa_raw_to_der(signature)  # some signers store plain r||s
        verify_signature(signer_spki_der, signature, signed_data, self.signature_algorithm, hash_name)


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
        if signed.content_type != LDS_SECURITY_OBJECT_OID:
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
        except (ValueError, TypeError, KeyError) as exc:
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
