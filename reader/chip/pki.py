"""A reproducible TEST public key infrastructure for the virtual chip and the tests.

Every name says TEST. EC keys are derived from fixed labels, serials and dates are fixed and ECDSA
signatures are deterministic (RFC 6979), so a fresh generation equals the files in resources/testpki/.
Only the RSA Active Authentication key of the passport persona is random: it was generated once and is
read from resources/testpki/ (created there when missing).

    python -m cccd_station.reader.chip.pki            # rewrite resources/testpki/
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from cccd_station.crypto.chipauth import named_ec_domain
from cccd_station.crypto.sod import CSCA_MASTER_LIST_OID, LDS_SECURITY_OBJECT_OID, SOD_TAG, LdsSecurityObject
from cccd_station.crypto.truststore import MASTER_LIST_SIGNER_USAGE, CscaMasterList
from cccd_station.resources import resource_path

TESTPKI_DIR = resource_path("testpki")
LABEL_PREFIX = "CCCD Station TEST PKI/"

VALID_FROM = datetime(2024, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2045, 1, 1, tzinfo=UTC)
# Expired before the default signing time, but within its CSCA's validity.
EXPIRED_FROM = datetime(2024, 1, 1, tzinfo=UTC)
EXPIRED_UNTIL = datetime(2025, 1, 1, tzinfo=UTC)
CRL_ISSUED = datetime(2024, 6, 1, tzinfo=UTC)
DEFAULT_SIGNING_TIME = datetime(2025, 6, 1, tzinfo=UTC)

RSA_AA_KEY_FILE = "aa-test-passport-rsa-key.pem"

_CURVE_NAMES = {
    ec.BrainpoolP256R1: "brainpoolp256r1",
    ec.BrainpoolP384R1: "brainpoolp384r1",
    ec.BrainpoolP512R1: "brainpoolp512r1",
    ec.SECP256R1: "secp256r1",
    ec.SECP384R1: "secp384r1",
    ec.SECP521R1: "secp521r1",
}


def derive_test_ec_key(label: str, curve: ec.EllipticCurve) -> ec.EllipticCurvePrivateKey:
    """A deterministic EC key from a label (TEST use only: anyone can recompute it)."""
    order = named_ec_domain(_CURVE_NAMES[type(curve)]).n
    seed = int.from_bytes(hashlib.sha256((LABEL_PREFIX + label).encode()).digest(), "big")
    return ec.derive_private_key(seed % (order - 1) + 1, curve)


def _name(common_name: str, organisation: str, country: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _hash_for(key: ec.EllipticCurvePrivateKey) -> hashes.SHA256 | hashes.SHA384:
    return hashes.SHA384() if key.curve.key_size >= 384 else hashes.SHA256()


@dataclass(frozen=True)
class Authority:
    """A certificate with its private key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _certificate(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    serial: int,
    issuer: Authority | None,
    *,
    ca: bool,
    valid_from: datetime = VALID_FROM,
    valid_until: datetime = VALID_UNTIL,
    extended_usage: x509.ObjectIdentifier | None = None,
) -> x509.Certificate:
    signing_key = issuer.key if issuer else key
    if not isinstance(signing_key, ec.EllipticCurvePrivateKey):
        raise TypeError("the test CAs sign with EC keys")
    issuer_public = signing_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
    if extended_usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([extended_usage]), critical=False)
    return builder.sign(signing_key, _hash_for(signing_key), ecdsa_deterministic=True)


def _authority(
    label: str,
    curve: ec.EllipticCurve,
    subject: x509.Name,
    serial: int,
    issuer: Authority | None = None,
    *,
    ca: bool,
    extended_usage: x509.ObjectIdentifier | None = None,
    **validity: datetime,
) -> Authority:
    key = derive_test_ec_key(label, curve)
    certificate = _certificate(subject, key, serial, issuer, ca=ca, extended_usage=extended_usage, **validity)
    return Authority(certificate, key)


@dataclass(frozen=True)
class TestPki:
    """The test CSCAs, Document Signers, CRL and the passport persona's RSA AA key."""

    __test__ = False  # not a pytest test class

    csca_vnm: Authority
    csca_vnm_new: Authority  # rolled-over key, reachable through `csca_vnm_link`
    csca_vnm_link: x509.Certificate  # link certificate: new CSCA key signed by the old one
    csca_unknown: Authority
    csca_uto: Authority
    crl_vnm: x509.CertificateRevocationList
    master_list_signer: Authority
    signers: dict[str, Authority] = field(default_factory=dict)
    rsa_aa_key: rsa.RSAPrivateKey | None = None

    def signer(self, name: str) -> Authority:
        if name not in self.signers:
            raise KeyError(f"no test Document Signer {name!r}; known: {', '.join(sorted(self.signers))}")
        return self.signers[name]


def _build(rsa_aa_key: rsa.RSAPrivateKey | None) -> TestPki:
    bca = "Bo Cong an TEST"
    csca_name = _name("CSCA TEST VNM", bca, "VN")
    csca = _authority("csca-vnm", ec.BrainpoolP384R1(), csca_name, 0x1001, ca=True)
    new_key = derive_test_ec_key("csca-vnm-2", ec.BrainpoolP384R1())
    csca_new = Authority(_certificate(csca_name, new_key, 0x1002, None, ca=True), new_key)
    link = _certificate(csca_name, new_key, 0x1003, csca, ca=True)
    unknown = _authority(
        "csca-unknown",
        ec.SECP384R1(),
        _name("CSCA TEST UNKNOWN", "Unknown Authority TEST", "VN"),
        0x1101,
        ca=True,
    )
    # Utopia, the ICAO specimen country (UTO), has no two-letter code: "UT" stands in for it.
    uto = _authority(
        "csca-uto", ec.SECP384R1(), _name("CSCA TEST UTOPIA", "Passport Office TEST", "UT"), 0x1201, ca=True
    )
    signers = {
        "ds": _authority(
            "ds-vnm-01", ec.BrainpoolP384R1(), _name("DS TEST VNM 01", bca, "VN"), 0x2001, csca, ca=False
        ),
        "ds-revoked": _authority(
            "ds-vnm-02",
            ec.BrainpoolP384R1(),
            _name("DS TEST VNM 02 REVOKED", bca, "VN"),
            0x2002,
            csca,
            ca=False,
        ),
        "ds-expired": _authority(
            "ds-vnm-03",
            ec.BrainpoolP384R1(),
            _name("DS TEST VNM 03 EXPIRED", bca, "VN"),
            0x2003,
            csca,
            ca=False,
            valid_from=EXPIRED_FROM,
            valid_until=EXPIRED_UNTIL,
        ),
        "ds-new-csca": _authority(
            "ds-vnm-04",
            ec.BrainpoolP384R1(),
            _name("DS TEST VNM 04 NEW CSCA KEY", bca, "VN"),
            0x2004,
            csca_new,
            ca=False,
        ),
        "ds-unknown": _authority(
            "ds-unknown-01",
            ec.SECP384R1(),
            _name("DS TEST UNKNOWN 01", "Unknown Authority TEST", "VN"),
            0x2101,
            unknown,
            ca=False,
        ),
        "ds-uto": _authority(
            "ds-uto-01",
            ec.SECP256R1(),
            _name("DS TEST UTO 01", "Passport Office TEST", "UT"),
            0x2201,
            uto,
            ca=False,
        ),
    }
    mls = _authority(
        "mls-vnm",
        ec.BrainpoolP384R1(),
        _name("MLS TEST VNM", bca, "VN"),
        0x3001,
        csca,
        ca=False,
        extended_usage=x509.ObjectIdentifier(MASTER_LIST_SIGNER_USAGE),
    )
    revoked = signers["ds-revoked"].certificate
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(csca_name)
        .last_update(CRL_ISSUED)
        .next_update(VALID_UNTIL)
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revoked.serial_number)
            .revocation_date(CRL_ISSUED)
            .build()
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(csca.key.public_key()), critical=False
        )
        .add_extension(x509.CRLNumber(1), critical=False)
        .sign(csca.key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    return TestPki(csca, csca_new, link, unknown, uto, crl, mls, signers, rsa_aa_key)


def _load_rsa_aa_key() -> rsa.RSAPrivateKey | None:
    path = TESTPKI_DIR / RSA_AA_KEY_FILE
    if not path.exists():
        return None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA key")
    return key


@cache
def test_pki() -> TestPki:
    """The test PKI (built once per process; about a tenth of a second)."""
    return _build(_load_rsa_aa_key())


test_pki.__test__ = False  # type: ignore[attr-defined]  # not a pytest test function


def _normalise_hash(hash_name: str) -> str:
    name = hash_name.lower().replace("-", "")
    if name not in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        raise ValueError(f"unsupported hash {hash_name}")
    return name


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


_Hash = hashes.SHA1 | hashes.SHA224 | hashes.SHA256 | hashes.SHA384 | hashes.SHA512


def _hash_object(hash_name: str) -> _Hash:
    algorithms: dict[str, _Hash] = {
        "sha1": hashes.SHA1(),  # noqa: S303 - SHA-1 SODs exist in the field
        "sha224": hashes.SHA224(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }
    return algorithms[hash_name]


def _sign(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, data: bytes, hash_name: str, rsa_pss: bool
) -> tuple[bytes, dict[str, object]]:
    """The signature and its CMS signatureAlgorithm (RFC 5754, RFC 4056)."""
    algorithm = _hash_object(hash_name)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(algorithm, deterministic_signing=True))
        return signature, {"algorithm": f"{hash_name}_ecdsa"}
    if not rsa_pss:
        return key.sign(data, padding.PKCS1v15(), algorithm), {"algorithm": f"{hash_name}_rsa"}
    salt_length = algorithm.digest_size
    pss = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=salt_length)
    parameters = {
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
        "salt_length": salt_length,
        "trailer_field": "trailer_field_bc",
    }
    return key.sign(data, pss, algorithm), {"algorithm": "rsassa_pss", "parameters": parameters}


def sign_cms(
    content_type: str,
    content: bytes,
    signer: Authority,
    hash_name: str = "sha256",
    signing_time: datetime = DEFAULT_SIGNING_TIME,
    extra_certificates: tuple[x509.Certificate, ...] = (),
    tamper_signature: bool = False,
    *,
    rsa_pss: bool = False,
    sid_by_key_id: bool = False,
) -> bytes:
    """A CMS ContentInfo of SignedData over `content` with signed attributes (RFC 5652, 9303-10 §4.6.2)."""
    hash_name = _normalise_hash(hash_name)
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.new(hash_name, content).digest()]}),
    ]
    # DER orders the members of a SET OF by their encodings.
    signed_attributes = cms.CMSAttributes(sorted(attributes, key=lambda attribute: attribute.dump()))
    signature, signature_algorithm = _sign(signer.key, signed_attributes.dump(), hash_name, rsa_pss)
    if tamper_signature:
        signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
    certificate = asn1_x509.Certificate.load(signer.der)
    signer_info = cms.SignerInfo(
        {
            "version": "v3" if sid_by_key_id else "v1",  # RFC 5652 §5.3
            "sid": cms.SignerIdentifier(
                {"subject_key_identifier": certificate.key_identifier}
                if sid_by_key_id
                else {
                    "issuer_and_serial_number": {
                        "issuer": certificate.issuer,
                        "serial_number": certificate.serial_number,
                    }
                }
            ),
            "digest_algorithm": {"algorithm": hash_name},
            "signed_attrs": signed_attributes,
            "signature_algorithm": signature_algorithm,
            "signature": signature,
        }
    )
    certificates = [certificate] + [
        asn1_x509.Certificate.load(extra.public_bytes(serialization.Encoding.DER))
        for extra in extra_certificates
    ]
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": hash_name}],
            "encap_content_info": {"content_type": content_type, "content": content},
            "certificates": certificates,
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())


def sign_sod(
    data_group_hashes: dict[int, bytes],
    signer: str = "ds",
    hash_name: str = "SHA-256",
    *,
    signing_time: datetime = DEFAULT_SIGNING_TIME,
    tamper_signature: bool = False,
    lds_version: str | None = None,
    unicode_version: str = "040000",
) -> bytes:
    """The complete EF.SOD (tag 77 + CMS SignedData over an LDSSecurityObject) for the given DG hashes.

    `signer` names a test Document Signer: "ds" (valid), "ds-revoked", "ds-expired", "ds-new-csca",
    "ds-unknown" (under the CSCA no one trusts) or "ds-uto" (the passport country's). With `lds_version`
    (e.g. "0108") the object is version 1 with LDSVersionInfo (9303-10 §4.6.2.2).
    """
    algorithm = _normalise_hash(hash_name)
    fields: dict[str, object] = {
        "version": 0 if lds_version is None else 1,
        "hashAlgorithm": {"algorithm": algorithm},
        "dataGroupHashValues": [
            {"dataGroupNumber": number, "dataGroupHashValue": value}
            for number, value in sorted(data_group_hashes.items())
        ],
    }
    if lds_version is not None:
        fields["ldsVersionInfo"] = {"ldsVersion": lds_version, "unicodeVersion": unicode_version}
    lso = LdsSecurityObject(fields)
    content_info = sign_cms(
        LDS_SECURITY_OBJECT_OID,
        lso.dump(),
        test_pki().signer(signer),
        algorithm,
        signing_time,
        tamper_signature=tamper_signature,
    )
    return bytes([SOD_TAG]) + _der_length(len(content_info)) + content_info


def sign_master_list(certificates: list[x509.Certificate], signer: Authority | None = None) -> bytes:
    """An ICAO CSCA master list (CMS SignedData over CscaMasterList, 9303-12 §8) of the given CSCAs."""
    pki = test_pki()
    signer = signer or pki.master_list_signer
    master_list = CscaMasterList(
        {
            "version": 0,
            "certList": [
                asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
                for cert in certificates
            ],
        }
    )
    return sign_cms(CSCA_MASTER_LIST_OID, master_list.dump(), signer, "sha384")


def generated_files(pki: TestPki | None = None) -> dict[str, bytes]:
    """The contents of resources/testpki/, by file name."""
    pki = pki or test_pki()
    pem = serialization.Encoding.PEM
    files = {
        "csca-test-vnm.pem": pki.csca_vnm.pem,
        "csca-test-vnm-link.pem": pki.csca_vnm_link.public_bytes(pem),
        "csca-test-utopia.pem": pki.csca_uto.pem,
        "csca-test-unknown-NOT-TRUSTED.pem": pki.csca_unknown.pem,
        "crl-test-vnm.crl": pki.crl_vnm.public_bytes(serialization.Encoding.DER),
        "masterlist-test.ml": sign_master_list([pki.csca_vnm.certificate, pki.csca_uto.certificate]),
        "README.txt": _README.encode(),
    }
    for name, authority in sorted(pki.signers.items()):
        files[f"dsc-test-{name.removeprefix('ds-') if name != 'ds' else 'vnm-01'}.pem"] = authority.pem
    if pki.rsa_aa_key is not None:
        files[RSA_AA_KEY_FILE] = pki.rsa_aa_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    return files


_README = """TEST PKI of CCCD Station - NOT FOR PRODUCTION. Every key here is public or derivable.

Regenerate with:  .venv/bin/python -m cccd_station.reader.chip.pki
csca-test-vnm.pem        CSCA TEST VNM (brainpoolP384r1), trust this one for the virtual CCCD personas
csca-test-vnm-link.pem   link certificate: CSCA TEST VNM's second key signed by the first
csca-test-utopia.pem     CSCA TEST UTOPIA (P-384), trust this one for the passport persona
csca-test-unknown-NOT-TRUSTED.pem   CSCA of the "unknown CSCA" fault; do not import it
crl-test-vnm.crl         CRL of CSCA TEST VNM (DER), revokes DS TEST VNM 02 REVOKED
masterlist-test.ml       CSCA master list (VNM + UTOPIA) signed by MLS TEST VNM
dsc-test-*.pem           Document Signer certificates (for reference; chips carry them in EF.SOD)
aa-test-passport-rsa-key.pem   RSA-1024 Active Authentication key of the passport persona
"""


def write_files(directory: Path = TESTPKI_DIR) -> list[Path]:
    """(Re)write the test PKI files, creating the RSA AA key once if it is missing."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = test_pki()
    if pki.rsa_aa_key is None:
        # 1024 bits as in the ICAO example and many passports; TEST key only
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
        pki = _build(rsa_key)
    written = []
    for name, content in generated_files(pki).items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    test_pki.cache_clear()
    return written


def main() -> int:
    for path in write_files():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
