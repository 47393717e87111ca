"""Trust entries (CSCA certificates, master lists, CRLs): the rows the station's trust anchors come from.

The rows are the one source of truth: ``crypto/truststore.py`` evaluates them under the trust rule each
time they change (see ``station/trust.py``). Imports at a station flow to the site's central database
through the outbox; rows another station imported come back with ``origin = "central"``
(:mod:`db.sync`). Every change is audited in the same transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from cccd_station.db.models import TrustEntryRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

MAX_DER_BYTES = 16 * 1024 * 1024  # the largest national master lists are a few MiB


class TrustKind(StrEnum):
    CSCA = "csca"
    MASTER_LIST = "master_list"
    CRL = "crl"


class TrustOrigin(StrEnum):
    ADMINISTRATOR = "administrator"  # imported at the station holding the row
    CENTRAL = "central"  # pulled from the site's central database


@dataclass(frozen=True)
class TrustEntry:
    id: uuid.UUID
    kind: TrustKind
    fingerprint: str
    source: str
    imported_at: datetime
    origin: TrustOrigin
    removed_at: datetime | None
    der: bytes = field(repr=False)

    @classmethod
    def from_row(cls, row: TrustEntryRow) -> TrustEntry:
        return cls(
            row.id,
            TrustKind(row.kind),
            row.fingerprint,
            row.source,
            row.imported_at,
            TrustOrigin(row.origin),
            row.removed_at,
            row.der,
        )


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


class TrustEntries:
    """``db.trust``: :meth:`add`, :meth:`remove`, :meth:`list`, :meth:`audit_arrival`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, kind: TrustKind, der: bytes, source: str, actor: Operator | str, detail: Mapping[str, object]
    ) -> TrustEntry:
        """Store an administrator's import (idempotent by SHA-256 fingerprint; a removed entry comes back).

        The DER is not parsed here: the station evaluates it under the trust rule before calling this.
        ``detail`` (what the rule decided) goes into the audit event.
        """
        if not der or len(der) > MAX_DER_BYTES:
            raise ValueError("trust entry DER must be 1 byte to 16 MiB")
        kind = TrustKind(kind)
        digest = fingerprint(der)
        with self._db.session() as session:
            name = self._db.operators.administrator_name(session, actor)
            row = session.scalar(select(TrustEntryRow).where(TrustEntryRow.fingerprint == digest))
            if row is None:
                row = TrustEntryRow(
                    id=uuid.uuid4(),
                    kind=kind.value,
                    der=der,
                    fingerprint=digest,
                    source=source[:256],
                    imported_at=self._db.clock(),
                    origin=TrustOrigin.ADMINISTRATOR.value,
                )
                session.add(row)
                session.flush()
                self._db.append_to_outbox(session, "trust", row.id)
            else:
                # An administrator vouching for it here makes it this station's own import.
                row.origin = TrustOrigin.ADMINISTRATOR.value
                row.removed_at = None
            self._db.audit.append(
                session,
                "admin",
                "trust_import",
                name,
                detail={"kind": kind.value, "fingerprint": digest, "source": source[:256], **detail},
            )
            return TrustEntry.from_row(row)

    def remove(self, digest: str, actor: Operator | str, detail: Mapping[str, object]) -> TrustEntry | None:
        """Mark an entry removed for good (audited); None when there is no such entry."""
        with self._db.session() as session:
            name = self._db.operators.administrator_name(session, actor)
            row = session.scalar(select(TrustEntryRow).where(TrustEntryRow.fingerprint == digest))
            if row is None or row.removed_at is not None:
                return None
            row.removed_at = self._db.clock()
            self._db.audit.append(
                session,
                "admin",
                "trust_remove",
                name,
                detail={"kind": row.kind, "fingerprint": digest, **detail},
            )
            return TrustEntry.from_row(row)

    def audit_arrival(self, digest: str, detail: Mapping[str, object]) -> None:
        """Audit what this station made of an entry that arrived from the central database."""
        with self._db.session() as session:
            self._db.audit.append(
                session, "system", "trust_received", None, detail={"fingerprint": digest, **detail}
            )

    def list(self, *, include_removed: bool = False) -> list[TrustEntry]:
        """Entries oldest first."""
        query = select(TrustEntryRow)
        if not include_removed:
            query = query.where(TrustEntryRow.removed_at.is_(None))
        with self._db.session() as session:
            return [
                TrustEntry.from_row(row) for row in session.scalars(query.order_by(TrustEntryRow.imported_at))
            ]
