"""Storage layer of CCCD Station: operators, audit trail, encrypted saved records, trust
entries, settings and offline-first forwarding to the site's central database.

Used by ``station/``; imports neither Qt, ``ui/`` nor ``station/``. Every call returns frozen
dataclasses, never ORM objects.

Public API
----------
``Database.open(url: str | None, data_dir: Path, *, clock=None) -> Database``
    ``None``: SQLite (WAL) at ``data_dir/station.sqlite3``; else ``postgresql+psycopg://...``.
    Migrations run on open. ``db.station_id``, ``db.close()``, usable as a context manager.
``db.operators`` (:class:`db.operators.Operators`)
    ``needs_first_admin() -> bool``, ``create_first_admin(username, display_name, password)``,
    ``sign_in(username, password) -> Operator``, ``sign_out(operator)``, ``list()``,
    ``create(actor, username, display_name, password, role)``, ``set_password(actor, username, pw)``,
    ``set_role(actor, username, role)``, ``set_disabled(actor, username, disabled)``,
    ``unlock(actor, username)``.
``db.audit`` (:class:`db.audit.AuditLog`)
    ``record_read(operator, *, reader_name, access_protocol, verdict, checks, outcome,
    error_kind=None, document_number=None) -> AuditEvent``,
    ``search(*, document_number, since, until, operator, verdict, kind, action, limit)``,
    ``get(event_id)``.
``db.records`` (:class:`db.records.Records`)
    ``unlock_with_key_file(path=None, *, create=False) -> SiteKey``,
    ``unlock_with_passphrase(passphrase) -> SiteKey``, ``lock()``,
    ``save(fields, photo, operator, *, document_number=None) -> SavedRecordInfo``,
    ``list(*, since, until, document_number)``, ``view(record_id, actor) -> SavedRecord``,
    ``export(record_ids, actor, "csv" | "json", *, include_photos=False) -> bytes``,
    ``purge_expired(now=None) -> int``.
``db.trust`` (:class:`db.trust.TrustEntries`)
    ``import_entry(kind, der, source, actor) -> TrustEntry``, ``list(kind=None, *, since=None)``.
``db.settings`` (:class:`db.settings.Settings`)
    ``load() -> StationSettings``, ``update(actor, *, station_id, retention_days,
    auto_clear_seconds, central_url, api_enabled, api_listen, api_tls) -> StationSettings``.
``db.api_clients`` (:class:`db.api_clients.ApiClients`)
    ``add(actor, name, scopes, origins) -> (ApiClient, token)``, ``remove(actor, name)``, ``list()``,
    ``authenticate(token) -> ApiClient | None``, ``all_origins()``,
    ``record_release(client, scopes, *, verdict, document_number)``.
``Forwarder(local: Database, central_url: str, *, batch_size=100)`` (:mod:`db.sync`)
    ``sync_once() -> SyncResult(sent, received, pending, error, error_kind)``,
    ``sync_status() -> SyncStatus(in_sync, pending, last_success, last_error)``, ``close()``.
Keys (:mod:`db.keys`): ``create_key_file(path)``, ``rotate_key_file(path)``, ``read_key_file(path)``.
Errors (:mod:`db.errors`): ``StorageError`` (``StorageFullError``, ``StorageUnavailableError``,
``StorageUnreachableError``, ``StorageBusyError``, ``StorageReadOnlyError``),
``CentralUnavailableError`` (``CentralRefusedError``), ``SyncConflictError``,
``InvalidCredentialsError``, ``AccountLockedError(time_left)``, ``AccountDisabledError``,
``PermissionDeniedError``, ``OperatorError``, ``KeyFileMissingError``, ``InsecureKeyFileError``,
``KeyFileInvalidError``, ``RecordKeyUnavailableError``, ``RecordDecryptionError``,
``RecordNotFoundError`` (all subclasses of ``DbError``; each class names its ``kind``).
"""

from __future__ import annotations

from cccd_station.db.api_clients import ApiClient, ApiClientError
from cccd_station.db.audit import AuditEvent, normalise_document_number
from cccd_station.db.database import Database
from cccd_station.db.errors import (
    AccountDisabledError,
    AccountLockedError,
    CentralRefusedError,
    CentralUnavailableError,
    DbError,
    InsecureKeyFileError,
    InvalidCredentialsError,
    KeyFileInvalidError,
    KeyFileMissingError,
    OperatorError,
    PermissionDeniedError,
    RecordDecryptionError,
    RecordKeyUnavailableError,
    RecordNotFoundError,
    SignInError,
    SiteKeyError,
    StorageBusyError,
    StorageError,
    StorageFullError,
    StorageReadOnlyError,
    StorageUnavailableError,
    StorageUnreachableError,
    SyncConflictError,
)
from cccd_station.db.keys import SiteKey, create_key_file, read_key_file, rotate_key_file
from cccd_station.db.operators import Operator, Role
from cccd_station.db.records import SavedRecord, SavedRecordInfo
from cccd_station.db.settings import StationSettings
from cccd_station.db.sync import Forwarder, SyncResult, SyncStatus
from cccd_station.db.trust import TrustEntry, TrustKind

__all__ = [
    "AccountDisabledError",
    "AccountLockedError",
    "ApiClient",
    "ApiClientError",
    "AuditEvent",
    "CentralRefusedError",
    "CentralUnavailableError",
    "Database",
    "DbError",
    "Forwarder",
    "InsecureKeyFileError",
    "InvalidCredentialsError",
    "KeyFileInvalidError",
    "KeyFileMissingError",
    "Operator",
    "OperatorError",
    "PermissionDeniedError",
    "RecordDecryptionError",
    "RecordKeyUnavailableError",
    "RecordNotFoundError",
    "Role",
    "SavedRecord",
    "SavedRecordInfo",
    "SignInError",
    "SiteKey",
    "SiteKeyError",
    "StationSettings",
    "StorageBusyError",
    "StorageError",
    "StorageFullError",
    "StorageReadOnlyError",
    "StorageUnavailableError",
    "StorageUnreachableError",
    "SyncConflictError",
    "SyncResult",
    "SyncStatus",
    "TrustEntry",
    "TrustKind",
    "create_key_file",
    "normalise_document_number",
    "read_key_file",
    "rotate_key_file",
]
