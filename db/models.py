"""SQLAlchemy models: the tables of a station's database (and of the site's central one).

Both use the same schema, created by the Alembic migrations in ``db/migrations``. Rows created at
a station carry a UUID made there plus ``(station_id, seq)``, the station's own sequence number,
so the central database can receive them idempotently and in order. ORM objects stay inside this
package; the public API returns frozen dataclasses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no time zone, so store naive UTC there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the storage layer only takes aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={"uq": "uq_%(table_name)s_%(column_0_N_name)s", "pk": "pk_%(table_name)s"}
    )
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime,
        uuid.UUID: Uuid,
        bytes: LargeBinary,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class OperatorRow(Base):
    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class AuditEventRow(Base):
    """One read attempt or one audited action. Never a name, photo or address; the document
    number only as a keyed hash."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("station_id", "seq", name="uq_audit_events_station_seq"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_operator", "operator"),
        Index("ix_audit_events_verdict", "verdict"),
        Index("ix_audit_events_document_hash", "document_hash"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    occurred_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str | None] = mapped_column(String(64))
    reader_name: Mapped[str | None] = mapped_column(String(128))
    access_protocol: Mapped[str | None] = mapped_column(String(40))
    verdict: Mapped[str | None] = mapped_column(String(32))
    checks: Mapped[list[Any]]
    outcome: Mapped[str | None] = mapped_column(String(32))
    error_kind: Mapped[str | None] = mapped_column(String(64))
    document_hash: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]]


class SavedRecordRow(Base):
    """A record the clerk chose to save: holder fields and photo encrypted under a site key."""

    __tablename__ = "saved_records"
    __table_args__ = (
        UniqueConstraint("station_id", "seq", name="uq_saved_records_station_seq"),
        Index("ix_saved_records_created_at", "created_at"),
        Index("ix_saved_records_document_hash", "document_hash"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    created_at: Mapped[datetime]
    operator: Mapped[str] = mapped_column(String(64))
    document_hash: Mapped[str | None] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(32))
    fields_nonce: Mapped[bytes]
    fields_ciphertext: Mapped[bytes]
    photo_nonce: Mapped[bytes | None]
    photo_ciphertext: Mapped[bytes | None]


class TrustEntryRow(Base):
    """A CSCA certificate, master list or CRL: the station's trust anchors are evaluated from these rows.

    ``origin`` is "administrator" for an import at the station that holds the row (so on the central
    database, at the station that sent it) and "central" for a row a station pulled from there. A removed
    entry keeps its row with ``removed_at`` set, so a pull from central does not bring it back.
    """

    __tablename__ = "trust_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    der: Mapped[bytes]
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(256))
    imported_at: Mapped[datetime]
    origin: Mapped[str] = mapped_column(String(16), default="administrator")
    removed_at: Mapped[datetime | None]


class ApiClientRow(Base):
    """A program allowed to use the station's local API: what it may receive, from which web origins.

    The bearer token is kept only as its SHA-256 (a random 32-byte token needs no slow hash); scopes and
    origins are JSON lists of short strings. Local to this station: nothing here is forwarded.
    """

    __tablename__ = "api_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]]
    origins: Mapped[list[Any]]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """What this station still has to forward to the central database, in ``seq`` order.

    ``delivered_at`` is set only after the central commit. AUTOINCREMENT on SQLite so an id is
    never reused even if old rows are pruned.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("station_id", "seq", name="uq_outbox_station_seq"),
        Index("ix_outbox_delivered_at", "delivered_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class SyncLedgerRow(Base):
    """Central side: one row per item received from a station, keyed by its sequence number."""

    __tablename__ = "sync_ledger"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[uuid.UUID]
    received_at: Mapped[datetime]
