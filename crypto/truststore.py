"""The station's trust anchors: CSCA certificates and their CRLs (ICAO 9303-12 §5, §7, §8).

Imports PEM/DER certificates, folders of them, ICAO CSCA master lists (whose own signature is checked)
and CRLs. Entries are kept as DER files plus a small index in the directory given to the constructor,
so they survive restarts; the database layer mirrors them through `entries()` and `add_entry()`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from asn1crypto import cms, core, crl, pem, x509

from cccd_station.crypto.sod import (
    CSCA_MASTER_LIST_OID,
    SignatureError,
    SignedCms,
    signature_hash_name,
    verify_certificate_signature,
    verify_signature,
)

MAX_IMPORT_SIZE = 16 * 1024 * 1024  # the ICAO master list is a few MiB
INDEX_FILE = "index.json"
IMPORT_SUFFIXES = (".pem", ".der", ".cer", ".crt", ".crl", ".ml")


class TrustStoreError(ValueError):
    """A file or entry the trust store cannot accept."""


class CorruptFileError(TrustStoreError):
    """Not a certificate, CRL or master list, or damaged."""


class NotACaError(TrustStoreError):
    """A certificate that is not a certification authority (no basicConstraints cA)."""


class MasterListError(TrustStoreError):
    """A master list whose signature does not verify or whose signer chains to no known CSCA."""


class UnchainedLinkError(TrustStoreError):
    """A CSCA link certificate whose issuing CSCA is not trusted (yet)."""


class CrlError(TrustStoreError):
    """A CRL whose signature does not verify against its CSCA."""


class SetOfCertificates(core.SetOf):
    _child_spec = x509.Certificate


class CscaMasterList(core.Sequence):
    """CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate } (9303-12 §8.2)."""

    _fields: ClassVar = [("version", core.Integer), ("certList", SetOfCertificates)]


class EntryKind(StrEnum):
    CSCA = "csca"
    CRL = "crl"


def _fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _name_text(name: x509.Name) -> str:
    return str(name.human_friendly)


def _country(name: x509.Name) -> str | None:
    value = name.native.get("country_name")
    return str(value) if value else None


@dataclass(frozen=True)
class TrustEntry:
    """One trusted CSCA certificate or CRL, with where it came from."""

    kind: EntryKind
    der: bytes = field(repr=False)
    source: str
    imported_at: datetime
    fingerprint: str
    subject: str  # the CSCA's name; for a CRL, its issuer's
    country: str | None
    key_id: bytes | None  # subjectKeyIdentifier of a CSCA; authorityKeyIdentifier of a CRL
    valid_from: datetime  # notBefore / thisUpdate
    valid_until: datetime | None  # notAfter / nextUpdate

    @classmethod
    def from_der(cls, kind: EntryKind, der: bytes, source: str, imported_at: datetime) -> TrustEntry:
        """Describe a DER certificate (RFC 5280 §4.1) or CRL (RFC 5280 §5.1)."""
        if kind is EntryKind.CSCA:
            certificate = x509.Certificate.load(der, strict=True)
            return cls(
                kind,
                der,
                source,
                imported_at,
                _fingerprint(der),
                _name_text(certificate.subject),
                _country(certificate.subject),
                certificate.key_identifier,
                certificate.not_valid_before,
                certificate.not_valid_after,
            )
        revocation_list = crl.CertificateList.load(der, strict=True)
        issuer = revocation_list.issuer
        return cls(
            kind,
            der,
            source,
            imported_at,
            _fingerprint(der),
            _name_text(issuer),
            _country(issuer),
            revocation_list.authority_key_identifier,
            revocation_list["tbs_cert_list"]["this_update"].native,
            revocation_list["tbs_cert_list"]["next_update"].native,
        )

    def certificate(self) -> x509.Certificate:
        return x509.Certificate.load(self.der)

    def revocation_list(self) -> crl.CertificateList:
        return crl.CertificateList.load(self.der)


def _pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    try:
        return [(kind, der) for kind, _headers, der in pem.unarmor(data, multiple=True)]
    except ValueError as exc:
        raise CorruptFileError(f"damaged PEM: {exc}") from exc


def _is_self_signed(certificate: x509.Certificate) -> bool:
    """Issued by itself with no sign of another key (a root, not a link certificate)."""
    return certificate.self_issued and certificate.self_signed != "no"


def _signs_itself(certificate: x509.Certificate) -> bool:
    return certificate.self_issued and signed_by(certificate, certificate)


def _check_ca(certificate: x509.Certificate) -> None:
    label = _name_text(certificate.subject)
    if not certificate.ca:
        raise NotACaError(f"{label} is not a CA certificate (basicConstraints cA is not set)")
    usage = certificate.key_usage_value
    if usage is not None and "key_cert_sign" not in usage.native:
        raise NotACaError(f"{label} may not sign certificates (keyUsage lacks keyCertSign)")


class TrustStore:
    """Trusted CSCAs and CRLs kept as files under `path` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._index: dict[str, dict[str, str]] = {}
        index_path = self.path / INDEX_FILE
        if index_path.exists():
            try:
                self._index = json.loads(index_path.read_text(encoding="utf-8"))
            except (ValueError, OSError) as exc:
                raise CorruptFileError(f"the trust store index {index_path} is damaged: {exc}") from exc
        self._entries: dict[str, TrustEntry] = {}
        self._certificates: dict[str, x509.Certificate] = {}
        self._revocation_lists: dict[str, crl.CertificateList] = {}
        self._batch_depth = 0
        for fingerprint, meta in self._index.items():
            kind = EntryKind(meta["kind"])
            der = (self.path / kind.value / f"{fingerprint}.der").read_bytes()
            self._entries[fingerprint] = TrustEntry.from_der(
                kind, der, meta["source"], datetime.fromisoformat(meta["imported_at"])
            )

    # -- reading --------------------------------------------------------------------------------------

    def entries(self) -> list[TrustEntry]:
        """All entries, CSCAs first, then by subject."""
        return sorted(self._entries.values(), key=lambda entry: (entry.kind != EntryKind.CSCA, entry.subject))

    def cscas(self) -> list[x509.Certificate]:
        return [self._certificate(entry) for entry in self.entries() if entry.kind is EntryKind.CSCA]

    def crls(self) -> list[crl.CertificateList]:
        return [self._revocation_list(entry) for entry in self.entries() if entry.kind is EntryKind.CRL]

    # Parsed once and kept: a master list brings hundreds of CSCAs and every check walks them.
    def _certificate(self, entry: TrustEntry) -> x509.Certificate:
        if entry.fingerprint not in self._certificates:
            self._certificates[entry.fingerprint] = entry.certificate()
        return self._certificates[entry.fingerprint]

    def _revocation_list(self, entry: TrustEntry) -> crl.CertificateList:
        if entry.fingerprint not in self._revocation_lists:
            self._revocation_lists[entry.fingerprint] = entry.revocation_list()
        return self._revocation_lists[entry.fingerprint]

    def issuers_of(self, certificate: x509.Certificate) -> list[x509.Certificate]:
        """Trusted CA certificates whose name is the certificate's issuer and whose key id matches its AKI."""
        authority_key_id = certificate.authority_key_identifier
        return [
            candidate
            for candidate in self.cscas()
            if candidate.subject == certificate.issuer
            and (authority_key_id is None or candidate.key_identifier in (None, authority_key_id))
        ]

    def cscas_of_country(self, country: str) -> list[x509.Certificate]:
        """Trusted CSCA certificates whose name says ``country`` (the C attribute, e.g. "VN")."""
        return [
            self._certificate(entry)
            for entry in self.entries()
            if entry.kind is EntryKind.CSCA and entry.country == country
        ]

    def crls_of(self, csca: x509.Certificate) -> list[crl.CertificateList]:
        """CRLs issued under the CSCA's name (and key id, when both carry one)."""
        return [
            revocation_list
            for revocation_list in self.crls()
            if revocation_list.issuer == csca.subject
            and (
                revocation_list.authority_key_identifier is None
                or csca.key_identifier is None
                or revocation_list.authority_key_identifier == csca.key_identifier
            )
        ]

    def chains_to_root(self, certificate: x509.Certificate, depth: int = 4) -> bool:
        """Whether a trusted CA certificate is a self-signed root or a link certificate signed by one."""
        if _is_self_signed(certificate):
            return True
        if depth == 0:
            return False
        for issuer in self.issuers_of(certificate):
            if issuer.dump() == certificate.dump():
                continue
            try:
                verify_certificate_signature(certificate, issuer)
            except SignatureError:
                continue
            if self.chains_to_root(issuer, depth - 1):
                return True
        return False

    # -- importing -------------------------------------------------------------------------------------

    def import_path(self, path: Path, source: str | None = None) -> list[TrustEntry]:
        """Import a file or every file of a folder (not recursive); see `import_bytes`."""
        with self._batch():
            return self._import_path(Path(path), source)

    def _import_path(self, path: Path, source: str | None) -> list[TrustEntry]:
        if path.is_dir():
            return self._import_folder(path, source)
        size = path.stat().st_size
        if size > MAX_IMPORT_SIZE:
            raise CorruptFileError(f"{path.name} is {size} bytes, too large for a trust anchor file")
        return self._import_bytes(path.read_bytes(), source or path.name)

    def _import_folder(self, folder: Path, source: str | None) -> list[TrustEntry]:
        # CRLs last, so their CSCA is known and their signature gets checked on import.
        files = sorted(
            (
                child
                for child in folder.iterdir()
                if child.is_file() and child.suffix.lower() in IMPORT_SUFFIXES
            ),
            key=lambda child: (child.suffix.lower() == ".crl", child.name),
        )
        imported: list[TrustEntry] = []
        while files:
            waiting = []  # link certificates whose CSCA may come later in the folder
            for child in files:
                try:
                    imported += self._import_path(child, source)
                except UnchainedLinkError:
                    waiting.append(child)
            if len(waiting) == len(files):
                self._import_path(waiting[0], source)  # raises the error for the clerk
            files = waiting
        return imported

    def import_bytes(self, data: bytes, source: str) -> list[TrustEntry]:
        """Import a certificate, CRL or master list in DER or PEM (several PEM blocks allowed)."""
        with self._batch():
            return self._import_bytes(data, source)

    def _import_bytes(self, data: bytes, source: str) -> list[TrustEntry]:
        if pem.detect(data):
            imported: list[TrustEntry] = []
            for block_type, der in _pem_blocks(data):
                if "CRL" in block_type:
                    imported.append(self.import_crl(der, source))
                elif "CERTIFICATE" in block_type:
                    imported.append(self.import_certificate(der, source))
                elif block_type in ("CMS", "PKCS7"):
                    imported += self.import_master_list(der, source)
                else:
                    raise CorruptFileError(f"{source}: unexpected PEM block {block_type}")
            return imported
        kind = self._sniff(data, source)
        if kind == "certificate":
            return [self.import_certificate(data, source)]
        if kind == "crl":
            return [self.import_crl(data, source)]
        return self.import_master_list(data, source)

    @staticmethod
    def _sniff(der: bytes, source: str) -> str:
        """Tell a certificate, a CRL and a CMS (master list) apart by which structure parses fully."""
        for kind, spec in (
            ("certificate", x509.Certificate),
            ("crl", crl.CertificateList),
            ("cms", cms.ContentInfo),
        ):
            try:
                _ = spec.load(der, strict=True).native
            except (ValueError, TypeError, KeyError):
                continue
            return kind
        raise CorruptFileError(f"{source} is neither a certificate, a CRL nor a master list")

    def import_certificate(self, der: bytes, source: str) -> TrustEntry:
        """Trust a self-signed CSCA, or a CSCA link certificate that chains to a trusted one."""
        try:
            certificate = x509.Certificate.load(der, strict=True)
            _ = certificate.native  # parse every field now: a damaged file fails here, not later
        except (ValueError, TypeError, KeyError) as exc:
            raise CorruptFileError(f"{source}: damaged certificate: {exc}") from exc
        self._check_anchor(certificate, source)
        return self.add_entry(EntryKind.CSCA, certificate.dump(), source)

    def _check_anchor(self, certificate: x509.Certificate, source: str) -> None:
        _check_ca(certificate)
        if _signs_itself(certificate):
            return
        # Otherwise a link certificate: the new CSCA key, signed by a key we already trust.
        if any(
            signed_by(certificate, issuer) and self.chains_to_root(issuer)
            for issuer in self.issuers_of(certificate)
        ):
            return
        label = _name_text(certificate.subject)
        if _is_self_signed(certificate):
            raise CorruptFileError(f"{source}: the self-signature of {label} does not verify")
        raise UnchainedLinkError(
            f"{source}: {label} is a link certificate whose issuing CSCA "
            f"({_name_text(certificate.issuer)}) is not trusted; import that CSCA first"
        )

    def import_crl(self, der: bytes, source: str) -> TrustEntry:
        """Add a CRL; when its CSCA is already trusted, its signature must verify."""
        try:
            revocation_list = crl.CertificateList.load(der, strict=True)
            _ = revocation_list.native
        except (ValueError, TypeError, KeyError) as exc:
            raise CorruptFileError(f"{source}: damaged CRL: {exc}") from exc
        issuers = [csca for csca in self.cscas() if csca.subject == revocation_list.issuer]
        if issuers and not any(crl_signed_by(revocation_list, issuer) for issuer in issuers):
            raise CrlError(
                f"{source}: the CRL's signature does not verify with the key of "
                f"{_name_text(revocation_list.issuer)}"
            )
        return self.add_entry(EntryKind.CRL, revocation_list.dump(), source)

    def import_master_list(self, der: bytes, source: str) -> list[TrustEntry]:
        """Import the CSCAs of an ICAO master list after checking its signature (9303-12 §8)."""
        signed = SignedCms.parse(der, error=MasterListError)
        if signed.content_type != CSCA_MASTER_LIST_OID:
            raise MasterListError(f"{source} is a CMS of {signed.content_type}, not a CSCA master list")
        try:
            master_list = CscaMasterList.load(signed.content, strict=True)
            listed = list(master_list["certList"])
            _ = [certificate.native for certificate in listed]
        except (ValueError, TypeError, KeyError) as exc:
            raise MasterListError(f"{source}: damaged CscaMasterList: {exc}") from exc
        signer = signed.signer_certificate()
        if signer is None:
            raise MasterListError(f"{source}: the master list signer's certificate is not in the CMS")
        try:
            signed.verify(signer.public_key.dump())
        except SignatureError as exc:
            raise MasterListError(f"{source}: the master list signature does not verify: {exc}") from exc
        signer_name = _name_text(signer.subject)
        anchors = [certificate for certificate in listed if _is_self_signed(certificate)] + self.cscas()
        if not any(signed_by(signer, anchor) for anchor in anchors if anchor.subject == signer.issuer):
            raise MasterListError(
                f"{source}: the master list signer {signer_name} does not chain to a CSCA in the list "
                f"or already trusted (issuer {_name_text(signer.issuer)})"
            )
        imported = []
        with self._batch():
            pending = list(listed)
            while pending:  # roots first, then the link certificates they make trustworthy
                left = []
                for certificate in pending:
                    try:
                        self._check_anchor(certificate, source)
                    except UnchainedLinkError:
                        left.append(certificate)
                        continue
                    except TrustStoreError:
                        continue  # master lists occasionally carry broken entries; the rest stays usable
                    imported.append(self.add_entry(EntryKind.CSCA, certificate.dump(), source))
                if len(left) == len(pending):
                    break
                pending = left
        return imported

    def add_entry(
        self, kind: EntryKind, der: bytes, source: str, imported_at: datetime | None = None
    ) -> TrustEntry:
        """Store one entry as it is (used by the imports and to mirror the central database)."""
        try:
            entry = TrustEntry.from_der(kind, der, source, imported_at or datetime.now(UTC))
        except (ValueError, TypeError, KeyError) as exc:
            raise CorruptFileError(f"{source}: damaged {kind.value}: {exc}") from exc
        if entry.fingerprint in self._entries:
            return self._entries[entry.fingerprint]
        folder = self.path / kind.value
        folder.mkdir(exist_ok=True)
        _write_atomically(folder / f"{entry.fingerprint}.der", der)
        self._entries[entry.fingerprint] = entry
        self._index[entry.fingerprint] = {
            "kind": kind.value,
            "source": source,
            "imported_at": entry.imported_at.isoformat(),
        }
        self._save_index()
        return entry

    def remove(self, fingerprint: str) -> bool:
        """Forget an entry by its SHA-256 fingerprint (hex); False when there is none."""
        entry = self._entries.pop(fingerprint, None)
        if entry is None:
            return False
        self._certificates.pop(fingerprint, None)
        self._revocation_lists.pop(fingerprint, None)
        del self._index[fingerprint]
        self._save_index()
        (self.path / entry.kind.value / f"{fingerprint}.der").unlink(missing_ok=True)
        return True

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Write the index once for a whole import instead of after each entry."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._save_index()

    def _save_index(self) -> None:
        if self._batch_depth:
            return
        _write_atomically(self.path / INDEX_FILE, json.dumps(self._index, indent=1, sort_keys=True).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer`'s key signed `certificate`."""
    try:
        verify_certificate_signature(certificate, issuer)
    except SignatureError:
        return False
    return True


def crl_signed_by(revocation_list: crl.CertificateList, csca: x509.Certificate) -> bool:
    """Whether the CSCA's key signed the CRL (RFC 5280 §5.1.1.3)."""
    algorithm = revocation_list["signature_algorithm"]
    try:
        verify_signature(
            csca.public_key.dump(),
            revocation_list["signature"].native,
            revocation_list["tbs_cert_list"].dump(),
            algorithm,
            signature_hash_name(algorithm),
        )
    except SignatureError:
        return False
    return True


def load_trust_store(path: Path, imports: Iterable[Path] = ()) -> TrustStore:
    """A store at `path` with the given files or folders imported (for `--trust` options)."""
    store = TrustStore(path)
    for source in imports:
        store.import_path(source)
    return store
