"""The audit trail: one event per read attempt and per audited action.

An event holds who (operator user name), where (station id, reader name), how (access protocol),
the verdict, each check's id and status, the outcome or error kind, and the document number only
as HMAC-SHA256 under the per-site secret. It never holds a name, photo or address, and the
identifiers it takes are checked to be short tokens so personal data cannot slip in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cccd_station.db.models import AuditEventRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

_TOKEN = re.compile(r"[A-Za-z0-9_.:/+-]{1,64}")
_DOCUMENT_HASH_LABEL = b"cccd-station document number\x00"
MAX_DOCUMENT_NUMBER_LENGTH = 24
EVENT_KINDS = ("read", "admin", "session", "system")


def normalise_document_number(document_number: str) -> str:
    """Upper-case letters and digits only: "0790 9800 1234" and "079098001234" hash alike, as do an
    MRZ document number with its '<' fillers and the same number typed by the clerk."""
    cleaned = "".join(ch for ch in document_number.upper() if ch.isascii() and ch.isalnum())
    if not cleaned or len(cleaned) > MAX_DOCUMENT_NUMBER_LENGTH:
        raise ValueError("not a document number (1-24 letters or digits expected)")
    return cleaned


def hash_document_number(secret: bytes, document_number: str) -> str:
    normalised = normalise_document_number(document_number).encode("ascii")
    return hmac.new(secret, _DOCUMENT_HASH_LABEL + normalised, hashlib.sha256).hexdigest()


def _token(value: str | None, what: str, max_length: int = 64) -> str | None:
    if value is None:
        return None
    value = str(value)  # a StrEnum member (crypto.verdict) is stored as its value, on every driver
    if len(value) > max_length or not _TOKEN.fullmatch(value):
        raise ValueError(
            f"{what} must be a short identifier (letters, digits, _.:/+-), got {len(value)} chars"
        )
    return value


def _free_text(value: str | None, max_length: int) -> str | None:
    if value is None:
        return None
    printable = "".join(ch for ch in value if ch.isprintable())
    return printable[:max_length]


@dataclass(frozen=True)
class AuditEvent:
    id: uuid.UUID
    station_id: str
    seq: int
    occurred_at: datetime
    kind: str
    action: str
    operator: str | None
    reader_name: str | None = None
    access_protocol: str | None = None
    verdict: str | None = None
    checks: tuple[tuple[str, str], ...] = ()
    outcome: str | None = None
    error_kind: str | None = None
    document_hash: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: AuditEventRow) -> AuditEvent:
        return cls(
            id=row.id,
            station_id=row.station_id,
            seq=row.seq,
            occurred_at=row.occurred_at,
            kind=row.kind,
            action=row.action,
            operator=row.operator,
            reader_name=row.reader_name,
            access_protocol=row.access_protocol,
            verdict=row.verdict,
            checks=tuple((str(check_id), str(status)) for check_id, status in row.checks),
            outcome=row.outcome,
            error_kind=row.error_kind,
            document_hash=row.document_hash,
            detail=dict(row.detail),
        )


class AuditLog:
    """``db.audit``: :meth:`record_read`, :meth:`record_face_comparison`, :meth:`search`, :meth:`get`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_read(
        self,
        operator: Operator | None,
        *,
        reader_name: str | None,
        access_protocol: str | None,
        verdict: str,
        checks: Iterable[tuple[str, str]],
        outcome: str,
        error_kind: str | None = None,
        document_number: str | None = None,
        detail: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        """Store one read attempt (successful or not). ``document_number`` is hashed, never stored;
        ``detail`` holds short tokens only (such as the PACE protocol a downgrade left behind)."""
        with self._db.session() as session:
            row = self.append(
                session,
                "read",
                "card_read",
                operator.username if operator else None,
                detail={name: _token(value, name) for name, value in (detail or {}).items()},
                reader_name=_free_text(reader_name, 128),
                access_protocol=_token(access_protocol, "access protocol", 40),
                verdict=_token(verdict, "verdict", 32),
                checks=[
                    [_token(cid, "check id"), _token(status, "check status", 32)] for cid, status in checks
                ],
                outcome=_token(outcome, "outcome", 32),
                error_kind=_token(error_kind, "error kind"),
                document_hash=self._db.document_hash(document_number) if document_number else None,
            )
            return AuditEvent.from_row(row)

    def record_face_comparison(
        self, operator: Operator | None, *, band: str, document_number: str | None = None
    ) -> AuditEvent:
        """Store that the clerk compared the holder's face with the chip portrait: the band only (as
        the outcome), never the picture, the embedding or the distance."""
        with self._db.session() as session:
            row = self.append(
                session,
                "read",
                "face_compare",
                operator.username if operator else None,
                outcome=_token(band, "face band", 32),
                document_hash=self._db.document_hash(document_number) if document_number else None,
            )
            return AuditEvent.from_row(row)

    def append(
        self,
        session: Session,
        kind: str,
        action: str,
        operator: str | None,
        *,
        detail: Mapping[str, Any] | None = None,
        **columns: Any,
    ) -> AuditEventRow:
        """Add an event inside the caller's transaction (so an action and its audit commit together)."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown audit event kind {kind!r}")
        event_id = uuid.uuid4()
        seq = self._db.append_to_outbox(session, "audit", event_id)
        row = AuditEventRow(
            id=event_id,
            station_id=self._db.station_id,
            seq=seq,
            occurred_at=self._db.clock(),
            kind=kind,
            action=_token(action, "action", 32) or "",
            operator=operator,
            checks=columns.pop("checks", []),
            detail=dict(detail or {}),
            **columns,
        )
        session.add(row)
        session.flush()
        return row

    def search(
        self,
        *,
        document_number: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        operator: str | None = None,
        verdict: str | None = None,
        kind: str | None = None,
        action: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEvent]:
        """Events matching every given filter, oldest first; ``until`` is exclusive.

        ``document_number`` is found through its keyed hash, as it was stored.
        """
        query = select(AuditEventRow)
        if document_number is not None:
            query = query.where(AuditEventRow.document_hash == self._db.document_hash(document_number))
        if since is not None:
            query = query.where(AuditEventRow.occurred_at >= since)
        if until is not None:
            query = query.where(AuditEventRow.occurred_at < until)
        if operator is not None:
            query = query.where(AuditEventRow.operator == operator)
        if verdict is not None:
            query = query.where(AuditEventRow.verdict == verdict)
        if kind is not None:
            query = query.where(AuditEventRow.kind == kind)
        if action is not None:
            query = query.where(AuditEventRow.action == action)
        query = query.order_by(AuditEventRow.occurred_at, AuditEventRow.station_id, AuditEventRow.seq)
        with self._db.session() as session:
            return [AuditEvent.from_row(row) for row in session.scalars(query.limit(limit))]

    def get(self, event_id: uuid.UUID) -> AuditEvent | None:
        with self._db.session() as session:
            row = session.get(AuditEventRow, event_id)
            return None if row is None else AuditEvent.from_row(row)
