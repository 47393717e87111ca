"""The station's one core, without Qt: the window, the command line and the local API each hold a
:class:`Station` and nothing else.

A rule that matters lives here once, so no front end can forget it:

- the clerk's key arrives as one typed value (:mod:`cccd_station.reader.keys`);
- every read runs the same pipeline on one card thread, with progress and cancel, and publishes events:
  the holder's verified text before the portrait, and a card that slipped away and came back;
- every read attempt, whatever front end started it, becomes one audit event holding the verdict, each
  check's status and the document number only as a keyed hash (never a name, photo or address);
- trust anchors come from the database's rows through :class:`~cccd_station.station.trust.TrustService`;
- a record is saved only when the clerk asks, encrypted under the site key;
- a face comparison leaves the band only (audit event and ``face.compared``), never a picture;
- settings are one snapshot in the database; a background loop forwards to the central database.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.db import (
    ApiClient,
    AuditEvent,
    Database,
    DbError,
    Forwarder,
    Operator,
    Role,
    SavedRecord,
    SavedRecordInfo,
    StationSettings,
    TrustKind,
    normalise_document_number,
)
from cccd_station.db.api_clients import API_SCOPES
from cccd_station.db.api_clients import DEFAULT_SCOPES as DEFAULT_API_SCOPES
from cccd_station.db.operators import MIN_PASSWORD_LENGTH
from cccd_station.reader.errors import Cancelled, NoCardError
from cccd_station.reader.keys import AccessKey
from cccd_station.station import events
from cccd_station.station.errors import NotAvailableError, ReaderBusyError, error_kind
from cccd_station.station.events import EventBus
from cccd_station.station.face import Band, FaceEngine, load_engine
from cccd_station.station.paths import data_dir as default_data_dir
from cccd_station.station.pipeline import (
    RESUME_WINDOW_S,
    HolderText,
    InspectionResult,
    Progress,
    ReadContext,
    Suspension,
    read_document,
)
from cccd_station.station.readers import CardReaders, DemoReaders, PcscReaders, ReaderCard, ReaderInfo
from cccd_station.station.report import result_to_json
from cccd_station.station.trust import TrustService

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "STATION_DATABASE_URL"
DEMO_DIR_NAME = "demo"
DEFAULT_SYNC_INTERVAL = 30.0
PURGE_INTERVAL = timedelta(days=1)
WAIT_SLICE_S = 0.5  # a read waiting for a card looks at its cancel flag this often
ExportFormat = Literal["csv", "json"]

# Audit outcome of a read attempt: short tokens, the same on every counter.
OUTCOME_COMPLETED = "completed"
OUTCOME_ERROR = "error"
OUTCOME_CANCELLED = "cancelled"
NO_VERDICT = "none"  # a read that ended before any check ran


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows about forwarding to the central database."""

    configured: bool  # a central URL is set
    pending: int  # items waiting in the outbox
    in_sync: bool
    last_success: datetime | None
    last_error: str | None


@dataclass
class ReadHandle:
    """A read running (or queued) on the card thread."""

    read_id: int
    cancel_event: threading.Event = field(default_factory=threading.Event, repr=False)
    future: Future[InspectionResult] = field(default_factory=Future, repr=False)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def done(self) -> bool:
        return self.future.done()


def database_url_from_environment() -> str | None:
    """``$STATION_DATABASE_URL`` (a PostgreSQL URL), else None for the embedded SQLite file."""
    return os.environ.get(DATABASE_URL_ENV) or None


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


def _csv_cell(value: object) -> object:
    # A cell starting with = + - @ would run as a formula when the export is opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def audit_export_bytes(audit_events: Sequence[AuditEvent], fmt: ExportFormat) -> bytes:
    """Audit events as CSV (UTF-8 with BOM, for spreadsheets) or JSON. Events hold no personal data."""
    rows = [
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
        for event in audit_events
    ]
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


class Station:
    """One counter: its database, trust anchors, readers, the card thread and the sync loop.

    Open it with :meth:`open` (a counter), :meth:`open_demo` (the built-in virtual card and TEST anchors)
    or :meth:`ad_hoc` (a command-line read with the anchors it is given and no audit trail). Safe to call
    from any thread; reads run one at a time.
    """

    def __init__(
        self,
        database: Database | None,
        readers: CardReaders,
        *,
        data_dir: Path,
        anchors: TrustAnchors | None = None,
        demo: bool = False,
    ) -> None:
        self.database = database
        self.readers = readers
        self.data_dir = data_dir
        self.demo = demo
        self.trust: TrustService | None = TrustService(database) if database is not None else None
        self._ad_hoc_anchors = anchors
        self.events = EventBus()
        self._card_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="card")
        self._card_lock = threading.Lock()
        self._handles_lock = threading.Lock()
        self._current: ReadHandle | None = None
        self._next_read_id = 0
        self._readers_started = False
        self._release_lock = threading.Lock()
        # sync
        self._sync_lock = threading.Lock()
        self._forwarder: Forwarder | None = None
        self._forwarder_url: str | None = None
        self._sync_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._last_purge = database.clock() if database is not None else None
        self._face_lock = threading.Lock()
        self._face_engine: FaceEngine | None = None
        self.on_sync: Callable[[SyncState], None] | None = None  # called from the sync thread
        # How long a read started with start_read waits for a card that slipped away to be laid back.
        self.resume_window_s = RESUME_WINDOW_S

    # -- opening and closing -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        url: str | None = None,
        *,
        readers: CardReaders | None = None,
        anchors: TrustAnchors | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Station:
        """A counter: the database (``url``, else SQLite in ``data_dir``), saved records unlocked with the
        key file ``<data_dir>/site.key`` (created owner-only on first run) and the PC/SC readers.
        ``anchors`` replaces the database's trust anchors for this run (``station read --trust``).
        Raises :class:`db.StorageError` or a :class:`db.SiteKeyError`."""
        directory = data_dir or default_data_dir()
        database = Database.open(url, directory, clock=clock)
        try:
            database.records.unlock_with_key_file(create=True)
        except BaseException:
            database.close()
            raise
        return cls(database, readers or PcscReaders(), data_dir=directory, anchors=anchors)

    @classmethod
    def open_demo(
        cls,
        data_dir: Path | None = None,
        *,
        readers: DemoReaders | None = None,
        anchors: TrustAnchors | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Station:
        """The demo: the virtual chip's demo reader, and a database of its own in ``<data_dir>/demo``
        that trusts the TEST CSCAs of the fictitious personas (and nothing else)."""
        directory = (data_dir or default_data_dir()) / DEMO_DIR_NAME
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        database = Database.open(None, directory, clock=clock)
        try:
            database.records.unlock_with_key_file(create=True)
            station = cls(database, readers or DemoReaders(), data_dir=directory, anchors=anchors, demo=True)
            assert station.trust is not None
            if not station.trust.rows():
                from cccd_station.station.demo import demo_trust_files

                station.trust.import_files(demo_trust_files(), "demo")
        except BaseException:
            database.close()
            raise
        return station

    @classmethod
    def ad_hoc(cls, anchors: TrustAnchors, readers: CardReaders, data_dir: Path) -> Station:
        """A read with the anchors given on the command line, no database and so no audit trail."""
        return cls(None, readers, data_dir=data_dir, anchors=anchors)

    def close(self) -> None:
        self.stop_sync()
        with self._handles_lock:
            if self._current is not None:
                self._current.cancel()
        self._card_thread.shutdown(wait=True)
        if self._readers_started:
            self.readers.stop()
        with self._sync_lock:
            if self._forwarder is not None:
                self._forwarder.close()
                self._forwarder = None
        if self.database is not None:
            self.database.records.lock()
            self.database.close()

    def __enter__(self) -> Station:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def db(self) -> Database:
        if self.database is None:
            raise NotAvailableError("this read runs without the station's database (--no-audit)")
        return self.database

    @property
    def station_id(self) -> str:
        return self.db.station_id

    @property
    def anchors(self) -> TrustAnchors:
        """The trust anchors a read starting now uses (an immutable snapshot)."""
        if self._ad_hoc_anchors is not None:
            return self._ad_hoc_anchors
        return self.trust.anchors if self.trust is not None else TrustAnchors()

    # -- readers -------------------------------------------------------------------------------------

    def start_readers(self) -> None:
        """Start watching readers and cards: events reader.added, card.inserted... follow."""
        if not self._readers_started:
            self._readers_started = True
            self.readers.start(self._on_reader_event)

    def _on_reader_event(self, kind: str, reader: str) -> None:
        if kind == "service.down":
            return  # each reader was reported removed before
        self.events.publish(kind, reader=reader)

    def reader_list(self) -> list[ReaderInfo]:
        return self.readers.readers()

    # -- reading -------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        with self._handles_lock:
            return self._current is not None and not self._current.done

    def start_read(
        self,
        key: AccessKey,
        *,
        reader: str | None = None,
        operator: Operator | None = None,
        replace: bool = False,
        resume_s: float | None = None,
    ) -> ReadHandle:
        """Read on the card thread. ``replace`` cancels a read in progress (the clerk's new key wins);
        otherwise a busy reader raises :class:`ReaderBusyError`. A card that slips away is waited for
        ``resume_s`` seconds (default :attr:`resume_window_s`). The outcome arrives as events (and in
        the handle's future)."""
        with self._handles_lock:
            current = self._current
            if current is not None and not current.done:
                if not replace:
                    raise ReaderBusyError("the reader is busy with another read")
                current.cancel()
            self._next_read_id += 1
            handle = ReadHandle(self._next_read_id)
            self._current = handle

        def run() -> None:
            if not handle.future.set_running_or_notify_cancel():
                return
            try:
                with self._card_lock:
                    window = self.resume_window_s if resume_s is None else resume_s
                    result = self._read(
                        handle.read_id, key, reader, operator, handle.cancel_event, 0.0, window
                    )
            except BaseException as error:
                handle.future.set_exception(error)
            else:
                handle.future.set_result(result)

        self._card_thread.submit(run)
        return handle

    def read(
        self,
        key: AccessKey,
        *,
        reader: str | None = None,
        operator: Operator | None = None,
        wait_s: float = 0.0,
        cancel: threading.Event | None = None,
        resume_s: float | None = None,
    ) -> InspectionResult:
        """Read on the calling thread (the command line, the local API's worker); waits up to ``wait_s``
        seconds for a card, and as long for one that slipped away mid-read (``resume_s`` to wait another
        time). Raises the error that ended the read (a CardError...), after auditing it."""
        if not self._card_lock.acquire(blocking=False):
            raise ReaderBusyError("the reader is busy with another read")
        try:
            with self._handles_lock:
                self._next_read_id += 1
                read_id = self._next_read_id
            window = wait_s if resume_s is None else resume_s
            return self._read(read_id, key, reader, operator, cancel or threading.Event(), wait_s, window)
        finally:
            self._card_lock.release()

    def _read(
        self,
        read_id: int,
        key: AccessKey,
        reader: str | None,
        operator: Operator | None,
        cancel: threading.Event,
        wait_s: float,
        resume_s: float,
    ) -> InspectionResult:
        reader_name = reader

        def progress(step: Progress) -> None:
            self.events.publish(
                events.READ_PROGRESS,
                read_id=read_id,
                step=step.step.value,
                fraction=round(step.fraction, 3),
                data_group=step.data_group,
                bytes=step.file_bytes,
                file_size=step.file_size,
                total_bytes=step.total_bytes,
            )

        def text(holder: HolderText) -> None:
            self.events.publish(
                events.READ_TEXT,
                text=holder,
                read_id=read_id,
                data_groups=holder.data_groups,
                chip_proven=holder.chip_proven,
            )

        def suspended(suspension: Suspension) -> None:
            self.events.publish(
                events.READ_SUSPENDED,
                read_id=read_id,
                reader=reader_name,
                seconds=suspension.seconds,
                fraction=round(suspension.fraction, 3),
                bytes_kept=suspension.bytes_kept,
                kind=error_kind(suspension.error),
            )

        def resumed() -> None:
            self.events.publish(events.READ_RESUMED, read_id=read_id, reader=reader_name)

        context = ReadContext(progress, cancel, text, suspended, resumed)
        try:
            reader_name = self._wait_for_card(reader, wait_s, cancel)
            self.events.publish(events.READ_STARTED, read_id=read_id, reader=reader_name)
            source = ReaderCard(self.readers, reader_name)
            result = read_document(source, key, self.anchors, context, resume_s)
        except BaseException as error:
            if error_kind(error) == "unexpected":
                log.exception("read %d failed unexpectedly", read_id)
            self._audit(operator, reader_name, error, context.document_number)
            self.events.publish(
                events.READ_FAILED, error=error, read_id=read_id, kind=error_kind(error), message=str(error)
            )
            raise
        self._audit(operator, reader_name, result, result.document_number)
        self.events.publish(
            events.READ_COMPLETED, result=result, read_id=read_id, verdict=result.verdict.value
        )
        return result

    def _wait_for_card(self, reader: str | None, wait_s: float, cancel: threading.Event) -> str:
        """The reader once it holds a card; the wait goes in slices, so cancelling it takes effect."""
        deadline = time.monotonic() + wait_s
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                return self.readers.wait_for_card(reader, min(remaining, WAIT_SLICE_S))
            except NoCardError:
                if cancel.is_set():
                    raise Cancelled() from None
                if remaining <= WAIT_SLICE_S:
                    raise

    def _audit(
        self,
        operator: Operator | None,
        reader_name: str | None,
        outcome: InspectionResult | BaseException,
        document_number: str | None,
    ) -> None:
        """One audit event per read attempt; a failing database does not undo the read, it is reported."""
        if self.database is None:
            return
        number = None
        if document_number:
            with contextlib.suppress(ValueError):
                number = normalise_document_number(document_number)
        try:
            if isinstance(outcome, InspectionResult):
                detail = (
                    {"downgraded_from": outcome.access.downgraded_from}
                    if outcome.access.downgraded_from
                    else {}
                )
                self.database.audit.record_read(
                    operator,
                    reader_name=reader_name,
                    access_protocol=outcome.access.protocol,
                    verdict=outcome.verdict.value,
                    checks=[(check.id, check.status.value) for check in outcome.checks],
                    outcome=OUTCOME_COMPLETED,
                    document_number=number,
                    detail=detail,
                )
            else:
                kind = error_kind(outcome)
                self.database.audit.record_read(
                    operator,
                    reader_name=reader_name,
                    access_protocol=None,
                    verdict=NO_VERDICT,
                    checks=(),
                    outcome=OUTCOME_CANCELLED if kind == "cancelled" else OUTCOME_ERROR,
                    error_kind=kind,
                    document_number=number,
                )
        except DbError as error:
            log.warning("a read attempt could not be audited: %s", error)
            self.events.publish(events.AUDIT_FAILED, error=error, kind=error_kind(error), message=str(error))

    # -- face comparison ------------------------------------------------------------------------------

    def face_engine(self) -> FaceEngine:
        """The face comparison's models, loaded on first use (the camera's first start) and kept.
        Raises :class:`~cccd_station.station.face.FaceUnavailableError` without the ``face`` extra."""
        with self._face_lock:
            if self._face_engine is None:
                self._face_engine = load_engine()
            return self._face_engine

    def record_face_comparison(
        self, operator: Operator | None, band: Band, document_number: str | None
    ) -> None:
        """The clerk compared the holder's face with the chip portrait: one audit event and one
        ``face.compared`` event, each with the band only (never the picture, embedding or distance).
        A failing database is reported as ``audit.failed``, as for reads."""
        band = Band(band)
        if self.database is not None:
            number = None
            if document_number:
                with contextlib.suppress(ValueError):
                    number = normalise_document_number(document_number)
            try:
                self.database.audit.record_face_comparison(operator, band=band.value, document_number=number)
            except DbError as error:
                log.warning("a face comparison could not be audited: %s", error)
                self.events.publish(
                    events.AUDIT_FAILED, error=error, kind=error_kind(error), message=str(error)
                )
        self.events.publish(events.FACE_COMPARED, band=band.value)

    # -- audit trail ---------------------------------------------------------------------------------

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

    def require_admin(self, actor: Operator) -> None:
        """PermissionDeniedError unless ``actor`` is now, in the database, an enabled administrator."""
        with self.db.session() as session:
            self.db.operators.require_admin(session, actor)

    def export_audit(self, actor: Operator, audit_events: Sequence[AuditEvent], fmt: ExportFormat) -> bytes:
        """The given events as CSV/JSON for an administrator; the export itself is audited."""
        data = audit_export_bytes(audit_events, fmt)
        with self.db.session() as session:
            admin = self.db.operators.require_admin(session, actor)
            self.db.audit.append(
                session,
                "admin",
                "audit_export",
                admin.username,
                detail={"format": fmt, "count": len(audit_events)},
            )
        return data

    # -- saved records -------------------------------------------------------------------------------

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
        number = result.document_number
        return self.db.records.save(
            fields, photo, operator, document_number=normalise_document_number(number) if number else None
        )

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

    # -- the local API's clients -----------------------------------------------------------------------

    def api_clients(self) -> list[ApiClient]:
        return self.db.api_clients.list()

    def add_api_client(
        self,
        actor: Operator | str,
        name: str,
        scopes: Sequence[str] = DEFAULT_API_SCOPES,
        origins: Sequence[str] = (),
    ) -> tuple[ApiClient, str]:
        """A new client of the local API (an administrator, or the console's user; audited) and its
        bearer token, to be shown once: the station keeps only its hash."""
        return self.db.api_clients.add(actor, name, list(scopes), list(origins))

    def remove_api_client(self, actor: Operator | str, name: str) -> ApiClient:
        """Remove a client; its token stops working at once (audited)."""
        return self.db.api_clients.remove(actor, name)

    def authenticate_api_client(self, token: str) -> ApiClient | None:
        """The client holding this bearer token, or None (compared in constant time)."""
        return self.db.api_clients.authenticate(token)

    def api_client_origins(self) -> frozenset[str]:
        """Every web origin some client registered."""
        return self.db.api_clients.all_origins()

    def record_release(
        self, result: InspectionResult, recipients: Sequence[tuple[ApiClient, Sequence[str]]]
    ) -> list[ApiClient]:
        """Audit that a read's holder data goes to clients of the local API (each with the scopes it
        receives): client, scopes and the document number as its keyed hash, next to the read's own
        audit event. Returns the clients recorded (a client removed meanwhile is not); raises the
        storage error when nothing could be recorded. Nothing may be released that is not recorded."""
        number = None
        if result.document_number:
            with contextlib.suppress(ValueError):
                number = normalise_document_number(result.document_number)
        with self._release_lock:  # one writer at a time here, rather than SQLite's sleeping retries
            return self.db.api_clients.record_release(
                recipients, verdict=result.verdict.value, document_number=number
            )

    # -- settings ------------------------------------------------------------------------------------

    def settings(self) -> StationSettings:
        if self.database is None:
            return StationSettings(station_id="ad-hoc")
        return self.database.settings.load()

    def update_settings(self, actor: Operator, **changes: Any) -> StationSettings:
        """Change station settings (admin, audited); a new central URL takes effect at once."""
        updated = self.db.settings.update(actor, **changes)
        self._wake.set()
        return updated

    def remember(self, **preferences: str) -> None:
        """Keep the clerk's preferences (language, last reader, window geometry) for the next start."""
        if self.database is not None:
            try:
                self.database.settings.remember(**preferences)
            except DbError as error:
                log.warning("cannot keep the preferences: %s", error)

    # -- sync with the central database ---------------------------------------------------------------

    def _current_forwarder(self) -> Forwarder | None:
        """A forwarder for the central URL in the settings (recreated when it changes), or None."""
        url = self.db.settings.load().central_url
        if url != self._forwarder_url:
            if self._forwarder is not None:
                self._forwarder.close()
            self._forwarder = Forwarder(self.db, url) if url else None
            self._forwarder_url = url
        return self._forwarder

    def sync_now(self) -> SyncState:
        """One forwarding run (pull trust, push the outbox) in the calling thread, then the state; trust
        entries that arrived are evaluated under the trust rule and audited."""
        with self._sync_lock:
            forwarder = self._current_forwarder()
            if forwarder is not None:
                result = forwarder.sync_once()
                if result.received and self.trust is not None:
                    self.trust.refresh(result.received)
        return self.sync_status()

    def sync_status(self) -> SyncState:
        """Whether the station is in sync and how many items wait (works offline: local data only)."""
        forwarder = self._forwarder
        central_url = self.db.settings.load().central_url
        if forwarder is not None and self._forwarder_url == central_url:
            status = forwarder.sync_status()
            return SyncState(True, status.pending, status.in_sync, status.last_success, status.last_error)
        # Counting the outbox needs no connection: a forwarder without a URL only reads locally.
        pending = Forwarder(self.db, "").pending()
        return SyncState(central_url is not None, pending, False, None, None)

    def start_sync(self, interval: float = DEFAULT_SYNC_INTERVAL) -> None:
        """Start the background loop: a sync run every ``interval`` seconds (and at once when woken),
        and the daily retention purge. Calls :attr:`on_sync` with the state after each run."""
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
                if self._last_purge is not None and self.db.clock() - self._last_purge >= PURGE_INTERVAL:
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


# What front ends use of the storage layer's values, so that they need not import db/ themselves.
__all__ = [
    "API_SCOPES",
    "DEFAULT_API_SCOPES",
    "MIN_PASSWORD_LENGTH",
    "ApiClient",
    "AuditEvent",
    "Operator",
    "ReadHandle",
    "Role",
    "SavedRecord",
    "SavedRecordInfo",
    "Station",
    "StationSettings",
    "SyncState",
    "TrustKind",
    "audit_export_bytes",
    "database_url_from_environment",
]
