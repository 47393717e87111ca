"""The counter's trust anchors: the database's trust rows are the one source, the anchors are evaluated
from them under the trust rule of :mod:`cccd_station.crypto.truststore`.

The command line, the admin screen and the pull from the central database all change the rows through
:class:`TrustService`, which checks an import before storing it, audits every change (an arrival from
central included, accepted or refused with its reason) and hands readers a new immutable
:class:`TrustState`, so a read in progress never sees the anchors change under it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from cccd_station.crypto.truststore import (
    MAX_TRUST_FILE_SIZE,
    Decision,
    EntryKind,
    Origin,
    TrustAnchors,
    TrustFileError,
    TrustInput,
    TrustState,
    evaluate,
    read_trust_file,
)
from cccd_station.db import Database, TrustEntry, TrustKind
from cccd_station.db.trust import TrustOrigin

if TYPE_CHECKING:
    from cccd_station.db import Operator

log = logging.getLogger(__name__)

TRUST_FILE_SUFFIXES = (".pem", ".der", ".cer", ".crt", ".crl", ".ml")


class TrustImportError(ValueError):
    """A trust file, or a removal, that was refused; the message says why, for the administrator."""

    kind: ClassVar[str] = "trust_refused"


@dataclass(frozen=True)
class TrustImport:
    """What became of an import: a decision for each entry of the file(s) and each CSCA of a master list."""

    decisions: tuple[Decision, ...]

    @property
    def accepted(self) -> list[Decision]:
        return [each for each in self.decisions if each.accepted]

    @property
    def refused(self) -> list[Decision]:
        return [each for each in self.decisions if not each.accepted]


@dataclass(frozen=True)
class TrustRow:
    """A stored entry with what the trust rule made of it (for `station trust list` and the admin screen)."""

    entry: TrustEntry
    decision: Decision | None


def _input(entry: TrustEntry) -> TrustInput:
    origin = Origin.ADMINISTRATOR if entry.origin is TrustOrigin.ADMINISTRATOR else Origin.CENTRAL
    return TrustInput(EntryKind(entry.kind.value), entry.der, origin, entry.source)


def _members(state: TrustState, master_list: str) -> list[Decision]:
    return [each for each in state.decisions if each.master_list == master_list]


def read_trust_files(path: Path) -> list[tuple[str, bytes]]:
    """(name, contents) of a trust file, or of every trust file of a folder (not recursive)."""
    path = Path(path)
    if not path.exists():
        raise TrustImportError(f"{path} does not exist")
    files = [path]
    if path.is_dir():
        files = sorted(
            child
            for child in path.iterdir()
            if child.is_file() and child.suffix.lower() in TRUST_FILE_SUFFIXES
        )
    contents = []
    for file in files:
        try:
            if file.stat().st_size > MAX_TRUST_FILE_SIZE:
                raise TrustImportError(f"{file.name} is too large for a trust file")
            contents.append((file.name, file.read_bytes()))
        except OSError as exc:
            raise TrustImportError(f"{file.name} cannot be read: {exc.strerror}") from None
    return contents


class TrustService:
    """Trust rows of one station's database, and the anchors evaluated from them. Safe from any thread."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._lock = threading.Lock()
        self._state: TrustState | None = None

    # -- reading -------------------------------------------------------------------------------------

    @property
    def state(self) -> TrustState:
        """The current evaluation (made on first use, then after each change)."""
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._evaluate()
                state = self._state
        return state

    @property
    def anchors(self) -> TrustAnchors:
        return self.state.anchors

    def _evaluate(self, extra: Iterable[TrustInput] = ()) -> TrustState:
        return evaluate([*(_input(entry) for entry in self._db.trust.list()), *extra], self._db.clock())

    def rows(self) -> list[TrustRow]:
        state = self.state
        return [TrustRow(entry, state.decision(entry.fingerprint)) for entry in self._db.trust.list()]

    # -- changing ------------------------------------------------------------------------------------

    def import_path(self, path: Path, actor: Operator | str) -> TrustImport:
        """Import a file, or every trust file of a folder (evaluated together, so order does not matter)."""
        return self.import_files(read_trust_files(path), actor)

    def import_bytes(self, data: bytes, source: str, actor: Operator | str) -> TrustImport:
        return self.import_files([(source, data)], actor)

    def import_files(self, files: Sequence[tuple[str, bytes]], actor: Operator | str) -> TrustImport:
        """Check the files' entries under the trust rule (rule (a): an administrator imports them here) and
        store those it accepts. Raises :class:`TrustImportError` when nothing in them is accepted."""
        inputs: list[TrustInput] = []
        try:
            for source, data in files:
                inputs += [
                    TrustInput(kind, der, Origin.ADMINISTRATOR, source[:256])
                    for kind, der in read_trust_file(data, source)
                ]
        except TrustFileError as exc:
            raise TrustImportError(str(exc)) from None
        if not inputs:
            raise TrustImportError("no certificate, CRL or master list was found")
        with self._lock:
            candidate = self._evaluate(inputs)
            decisions: list[Decision] = []
            for item in inputs:
                decision = candidate.decision(item.fingerprint)
                assert decision is not None  # every input gets one
                members = _members(candidate, item.fingerprint)
                decisions += [decision, *members]
                if not decision.accepted:
                    continue
                detail: dict[str, object] = {
                    "subject": decision.subject[:128],
                    "country": decision.country or "",
                }
                if members:
                    detail["accepted"] = sum(member.accepted for member in members)
                    detail["refused"] = sum(not member.accepted for member in members)
                self._db.trust.add(TrustKind(item.kind.value), item.der, item.source, actor, detail)
            self._state = self._evaluate()
        result = TrustImport(tuple(decisions))
        if not result.accepted:
            reasons = "; ".join(f"{each.subject or 'entry'}: {each.reason}" for each in result.refused[:5])
            raise TrustImportError(f"nothing was imported ({reasons})")
        return result

    def remove(self, fingerprint_prefix: str, actor: Operator | str) -> TrustEntry:
        """Remove a stored entry (a CSCA, master list or CRL) by its fingerprint or a unique prefix; it
        stays removed, also when the central database still lists it."""
        prefix = fingerprint_prefix.strip().lower()
        matches = [
            entry for entry in self._db.trust.list() if prefix and entry.fingerprint.startswith(prefix)
        ]
        if len(matches) != 1:
            carrier = next(
                (
                    each.master_list
                    for each in self.state.decisions
                    if prefix and each.fingerprint.startswith(prefix)
                ),
                None,
            )
            if carrier and not matches:
                raise TrustImportError(
                    f"{prefix} came in master list {carrier[:16]}; remove the master list instead"
                )
            raise TrustImportError(f"{len(matches)} entries match {fingerprint_prefix!r}")
        with self._lock:
            decision = self.state.decision(matches[0].fingerprint)
            detail: dict[str, object] = {"subject": decision.subject[:128]} if decision else {}
            removed = self._db.trust.remove(matches[0].fingerprint, actor, detail)
            self._state = self._evaluate()
        assert removed is not None
        return removed

    def refresh(self, arrived: Sequence[str] = ()) -> TrustState:
        """Evaluate again after rows arrived from the central database, and audit what became of each."""
        with self._lock:
            self._state = state = self._evaluate()
        for fingerprint_hex in arrived:
            decision = state.decision(fingerprint_hex)
            if decision is None:
                continue
            self._db.trust.audit_arrival(
                fingerprint_hex,
                {
                    "accepted": decision.accepted,
                    "reason": decision.reason[:256],
                    "subject": decision.subject[:128],
                },
            )
            if not decision.accepted:
                log.warning(
                    "trust entry %s from the central database refused: %s",
                    fingerprint_hex[:16],
                    decision.reason,
                )
        return state
