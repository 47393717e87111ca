"""Offline-first forwarding from a station to the site's central PostgreSQL database.

Every audit event, saved record and trust import is written locally first together with an
outbox row carrying the station's next sequence number. :meth:`Forwarder.sync_once` sends pending
rows in sequence order, a batch per central transaction, and marks them delivered locally only
after the central commit. The central side keeps a ledger keyed by ``(station_id, seq)``:

- a row already in the ledger (sent before a crash or lost acknowledgement) is skipped, so
  delivery is idempotent and nothing is duplicated across restarts;
- the next row must be exactly ``last seq + 1``, so nothing is skipped and order is kept;
- a ledger row with another item id means two stations share an id: :class:`SyncConflictError`.

A network failure stops the run at the first failing batch and is reported in the result (and in
:meth:`Forwarder.sync_status`), never raised. Trust entries flow the other way, central to station.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from cccd_station.db.database import (
    NO_CONNECTION,
    Database,
    create_database_engine,
    failure_code,
    lookup_failure,
    migrate,
)
from cccd_station.db.errors import CentralRefusedError, CentralUnavailableError, SyncConflictError
from cccd_station.db.models import (
    AuditEventRow,
    Base,
    OutboxRow,
    SavedRecordRow,
    SyncLedgerRow,
    TrustEntryRow,
)
from cccd_station.db.settings import get_value, set_value

LAST_SUCCESS_KEY = "sync.last_success"
LAST_ERROR_KEY = "sync.last_error"
_TABLES: dict[str, type[Base]] = {"audit": AuditEventRow, "record": SavedRecordRow, "trust": TrustEntryRow}


@dataclass(frozen=True)
class SyncResult:
    sent: int
    received: tuple[str, ...]  # fingerprints of the trust entries that arrived from central
    pending: int
    error: str | None
    error_kind: str | None = None  # the ``kind`` of the error: "central_unavailable", "sync_conflict"...


@dataclass(frozen=True)
class SyncStatus:
    """For the "in sync / N waiting" indicator."""

    in_sync: bool
    pending: int
    last_success: datetime | None
    last_error: str | None


def _table(kind: str) -> Table:
    return cast(Table, _TABLES[kind].__table__)


# Unavailable: a later run may get through. A code the table does not list is a refusal.
_CENTRAL_FAILURES: dict[str, type[CentralUnavailableError]] = {
    NO_CONNECTION: CentralUnavailableError,
    "08": CentralUnavailableError,  # connection exception
    "57P01": CentralUnavailableError,  # admin_shutdown
    "57P02": CentralUnavailableError,  # crash_shutdown
    "57P03": CentralUnavailableError,  # cannot_connect_now
    "53300": CentralUnavailableError,  # too_many_connections
    "53200": CentralUnavailableError,  # out_of_memory
    "40001": CentralUnavailableError,  # serialization_failure
    "40P01": CentralUnavailableError,  # deadlock_detected
    "55P03": CentralUnavailableError,  # lock_not_available
    "SQLITE_BUSY": CentralUnavailableError,
    "SQLITE_LOCKED": CentralUnavailableError,
    "SQLITE_CANTOPEN": CentralUnavailableError,
    "SQLITE_IOERR": CentralUnavailableError,
    "53100": CentralRefusedError,  # disk_full
    "25006": CentralRefusedError,  # read_only_sql_transaction
    "42501": CentralRefusedError,  # insufficient_privilege
    "28": CentralRefusedError,  # invalid authorization specification
}


def central_error(exc: BaseException) -> CentralUnavailableError:
    """Unreachable (network, server down, busy: a later run may succeed) or refused (the server
    answered no: read-only, no permission, disk full...), chosen by the failure's code."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    summary = reason[0][:160] if reason else type(exc).__name__
    if isinstance(exc, DBAPIError):
        error = lookup_failure(_CENTRAL_FAILURES, failure_code(exc)) or CentralRefusedError
    else:  # a socket error or SQLAlchemy's own (pool timeout...): no answer from the server
        error = CentralUnavailableError
    if error is CentralRefusedError:
        return error(f"The central database refused this station's data ({summary}).")
    return error(f"The central database cannot be reached ({summary}).")


def _insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(table).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(table).values(values).on_conflict_do_nothing())
    else:  # pragma: no cover - only the two supported backends reach here
        with contextlib.suppress(IntegrityError), session.begin_nested():
            session.execute(insert(table).values(values))


class Forwarder:
    """Forwards one station's outbox to the central database and pulls trust entries back."""

    def __init__(
        self, local: Database, central_url: str, *, batch_size: int = 100, connect_timeout: float = 5
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self._local = local
        self._central_url = central_url
        self._batch_size = batch_size
        self._connect_timeout = connect_timeout
        self._central: Engine | None = None
        self._running = threading.Lock()

    def close(self) -> None:
        if self._central is not None:
            self._central.dispose()
            self._central = None

    @classmethod
    def from_settings(cls, local: Database, **options: Any) -> Forwarder | None:
        """A forwarder to the central URL in the station's settings, or None when there is none."""
        central_url = local.settings.load().central_url
        return cls(local, central_url, **options) if central_url else None

    def _central_engine(self) -> Engine:
        if self._central is None:
            try:
                engine = create_database_engine(self._central_url, connect_timeout=self._connect_timeout)
            except (ArgumentError, ValueError) as exc:
                raise CentralUnavailableError(f"The central database address is not valid ({exc}).") from None
            from alembic.util.exc import CommandError  # with the first connection, as migrate() does

            try:
                migrate(engine)
            except CommandError as exc:
                engine.dispose()
                raise CentralRefusedError(
                    "The central database has a schema this station does not know; update the station "
                    f"software ({exc})."
                ) from None
            except BaseException:
                engine.dispose()
                raise
            self._central = engine
        return self._central

    def sync_once(self) -> SyncResult:
        """Pull new trust entries, then push the outbox in order until done or the first failure.

        Central failures come back in ``error``; a failing local database raises StorageError.
        """
        with self._running:  # one run at a time per forwarder
            return self._sync_once()

    def _sync_once(self) -> SyncResult:
        sent = 0
        received: list[str] = []
        failure: CentralUnavailableError | SyncConflictError | None = None
        try:
            central = self._central_engine()
            received = self._pull_trust(central)
            while batch := self._pending_batch():
                self._deliver(central, batch)
                self._mark_delivered(batch)
                sent += len(batch)
        except (CentralUnavailableError, SyncConflictError) as exc:
            failure = exc
        except (DBAPIError, OSError) as exc:
            failure = central_error(exc)
        error = None if failure is None else str(failure)
        with self._local.session() as session:
            if error is None:
                set_value(session, LAST_SUCCESS_KEY, self._local.clock().isoformat())
            set_value(session, LAST_ERROR_KEY, error)
        return SyncResult(
            sent=sent,
            received=tuple(received),
            pending=self.pending(),
            error=error,
            error_kind=None if failure is None else failure.kind,
        )

    def pending(self) -> int:
        with self._local.session() as session:
            query = select(func.count()).select_from(OutboxRow).where(OutboxRow.delivered_at.is_(None))
            return session.scalar(query) or 0

    def sync_status(self) -> SyncStatus:
        with self._local.session() as session:
            last_success = get_value(session, LAST_SUCCESS_KEY)
            last_error = get_value(session, LAST_ERROR_KEY)
        pending = self.pending()
        return SyncStatus(
            in_sync=pending == 0 and last_error is None and last_success is not None,
            pending=pending,
            last_success=datetime.fromisoformat(last_success) if last_success else None,
            last_error=last_error,
        )

    # -- station -> central ------------------------------------------------------------------------

    def _pending_batch(self) -> list[tuple[OutboxRow, dict[str, Any] | None]]:
        """The next pending outbox rows in order, each with its item's column values (None when
        the item is gone, e.g. a record purged before it could be forwarded)."""
        with self._local.session() as session:
            rows = list(
                session.scalars(
                    select(OutboxRow)
                    .where(OutboxRow.delivered_at.is_(None))
                    .order_by(OutboxRow.id)
                    .limit(self._batch_size)
                )
            )
            batch = []
            for row in rows:
                model = _TABLES[row.kind]
                item = session.get(model, row.item_id)
                values = (
                    None
                    if item is None
                    else {column.key: getattr(item, column.key) for column in model.__table__.columns}
                )
                batch.append((row, values))
            return batch

    def _deliver(self, central: Engine, batch: list[tuple[OutboxRow, dict[str, Any] | None]]) -> None:
        try:
            with Session(central) as session, session.begin():
                last_seq: dict[str, int] = {}
                for outbox, values in batch:
                    station = outbox.station_id
                    if station not in last_seq:
                        if central.dialect.name == "postgresql":
                            # Two forwarders of one station (say, after a restart) take turns.
                            session.execute(
                                text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(station.encode())}
                            )
                        last_seq[station] = (
                            session.scalar(
                                select(func.max(SyncLedgerRow.seq)).where(SyncLedgerRow.station_id == station)
                            )
                            or 0
                        )
                    known = session.get(SyncLedgerRow, (station, outbox.seq))
                    if known is not None:
                        if known.item_id != outbox.item_id:
                            raise SyncConflictError(
                                f"The central database holds another item as {station} #{outbox.seq}: two "
                                "counters use the same station id. Give this counter its own station id."
                            )
                        continue  # delivered before, acknowledgement lost
                    if outbox.seq != last_seq[station] + 1:
                        raise SyncConflictError(
                            f"Station {station} would skip from #{last_seq[station]} to #{outbox.seq}; "
                            "forwarding stopped so nothing is lost."
                        )
                    if values is not None:
                        _insert_ignoring_duplicates(session, _table(outbox.kind), values)
                    session.add(
                        SyncLedgerRow(
                            station_id=station,
                            seq=outbox.seq,
                            kind=outbox.kind,
                            item_id=outbox.item_id,
                            received_at=self._local.clock(),
                        )
                    )
                    session.flush()
                    last_seq[station] = outbox.seq
        except SyncConflictError:
            raise
        except (SQLAlchemyError, OSError) as exc:
            raise central_error(exc) from exc

    def _mark_delivered(self, batch: list[tuple[OutboxRow, dict[str, Any] | None]]) -> None:
        ids = [outbox.id for outbox, _values in batch]
        with self._local.session() as session:
            session.execute(
                update(OutboxRow).where(OutboxRow.id.in_(ids)).values(delivered_at=self._local.clock())
            )

    # -- central -> station ------------------------------------------------------------------------

    def _pull_trust(self, central: Engine) -> list[str]:
        """Copy trust entries the station lacks (a removed one is not lacking), as ``origin = "central"``;
        ``imported_at`` becomes the time they arrived. Returns their fingerprints."""
        with self._local.session() as session:
            local = set(session.scalars(select(TrustEntryRow.fingerprint)))
        try:
            with Session(central) as session:
                offered = select(TrustEntryRow.fingerprint).where(TrustEntryRow.removed_at.is_(None))
                missing = [fp for fp in session.scalars(offered) if fp not in local]
                rows = [
                    (row.kind, row.der, row.fingerprint, row.source)
                    for start in range(0, len(missing), 100)
                    for row in session.scalars(
                        select(TrustEntryRow).where(
                            TrustEntryRow.fingerprint.in_(missing[start : start + 100])
                        )
                    )
                ]
        except (SQLAlchemyError, OSError) as exc:
            raise central_error(exc) from exc
        if rows:
            with self._local.session() as session:
                for kind, der, fingerprint, source in rows:
                    _insert_ignoring_duplicates(
                        session,
                        _table("trust"),
                        {
                            "id": uuid.uuid4(),
                            "kind": kind,
                            "der": der,
                            "fingerprint": fingerprint,
                            "source": source,
                            "imported_at": self._local.clock(),
                            "origin": "central",
                        },
                    )
        return [fingerprint for _kind, _der, fingerprint, _source in rows]
