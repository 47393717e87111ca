"""The station's services around the reading pipeline: database, audit, saved records, trust, sync.

:class:`StationServices` opens the station database (``db/``) and the working trust store
(``crypto/truststore``) together and keeps them in step:

- every read attempt becomes one audit event (:meth:`StationServices.record_attempt`) holding the
  verdict, each check's status and the document number only as a keyed hash, never a name, photo
  or address;
- a record is saved only when the clerk asks (:meth:`StationServices.save_record`), encrypted
  under the site key kept in ``<data_dir>/site.key`` (outside the database);
- trust imports go to the working store and to the database, so they flow to other counters; what
  arrives from the central database is applied to the working store;
- a background thread forwards the outbox to the central database and purges expired records daily.

No Qt here: the GUI (``ui/admin``) and the CLI call these methods and show the errors they raise.
Database failures arrive as :class:`db.StorageError` with a sentence for the clerk; whatever was
committed before stays committed.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from asn1crypto import pem

from cccd_station.crypto.truststore import EntryKind, TrustStore, TrustStoreError
from cccd_station.crypto.truststore import TrustEntry as WorkingTrustEntry
from cccd_station.db import (
    AuditEvent,
    Database,
    DbError,
    Forwarder,
    Operator,
    SavedRecord,
    SavedRecordInfo,
    StationSettings,
    StorageError,
    TrustEntry,
    TrustKind,
    normalise_document_number,
)
from cccd_station.reader.errors import (
    AccessDeniedError,
    ApduError,
    Cancelled,
    CardError,
    CardRemovedError,
    ChipDataError,
    NoCardError,
    ParseError,
    ReaderUnavailableError,
    SecureMessagingError,
    UnsupportedCardError,
)
from cccd_station.station.paths import data_dir as default_data_dir
from cccd_station.station.pipeline import InspectionResult
from cccd_station.station.report import result_to_json

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "STATION_DATABASE_URL"
TRUST_DIR_NAME = "trust"
DEFAULT_SYNC_INTERVAL = 30.0
PURGE_INTERVAL = timedelta(days=1)
MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024
ExportFormat = Literal["csv", "json"]

# Audit outcome and error kind of a read attempt: short tokens, the same on every counter.
OUTCOME_COMPLETED = "completed"
OUTCOME_ERROR = "error"
OUTCOME_CANCELLED = "cancelled"
NO_VERDICT = "none"  # a read that ended before any check ran

# Most specific first: ParseError is a ChipDataError.
_ERROR_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (AccessDeniedError, "wrong_key"),
    (CardRemovedError, "card_removed"),
    (NoCardError, "no_card"),
    (ReaderUnavailableError, "reader_unavailable"),
    (SecureMessagingError, "secure_messaging"),
    (UnsupportedCardError, "unsupported_card"),
    (ParseError, "bad_chip_data"),
    (ChipDataError, "bad_chip_data"),
    (ApduError, "card_refused"),
    (CardError, "card_error"),
    (Cancelled, "cancelled"),
)


def error_kind(error: BaseException) -> str:
    """A stable short name for a failed read ("wrong_key", "card_removed", ...; "unexpected" for bugs)."""
    for error_type, kind in _ERROR_KINDS:
        if isinstance(error, error_type):
            return kind
    return "unexpected"


class TrustImportError(ValueError):
    """A trust file that was refused; the message says why, for the administrator."""


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows about forwarding to the central database."""

    configured: bool  # a central URL is set
    pending: int  # items waiting in the outbox
    in_sync: bool
    last_success: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class TrustImport:
    """The outcome of one trust file import."""

    kind: TrustKind
    source: str
    entries: tuple[WorkingTrustEntry, ...]  # what the working trust store now holds from the file
    mirrored: tuple[TrustEntry, ...]  # what went into the database for other counters


def database_url_from_environment() -> str | None:
    """``$STATION_DATABASE_URL`` (a PostgreSQL URL), else None for the embedded SQLite file."""
    return os.environ.get(DATABASE_URL_ENV) or None


def _document_number(result: InspectionResult) -> str | None:
    """The number an audit search by ID number should find: the CCCD number, else the MRZ's."""
    for candidate in (
        result.record.id_number,
        result.record.document_number,
        result.mrz.document_number if result.mrz else None,
    ):
        if candidate:
            try:
                return normalise_document_number(candidate)
            except ValueError:
                continue
    return None


def _der_blocks(data: bytes, source: str) -> list[bytes]:
    """The DER objects of a PEM file (every block) or the DER file itself."""
    if not pem.detect(data):
        return [data]
    try:
        return [der for _name, _headers, der in pem.unarmor(data, multiple=True)]
    except ValueError as exc:
        raise TrustImportError(f"{source}: damaged PEM file: {exc}") from None


AUDIT_EXPORT_COLUMNS = (
    "occurred_at",
    "station_id",
    "seq",
    "kind",
    "action",
    "operator",
    "reader_name",
    "access_protocol",
    "verdict",
    "checks",
    "outcome",
    "error_kind",
    "document_hash",
)


def _audit_rows(events: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "occurred_at": event.occurred_at.isoformat(),
            "station_id": event.station_id,
            "seq": event.seq,
            "kind": event.kind,
            "action": event.action,
            "operator": event.operator or "",
            "reader_name": event.reader_name or "",
            "access_protocol": event.access_protocol or "",
            "verdict": event.verdict or "",
            "checks": " ".join(f"{check_id}={status}" for check_id, status in event.checks),
            "outcome": event.outcome or "",
            "error_kind": event.error_kind or "",
            "document_hash": event.document_hash or "",
        }
        for event in events
    ]


def _csv_cell(value: object) -> object:
    # A cell starting with = + - @ would run as a formula when the export is opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def audit_export_bytes(events: Sequence[AuditEvent], fmt: ExportFormat) -> bytes:
    """Audit events as CSV (UTF-8 with BOM, for spreadsheets) or JSON. Events hold no personal data."""
    rows = _audit_rows(events)
    if fmt == "json":
        return json.dumps({"events": rows}, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt != "csv":
        raise ValueError("export format must be 'csv' or 'json'")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AUDIT_EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _csv_cell(value) for name, value in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


class StationServices:
    """Database, working trust store and the sync loop of one counter. Safe to call from any thread.

    Read :attr:`trust_store` afresh for each card read: imports and entries received from central
    replace it with a new instance rather than changing the one a read may be using.
    """

    def __init__(self, database: Database, trust_store: TrustStore, data_dir: Path) -> None:
        self.db = database
        # Reads (the pipeline, on its worker thread) use `trust_store`; every change goes through a
        # second instance on the same folder, then a freshly loaded `trust_store` replaces the old one,
        # so a read in progress never sees the store change under it.
        self.trust_store = trust_store
        self._trust_writer = TrustStore(trust_store.path)
        self.data_dir = data_dir
        self._trust_lock = threading.Lock()
        self._applied_trust: set[str] = {entry.fingerprint for entry in trust_store.entries()}
        self._trust_problems: dict[str, str] = {}
        self._sync_lock = threading.Lock()
        self._forwarder: Forwarder | None = None
        self._forwarder_url: str | None = None
        self._sync_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._last_sync_error: str | None = None
        self._last_purge: datetime = database.clock()  # Database.open purged just now
        self.on_sync: Callable[[SyncState], None] | None = None  # called from the sync thread
        # Called with the new store after an import or entries from central (from that thread).
        self.on_trust_replaced: Callable[[TrustStore], None] | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        url: str | None = None,
        *,
        trust_store: TrustStore | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> StationServices:
        """Open the database (``url``, else SQLite in ``data_dir``), unlock saved records with the key
        file ``<data_dir>/site.key`` (created owner-only on first run), and open the working trust
        store ``<data_dir>/trust``. Raises :class:`db.StorageError` or a :class:`db.SiteKeyError`."""
        directory = data_dir or default_data_dir()
        database = Database.open(url, directory, clock=clock)
        try:
            database.records.unlock_with_key_file(create=True)
            store = trust_store or TrustStore(directory / TRUST_DIR_NAME)
        except BaseException:
            database.close()
            raise
        services = cls(database, store, directory)
        services.apply_central_trust()
        return services

    def close(self) -> None:
        self.stop_sync()
        with self._sync_lock:
            if self._forwarder is not None:
                self._forwarder.close()
                self._forwarder = None
        self.db.records.lock()
        self.db.close()

    def __enter__(self) -> StationServices:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def station_id(self) -> str:
        return self.db.station_id

    def settings(self) -> StationSettings:
        return self.db.settings.load()

    # -- audit -------------------------------------------------------------------------------------

    def record_attempt(
        self, operator: Operator | None, reader_name: str | None, outcome: InspectionResult | BaseException
    ) -> AuditEvent:
        """Audit one read attempt: a finished inspection, or the error that ended it.

        Stores the verdict, each check's id and status, the access protocol, the error kind and the
        document number as a keyed hash; never names, photos or addresses. A failing database raises
        :class:`db.StorageError` (the clerk should see it: this attempt was not recorded).
        """
        if isinstance(outcome, InspectionResult):
            return self.db.audit.record_read(
                operator,
                reader_name=reader_name,
                access_protocol=outcome.access.protocol,
                verdict=outcome.verdict.value,
                checks=[(check.id, check.status.value) for check in outcome.checks],
                outcome=OUTCOME_COMPLETED,
                document_number=_document_number(outcome),
            )
        kind = error_kind(outcome)
        return self.db.audit.record_read(
            operator,
            reader_name=reader_name,
            access_protocol=None,
            verdict=NO_VERDICT,
            checks=(),
            outcome=OUTCOME_CANCELLED if kind == "cancelled" else OUTCOME_ERROR,
            error_kind=kind,
        )

    def search_audit(
        self,
        *,
        id_number: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        operator: str | None = None,
        verdict: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEvent]:
        """Audit events matching every given filter (the ID number is compared through its hash).

        A malformed ID number raises ValueError."""
        if id_number is not None:
            id_number = normalise_document_number(id_number)
        return self.db.audit.search(
            document_number=id_number,
            since=since,
            until=until,
            operator=operator,
            verdict=verdict,
            limit=limit,
        )

    def export_audit(self, actor: Operator, events: Sequence[AuditEvent], fmt: ExportFormat) -> bytes:
        """The given events as CSV/JSON for an administrator; the export itself is audited."""
        data = audit_export_bytes(events, fmt)
        with self.db.session() as session:
            admin = self.db.operators.require_admin(session, actor)
            self.db.audit.append(
                session,
                "admin",
                "audit_export",
                admin.username,
                detail={"format": fmt, "count": len(events)},
            )
        return data

    # -- saved records -----------------------------------------------------------------------------

    def save_record(self, operator: Operator, result: InspectionResult) -> SavedRecordInfo:
        """Save the holder's details and photo, encrypted, because the clerk asked to."""
        report = result_to_json(result)
        fields = {
            "holder": report["holder"],
            "mrz": report["mrz"],
            "verdict": report["verdict"],
            "access_protocol": report["access"]["protocol"],
        }
        photo = result.photo.data if result.photo else None
        return self.db.records.save(fields, photo, operator, document_number=_document_number(result))

    def list_records(self, *, id_number: str | None = None, limit: int = 1000) -> list[SavedRecordInfo]:
        if id_number is not None:
            id_number = normalise_document_number(id_number)
        return self.db.records.list(document_number=id_number, limit=limit)

    def view_record(self, actor: Operator, record_id: Any) -> SavedRecord:
        return self.db.records.view(record_id, actor)

    def export_records(
        self, actor: Operator, record_ids: Iterable[Any], fmt: ExportFormat, *, include_photos: bool = False
    ) -> bytes:
        return self.db.records.export(record_ids, actor, fmt, include_photos=include_photos)

    def purge_records(self) -> int:
        """Delete saved records past the retention period now (also done daily by the sync loop)."""
        purged = self.db.records.purge_expired()
        self._last_purge = self.db.clock()
        return purged

    # -- settings ----------------------------------------------------------------------------------

    def update_settings(self, actor: Operator, **changes: Any) -> StationSettings:
        """Change station settings (admin, audited; see :meth:`db.settings.Settings.update`); a new
        central URL takes effect at the next sync, which starts at once."""
        updated = self.db.settings.update(actor, **changes)
        self._wake.set()
        return updated

    # -- trust store -------------------------------------------------------------------------------

    def import_trust_file(self, actor: Operator, path: Path, kind: TrustKind) -> TrustImport:
        """Import a master list, CSCA certificate(s) or CRL into the working trust store, after its
        checks (master list signature, CA flags, CRL signature), and mirror it in the database.

        Raises :class:`TrustImportError` for a file that is refused, :class:`db.PermissionDeniedError`
        for a clerk.
        """
        kind = TrustKind(kind)
        with self.db.session() as session:  # before touching the working store
            self.db.operators.require_admin(session, actor)
        path = Path(path)
        try:
            if path.stat().st_size > MAX_TRUST_FILE_BYTES:
                raise TrustImportError(f"{path.name} is too large for a trust file")
            data = path.read_bytes()
        except OSError as exc:
            raise TrustImportError(f"{path.name} cannot be read: {exc.strerror}") from None
        return self.import_trust_bytes(actor, data, kind, source=path.name)

    def import_trust_bytes(self, actor: Operator, data: bytes, kind: TrustKind, source: str) -> TrustImport:
        kind = TrustKind(kind)
        blocks = _der_blocks(data, source)
        imported: list[WorkingTrustEntry] = []
        to_mirror: list[tuple[TrustKind, bytes]] = []
        with self._trust_lock:
            try:
                for der in blocks:
                    if kind is TrustKind.MASTER_LIST:
                        imported += self._trust_writer.import_master_list(der, source)
                        to_mirror.append((kind, der))  # the list itself: other counters check it too
                    elif kind is TrustKind.CSCA:
                        entry = self._trust_writer.import_certificate(der, source)
                        imported.append(entry)
                        to_mirror.append((kind, entry.der))
                    else:
                        entry = self._trust_writer.import_crl(der, source)
                        imported.append(entry)
                        to_mirror.append((kind, entry.der))
            except TrustStoreError as exc:
                if imported:  # an earlier block of the same file went in
                    self._publish_trust()
                raise TrustImportError(str(exc)) from None
            self._applied_trust.update(entry.fingerprint for entry in imported)
            self._publish_trust()
        mirrored = tuple(self.db.trust.import_entry(k, der, source, actor) for k, der in to_mirror)
        with self._trust_lock:
            self._applied_trust.update(entry.fingerprint for entry in mirrored)
        return TrustImport(kind, source, tuple(imported), mirrored)

    def trust_entries(self) -> list[TrustEntry]:
        """The database's trust entries (imported here or received from central), oldest first."""
        return self.db.trust.list()

    def trust_problems(self) -> dict[str, str]:
        """Entries from the database the working store refused, by fingerprint, with the reason."""
        with self._trust_lock:
            return dict(self._trust_problems)

    def apply_central_trust(self) -> int:
        """Apply database trust entries the working store lacks (received from central); returns how
        many were applied. Refused entries are kept in :meth:`trust_problems`, not retried."""
        applied = 0
        for entry in self.db.trust.list():
            with self._trust_lock:
                if entry.fingerprint in self._applied_trust:
                    continue
                source = f"central: {entry.source}"[:256]
                try:
                    if entry.kind is TrustKind.MASTER_LIST:
                        self._trust_writer.import_master_list(entry.der, source)
                    elif entry.kind is TrustKind.CSCA:
                        self._trust_writer.add_entry(EntryKind.CSCA, entry.der, source, entry.imported_at)
                    else:
                        self._trust_writer.import_crl(entry.der, source)
                    applied += 1
                except TrustStoreError as exc:
                    self._trust_problems[entry.fingerprint] = str(exc)
                    log.warning("trust entry %s from the database refused: %s", entry.fingerprint[:16], exc)
                self._applied_trust.add(entry.fingerprint)
        if applied:
            with self._trust_lock:
                self._publish_trust()
        return applied

    def _publish_trust(self) -> None:
        """Hand readers a new store loaded from the files the writer just changed."""
        self.trust_store = TrustStore(self._trust_writer.path)
        callback = self.on_trust_replaced
        if callback is not None:
            callback(self.trust_store)

    # -- sync --------------------------------------------------------------------------------------

    def _current_forwarder(self) -> Forwarder | None:
        """A forwarder for the central URL in the settings (recreated when it changes), or None."""
        url = self.db.settings.load().central_url
        if url != self._forwarder_url:
            if self._forwarder is not None:
                self._forwarder.close()
            self._forwarder = Forwarder(self.db, url) if url else None
            self._forwarder_url = url
            self._last_sync_error = None
        return self._forwarder

    def sync_now(self) -> SyncState:
        """One forwarding run (pull trust, push the outbox) in the calling thread, then the state."""
        with self._sync_lock:
            forwarder = self._current_forwarder()
            if forwarder is not None:
                result = forwarder.sync_once()
                self._last_sync_error = result.error
                if result.received:
                    self.apply_central_trust()
        return self.sync_status()

    def sync_status(self) -> SyncState:
        """Whether the station is in sync and how many items wait (works offline: local data only)."""
        forwarder = self._forwarder
        if forwarder is not None and self._forwarder_url == self.db.settings.load().central_url:
            status = forwarder.sync_status()
            return SyncState(True, status.pending, status.in_sync, status.last_success, status.last_error)
        configured = self.db.settings.load().central_url is not None
        # Counting the outbox needs no connection: a forwarder without a URL only reads locally.
        pending = Forwarder(self.db, "").pending()
        return SyncState(configured, pending, False, None, None)

    def start_sync(self, interval: float = DEFAULT_SYNC_INTERVAL) -> None:
        """Start the background loop: a sync run every ``interval`` seconds (and at once when woken),
        the daily retention purge. Calls :attr:`on_sync` with the state after each run."""
        if self._sync_thread is not None and self._sync_thread.is_alive():
            return
        self._stop.clear()
        self._sync_thread = threading.Thread(
            target=self._sync_loop, args=(interval,), name="station-sync", daemon=True
        )
        self._sync_thread.start()

    def wake_sync(self) -> None:
        """Run the next sync now instead of at the end of the interval."""
        self._wake.set()

    def stop_sync(self, timeout: float = 10.0) -> None:
        """Stop the loop; a run in progress finishes its current transaction first."""
        self._stop.set()
        self._wake.set()
        thread = self._sync_thread
        if thread is not None:
            thread.join(timeout)
            self._sync_thread = None

    def _sync_loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                if self.db.clock() - self._last_purge >= PURGE_INTERVAL:
                    self.purge_records()
                state = self.sync_now()
            except DbError as exc:  # the local database failed: report it, keep trying
                log.warning("sync run failed: %s", exc)
                state = SyncState(True, 0, False, None, str(exc))
            except Exception:  # a bug must not kill the loop silently
                log.exception("sync run failed unexpectedly")
                state = SyncState(True, 0, False, None, "unexpected error")
            callback = self.on_sync
            if callback is not None and not self._stop.is_set():
                callback(state)
            self._wake.wait(interval)
            self._wake.clear()


__all__ = [
    "DATABASE_URL_ENV",
    "StationServices",
    "StorageError",
    "SyncState",
    "TrustImport",
    "TrustImportError",
    "audit_export_bytes",
    "database_url_from_environment",
    "error_kind",
]
