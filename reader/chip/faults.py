"""Faults the virtual chip can be told to show, for negative tests, demos and clerk training.

Each fault has a short spelling for the command line (``station emulate --fault tampered-dg=2``);
:meth:`Faults.parse` reads a list of them and :meth:`Faults.to_strings` writes them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

# Spelling on the command line -> (field name, what it does). Faults with "=N" take a number.
FAULT_HELP: dict[str, tuple[str, str]] = {
    "tampered-dg=N": ("tampered_dg", "data group N changed after EF.SOD was signed"),
    "bad-sod-signature": ("bad_sod_signature", "EF.SOD signature does not verify"),
    "unknown-csca": ("unknown_csca", "Document Signer issued by a CSCA nobody trusts"),
    "revoked-dsc": ("revoked_dsc", "Document Signer on the CSCA's revocation list"),
    "expired-dsc": ("expired_dsc", "Document Signer certificate expired"),
    "cloned-aa": ("cloned_aa", "chip signs with a key other than DG15's (a copy)"),
    "cloned-ca": ("cloned_ca", "chip agrees keys with a key other than DG14's (a copy)"),
    "no-chip-auth": ("no_chip_auth", "an older chip: no DG14 or DG15, so it cannot prove it is no copy"),
    "wrong-mac=N": ("wrong_mac", "the Nth protected response of a session carries a bad MAC"),
    "remove-after=N": ("remove_after", "the card is pulled out on the Nth APDU and stays out"),
    "no-extended-length": ("no_extended_length", "short APDUs only; no EF.ATR/INFO"),
    "max-response=N": ("max_response", "responses carry at most N bytes"),
    "bac-only": ("bac_only", "no PACE: EF.CardAccess absent"),
    "pace-only": ("pace_only", "BAC refused"),
    "pace-param=N": ("pace_parameter_id", "PACE on standardized domain parameters N (default 13)"),
    "plain-error-dg=N": (
        "plain_error_dg",
        "a relay answers the protected READ BINARY of DG N with a bare 6A82 (no secure messaging)",
    ),
    "do87-after-mac": ("do87_after_mac", "protected answers with data get a second DO87 after their MAC"),
    "pace-refused": ("pace_refused", "MSE:Set AT refused (6A80) though EF.CardAccess offers PACE; BAC works"),
    "garbled-card-access": ("garbled_card_access", "EF.CardAccess is not valid DER; BAC works"),
    "foreign-signer": ("foreign_signer", "EF.SOD signed by the Document Signer of another country (UTO)"),
    "pss-no-params": (
        "pss_no_params",
        "EF.SOD signed with RSASSA-PSS and no parameters (SHA-1 defaults) by an RSA Document Signer",
    ),
    "aa-rsa-1025": ("aa_rsa_1025", "Active Authentication with a genuine 1025-bit RSA key"),
    "pace-cam": (
        "pace_cam",
        "EF.CardAccess also offers PACE-CAM: the chip proves its DG14 key inside PACE (no separate CA)",
    ),
    "slip-at=N": (
        "slip_at",
        "the card leaves the reader on the Nth APDU and may be laid on it again (it powers up afresh)",
    ),
}
_FIELD_BY_SPELLING = {spelling.split("=")[0]: name for spelling, (name, _) in FAULT_HELP.items()}
_NUMERIC = {name for spelling, (name, _) in FAULT_HELP.items() if spelling.endswith("=N")}
# Smallest sensible value of each numeric fault.
_MINIMUM = {
    "tampered_dg": 1,
    "wrong_mac": 1,
    "remove_after": 1,
    "max_response": 64,
    "pace_parameter_id": 0,
    "plain_error_dg": 1,
    "slip_at": 1,
}
_MAXIMUM = {"tampered_dg": 16, "max_response": 65535, "pace_parameter_id": 31, "plain_error_dg": 16}


class FaultError(ValueError):
    """A fault spelling that names no fault, or a value out of range."""


@dataclass(frozen=True)
class Faults:
    """What is wrong with this chip; the default is a chip with nothing wrong."""

    tampered_dg: int | None = None
    bad_sod_signature: bool = False
    unknown_csca: bool = False
    revoked_dsc: bool = False
    expired_dsc: bool = False
    cloned_aa: bool = False
    cloned_ca: bool = False
    no_chip_auth: bool = False
    wrong_mac: int | None = None
    remove_after: int | None = None
    no_extended_length: bool = False
    max_response: int | None = None
    bac_only: bool = False
    pace_only: bool = False
    pace_parameter_id: int | None = None
    plain_error_dg: int | None = None
    do87_after_mac: bool = False
    pace_refused: bool = False
    garbled_card_access: bool = False
    foreign_signer: bool = False
    pss_no_params: bool = False
    aa_rsa_1025: bool = False
    pace_cam: bool = False
    slip_at: int | None = None

    def __post_init__(self) -> None:
        if self.bac_only and self.pace_only:
            raise FaultError("bac-only and pace-only together leave no way to open the chip")
        if self.pace_refused and self.pace_only:
            raise FaultError("pace-refused and pace-only together leave no way to open the chip")
        for fault, name in (
            (self.pace_refused, "pace-refused"),
            (self.garbled_card_access, "garbled-card-access"),
        ):
            if fault and self.bac_only:
                raise FaultError(f"{name} needs the EF.CardAccess that bac-only removes")
        if self.no_chip_auth and (self.cloned_aa or self.cloned_ca or self.aa_rsa_1025):
            raise FaultError("a chip without DG14 and DG15 (no-chip-auth) has no keys to clone or change")
        if self.pace_cam and (self.bac_only or self.no_chip_auth):
            raise FaultError(
                "pace-cam needs EF.CardAccess and the DG14 key that bac-only or no-chip-auth remove"
            )
        if self.pace_cam and self.pace_parameter_id not in (None, 13):
            raise FaultError(
                "pace-cam runs on brainpoolP256r1 (pace-param=13), the curve of the chip's CA key"
            )
        signers = [
            self.unknown_csca,
            self.revoked_dsc,
            self.expired_dsc,
            self.foreign_signer,
            self.pss_no_params,
        ]
        if sum(signers) > 1:
            raise FaultError(
                "choose one of unknown-csca, revoked-dsc, expired-dsc, foreign-signer and pss-no-params"
            )
        for name in _NUMERIC:
            value = getattr(self, name)
            if value is None:
                continue
            if not _MINIMUM[name] <= value <= _MAXIMUM.get(name, 1 << 31):
                raise FaultError(f"{name.replace('_', '-')}={value} is out of range")

    @classmethod
    def parse(cls, specs: Iterable[str] | str) -> Faults:
        """Faults from spellings such as ``["tampered-dg=2", "bac-only"]`` (commas also separate)."""
        if isinstance(specs, str):
            specs = [specs]
        values: dict[str, int | bool] = {}
        for spec in (part.strip() for text in specs for part in text.split(",")):
            if not spec:
                continue
            word, has_value, number = spec.partition("=")
            name = _FIELD_BY_SPELLING.get(word.strip().lower())
            if name is None:
                known = ", ".join(FAULT_HELP)
                raise FaultError(f"unknown fault {spec!r}; known faults: {known}")
            if name in _NUMERIC:
                if not has_value or not number.strip().isdigit():
                    raise FaultError(f"fault {word} needs a number: {word}=N")
                values[name] = int(number)
            elif has_value:
                raise FaultError(f"fault {word} takes no value")
            else:
                values[name] = True
        return cls(**values)  # type: ignore[arg-type]

    def to_strings(self) -> list[str]:
        """The command-line spellings of the faults that are set (inverse of :meth:`parse`)."""
        spelled = []
        for spelling, (name, _) in FAULT_HELP.items():
            value = getattr(self, name)
            if value is None or value is False:
                continue
            word = spelling.split("=")[0]
            spelled.append(f"{word}={value}" if name in _NUMERIC else word)
        return spelled

    @property
    def personalisation(self) -> Faults:
        """Only the faults that change the files on the chip (the key of the personalisation cache)."""
        kept = {
            "tampered_dg",
            "bad_sod_signature",
            "unknown_csca",
            "revoked_dsc",
            "expired_dsc",
            "no_chip_auth",
            "no_extended_length",
            "max_response",
            "bac_only",
            "pace_parameter_id",
            "garbled_card_access",
            "foreign_signer",
            "pss_no_params",
            "aa_rsa_1025",
            "pace_cam",
        }
        return replace(Faults(), **{f.name: getattr(self, f.name) for f in fields(self) if f.name in kept})

    @property
    def extended_length(self) -> bool:
        return not self.no_extended_length

    def __str__(self) -> str:
        return ", ".join(self.to_strings()) or "none"


NO_FAULTS = Faults()
