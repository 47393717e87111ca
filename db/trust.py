"""Trust store entries mirrored in the database (CSCA certificates, master lists, CRLs).

``crypto/truststore.py`` keeps the working copy as files; the database holds the same entries so
they flow from the site's central database to every counter (see :mod:`db.sync`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from cccd_station.db.models import TrustEntryRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

MAX_DER_BYTES = 8 * 1024 * 1024  # a national master list is a few hundred KiB


class TrustKind(StrEnum):
    CSCA = "csca"
    MASTER_LIST = "master_list"
    CRL = "crl"


@dataclass(frozen=True)
class TrustEntry:
    id: uuid.UUID
    kind: TrustKind
    fingerprint: str
    source: str
    imported_at: datetime
    der: bytes = field(repr=False)

    @classmethod
    def from_row(cls, row: TrustEntryRow) -> TrustEntry:
        return cls(row.id, TrustKind(row.kind), row.fingerprint, row.source, row.imported_at, row.der)


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


class TrustEntries:
    """``db.trust``: :meth:`import_entry` (admin, audited), :meth:`list`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def import_entry(self, kind: TrustKind, der: bytes, source: str, actor: Operator) -> TrustEntry:
        """Store an entry (idempotent by SHA-256 fingerprint: a known entry is returned as is).

        The DER is not parsed here; ``crypto/`` validates it before the station calls this.
        """
        if not der or len(der) > MAX_DER_BYTES:
            raise ValueError("trust entry DER must be 1 byte to 8 MiB")
        kind = TrustKind(kind)
        digest = fingerprint(der)
        with self._db.session() as session:
            admin = self._db.operators.require_admin(session, actor)
            row = session.scalar(select(TrustEntryRow).where(TrustEntryRow.fingerprint == digest))
            if row is None:
                row = TrustEntryRow(
                    id=uuid.uuid4(),
                    kind=kind.value,
                    der=der,
                    fingerprint=digest,
                    source=source[:256],
                    imported_at=self._db.clock(),
                )
                session.add(row)
                session.flush()
                self._db.append_to_outbox(session, "trust", row.id)
            self._db.audit.append(
                session,
                "admin",
                "trust_import",
                admin.username,
                detail={"kind": kind.value, "fingerprint": digest, "source": source[:256]},
            )
            return TrustEntry.from_row(row)

    def list(self, kind: TrustKind | None = None, *, since: datetime | None = None) -> list[TrustEntry]:
        """Entries oldest first; ``since`` picks the ones imported (or received) after a time."""
        query = select(TrustEntryRow)
        if kind is not None:
            query = query.where(TrustEntryRow.kind == TrustKind(kind).value)
        if since is not None:
            query = query.where(TrustEntryRow.imported_at >= since)
        with self._db.session() as session:
            return [
                TrustEntry.from_row(row) for row in session.scalars(query.order_by(TrustEntryRow.imported_at))
            ]
