"""The local API's own TLS certificate, for an administrator who opens it to the counter's network.

Self-signed (no CA would vouch for a counter PC), so clients pin it: the SHA-256 of the certificate, or
of its public key (curl's ``--pinnedpubkey sha256//...``). The key is ECDSA P-256 and stays in the data
directory, owner-only; the certificate is made again only when it is missing, within 30 days of its end
or does not name the address the API listens on (RFC 5280 §4.2.1.6: subjectAltName), which changes the
pin, so clients must be told.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TLS_DIR_NAME = "api-tls"
CERT_FILE_NAME = "cert.pem"
KEY_FILE_NAME = "key.pem"
VALIDITY = timedelta(days=5 * 365)
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    certfile: Path
    keyfile: Path
    fingerprint: str  # SHA-256 of the certificate (DER), colon-separated hex
    public_key_pin: str  # base64 SHA-256 of the SubjectPublicKeyInfo

    @classmethod
    def of(cls, certfile: Path, keyfile: Path) -> TlsFiles:
        certificate = x509.load_pem_x509_certificate(certfile.read_bytes())
        der = certificate.public_bytes(serialization.Encoding.DER)
        spki = certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(
            certfile,
            keyfile,
            hashlib.sha256(der).digest().hex(":").upper(),
            base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii"),
        )


def _names_for(host: str) -> tuple[list[str], list[str]]:
    """(DNS names, IP addresses) the certificate must carry for an API listening on ``host``."""
    dns = ["localhost", socket.gethostname()]
    ips = ["127.0.0.1", "::1"]
    if host != "localhost":
        address = ipaddress.ip_address(host)
        if not address.is_unspecified:
            ips.append(str(address))
    return list(dict.fromkeys(dns)), list(dict.fromkeys(ips))


def _covers(certificate: x509.Certificate, dns: list[str], ips: list[str], now: datetime) -> bool:
    if certificate.not_valid_after_utc - RENEW_BEFORE < now:
        return False
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    have_dns = set(names.get_values_for_type(x509.DNSName))
    have_ips = {str(address) for address in names.get_values_for_type(x509.IPAddress)}
    return set(dns) <= have_dns and set(ips) <= have_ips


def ensure_certificate(data_dir: Path, host: str, *, station_id: str = "") -> TlsFiles:
    """The certificate and key for an API on ``host`` (made when needed) and their pins."""
    directory = data_dir / TLS_DIR_NAME
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    certfile, keyfile = directory / CERT_FILE_NAME, directory / KEY_FILE_NAME
    dns, ips = _names_for(host)
    now = datetime.now(UTC)
    if certfile.exists() and keyfile.exists():
        existing = x509.load_pem_x509_certificate(certfile.read_bytes())
        if _covers(existing, dns, ips, now):
            return TlsFiles.of(certfile, keyfile)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CCCD Station"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"CCCD Station local API {station_id}".strip()[:64]),
        ]
    )
    alt_names: list[x509.GeneralName] = [x509.DNSName(each) for each in dns]
    alt_names += [x509.IPAddress(ipaddress.ip_address(each)) for each in ips]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when an older key file was left readable
    with os.fdopen(descriptor, "wb") as file:
        file.write(key_pem)
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return TlsFiles.of(certfile, keyfile)
