"""Saved records: holder fields and photo encrypted with AES-256-GCM under a site key.

A record is saved only when the clerk asks. Each part gets a random 96-bit nonce; the associated
data binds it to the record id and key id, so a ciphertext moved to another record or relabelled
with another key fails to open. Records older than the retention period are purged by
:meth:`Records.purge_expired`. Viewing and exporting are administrator actions and are audited.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import secrets
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cccd_station.db.errors import (
    KeyFileMissingError,
    RecordDecryptionError,
    RecordKeyUnavailableError,
    RecordNotFoundError,
)
from cccd_station.db.keys import KEY_FILE_NAME, SiteKey, create_key_file, derive_passphrase_key, read_key_file
from cccd_station.db.models import SavedRecordRow
from cccd_station.db.settings import get_value, set_value

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

NONCE_BYTES = 12
PASSPHRASE_SALT_KEY = "records.passphrase_salt"  # noqa: S105 - a settings key
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_FIELDS_BYTES = 256 * 1024
ExportFormat = Literal["csv", "json"]


@dataclass(frozen=True)
class SavedRecordInfo:
    """What may be listed without decrypting: no holder data."""

    id: uuid.UUID
    station_id: str
    created_at: datetime
    operator: str
    key_id: str
    has_photo: bool

    @classmethod
    def from_row(cls, row: SavedRecordRow) -> SavedRecordInfo:
        return cls(
            row.id, row.station_id, row.created_at, row.operator, row.key_id, row.photo_ciphertext is not None
        )


@dataclass(frozen=True)
class SavedRecord:
    info: SavedRecordInfo
    fields: Mapping[str, Any]
    photo: bytes | None = field(default=None, repr=False)


def _associated_data(record_id: uuid.UUID, key_id: str, part: str) -> bytes:
    return f"cccd-station record {record_id} key {key_id} {part}".encode("ascii")


def _csv_cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # A cell starting with = + - @ would run as a formula when the export is opened in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class Records:
    """``db.records``: unlock with a key file or passphrase, then save, list, view, export, purge."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._keys: tuple[SiteKey, ...] = ()
        self._lock = threading.Lock()

    # -- keys ------------------------------------------------------------------------------------

    @property
    def key_file_path(self) -> Path:
        return self._db.data_dir / KEY_FILE_NAME

    def unlock_with_key_file(self, path: Path | None = None, *, create: bool = False) -> SiteKey:
        """Load the key file (default ``<data_dir>/site.key``), creating it 0600 if ``create``.

        Raises :class:`KeyFileMissingError`, :class:`InsecureKeyFileError` (group/world readable)
        or :class:`KeyFileInvalidError`. Returns the current key.
        """
        path = path or self.key_file_path
        if create and not path.exists():
            with contextlib.suppress(FileExistsError):  # another process created it just now
                create_key_file(path)
        keys = read_key_file(path)
        with self._lock:
            self._keys = keys
        return keys[0]

    def unlock_with_passphrase(self, passphrase: str) -> SiteKey:
        """Derive the site key from an admin passphrase (scrypt; the salt is kept in the database).

        A wrong passphrase is not detected here: it gives a key whose id matches no record, and
        opening a record then raises :class:`RecordKeyUnavailableError`.
        """
        with self._db.session() as session:
            salt_hex = get_value(session, PASSPHRASE_SALT_KEY)
            if salt_hex is None:
                salt_hex = secrets.token_hex(16)
                set_value(session, PASSPHRASE_SALT_KEY, salt_hex)
        key = derive_passphrase_key(passphrase, bytes.fromhex(salt_hex))
        with self._lock:
            self._keys = (key,)
        return key

    def lock(self) -> None:
        """Forget the keys held in memory."""
        with self._lock:
            self._keys = ()

    def _current_key(self) -> SiteKey:
        with self._lock:
            if not self._keys:
                raise KeyFileMissingError("Saved records are locked: no key file or passphrase was loaded.")
            return self._keys[0]

    def _key(self, key_id: str) -> SiteKey:
        with self._lock:
            if not self._keys:
                raise KeyFileMissingError("Saved records are locked: no key file or passphrase was loaded.")
            for key in self._keys:
                if key.key_id == key_id:
                    return key
        raise RecordKeyUnavailableError(
            f"This record was saved under key {key_id}, which the loaded key file or passphrase lacks."
        )

    # -- records ---------------------------------------------------------------------------------

    def save(
        self,
        fields: Mapping[str, Any],
        photo: bytes | None,
        operator: Operator,
        *,
        document_number: str | None = None,
    ) -> SavedRecordInfo:
        """Encrypt and store a record the clerk chose to save. ``fields`` must be JSON-able."""
        try:
            plaintext = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise ValueError(f"record fields must be JSON-able: {exc}") from None
        if len(plaintext) > MAX_FIELDS_BYTES or (photo is not None and len(photo) > MAX_PHOTO_BYTES):
            raise ValueError("record too large")
        key = self._current_key()
        record_id = uuid.uuid4()
        cipher = AESGCM(key.secret)
        fields_nonce = secrets.token_bytes(NONCE_BYTES)
        photo_nonce = secrets.token_bytes(NONCE_BYTES) if photo is not None else None
        document_hash = self._db.document_hash(document_number) if document_number else None
        with self._db.session() as session:
            clerk = self._db.operators.require_signed_in(session, operator)
            seq = self._db.append_to_outbox(session, "record", record_id)
            row = SavedRecordRow(
                id=record_id,
                station_id=self._db.station_id,
                seq=seq,
                created_at=self._db.clock(),
                operator=clerk.username,
                document_hash=document_hash,
                key_id=key.key_id,
                fields_nonce=fields_nonce,
                fields_ciphertext=cipher.encrypt(
                    fields_nonce, plaintext, _associated_data(record_id, key.key_id, "fields")
                ),
                photo_nonce=photo_nonce,
                photo_ciphertext=None
                if photo is None or photo_nonce is None
                else cipher.encrypt(photo_nonce, photo, _associated_data(record_id, key.key_id, "photo")),
            )
            session.add(row)
            return SavedRecordInfo.from_row(row)

    def list(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        document_number: str | None = None,
        limit: int = 1000,
    ) -> list[SavedRecordInfo]:
        """Records' metadata, newest first (nothing is decrypted, nothing audited)."""
        query = select(SavedRecordRow)
        if since is not None:
            query = query.where(SavedRecordRow.created_at >= since)
        if until is not None:
            query = query.where(SavedRecordRow.created_at < until)
        if document_number is not None:
            query = query.where(SavedRecordRow.document_hash == self._db.document_hash(document_number))
        query = query.order_by(SavedRecordRow.created_at.desc()).limit(limit)
        with self._db.session() as session:
            return [SavedRecordInfo.from_row(row) for row in session.scalars(query)]

    def _decrypt(self, row: SavedRecordRow) -> SavedRecord:
        key = self._key(row.key_id)
        cipher = AESGCM(key.secret)
        try:
            plaintext = cipher.decrypt(
                row.fields_nonce, row.fields_ciphertext, _associated_data(row.id, row.key_id, "fields")
            )
            photo = None
            if row.photo_ciphertext is not None and row.photo_nonce is not None:
                photo = cipher.decrypt(
                    row.photo_nonce, row.photo_ciphertext, _associated_data(row.id, row.key_id, "photo")
                )
        except InvalidTag:
            raise RecordDecryptionError(
                "This saved record fails its integrity check: it was altered or damaged."
            ) from None
        return SavedRecord(SavedRecordInfo.from_row(row), json.loads(plaintext), photo)

    def view(self, record_id: uuid.UUID, actor: Operator) -> SavedRecord:
        """Decrypt one record for an administrator; the view is audited."""
        with self._db.session() as session:
            admin = self._db.operators.require_admin(session, actor)
            row = session.get(SavedRecordRow, record_id)
            if row is None:
                raise RecordNotFoundError("No such saved record (it may have been purged).")
            record = self._decrypt(row)
            self._db.audit.append(
                session, "admin", "record_view", admin.username, detail={"record_ids": [str(record_id)]}
            )
            return record

    def export(
        self,
        record_ids: Iterable[uuid.UUID],
        actor: Operator,
        fmt: ExportFormat,
        *,
        include_photos: bool = False,
    ) -> bytes:
        """Selected records as CSV or JSON (photos as base64, JSON only). Admin only, audited.

        Every record is decrypted before anything is returned, so an export is all or nothing.
        """
        if fmt not in ("csv", "json"):
            raise ValueError("export format must be 'csv' or 'json'")
        if include_photos and fmt == "csv":
            raise ValueError("photos can only be exported as JSON")
        wanted = list(dict.fromkeys(record_ids))
        with self._db.session() as session:
            admin = self._db.operators.require_admin(session, actor)
            records = [self._decrypt(self._existing(session, record_id)) for record_id in wanted]
            self._db.audit.append(
                session,
                "admin",
                "export",
                admin.username,
                detail={
                    "format": fmt,
                    "count": len(records),
                    "photos": include_photos,
                    "record_ids": [str(record_id) for record_id in wanted],
                },
            )
        return _to_json(records, include_photos) if fmt == "json" else _to_csv(records)

    @staticmethod
    def _existing(session: Session, record_id: uuid.UUID) -> SavedRecordRow:
        row = session.get(SavedRecordRow, record_id)
        if row is None:
            raise RecordNotFoundError(f"No saved record {record_id} (it may have been purged).")
        return row

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete records older than the retention period; returns how many went. Audited."""
        now = now or self._db.clock()
        with self._db.session() as session:
            retention = self._db.settings._load(session).retention_days
            cutoff = now - timedelta(days=retention)
            expired = list(
                session.scalars(select(SavedRecordRow.id).where(SavedRecordRow.created_at < cutoff))
            )
            if expired:
                session.execute(delete(SavedRecordRow).where(SavedRecordRow.id.in_(expired)))
                self._db.audit.append(
                    session,
                    "system",
                    "records_purge",
                    None,
                    detail={"count": len(expired), "retention_days": retention},
                )
            return len(expired)


def _header(record: SavedRecord) -> dict[str, Any]:
    info = record.info
    return {
        "record_id": str(info.id),
        "created_at": info.created_at.isoformat(),
        "station_id": info.station_id,
        "operator": info.operator,
    }


def _to_json(records: list[SavedRecord], include_photos: bool) -> bytes:
    items = []
    for record in records:
        item = {**_header(record), "fields": dict(record.fields)}
        if include_photos:
            item["photo_base64"] = base64.b64encode(record.photo).decode("ascii") if record.photo else None
        items.append(item)
    return json.dumps({"records": items}, ensure_ascii=False, indent=2).encode("utf-8")


def _to_csv(records: list[SavedRecord]) -> bytes:
    field_names = sorted({name for record in records for name in record.fields})
    columns = ["record_id", "created_at", "station_id", "operator", *field_names]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in records:
        values = {**_header(record), **record.fields}
        writer.writerow([_csv_cell(values.get(name, "")) for name in columns])
    # UTF-8 with BOM so spreadsheet programs read Vietnamese diacritics correctly.
    return buffer.getvalue().encode("utf-8-sig")
