"""Passive authentication (ICAO 9303-11 §5.1): EF.SOD's signature, the Document Signer's chain to a trusted
CSCA of the document's own country, its revocation status, and the data group hashes.

The DSC comes from the card and proves nothing by itself: trust starts at the anchors of
:mod:`cccd_station.crypto.truststore`, each admitted under the station's trust rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import overload

from asn1crypto import crl, x509

from cccd_station.crypto.countries import certificate_country
from cccd_station.crypto.sod import (
    SignatureError,
    Sod,
    SodError,
    UnsupportedAlgorithmError,
    as_utc,
    certificate_validity,
    digest,
)
from cccd_station.crypto.truststore import (
    PARSE_ERRORS,
    TrustAnchors,
    is_root,
    name_country,
    name_text,
    signed_by,
)
from cccd_station.crypto.verdict import (
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    NO_CRL,
    SOD_SIGNATURE,
    Check,
)


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _dg_list(numbers: Sequence[int] | set[int]) -> str:
    return ", ".join(f"DG{number}" for number in sorted(numbers))


@dataclass(frozen=True)
class CertificateSummary:
    """What the station shows of a DSC or CSCA certificate (no personal data)."""

    subject: str
    issuer: str
    serial: str  # hexadecimal
    not_before: datetime
    not_after: datetime

    @classmethod
    def from_certificate(cls, certificate: x509.Certificate) -> CertificateSummary:
        """Summarise an X.509 certificate (RFC 5280 §4.1)."""
        return cls(
            subject=str(certificate.subject.human_friendly),
            issuer=str(certificate.issuer.human_friendly),
            serial=format(certificate.serial_number, "X"),
            not_before=certificate_validity(certificate)[0],
            not_after=certificate_validity(certificate)[1],
        )


@dataclass(frozen=True)
class PassiveAuthResult(Sequence[Check]):
    """The four passive-authentication checks (a Check sequence), the parsed EF.SOD and certificates."""

    checks: tuple[Check, ...]
    sod: Sod | None = None
    dsc: CertificateSummary | None = None
    csca: CertificateSummary | None = None

    @overload
    def __getitem__(self, index: int) -> Check: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Check]: ...
    def __getitem__(self, index: int | slice) -> Check | Sequence[Check]:
        return self.checks[index]

    def __len__(self) -> int:
        return len(self.checks)

    def __iter__(self) -> Iterator[Check]:
        return iter(self.checks)

    def check(self, check_id: str) -> Check:
        return next(check for check in self.checks if check.id == check_id)


def check_data_group_hashes(
    sod: Sod,
    data_groups: Mapping[int, bytes],
    required: frozenset[int] = frozenset(),
    unread: Mapping[int, str] | None = None,
) -> Check:
    """Compare the hash of every data group read with EF.SOD (9303-11 §5.1 step 3).

    ``required`` are the groups the station shows or relies on: each must be listed in EF.SOD, read and
    match, or the check fails; ``unread`` says why a group could not be read (for the detail).
    """
    unread = unread or {}
    mismatched = sorted(
        number
        for number, content in data_groups.items()
        if number in sod.data_group_hashes
        and digest(sod.hash_algorithm, content) != sod.data_group_hashes[number]
    )
    uncovered = sorted(set(data_groups) - set(sod.data_group_hashes))
    unlisted = sorted(required - set(sod.data_group_hashes))
    not_read = sorted(set(sod.data_group_hashes) - set(data_groups))
    missing = sorted(set(not_read) & required)
    matched = sorted(set(data_groups) & set(sod.data_group_hashes) - set(mismatched))
    problems = []
    if mismatched:
        verb = "does" if len(mismatched) == 1 else "do"
        problems.append(f"{_dg_list(mismatched)} {verb} not match the hash signed in EF.SOD")
    if uncovered:
        verb = "is" if len(uncovered) == 1 else "are"
        problems.append(f"{_dg_list(uncovered)} {verb} on the chip but not in EF.SOD")
    if unlisted:
        problems.append(f"EF.SOD does not list {_dg_list(unlisted)}, which this document must carry")
    for number in missing:
        why = f" ({unread[number]})" if number in unread else ""
        problems.append(f"DG{number} listed in EF.SOD could not be read{why}")
    rest = sorted(set(not_read) - set(missing))
    note = ""
    if rest:
        note = f"{_dg_list(rest)} listed in EF.SOD {'was' if len(rest) == 1 else 'were'} not read"
    if problems:
        detail = "; ".join(problems + ([note] if note else []))
        return Check.failed(DG_HASHES, f"Data was altered, withheld or is unsigned: {detail}.")
    if not matched:
        return Check.skipped(DG_HASHES, "No data groups were read, so none could be compared with EF.SOD.")
    algorithm = sod.hash_algorithm.upper().replace("SHA", "SHA-")
    detail = f"The {algorithm} hashes of {_dg_list(matched)} match EF.SOD"
    return Check.passed(DG_HASHES, detail + (f"; {note}." if note else "."))


def _valid_at(certificate: x509.Certificate, moment: datetime) -> bool:
    not_before, not_after = certificate_validity(certificate)
    return not_before <= moment <= not_after


def _dsc_usage_problem(dsc: x509.Certificate) -> str | None:
    """A Document Signer signs documents, nothing else (9303-12 §7.1.1: keyUsage digitalSignature)."""
    usage = dsc.key_usage_value
    if usage is not None and "digital_signature" not in usage.native:
        return "its key usage does not allow signing documents (keyUsage lacks digitalSignature)"
    if dsc.ca:
        return "it is a CA certificate, not a Document Signer"
    return None


def _country_binding(
    dsc: x509.Certificate, csca: x509.Certificate, issuing_state: str | None
) -> Check | None:
    """The DSC's country, its CSCA's and the document's issuing state must be one (9303-12 §7.1.1):
    a failed check naming the three when they differ, a skipped one when the state has no known code."""
    dsc_country = name_country(dsc.subject) or name_country(dsc.issuer)
    csca_country = name_country(csca.subject)
    document_country = certificate_country(issuing_state) if issuing_state else None
    if issuing_state and document_country is None:
        return Check.skipped(
            DSC_CHAIN, f"The issuing state {issuing_state} has no country code the station knows to compare."
        )
    countries = {dsc_country, csca_country} | ({document_country} if issuing_state else set())
    if len(countries) == 1 and None not in countries:
        return None
    return Check.failed(
        DSC_CHAIN,
        f"The document's issuing state ({issuing_state or 'unknown'}), the Document Signer's country "
        f"({dsc_country or 'none'}) and its CSCA's country ({csca_country or 'none'}) do not agree.",
    )


def check_chain(
    dsc: x509.Certificate,
    anchors: TrustAnchors,
    signing_time: datetime | None,
    issuing_state: str | None = None,
    now: datetime | None = None,
) -> tuple[Check, x509.Certificate | None]:
    """Chain the DSC to a trusted CSCA of the document's country and check validity when EF.SOD was signed
    (the chain model of 9303-12 §7.1.1). Without a signingTime the check runs at ``now``; a Document Signer
    that has expired since cannot be placed in time, so the chain is then not checked rather than failed:
    a genuine older document is not red, and a key used after its time never reads as verified."""
    dsc_name = name_text(dsc.subject)
    issuer_name = name_text(dsc.issuer)
    candidates = anchors.issuers_of(dsc)
    if not candidates and anchors.named(dsc.issuer):
        key_id = (dsc.authority_key_identifier or b"").hex().upper() or "none"
        detail = (
            f"There is no trusted CSCA for {issuer_name} with the key id the Document Signer names "
            f"({key_id}); import that CSCA's new certificate or link certificate."
        )
        return Check.skipped(DSC_CHAIN, detail), None
    if not candidates:
        # The station trusts this country's CSCAs and the signer names none of them: a genuine document
        # names its country's CSCA (a new key under the same name is the rollover case above).
        country = name_country(dsc.issuer)
        known = anchors.of_country(country) if country else []
        if known:
            names = "; ".join(sorted({name_text(csca.subject) for csca in known}))
            detail = (
                f"The Document Signer {dsc_name} names {issuer_name} as its CSCA, which is not one of the "
                f"trusted CSCAs of {country} ({names})."
            )
            return Check.failed(DSC_CHAIN, detail), None
        return Check.skipped(
            DSC_CHAIN, f"There is no trusted CSCA for {issuer_name}; import its certificate."
        ), None
    signers = [csca for csca in candidates if signed_by(dsc, csca)]
    if not signers:
        return Check.failed(
            DSC_CHAIN, f"The Document Signer {dsc_name} is not signed by the trusted {issuer_name}."
        ), None
    csca = signers[0]
    problem = _dsc_usage_problem(dsc)
    if problem:
        return Check.failed(DSC_CHAIN, f"The Document Signer {dsc_name} is refused: {problem}."), csca
    binding = _country_binding(dsc, csca, issuing_state)
    if binding is not None:
        return binding, csca
    moment = signing_time or now or datetime.now(UTC)
    when = _day(moment)
    validity = " to ".join(_day(each) for each in certificate_validity(dsc))
    expired = [
        name
        for name, certificate in ((dsc_name, dsc), (issuer_name, csca))
        if certificate_validity(certificate)[1] < moment
    ]
    if signing_time is None and expired:
        detail = (
            f"{' and '.join(expired)} expired before today, and EF.SOD does not say when it was signed, so "
            "the Document Signer's validity could not be checked; check the document's dates."
        )
        return Check.skipped(DSC_CHAIN, detail), csca
    if not _valid_at(dsc, moment):
        detail = (
            f"The Document Signer {dsc_name} was not valid when EF.SOD was signed ({when}; valid {validity})."
        )
        return Check.failed(DSC_CHAIN, detail), csca
    if not _valid_at(csca, moment):
        return Check.failed(
            DSC_CHAIN, f"The CSCA {issuer_name} was not valid when EF.SOD was signed ({when})."
        ), csca
    link = "" if is_root(csca) else " through a link certificate"
    detail = f"The Document Signer {dsc_name} is certified by the trusted {issuer_name}{link}."
    return Check.passed(DSC_CHAIN, detail), csca


def _revoked_entry(revocation_list: crl.CertificateList, serial: int) -> crl.RevokedCertificate | None:
    for entry in revocation_list["tbs_cert_list"]["revoked_certificates"]:
        if entry["user_certificate"].native == serial:
            return entry
    return None


def check_revocation(
    dsc: x509.Certificate, csca: x509.Certificate | None, anchors: TrustAnchors, now: datetime
) -> Check:
    """Look the DSC up on the trusted CRLs of its CSCA (9303-12 §7.1.4); a CRL past its nextUpdate, or
    not yet issued, says nothing about today: revocation is then unknown."""
    dsc_name = name_text(dsc.subject)
    if csca is None:
        return Check.skipped(
            DSC_REVOCATION, "Revocation was not checked: the Document Signer has no trusted CSCA."
        )
    csca_name = name_text(csca.subject)
    crls = anchors.crls_of(csca)
    if not crls:
        return Check.skipped(
            DSC_REVOCATION, f"No CRL is known for {csca_name}; revocation was not checked.", NO_CRL
        )
    for revocation_list in crls:
        entry = _revoked_entry(revocation_list, dsc.serial_number)
        if entry is not None:
            when = _day(entry["revocation_date"].native)
            return Check.failed(
                DSC_REVOCATION, f"The Document Signer {dsc_name} was revoked by {csca_name} on {when}."
            )
    newest = max(crls, key=lambda each: as_utc(each["tbs_cert_list"]["this_update"].native))
    issued = as_utc(newest["tbs_cert_list"]["this_update"].native)
    next_update = newest["tbs_cert_list"]["next_update"].native
    if issued > now:
        return Check.skipped(
            DSC_REVOCATION,
            f"The newest CRL of {csca_name} claims to be issued on {_day(issued)}, in the future; "
            "revocation is unknown.",
        )
    if next_update is not None and as_utc(next_update) < now:
        return Check.skipped(
            DSC_REVOCATION,
            f"The newest CRL of {csca_name} is out of date since {_day(as_utc(next_update))}; revocation is "
            "unknown: import a current CRL.",
        )
    return Check.passed(
        DSC_REVOCATION,
        f"The Document Signer {dsc_name} is not on the CRL of {csca_name} issued {_day(issued)}.",
    )


def passive_authentication(
    sod_bytes: bytes,
    data_groups: Mapping[int, bytes],
    anchors: TrustAnchors | None,
    at: datetime | None = None,
    *,
    issuing_state: str | None = None,
    required: frozenset[int] = frozenset(),
    unread: Mapping[int, str] | None = None,
) -> PassiveAuthResult:
    """Run passive authentication: sod.signature, dsc.chain, dsc.revocation and dg.hashes (9303-11 §5.1).

    ``data_groups`` maps DG numbers to the complete files read; ``required`` are the groups that must be
    among them (see :func:`check_data_group_hashes`). ``issuing_state`` is DG1's three-letter code, which
    the Document Signer's country must match. Without anchors the chain is not checked. ``at`` is the time
    of the check (default now), used for the DSC's validity when EF.SOD has no signingTime.

    Malformed or hostile data never escapes as an exception: it fails the check it breaks.
    """
    now = as_utc(at or datetime.now(UTC))
    try:
        return _passive_authentication(sod_bytes, data_groups, anchors, now, issuing_state, required, unread)
    except PARSE_ERRORS as exc:
        reason = f"EF.SOD or its certificates are malformed ({type(exc).__name__})"
        return PassiveAuthResult(sod_unreadable(reason))


def sod_unreadable(reason: str) -> tuple[Check, ...]:
    """The passive-authentication checks when there is no EF.SOD to check (``reason`` says why)."""
    return (
        Check.failed(SOD_SIGNATURE, f"{reason}."),
        Check.skipped(DSC_CHAIN, f"{reason}, so there is no Document Signer to check."),
        Check.skipped(DSC_REVOCATION, f"{reason}, so revocation was not checked."),
        Check.skipped(DG_HASHES, f"{reason}, so there are no signed hashes to compare with."),
    )


def _passive_authentication(
    sod_bytes: bytes,
    data_groups: Mapping[int, bytes],
    anchors: TrustAnchors | None,
    now: datetime,
    issuing_state: str | None,
    required: frozenset[int],
    unread: Mapping[int, str] | None,
) -> PassiveAuthResult:
    try:
        sod = Sod.parse(sod_bytes)
    except SodError as exc:
        return PassiveAuthResult(sod_unreadable(f"EF.SOD could not be read: {exc}"))
    hashes_check = check_data_group_hashes(sod, data_groups, required, unread)
    dsc = sod.document_signer()
    if dsc is None:
        missing = "EF.SOD does not contain the Document Signer certificate named by its signature"
        return PassiveAuthResult(
            (
                Check.failed(SOD_SIGNATURE, f"{missing}."),
                Check.skipped(DSC_CHAIN, f"{missing}, so no chain could be built."),
                Check.skipped(DSC_REVOCATION, f"{missing}, so revocation was not checked."),
                hashes_check,
            ),
            sod,
        )
    dsc_name = name_text(dsc.subject)
    try:
        sod.cms.verify(dsc.public_key.dump())
        signature_check = Check.passed(
            SOD_SIGNATURE, f"EF.SOD is validly signed by the Document Signer {dsc_name}."
        )
    except UnsupportedAlgorithmError as exc:
        signature_check = Check.skipped(
            SOD_SIGNATURE, f"The signature of EF.SOD by {dsc_name} could not be checked: {exc}."
        )
    except SignatureError as exc:
        signature_check = Check.failed(
            SOD_SIGNATURE, f"The signature of EF.SOD by {dsc_name} is invalid: {exc}."
        )
    if anchors is None:
        csca = None
        chain_check = Check.skipped(DSC_CHAIN, "No trust store is configured, so no CSCA is trusted.")
        revocation_check = Check.skipped(
            DSC_REVOCATION, "Revocation was not checked: no trust store is configured."
        )
    else:
        signing_time = as_utc(sod.cms.signing_time) if sod.cms.signing_time else None
        chain_check, csca = check_chain(dsc, anchors, signing_time, issuing_state, now)
        revocation_check = check_revocation(dsc, csca, anchors, now)
    return PassiveAuthResult(
        (signature_check, chain_check, revocation_check, hashes_check),
        sod,
        CertificateSummary.from_certificate(dsc),
        CertificateSummary.from_certificate(csca) if csca is not None else None,
    )
