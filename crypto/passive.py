"""Passive authentication (ICAO 9303-11 §5.1): EF.SOD's signature, the Document Signer's chain to a
trusted CSCA, its revocation status, and the data group hashes.

The DSC comes from the card and proves nothing by itself: trust starts at the CSCAs of the TrustStore.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import overload

from asn1crypto import crl, x509

from cccd_station.crypto.sod import (
    SignatureError,
    Sod,
    SodError,
    UnsupportedAlgorithmError,
    digest,
)
from cccd_station.crypto.truststore import TrustStore, crl_signed_by, signed_by
from cccd_station.crypto.verdict import (
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    NO_CRL_REASON,
    SOD_SIGNATURE,
    Check,
)


def _name(name: x509.Name) -> str:
    """The CN of a certificate name, else its full text (CSCA/DSC names are not personal data)."""
    common_name = name.native.get("common_name")
    return str(common_name) if common_name else str(name.human_friendly)


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
            not_before=certificate.not_valid_before,
            not_after=certificate.not_valid_after,
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


def check_data_group_hashes(sod: Sod, data_groups: Mapping[int, bytes]) -> Check:
    """Compare the hash of every data group read with EF.SOD (9303-11 §5.1 step 3)."""
    if not data_groups:
        return Check.skipped(DG_HASHES, "No data groups were read, so none could be compared with EF.SOD.")
    mismatched = [
        number
        for number, content in data_groups.items()
        if number in sod.data_group_hashes
        and digest(sod.hash_algorithm, content) != sod.data_group_hashes[number]
    ]
    uncovered = sorted(set(data_groups) - set(sod.data_group_hashes))
    not_read = sorted(set(sod.data_group_hashes) - set(data_groups))
    matched = sorted(set(data_groups) & set(sod.data_group_hashes) - set(mismatched))
    notes = []
    if not_read:
        verb = "was" if len(not_read) == 1 else "were"
        notes.append(f"{_dg_list(not_read)} listed in EF.SOD {verb} not read")
    if mismatched or uncovered:
        problems = []
        if mismatched:
            verb = "does" if len(mismatched) == 1 else "do"
            problems.append(f"{_dg_list(mismatched)} {verb} not match the hash signed in EF.SOD")
        if uncovered:
            verb = "is" if len(uncovered) == 1 else "are"
            problems.append(f"{_dg_list(uncovered)} {verb} on the chip but not in EF.SOD")
        return Check.failed(
            DG_HASHES, "Data was altered or is unsigned: " + "; ".join(problems + notes) + "."
        )
    detail = (
        f"The {sod.hash_algorithm.upper().replace('SHA', 'SHA-')} hashes of {_dg_list(matched)} match EF.SOD"
    )
    return Check.passed(DG_HASHES, detail + (f"; {notes[0]}." if notes else "."))


def _valid_at(certificate: x509.Certificate, moment: datetime) -> bool:
    return certificate.not_valid_before <= moment <= certificate.not_valid_after


def check_chain(
    dsc: x509.Certificate, trust: TrustStore, signing_time: datetime
) -> tuple[Check, x509.Certificate | None]:
    """Chain the DSC to a trusted CSCA (or a link certificate of one) and check validity at signing time."""
    dsc_name = _name(dsc.subject)
    issuer_name = _name(dsc.issuer)
    candidates = trust.issuers_of(dsc)
    if not candidates and any(csca.subject == dsc.issuer for csca in trust.cscas()):
        key_id = (dsc.authority_key_identifier or b"").hex().upper() or "none"
        detail = (
            f"There is no trusted CSCA for {issuer_name} with the key id the Document Signer names "
            f"({key_id}); import that CSCA's new certificate or link certificate."
        )
        return Check.skipped(DSC_CHAIN, detail), None
    if not candidates:
        # The station trusts this country's CSCAs and the signer names none of them: a genuine document
        # names its country's CSCA (a new key under the same name is the rollover case above).
        country = dsc.issuer.native.get("country_name")
        known = trust.cscas_of_country(str(country)) if country else []
        if known:
            names = "; ".join(sorted({_name(csca.subject) for csca in known}))
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
    rooted = [csca for csca in signers if trust.chains_to_root(csca)]
    if not rooted:
        return (
            Check.skipped(
                DSC_CHAIN, f"The CSCA link certificate of {issuer_name} does not chain to a trusted root."
            ),
            None,
        )
    csca = rooted[0]
    when = _day(signing_time)
    if not _valid_at(dsc, signing_time):
        validity = f"{_day(dsc.not_valid_before)} to {_day(dsc.not_valid_after)}"
        detail = (
            f"The Document Signer {dsc_name} was not valid when EF.SOD was signed ({when}; valid {validity})."
        )
        return Check.failed(DSC_CHAIN, detail), csca
    if not _valid_at(csca, signing_time):
        return Check.failed(
            DSC_CHAIN, f"The CSCA {issuer_name} was not valid when EF.SOD was signed ({when})."
        ), csca
    link = "" if csca.self_issued and csca.self_signed != "no" else " through a link certificate"
    return Check.passed(
        DSC_CHAIN, f"The Document Signer {dsc_name} is certified by the trusted {issuer_name}{link}."
    ), csca


def _revocation_signers(csca: x509.Certificate, trust: TrustStore) -> list[x509.Certificate]:
    # After a key rollover the CRL may be signed by any trusted key of the same CSCA.
    return [csca] + [
        other
        for other in trust.cscas()
        if other.subject == csca.subject and other.dump() != csca.dump() and trust.chains_to_root(other)
    ]


def _revoked_entry(revocation_list: crl.CertificateList, serial: int) -> crl.RevokedCertificate | None:
    for entry in revocation_list["tbs_cert_list"]["revoked_certificates"]:
        if entry["user_certificate"].native == serial:
            return entry
    return None


def check_revocation(
    dsc: x509.Certificate, csca: x509.Certificate | None, trust: TrustStore, now: datetime
) -> Check:
    """Look the DSC up on the trusted CRLs of its CSCA (9303-12 §7.1.4), checking each CRL first."""
    dsc_name = _name(dsc.subject)
    if csca is None:
        return Check.skipped(
            DSC_REVOCATION, "Revocation was not checked: the Document Signer has no trusted CSCA."
        )
    csca_name = _name(csca.subject)
    signers = _revocation_signers(csca, trust)
    crls = list({each.dump(): each for signer in signers for each in trust.crls_of(signer)}.values())
    if not crls:
        return Check.skipped(DSC_REVOCATION, f"{NO_CRL_REASON} {csca_name}; revocation was not checked.")
    verified = [each for each in crls if any(crl_signed_by(each, signer) for signer in signers)]
    if not verified:
        return Check.skipped(
            DSC_REVOCATION,
            f"The CRL of {csca_name} does not verify with the CSCA's key; revocation was not checked.",
        )
    for revocation_list in verified:
        entry = _revoked_entry(revocation_list, dsc.serial_number)
        if entry is not None:
            when = _day(entry["revocation_date"].native)
            return Check.failed(
                DSC_REVOCATION, f"The Document Signer {dsc_name} was revoked by {csca_name} on {when}."
            )
    newest = max(verified, key=lambda each: each["tbs_cert_list"]["this_update"].native)
    issued = newest["tbs_cert_list"]["this_update"].native
    next_update = newest["tbs_cert_list"]["next_update"].native
    stale = (
        f" (the CRL is out of date since {_day(next_update)})" if next_update and next_update < now else ""
    )
    return Check.passed(
        DSC_REVOCATION,
        f"The Document Signer {dsc_name} is not on the CRL of {csca_name} issued {_day(issued)}{stale}.",
    )


def passive_authentication(
    sod_bytes: bytes,
    data_groups: Mapping[int, bytes],
    trust: TrustStore | None,
    at: datetime | None = None,
) -> PassiveAuthResult:
    """Run passive authentication: sod.signature, dsc.chain, dsc.revocation and dg.hashes (9303-11 §5.1).

    `data_groups` maps DG numbers to the complete files read. Without a trust store the chain is skipped.
    `at` is the time of the check (default now), used for the DSC's validity when EF.SOD has no signingTime.
    """
    now = at or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)  # certificate times are in UTC
    try:
        sod = Sod.parse(sod_bytes)
    except SodError as exc:
        reason = "EF.SOD could not be read"
        return PassiveAuthResult(
            (
                Check.failed(SOD_SIGNATURE, f"{reason}: {exc}."),
                Check.skipped(DSC_CHAIN, f"{reason}, so there is no Document Signer to check."),
                Check.skipped(DSC_REVOCATION, f"{reason}, so revocation was not checked."),
                Check.skipped(DG_HASHES, f"{reason}, so there are no signed hashes to compare with."),
            )
        )
    hashes_check = check_data_group_hashes(sod, data_groups)
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
    dsc_name = _name(dsc.subject)
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
    if trust is None:
        csca = None
        chain_check = Check.skipped(DSC_CHAIN, "No trust store is configured, so no CSCA is trusted.")
        revocation_check = Check.skipped(
            DSC_REVOCATION, "Revocation was not checked: no trust store is configured."
        )
    else:
        chain_check, csca = check_chain(dsc, trust, sod.cms.signing_time or now)
        revocation_check = check_revocation(dsc, csca, trust, now)
    return PassiveAuthResult(
        (signature_check, chain_check, revocation_check, hashes_check),
        sod,
        CertificateSummary.from_certificate(dsc),
        CertificateSummary.from_certificate(csca) if csca is not None else None,
    )
