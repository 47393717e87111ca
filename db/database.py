"""Opening a station database: engine, pragmas, migrations, sessions and error translation."""

from __future__ import annotations

import errno
import secrets
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker

from cccd_station.db.errors import (
    DbError,
    StorageBusyError,
    StorageError,
    StorageFullError,
    StorageReadOnlyError,
    StorageUnavailableError,
    StorageUnreachableError,
)
from cccd_station.db.keys import HASH_SECRET_FILE_NAME, load_or_create_hash_secret
from cccd_station.db.models import OutboxRow, SettingRow

if TYPE_CHECKING:
    import uuid

    from cccd_station.db.api_clients import ApiClients
    from cccd_station.db.audit import AuditLog
    from cccd_station.db.operators import Operators
    from cccd_station.db.records import Records
    from cccd_station.db.settings import Settings
    from cccd_station.db.trust import TrustEntries

Clock = Callable[[], datetime]
SQLITE_FILE_NAME = "station.sqlite3"
STATION_ID_KEY = "station.id"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_REVISION = "0003"  # the newest script in migrations/versions (a test holds the two together)
_MIGRATION_LOCK_ID = 0x5CCCD  # PostgreSQL advisory lock: one migrating station at a time
DbErrorT = TypeVar("DbErrorT", bound=DbError)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" below decide when a transaction starts (pysqlite's own is lazy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: each commit is on disk before we report it, even across a power cut at the counter.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so sequence numbers are allocated without races.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_database_engine(url: str, *, connect_timeout: float = 5) -> Engine:
    """An engine for a SQLite file URL or a PostgreSQL (``postgresql+psycopg://``) URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the station needs a SQLite file, not an in-memory database")
        return _sqlite_engine(Path(parsed.database))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database: {parsed.get_backend_name()} (use SQLite or PostgreSQL)")
    connect_args: dict[str, Any] = {
        "connect_timeout": max(1, round(connect_timeout)),
        # Notice a vanished server within seconds instead of waiting on a dead TCP connection.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 2,
        "tcp_user_timeout": int(connect_timeout * 2000),
    }
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (None for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision with the scripts shipped in ``db/migrations``."""
    if schema_revision(engine) == SCHEMA_REVISION:
        return  # the usual start: up to date, and alembic (a third of a second to load) is not needed
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# The failure of a connection that never came up or broke, which PostgreSQL gives no SQLSTATE.
NO_CONNECTION = "no_connection"


def failure_code(exc: BaseException) -> str | None:
    """The code the driver or the OS gave a failure, or None when it gave none.

    A SQLite primary result code name ("SQLITE_BUSY"; https://sqlite.org/rescode.html), a
    PostgreSQL SQLSTATE ("57P01"; PostgreSQL manual, appendix A), an errno name ("ENOSPC"), or
    :data:`NO_CONNECTION`. Never the wording of a message, which changes with versions and locales.
    """
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", None)  # absent when the sqlite3 module raised it
        # An extended name extends the primary one: SQLITE_IOERR_WRITE is an SQLITE_IOERR.
        return "_".join(name.split("_")[:2]) if name else None
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg.Error.sqlstate; importing psycopg costs 0.2 s
    if isinstance(sqlstate, str) and sqlstate:
        return sqlstate
    if isinstance(orig, OSError) and orig.errno is not None:
        return errno.errorcode.get(orig.errno)
    # PEP 249's OperationalError or InterfaceError without a SQLSTATE: libpq reports none for a
    # connection that never came up or broke.
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return NO_CONNECTION
    return None


def lookup_failure(table: Mapping[str, type[DbErrorT]], code: str | None) -> type[DbErrorT] | None:
    """``table[code]``, else the entry of the code's SQLSTATE class ("08" for "08006")."""
    if code is None:
        return None
    found = table.get(code)
    if found is None and len(code) == 5:
        found = table.get(code[:2])
    return found


_STORAGE_FAILURES: dict[str, type[StorageError]] = {
    "SQLITE_FULL": StorageFullError,
    "SQLITE_BUSY": StorageBusyError,
    "SQLITE_LOCKED": StorageBusyError,
    "SQLITE_READONLY": StorageReadOnlyError,
    "SQLITE_CANTOPEN": StorageUnavailableError,
    "SQLITE_PERM": StorageUnavailableError,
    "SQLITE_IOERR": StorageUnavailableError,
    "ENOSPC": StorageFullError,
    "EDQUOT": StorageFullError,
    "EROFS": StorageReadOnlyError,
    "EACCES": StorageUnavailableError,
    "EPERM": StorageUnavailableError,
    "ENOENT": StorageUnavailableError,
    "ENOTDIR": StorageUnavailableError,
    "EISDIR": StorageUnavailableError,
    "EIO": StorageUnavailableError,
    NO_CONNECTION: StorageUnreachableError,
    "08": StorageUnreachableError,  # connection exception
    "57P01": StorageUnreachableError,  # admin_shutdown
    "57P02": StorageUnreachableError,  # crash_shutdown
    "57P03": StorageUnreachableError,  # cannot_connect_now
    "53300": StorageUnreachableError,  # too_many_connections
    "53100": StorageFullError,  # disk_full
    "40001": StorageBusyError,  # serialization_failure
    "40P01": StorageBusyError,  # deadlock_detected
    "55P03": StorageBusyError,  # lock_not_available
    "25006": StorageReadOnlyError,  # read_only_sql_transaction
    "42501": StorageUnavailableError,  # insufficient_privilege
    "28": StorageUnavailableError,  # invalid authorization specification
}


def storage_error(exc: BaseException) -> StorageError:
    """The error for a failure of the station's own database, chosen by the failure's code;
    a failure without a known code is a plain :class:`StorageError`."""
    return (lookup_failure(_STORAGE_FAILURES, failure_code(exc)) or StorageError)()


class Database:
    """A station's (or the site's central) database and the services built on it.

    Open it with :meth:`open`; use :attr:`operators`, :attr:`audit`, :attr:`records`,
    :attr:`trust`, :attr:`api_clients` and :attr:`settings`; hand it to :class:`db.sync.Forwarder` to
    forward to the central database. Safe to share between threads: each call uses its own session.
    """

    def __init__(self, engine: Engine, data_dir: Path, *, clock: Clock, hash_secret: bytes) -> None:
        from cccd_station.db.api_clients import ApiClients
        from cccd_station.db.audit import AuditLog
        from cccd_station.db.operators import Operators
        from cccd_station.db.records import Records
        from cccd_station.db.settings import Settings
        from cccd_station.db.trust import TrustEntries

        self.engine = engine
        self.data_dir = data_dir
        self.clock = clock
        self._hash_secret = hash_secret
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.settings: Settings = Settings(self)
        self.audit: AuditLog = AuditLog(self)
        self.operators: Operators = Operators(self)
        self.records: Records = Records(self)
        self.trust: TrustEntries = TrustEntries(self)
        self.api_clients: ApiClients = ApiClients(self)
        self._station_id = self._ensure_station_id()

    @classmethod
    def open(cls, url: str | None, data_dir: Path, *, clock: Clock | None = None) -> Database:
        """Open (creating and migrating as needed) the database at ``url``.

        ``None`` means the embedded SQLite file in ``data_dir``; otherwise a PostgreSQL URL.
        ``data_dir`` also holds the site hash secret (and the record key file). Records past the
        retention period are purged on open; call ``records.purge_expired()`` periodically too.
        Raises :class:`StorageError` when the database cannot be opened.
        """
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            hash_secret = load_or_create_hash_secret(data_dir / HASH_SECRET_FILE_NAME)
            if url is None:
                sqlite_file = data_dir / SQLITE_FILE_NAME
                # SQLite gives its -wal and -shm files the database file's mode: owner-only for all three.
                if not sqlite_file.exists():
                    sqlite_file.touch(mode=0o600)
                url = f"sqlite+pysqlite:///{sqlite_file}"
        except OSError as exc:
            raise storage_error(exc) from exc
        engine = create_database_engine(url)
        try:
            migrate(engine)
            database = cls(engine, data_dir, clock=clock or utc_now, hash_secret=hash_secret)
            database.records.purge_expired()  # retention holds even if the station was off for weeks
            return database
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            engine.dispose()
            raise storage_error(exc) from exc
        except BaseException:
            engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def station_id(self) -> str:
        return self._station_id

    def _set_station_id(self, station_id: str) -> None:
        self._station_id = station_id

    def _ensure_station_id(self) -> str:
        for _attempt in range(2):
            try:
                with self.session() as session:
                    row = session.get(SettingRow, STATION_ID_KEY)
                    if row is None:
                        # Random, so a reinstalled station never collides with its former self centrally.
                        row = SettingRow(key=STATION_ID_KEY, value=f"station-{secrets.token_hex(4)}")
                        session.add(row)
                    return row.value
            except IntegrityError:
                continue  # another process opening the same new database chose one first: use it
        raise StorageError("The station id could not be stored; call the administrator.")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error; storage failures become
        :class:`StorageError`."""
        try:
            with self._sessions.begin() as session:
                yield session
        except IntegrityError:
            raise  # a constraint violation is a bug or a race the caller handles, not a full disk
        except (DBAPIError, sqlite3.Error) as exc:
            raise storage_error(exc) from exc

    def document_hash(self, document_number: str) -> str:
        """The keyed hash under which audit events and records store a document number."""
        from cccd_station.db.audit import hash_document_number

        return hash_document_number(self._hash_secret, document_number)

    def append_to_outbox(self, session: Session, kind: str, item_id: uuid.UUID) -> int:
        """Queue ``item_id`` for the central database; returns this station's next sequence number."""
        station_id = self._station_id
        if session.get_bind().dialect.name == "postgresql":
            # Serialise sequence allocation for one station id (SQLite does it with BEGIN IMMEDIATE).
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(station_id.encode())})
        last = session.scalar(select(func.max(OutboxRow.seq)).where(OutboxRow.station_id == station_id))
        seq = (last or 0) + 1
        session.add(
            OutboxRow(station_id=station_id, seq=seq, kind=kind, item_id=item_id, created_at=self.clock())
        )
        return seq
