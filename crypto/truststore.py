"""The station's trust anchors and the one rule by which a certificate becomes one (ICAO 9303-12 §5, §7, §8).

A CSCA certificate becomes a trust anchor only through

(a) an administrator's import at this counter (a self-signed CSCA whose own signature verifies),
(b) an ICAO master list whose signer carries the master-list-signer key usage and is certified, with a
    verified signature, by a CSCA this counter already trusts; the CSCAs it lists are then trusted one by one
    (each a CA whose self-signature, or link signature, verifies), or
(c) a link certificate signed by an anchor already trusted.

CRLs count only when a trusted CSCA's signature on them verifies. Entries from the site's central database
get no rule of their own: they are evaluated under (b) and (c) like everything else, so a root CSCA pushed
by another counter is not trusted here until an administrator imports it here.

:func:`evaluate` applies the rule to every entry until nothing changes (the order of arrival does not
matter) and returns the anchors with a decision, accepted or refused with its reason, for each entry and
for each certificate of each master list. Pure functions: storing entries is the station's business.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from asn1crypto import cms, core, crl, pem, x509

from cccd_station.crypto.names import NameKey, name_key
from cccd_station.crypto.sod import (
    CSCA_MASTER_LIST_OID,
    SignatureError,
    SignedCms,
    certificate_validity,
    load_certificate,
    verify_certificate_signature,
    verify_crl_signature,
)

MAX_TRUST_FILE_SIZE = 16 * 1024 * 1024  # the largest national master lists are a few MiB
MASTER_LIST_SIGNER_USAGE = "2.23.136.1.1.3"  # id-icao-cscaMasterListSigningKey (9303-12 §8.1)
PARSE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError)


class EntryKind(StrEnum):
    CSCA = "csca"
    MASTER_LIST = "master_list"
    CRL = "crl"


class Origin(StrEnum):
    ADMINISTRATOR = "administrator"  # imported by an administrator at this counter: rule (a)
    CENTRAL = "central"  # arrived from the site's central database: rules (b) and (c) only


class TrustFileError(ValueError):
    """A file that is no certificate, CRL or master list, or a damaged one; the message says which."""


class SetOfCertificates(core.SetOf):
    _child_spec = x509.Certificate


class CscaMasterList(core.Sequence):
    """CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate } (9303-12 §8.2)."""

    _fields: ClassVar = [("version", core.Integer), ("certList", SetOfCertificates)]


class _SetOfAny(core.SetOf):
    _child_spec = core.Any


class _RawMasterList(core.Sequence):
    """The same structure with each certificate left as bytes, so that one damaged entry is refused on
    its own instead of taking the whole list with it."""

    _fields: ClassVar = [("version", core.Integer), ("certList", _SetOfAny)]


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def name_text(name: x509.Name) -> str:
    """The CN of a certificate name, else its full text (CSCA and signer names are not personal data)."""
    common_name = name.native.get("common_name")
    return str(common_name) if common_name else str(name.human_friendly)


def name_country(name: x509.Name) -> str | None:
    value = name.native.get("country_name")
    return str(value).upper() if value else None


@dataclass(frozen=True)
class TrustInput:
    """One entry as stored: a CSCA certificate, a master list or a CRL, and where it came from."""

    kind: EntryKind
    der: bytes = field(repr=False)
    origin: Origin
    source: str
    fingerprint: str = field(init=False)  # hashed once: a master list is megabytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", fingerprint(self.der))


@dataclass(frozen=True)
class Decision:
    """What the trust rule made of one entry, or of one certificate inside a master list."""

    fingerprint: str
    kind: EntryKind
    subject: str  # the certificate's or master list signer's name; a CRL's issuer
    country: str | None  # two letters, from the name's C attribute
    accepted: bool
    reason: str  # why it is trusted, or why not: one English sentence
    valid_until: datetime | None = None
    master_list: str | None = None  # fingerprint of the master list that carried this certificate


def _load_crl(der: bytes) -> crl.CertificateList:
    revocation_list = crl.CertificateList.load(der, strict=True)
    _ = revocation_list.native
    return revocation_list


def read_trust_file(data: bytes, source: str) -> list[tuple[EntryKind, bytes]]:
    """The entries of a PEM or DER file: certificates, CRLs and master lists (several PEM blocks allowed)."""
    if len(data) > MAX_TRUST_FILE_SIZE:
        raise TrustFileError(f"{source} is {len(data)} bytes, too large for a trust file")
    if not pem.detect(data):
        return [(_sniff(data, source), data)]
    try:
        blocks = [(kind, der) for kind, _headers, der in pem.unarmor(data, multiple=True)]
    except ValueError as exc:
        raise TrustFileError(f"{source}: damaged PEM: {exc}") from exc
    entries = []
    for block_type, der in blocks:
        if "CRL" in block_type:
            entries.append((EntryKind.CRL, der))
        elif "CERTIFICATE" in block_type:
            entries.append((EntryKind.CSCA, der))
        elif block_type in ("CMS", "PKCS7"):
            entries.append((EntryKind.MASTER_LIST, der))
        else:
            raise TrustFileError(f"{source}: unexpected PEM block {block_type}")
    return entries


def _sniff(der: bytes, source: str) -> EntryKind:
    """Tell a certificate, a CRL and a CMS (master list) apart by which structure parses fully."""
    for kind, loader in (
        (EntryKind.CSCA, load_certificate),
        (EntryKind.CRL, _load_crl),
        (EntryKind.MASTER_LIST, lambda data: cms.ContentInfo.load(data, strict=True).native),
    ):
        try:
            loader(der)
        except PARSE_ERRORS:
            continue
        return kind
    raise TrustFileError(f"{source} is neither a certificate, a CRL nor a master list")


def _check_self_signature(certificate: x509.Certificate, what: str) -> None:
    try:
        verify_certificate_signature(certificate, certificate)
    except SignatureError as exc:
        raise _Refused(f"{what} does not verify ({exc})") from exc


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer`'s key signed `certificate` (an algorithm we cannot compute with counts as no)."""
    try:
        verify_certificate_signature(certificate, issuer)
    except SignatureError:
        return False
    return True


def crl_signed_by(revocation_list: crl.CertificateList, csca: x509.Certificate) -> bool:
    """Whether the CSCA's key signed the CRL (RFC 5280 §5.1.1.3)."""
    try:
        verify_crl_signature(revocation_list, csca)
    except SignatureError:
        return False
    return True


def _key_ids_match(authority_key_id: bytes | None, subject_key_id: bytes | None) -> bool:
    return authority_key_id is None or subject_key_id is None or authority_key_id == subject_key_id


def is_root(certificate: x509.Certificate) -> bool:
    """Issued by itself under its own key (a link certificate names its CSCA too, but another key)."""
    subject = _name_key_or_none(certificate.subject)
    return (
        subject is not None
        and subject == _name_key_or_none(certificate.issuer)
        and _key_ids_match(certificate.authority_key_identifier, certificate.key_identifier)
    )


def _ca_problem(certificate: x509.Certificate) -> str | None:
    """Why a certificate cannot be a CSCA, or None. A CA says so with basicConstraints cA (RFC 5280
    §4.2.1.9); some genuine CSCAs (Belgium, Türkiye, Luxembourg...) leave cA out or false but assert
    keyCertSign (§4.2.1.3), which says the same. A Document Signer has neither."""
    usage = certificate.key_usage_value
    may_sign_certificates = usage is None or "key_cert_sign" in usage.native
    if certificate.ca and not may_sign_certificates:
        return "it may not sign certificates (keyUsage lacks keyCertSign)"
    if not certificate.ca and (usage is None or not may_sign_certificates):
        return "it is not a CA certificate (neither basicConstraints cA nor keyUsage keyCertSign)"
    return None


def _name_key_or_none(name: x509.Name) -> NameKey | None:
    return _name_key_of(name.dump())


@functools.lru_cache(maxsize=8192)
def _name_key_of(name_der: bytes) -> NameKey | None:
    # The same few hundred names come up again and again while a master list is evaluated.
    try:
        return name_key(x509.Name.load(name_der))
    except ValueError:
        return None  # a name that does not parse is the name of nothing


class TrustAnchors:
    """The trusted CSCA certificates (roots and link certificates) and the CRLs signed by them, found by
    name (RFC 5280 §7.1 comparison) through an index, since a master list brings hundreds."""

    def __init__(
        self, cscas: Iterable[x509.Certificate] = (), crls: Iterable[crl.CertificateList] = ()
    ) -> None:
        self.cscas: tuple[x509.Certificate, ...] = tuple(cscas)
        self.crls: tuple[crl.CertificateList, ...] = tuple(crls)
        self._cscas_by_name: dict[NameKey | None, list[x509.Certificate]] = {}
        for csca in self.cscas:
            self._cscas_by_name.setdefault(_name_key_or_none(csca.subject), []).append(csca)
        self._crls_by_name: dict[NameKey | None, list[crl.CertificateList]] = {}
        for revocation_list in self.crls:
            key = _name_key_or_none(revocation_list.issuer)
            self._crls_by_name.setdefault(key, []).append(revocation_list)

    def named(self, name: x509.Name) -> list[x509.Certificate]:
        """Trusted CSCAs with this name, whatever their key (a rollover leaves several)."""
        key = _name_key_or_none(name)
        return list(self._cscas_by_name.get(key, ())) if key is not None else []

    def issuers_of(self, certificate: x509.Certificate) -> list[x509.Certificate]:
        """Trusted CSCAs named as the certificate's issuer whose key id matches its authority key id."""
        return [
            csca
            for csca in self.named(certificate.issuer)
            if _key_ids_match(certificate.authority_key_identifier, csca.key_identifier)
        ]

    def of_country(self, country: str) -> list[x509.Certificate]:
        """Trusted CSCAs whose name says ``country`` (the C attribute, e.g. "VN")."""
        return [csca for csca in self.cscas if name_country(csca.subject) == country.upper()]

    def crls_of(self, csca: x509.Certificate) -> list[crl.CertificateList]:
        """Trusted CRLs issued under the CSCA's name: after a key rollover any key of the CSCA may sign them,
        and each was admitted only after a trusted key of that name verified it."""
        key = _name_key_or_none(csca.subject)
        return list(self._crls_by_name.get(key, ())) if key is not None else []


@dataclass(frozen=True)
class TrustState:
    """The anchors, and the decision taken on every entry and on every master-list certificate."""

    anchors: TrustAnchors
    decisions: tuple[Decision, ...]

    def decision(self, fingerprint_hex: str) -> Decision | None:
        """The decision on a stored entry, else on a certificate that came in a master list."""
        matches = [each for each in self.decisions if each.fingerprint == fingerprint_hex]
        return min(matches, key=lambda each: each.master_list is not None, default=None)

    def refused(self) -> list[Decision]:
        return [each for each in self.decisions if not each.accepted]

    def countries(self) -> dict[str, int]:
        """Trusted CSCA certificates per country (two letters; "--" when the name carries none)."""
        counts: dict[str, int] = {}
        trusted = {
            each.fingerprint: each for each in self.decisions if each.accepted and each.kind is EntryKind.CSCA
        }
        for each in trusted.values():
            counts[each.country or "--"] = counts.get(each.country or "--", 0) + 1
        return dict(sorted(counts.items()))


class _Refused(ValueError):
    """For good: nothing that may arrive later makes this entry acceptable."""


class _Waiting(ValueError):
    """Not yet: an anchor it needs may still arrive (a later entry, another master list)."""


@dataclass
class _Evaluation:
    """The fixpoint of the trust rule over a set of entries (see :func:`evaluate`)."""

    now: datetime
    anchors: dict[str, x509.Certificate] = field(default_factory=dict)
    crls: dict[str, crl.CertificateList] = field(default_factory=dict)
    decisions: dict[tuple[str, str | None], Decision] = field(default_factory=dict)  # by fingerprint, list

    def decide(self, decision: Decision) -> None:
        self.decisions[decision.fingerprint, decision.master_list] = decision

    by_name: dict[NameKey, list[x509.Certificate]] = field(default_factory=dict)

    def trust(self, fingerprint_hex: str, certificate: x509.Certificate) -> None:
        self.anchors[fingerprint_hex] = certificate
        key = _name_key_or_none(certificate.subject)
        if key is not None:
            self.by_name.setdefault(key, []).append(certificate)

    def named(self, name: x509.Name) -> list[x509.Certificate]:
        key = _name_key_or_none(name)
        return list(self.by_name.get(key, ())) if key is not None else []

    def trusted_issuers(self, certificate: x509.Certificate) -> list[x509.Certificate]:
        return [
            issuer
            for issuer in self.named(certificate.issuer)
            if _key_ids_match(certificate.authority_key_identifier, issuer.key_identifier)
        ]

    def csca(self, entry: TrustInput, certificate: x509.Certificate) -> str:
        problem = _ca_problem(certificate)
        if problem:
            raise _Refused(f"{name_text(certificate.subject)} is refused: {problem}")
        if is_root(certificate):
            _check_self_signature(certificate, f"the self-signature of {name_text(certificate.subject)}")
            if entry.origin is Origin.ADMINISTRATOR:
                return "imported by an administrator at this counter"
            raise _Waiting(
                "a root CSCA from the central database is trusted only when an administrator imports it "
                "at this counter, or when a trusted master list carries it"
            )
        return self.link(certificate)

    def link(self, certificate: x509.Certificate) -> str:
        issuers = self.trusted_issuers(certificate)
        for issuer in issuers:
            if signed_by(certificate, issuer):
                return f"a link certificate signed by the trusted {name_text(issuer.subject)}"
        issuer_name = name_text(certificate.issuer)
        if issuers:
            raise _Refused(f"the link certificate's signature does not verify with the trusted {issuer_name}")
        raise _Waiting(f"its issuer {issuer_name} is not trusted; import that CSCA first")

    def master_list(self, entry: TrustInput) -> tuple[x509.Certificate, list[Decision]]:
        """The list's signer and a decision for each certificate it lists."""
        signed = SignedCms.parse(entry.der, error=_Refused)
        if signed.content_type != CSCA_MASTER_LIST_OID:
            raise _Refused(f"this CMS signs {signed.content_type}, not a CSCA master list")
        try:
            listed = [
                member.dump() for member in _RawMasterList.load(signed.content, strict=True)["certList"]
            ]
        except PARSE_ERRORS as exc:
            raise _Refused(f"damaged CscaMasterList: {exc}") from exc
        signer = signed.signer_certificate()
        if signer is None:
            raise _Refused("the master list signer's certificate is not in the CMS")
        signer_name = name_text(signer.subject)
        extended_usage = signer.extended_key_usage_value
        if extended_usage is None or MASTER_LIST_SIGNER_USAGE not in [each.dotted for each in extended_usage]:
            raise _Refused(
                f"the signer {signer_name} lacks the master list signer key usage (2.23.136.1.1.3)"
            )
        try:
            signed.verify(signer.public_key.dump())
        except SignatureError as exc:
            raise _Refused(f"the master list signature by {signer_name} does not verify: {exc}") from exc
        when = signed.signing_time or self.now
        not_before, not_after = certificate_validity(signer)
        if not not_before <= when <= not_after:
            raise _Refused(f"the signer {signer_name} was not valid when the master list was signed")
        if not any(signed_by(signer, issuer) for issuer in self.trusted_issuers(signer)):
            raise _Waiting(
                f"its signer {signer_name} is certified by {name_text(signer.issuer)}, which this counter "
                "does not trust; import that CSCA first"
            )
        return signer, self.master_list_members(entry, listed)

    def master_list_members(self, entry: TrustInput, listed: list[bytes]) -> list[Decision]:
        """Roots first, then the link certificates they (or earlier anchors) make trustworthy."""
        members: list[Decision] = []
        pending: list[tuple[bytes, x509.Certificate]] = []
        for der in listed:
            try:
                certificate = x509.Certificate.load(der, strict=True)
                certificate_validity(certificate)  # what a check will read of it, parsed now
            except PARSE_ERRORS as exc:
                members.append(
                    _decision(EntryKind.CSCA, der, None, False, f"damaged certificate: {exc}", entry)
                )
                continue
            pending.append((der, certificate))
        while pending:
            waiting: list[tuple[bytes, x509.Certificate, str]] = []
            for der, certificate in pending:
                try:
                    reason = self.member(certificate)
                except _Waiting as exc:
                    waiting.append((der, certificate, str(exc)))
                    continue
                except (_Refused, *PARSE_ERRORS) as exc:
                    members.append(_decision(EntryKind.CSCA, der, certificate, False, str(exc), entry))
                    continue
                self.trust(fingerprint(der), certificate)
                members.append(_decision(EntryKind.CSCA, der, certificate, True, reason, entry))
            if len(waiting) == len(pending):
                members += [
                    _decision(EntryKind.CSCA, der, each, False, self.unchained_link(each, why), entry)
                    for der, each, why in waiting
                ]
                break
            pending = [(der, each) for der, each, _why in waiting]
        return members

    def unchained_link(self, link: x509.Certificate, reason: str) -> str:
        """Why a listed link certificate stays out: its older key is in no list here. Lists drop a CSCA's
        expired keys but keep the links, while the new key is usually listed on its own."""
        new_key_trusted = any(
            anchor.key_identifier == link.key_identifier and link.key_identifier is not None
            for anchor in self.named(link.subject)
        )
        if new_key_trusted:
            return "a link from an older key of this CSCA that no list here carries; its new key is trusted"
        return reason

    def member(self, certificate: x509.Certificate) -> str:
        problem = _ca_problem(certificate)
        if problem:
            raise _Refused(problem)
        if is_root(certificate):
            _check_self_signature(certificate, "its self-signature")
            return "listed in a trusted master list"
        return self.link(certificate) + ", listed in a trusted master list"

    def revocation_list(self, revocation_list: crl.CertificateList) -> str:
        issuers = self.named(revocation_list.issuer)
        for issuer in issuers:
            if crl_signed_by(revocation_list, issuer):
                return f"signed by the trusted {name_text(issuer.subject)}"
        issuer_name = name_text(revocation_list.issuer)
        if issuers:
            raise _Refused(f"the CRL's signature does not verify with the key of {issuer_name}")
        raise _Waiting(f"its CSCA {issuer_name} is not trusted; import that CSCA first")


def _decision(
    kind: EntryKind,
    der: bytes,
    item: x509.Certificate | crl.CertificateList | None,
    accepted: bool,
    reason: str,
    master_list: TrustInput | None = None,
) -> Decision:
    subject, country, valid_until = "", None, None
    try:
        if isinstance(item, x509.Certificate):
            subject, country = name_text(item.subject), name_country(item.subject)
            valid_until = certificate_validity(item)[1]
        elif isinstance(item, crl.CertificateList):
            subject, country = name_text(item.issuer), name_country(item.issuer)
            valid_until = item["tbs_cert_list"]["next_update"].native
    except PARSE_ERRORS:
        pass  # a damaged entry is described by its reason
    return Decision(
        fingerprint(der),
        kind,
        subject,
        country,
        accepted,
        reason,
        valid_until,
        master_list.fingerprint if master_list else None,
    )


def _parse(entry: TrustInput) -> x509.Certificate | crl.CertificateList | None:
    if entry.kind is EntryKind.CSCA:
        return load_certificate(entry.der)
    if entry.kind is EntryKind.CRL:
        return _load_crl(entry.der)
    return None  # a master list is parsed where its signature is checked


def evaluate(entries: Iterable[TrustInput], now: datetime | None = None) -> TrustState:
    """Apply the trust rule to every entry until nothing changes, and say what became of each."""
    evaluation = _Evaluation(now or datetime.now(UTC))
    pending: list[tuple[TrustInput, x509.Certificate | crl.CertificateList | None]] = []
    for entry in {each.fingerprint: each for each in entries}.values():
        try:
            pending.append((entry, _parse(entry)))
        except PARSE_ERRORS as exc:
            evaluation.decide(
                _decision(
                    entry.kind, entry.der, None, False, f"damaged {entry.kind.value.replace('_', ' ')}: {exc}"
                )
            )
    while True:
        waiting: list[tuple[TrustInput, x509.Certificate | crl.CertificateList | None, str]] = []
        for entry, item in pending:
            try:
                if isinstance(item, x509.Certificate):
                    reason = evaluation.csca(entry, item)
                    evaluation.trust(entry.fingerprint, item)
                elif isinstance(item, crl.CertificateList):
                    reason = evaluation.revocation_list(item)
                    evaluation.crls[entry.fingerprint] = item
                else:
                    item, members = evaluation.master_list(entry)  # the decision names the list's signer
                    accepted = sum(member.accepted for member in members)
                    reason = f"signed under a trusted CSCA; {accepted} of {len(members)} CSCAs taken"
                    for member in members:
                        evaluation.decide(member)
            except _Waiting as exc:
                waiting.append((entry, item, str(exc)))
                continue
            except (_Refused, *PARSE_ERRORS) as exc:
                evaluation.decide(_decision(entry.kind, entry.der, item, False, str(exc)))
                continue
            evaluation.decide(_decision(entry.kind, entry.der, item, True, reason))
        if len(waiting) == len(pending):
            for entry, item, reason in waiting:
                evaluation.decide(_decision(entry.kind, entry.der, item, False, reason))
            break
        pending = [(entry, item) for entry, item, _reason in waiting]
    anchors = TrustAnchors(tuple(evaluation.anchors.values()), tuple(evaluation.crls.values()))
    return TrustState(anchors, tuple(evaluation.decisions.values()))


def anchors_from_files(files: Sequence[tuple[str, bytes]]) -> TrustState:
    """Evaluate files an administrator hands over directly (``station read --trust``): rule (a) applies."""
    entries = [
        TrustInput(kind, der, Origin.ADMINISTRATOR, source)
        for source, data in files
        for kind, der in read_trust_file(data, source)
    ]
    return evaluate(entries)
