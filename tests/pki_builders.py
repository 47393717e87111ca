"""Certificates a forger (or a careless issuer) would make, built in the tests (no tests of its own).

The station's own TEST PKI (reader/chip/pki.py) is genuine by construction; these builders make the
rest: attacker CSCAs, signers with the wrong key usage, certificates whose signature is broken.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cccd_station.crypto.truststore import MASTER_LIST_SIGNER_USAGE
from cccd_station.reader.chip.pki import Authority, derive_test_ec_key

VALID_FROM = datetime(2024, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2040, 1, 1, tzinfo=UTC)
_serial = iter(range(0x7000, 0x8000))


def name(common_name: str, country: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def certificate(
    label: str,
    subject: x509.Name,
    issuer: Authority | None = None,
    *,
    ca: bool = True,
    key_usage: str = "ca",  # "ca": keyCertSign+cRLSign, "sign": digitalSignature, "none": no extension
    master_list_signer: bool = False,
    other_usage: bool = False,
) -> Authority:
    """A certificate for a key derived from ``label``, signed by ``issuer`` (itself when None)."""
    key = derive_test_ec_key(label, ec.SECP256R1())
    signing_key = issuer.key if issuer else key
    assert isinstance(signing_key, ec.EllipticCurvePrivateKey)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(next(_serial))
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if key_usage != "none":
        usage = key_usage == "ca"
        builder = builder.add_extension(
            x509.KeyUsage(not usage, False, False, False, False, usage, usage, False, False), critical=True
        )
    usages = [x509.ObjectIdentifier(MASTER_LIST_SIGNER_USAGE)] if master_list_signer else []
    usages += [ExtendedKeyUsageOID.CODE_SIGNING] if other_usage else []
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    return Authority(builder.sign(signing_key, hashes.SHA256()), key)


def der(authority: Authority | x509.Certificate) -> bytes:
    cert = authority.certificate if isinstance(authority, Authority) else authority
    return cert.public_bytes(serialization.Encoding.DER)


def broken_signature(authority: Authority) -> bytes:
    """The certificate's DER with the last byte of its signature flipped."""
    data = bytearray(der(authority))
    data[-1] ^= 0x01
    return bytes(data)
