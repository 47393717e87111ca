"""Failures of the station's own and the site's central database, made for real, and the error
(class and ``kind``) each becomes.

They are sorted by the code the driver or the OS gave them (SQLite result code, PostgreSQL
SQLSTATE, errno), never by the wording of a message. The full and the read-only disk are a tiny
tmpfs in a private mount namespace; where the machine does not allow that, those tests skip.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, make_url

from cccd_station.db import (
    CentralRefusedError,
    CentralUnavailableError,
    Database,
    DbError,
    Forwarder,
    StorageBusyError,
    StorageError,
    StorageFullError,
    StorageReadOnlyError,
    StorageUnavailableError,
    StorageUnreachableError,
)
from cccd_station.db import errors as db_errors

REPO = Path(__file__).resolve().parent.parent


def _record_read(db: Database) -> None:
    db.audit.record_read(
        None,
        reader_name="Virtual PCD 00 00",
        access_protocol="PACE",
        verdict="genuine",
        checks=[("passive_auth", "passed")],
        outcome="ok",
        document_number=None,
    )


def _free_port() -> int:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the kinds ---------------------------------------------------------------------------------------

# Screens and logs key on these tokens: changing one is a change of the public interface.
KINDS = {
    "DbError": "db_error",
    "StorageError": "storage_failed",
    "StorageFullError": "storage_full",
    "StorageUnavailableError": "storage_unavailable",
    "StorageUnreachableError": "storage_unreachable",
    "StorageBusyError": "storage_busy",
    "StorageReadOnlyError": "storage_read_only",
    "CentralUnavailableError": "central_unavailable",
    "CentralRefusedError": "central_refused",
    "SyncConflictError": "sync_conflict",
    "SignInError": "sign_in_refused",
    "InvalidCredentialsError": "wrong_credentials",
    "AccountLockedError": "account_locked",
    "AccountDisabledError": "account_disabled",
    "PermissionDeniedError": "permission_denied",
    "OperatorError": "operator_rule",
    "SiteKeyError": "site_key_error",
    "KeyFileMissingError": "site_key_missing",
    "InsecureKeyFileError": "site_key_insecure",
    "KeyFileInvalidError": "site_key_invalid",
    "RecordKeyUnavailableError": "record_key_unavailable",
    "RecordDecryptionError": "record_damaged",
    "RecordNotFoundError": "record_not_found",
}


def test_every_error_class_names_its_own_kind() -> None:
    classes = {
        name: value
        for name, value in vars(db_errors).items()
        if isinstance(value, type) and issubclass(value, DbError)
    }
    assert {name: cls.kind for name, cls in classes.items() if "kind" in vars(cls)} == KINDS
    assert len(set(KINDS.values())) == len(KINDS)


def test_the_finer_errors_are_still_caught_as_before() -> None:
    for storage in (StorageBusyError, StorageReadOnlyError, StorageUnreachableError):
        assert issubclass(storage, StorageError)
    assert issubclass(StorageUnreachableError, StorageUnavailableError)
    assert issubclass(CentralRefusedError, CentralUnavailableError)
    assert str(StorageError()) == (
        "The station's database failed. This action was not recorded; call the administrator."
    )


# -- the station's SQLite file -----------------------------------------------------------------------


def test_a_database_another_program_keeps_locked_is_busy(tmp_path: Path) -> None:
    db = Database.open(None, tmp_path / "data")
    _record_read(db)

    @event.listens_for(db.engine, "connect")
    def _wait_briefly(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 200")  # not the station's 15 s

    db.engine.dispose()
    other = sqlite3.connect(tmp_path / "data" / "station.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageBusyError) as busy:
            _record_read(db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.value.kind == "storage_busy"
    assert "busy (another program keeps it locked)" in str(busy.value)
    _record_read(db)  # the lock is gone: the station writes again
    assert len(db.audit.search(kind="read")) == 2
    db.close()


def test_a_directory_where_the_file_should_be_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "data" / "station.sqlite3").mkdir(parents=True)
    with pytest.raises(StorageUnavailableError) as gone:
        Database.open(None, tmp_path / "data")
    assert (type(gone.value), gone.value.kind) == (StorageUnavailableError, "storage_unavailable")


def test_a_data_folder_inside_a_file_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file\n")
    with pytest.raises(StorageUnavailableError) as gone:
        Database.open(None, tmp_path / "not-a-folder" / "data")
    assert "cannot be opened or written" in str(gone.value)


def test_a_file_that_is_no_database_is_a_storage_failure(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "station.sqlite3").write_bytes(b"Fictitious notes, not a database. " * 200)
    with pytest.raises(StorageError) as damaged:
        Database.open(None, tmp_path / "data")
    assert (type(damaged.value), damaged.value.kind) == (StorageError, "storage_failed")


@functools.cache
def _can_mount_tmpfs() -> bool:
    with tempfile.TemporaryDirectory() as directory:
        try:
            probe = subprocess.run(
                [
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "mount",
                    "-t",
                    "tmpfs",
                    "tmpfs",
                    directory,
                ],
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return probe.returncode == 0


def _on_tiny_disk(tmp_path: Path, size: str, script: str, *args: str) -> dict[str, object]:
    """Run ``script`` with a tmpfs of ``size`` mounted at ``sys.argv[1]`` (``args`` follow) in its
    own mount namespace, gone with it; its last line of output is JSON."""
    if not _can_mount_tmpfs():
        pytest.skip("no permission to mount a tmpfs in a private mount namespace")
    disk = tmp_path / "disk"
    disk.mkdir()
    mount_then_run = 'mount -t tmpfs -o size="$1" tmpfs "$2" && exec "$3" -c "$4" "$2" "${@:5}"'
    command = ["unshare", "--mount", "--propagation", "private", "bash", "-c", mount_then_run]
    completed = subprocess.run(
        [*command, "bash", size, str(disk), sys.executable, textwrap.dedent(script), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    return result


_READ = """
def record_read(db):
    db.audit.record_read(
        None, reader_name="Virtual PCD 00 00", access_protocol="PACE", verdict="genuine",
        checks=[("passive_auth", "passed")], outcome="ok", document_number=None,
    )
"""


def test_a_full_disk_is_storage_full_and_keeps_what_was_committed(tmp_path: Path) -> None:
    result = _on_tiny_disk(
        tmp_path,
        "2m",
        _READ
        + """
import json, sys
from pathlib import Path
from cccd_station.db import Database, StorageError

disk = Path(sys.argv[1])
(disk / "ballast").write_bytes(bytes(256 * 1024))  # freed below, like an administrator would
db = Database.open(None, disk / "data")
written, failure = 0, None
for _ in range(100_000):
    try:
        record_read(db)
    except StorageError as error:
        failure = error
        break
    written += 1
db.close()
(disk / "ballast").unlink()
with Database.open(None, disk / "data") as reopened:
    kept = len(reopened.audit.search(kind="read", limit=1_000_000))
    record_read(reopened)
print(json.dumps({"error": type(failure).__name__, "kind": getattr(failure, "kind", None),
                  "message": str(failure), "written": written, "kept": kept}))
""",
    )
    assert (result["error"], result["kind"]) == ("StorageFullError", "storage_full")
    assert "full (no disk space left)" in str(result["message"])
    assert isinstance(result["written"], int) and result["written"] > 0
    assert result["kept"] == result["written"]


# A station that stops without closing (power cut) leaves its -wal and -shm files behind.
_STOP_ABRUPTLY = (
    _READ
    + """
import os, sys
from pathlib import Path
from cccd_station.db import Database
record_read(Database.open(None, Path(sys.argv[1])))
os._exit(0)
"""
)


def test_a_disk_turned_read_only_refuses_writes_as_read_only(tmp_path: Path) -> None:
    result = _on_tiny_disk(
        tmp_path,
        "4m",
        _READ
        + """
import json, subprocess, sys
from pathlib import Path
from cccd_station.db import Database, StorageError

disk = Path(sys.argv[1])
with Database.open(None, disk / "closed") as db:
    record_read(db)
subprocess.run([sys.executable, "-c", sys.argv[2], str(disk / "crashed")], check=True)
subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)

def failure(action):
    try:
        action()
    except StorageError as error:
        return [type(error).__name__, error.kind, str(error)]
    return None

crashed = Database.open(None, disk / "crashed")
print(json.dumps({
    "read": len(crashed.audit.search(kind="read")),
    "write": failure(lambda: record_read(crashed)),
    "closed": failure(lambda: Database.open(None, disk / "closed").close()),
    "new": failure(lambda: Database.open(None, disk / "new").close()),
}))
""",
        _STOP_ABRUPTLY,
    )
    assert result["read"] == 1  # what was saved can still be shown
    for case, expected in {
        "write": ("StorageReadOnlyError", "storage_read_only"),
        "new": ("StorageReadOnlyError", "storage_read_only"),  # a new station there: EROFS
        # SQLite cannot set up its WAL index next to a cleanly closed file and says only
        # SQLITE_CANTOPEN, so this one cannot be told from a missing file.
        "closed": ("StorageUnavailableError", "storage_unavailable"),
    }.items():
        error, kind, message = cast(list[str], result[case])
        assert (error, kind) == expected, case
        assert "cannot be opened or written" in message


# -- the station's PostgreSQL database ---------------------------------------------------------------


def test_a_database_server_that_is_not_there_is_unreachable(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://station:x@127.0.0.1:{_free_port()}/station"
    with pytest.raises(StorageUnreachableError) as down:
        Database.open(url, tmp_path / "data")
    assert down.value.kind == "storage_unreachable"
    assert "server does not answer" in str(down.value)


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[URL]:
    """A fresh database of its own on the test server (settings made on it touch no other test)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _as_admin(url: URL, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_a_read_only_station_database_still_reads_and_refuses_writes(
    pg_database: URL, tmp_path: Path
) -> None:
    with Database.open(_url_text(pg_database), tmp_path / "data") as db:
        _record_read(db)
    _as_admin(pg_database, f'ALTER DATABASE "{pg_database.database}" SET default_transaction_read_only = on')
    with Database.open(_url_text(pg_database), tmp_path / "data") as db:
        assert len(db.audit.search(kind="read")) == 1
        with pytest.raises(StorageReadOnlyError) as read_only:
            _record_read(db)
    assert read_only.value.kind == "storage_read_only"


def test_a_station_database_without_write_permission_is_unavailable(pg_database: URL, tmp_path: Path) -> None:
    with Database.open(_url_text(pg_database), tmp_path / "data") as db:
        _record_read(db)
    role = f"reader_{uuid.uuid4().hex[:8]}"
    _as_admin(pg_database, f"CREATE ROLE {role} LOGIN PASSWORD 'fictitious'")
    try:
        _as_admin(pg_database, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        reader = pg_database.set(username=role, password="fictitious")
        with (
            Database.open(_url_text(reader), tmp_path / "data") as db,
            pytest.raises(StorageUnavailableError) as refused,
        ):
            _record_read(db)
        assert (type(refused.value), refused.value.kind) == (StorageUnavailableError, "storage_unavailable")
    finally:
        _as_admin(pg_database, f"DROP OWNED BY {role}")
        _as_admin(pg_database, f"DROP ROLE {role}")


def test_a_table_another_session_keeps_locked_is_busy(pg_database: URL, tmp_path: Path) -> None:
    impatient = pg_database.update_query_dict({"options": "-c lock_timeout=300"})
    with Database.open(_url_text(impatient), tmp_path / "data") as db:
        _record_read(db)
        holder = create_engine(pg_database)
        with holder.begin() as connection:
            connection.execute(text("LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(StorageBusyError) as busy:
                _record_read(db)
        holder.dispose()
        assert busy.value.kind == "storage_busy"
        _record_read(db)  # lock released
        assert len(db.audit.search(kind="read")) == 2


def test_a_connection_the_server_ends_midway_is_unreachable(pg_database: URL, tmp_path: Path) -> None:
    with Database.open(_url_text(pg_database), tmp_path / "data") as db:
        with pytest.raises(StorageUnreachableError) as ended, db.session() as session:
            backend = session.scalar(text("SELECT pg_backend_pid()"))
            _as_admin(pg_database, f"SELECT pg_terminate_backend({int(backend or 0)})")
            session.execute(text("SELECT count(*) FROM audit_events"))
        assert ended.value.kind == "storage_unreachable"
        _record_read(db)  # the next action gets a new connection


# -- the central database ----------------------------------------------------------------------------


def test_an_unreachable_central_database_is_reported_as_unavailable(tmp_path: Path) -> None:
    with Database.open(None, tmp_path / "station") as station:
        _record_read(station)
        url = f"postgresql+psycopg://nobody:x@127.0.0.1:{_free_port()}/site"
        result = Forwarder(station, url, connect_timeout=2).sync_once()
    assert (result.error_kind, result.pending) == ("central_unavailable", 1)
    assert result.error is not None and "cannot be reached" in result.error


def test_a_read_only_central_database_refuses_and_the_records_wait(pg_database: URL, tmp_path: Path) -> None:
    central_url = _url_text(pg_database)
    Database.open(central_url, tmp_path / "central").close()  # the site set the centre up
    _as_admin(pg_database, f'ALTER DATABASE "{pg_database.database}" SET default_transaction_read_only = on')
    with Database.open(None, tmp_path / "station") as station:
        _record_read(station)
        forwarder = Forwarder(station, central_url)
        result = forwarder.sync_once()
        forwarder.close()
    assert (result.error_kind, result.sent, result.pending) == ("central_refused", 0, 1)
    assert result.error is not None and "refused this station's data" in result.error


# -- a PostgreSQL server whose tablespace is a tiny disk ------------------------------------------------


@pytest.fixture
def tiny_tablespace_server() -> Iterator[URL]:
    """A throw-away PostgreSQL server, started inside a private mount namespace in which its
    tablespace ``tiny`` is a 1 MiB tmpfs; URLs that set ``default_tablespace=tiny`` fill it."""
    initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not initdb or os.geteuid() != 0:
        pytest.skip("needs PostgreSQL's server programs and root (to mount and to run them as postgres)")
    if not _can_mount_tmpfs():
        pytest.skip("no permission to mount a tmpfs in a private mount namespace")
    bindir = initdb[-1].parent
    directory = Path(tempfile.mkdtemp(prefix="station-pg-full-"))
    tiny = directory / "tiny"
    tiny.mkdir()
    shutil.chown(directory, "postgres")
    shutil.chown(tiny, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    data = str(directory / "data")
    port = _free_port()
    try:
        subprocess.run(
            [*as_postgres, str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        mount_then_start = 'mount -t tmpfs -o size=1m,uid=postgres,mode=0700 tmpfs "$1" && shift && exec "$@"'
        options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        in_namespace = ["unshare", "--mount", "--propagation", "private", "sh", "-c", mount_then_start]
        start = [str(bindir / "pg_ctl"), "-D", data, "-o", options, "-l", f"{directory}/log", "-w", "start"]
        subprocess.run(
            [*in_namespace, "sh", str(tiny), *as_postgres, *start],
            check=True,
            capture_output=True,
            timeout=120,
        )
        url = make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
        _as_admin(url, f"CREATE TABLESPACE tiny LOCATION '{tiny}'")
        yield url
    finally:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(directory, ignore_errors=True)


def _on_tiny_tablespace(url: URL, schema: str) -> str:
    _as_admin(url, f'CREATE SCHEMA "{schema}"')
    options = f"-csearch_path={schema} -cdefault_tablespace=tiny"
    return _url_text(url.update_query_dict({"options": options}))


def test_a_full_disk_under_postgresql_is_storage_full_here_and_a_refusal_centrally(
    tiny_tablespace_server: URL, tmp_path: Path
) -> None:
    central_url = _on_tiny_tablespace(tiny_tablespace_server, "central")
    Database.open(central_url, tmp_path / "central").close()  # the site set the centre up
    station_url = _on_tiny_tablespace(tiny_tablespace_server, "station")
    with Database.open(station_url, tmp_path / "data") as db:
        written = 0
        with pytest.raises(StorageFullError) as full:
            for _ in range(100_000):
                _record_read(db)
                written += 1
        assert full.value.kind == "storage_full"
        assert written > 0 and len(db.audit.search(kind="read", limit=100_000)) == written

    with Database.open(None, tmp_path / "station") as station:
        _record_read(station)
        result = Forwarder(station, central_url).sync_once()
    assert (result.error_kind, result.pending) == ("central_refused", 1)
    assert result.error is not None and "refused this station's data" in result.error
