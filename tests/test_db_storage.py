"""Storage layer on both backends: migrations, operators, audit trail, saved records, settings.

Every PostgreSQL test runs in its own fresh schema. All people and numbers are fictitious.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import cast

import argon2
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Table, event, inspect, select, text, update

from cccd_station.db import (
    AccountDisabledError,
    AccountLockedError,
    Database,
    InsecureKeyFileError,
    InvalidCredentialsError,
    KeyFileMissingError,
    Operator,
    OperatorError,
    PermissionDeniedError,
    RecordDecryptionError,
    RecordKeyUnavailableError,
    RecordNotFoundError,
    Role,
    StorageFullError,
    StorageUnavailableError,
    TrustKind,
    rotate_key_file,
)
from cccd_station.db.database import MIGRATIONS_DIR, SCHEMA_REVISION
from cccd_station.db.models import Base, OperatorRow, SavedRecordRow

HOLDER_NAME = "Phạm Thị Thu Hiền"
ID_NUMBER = "001199012345"
PHOTO = b"\xff\xd8\xff\xe0FICTITIOUS-PORTRAIT-MARKER" + bytes(range(256)) * 4
T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """``None`` (SQLite in the data directory) or a PostgreSQL URL bound to a fresh schema."""
    if request.param == "sqlite":
        yield None
        return
    yield request.getfixturevalue("pg_fresh_url")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_db(database_url: str | None, tmp_path: Path, clock: FakeClock) -> Iterator[Callable[[], Database]]:
    opened: list[Database] = []

    def opener() -> Database:
        database = Database.open(database_url, tmp_path / "data", clock=clock)
        opened.append(database)
        return database

    yield opener
    for database in opened:
        database.close()


@pytest.fixture
def db(open_db: Callable[[], Database]) -> Database:
    return open_db()


@pytest.fixture
def admin(db: Database) -> Operator:
    return db.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")


@pytest.fixture
def clerk(db: Database, admin: Operator) -> Operator:
    return db.operators.create(admin, "clerk1", "Counter Clerk", "clerk-pass-123", Role.CLERK)


def _record_read(
    db: Database, operator: Operator | None, verdict: str = "genuine", number: str | None = ID_NUMBER
) -> None:
    db.audit.record_read(
        operator,
        reader_name="Virtual PCD 00 00",
        access_protocol="PACE",
        verdict=verdict,
        checks=[("passive_auth", "passed"), ("chip_auth", "passed")],
        outcome="ok",
        document_number=number,
    )


# -- migrations -------------------------------------------------------------------------------------


def test_the_schema_revision_a_start_checks_is_the_newest_migration_script() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


def test_migrations_apply_on_a_fresh_database_and_are_idempotent_on_reopen(
    open_db: Callable[[], Database], database_url: str | None
) -> None:
    first = open_db()
    station_id = first.station_id
    with first.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == SCHEMA_REVISION
        assert set(inspect(connection).get_table_names()) >= {
            "operators",
            "audit_events",
            "saved_records",
            "trust_entries",
            "settings",
            "outbox",
            "sync_ledger",
            "api_clients",
        }
        # The migration scripts create exactly what the models describe.
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    first.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
    first.close()

    again = open_db()
    assert again.station_id == station_id
    assert not again.operators.needs_first_admin()
    with again.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == SCHEMA_REVISION
    if database_url is None:
        assert again.engine.dialect.name == "sqlite"
        with again.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


# -- operators --------------------------------------------------------------------------------------


def test_first_run_creates_the_first_admin_once(db: Database) -> None:
    assert db.operators.needs_first_admin()
    admin = db.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
    assert admin.role is Role.ADMIN and admin.is_admin
    assert not db.operators.needs_first_admin()
    with pytest.raises(PermissionDeniedError):
        db.operators.create_first_admin("intruder", "Intruder", "intruder-pass")
    assert [operator.username for operator in db.operators.list()] == ["admin"]


def test_sign_in_and_wrong_credentials_share_one_message(db: Database, clerk: Operator) -> None:
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    with pytest.raises(InvalidCredentialsError) as wrong_password:
        db.operators.sign_in("clerk1", "not-the-password")
    with pytest.raises(InvalidCredentialsError) as unknown_user:
        db.operators.sign_in("nobody", "clerk-pass-123")
    assert str(wrong_password.value) == str(unknown_user.value)
    db.operators.sign_out(clerk)
    actions = [event.action for event in db.audit.search(kind="session")]
    assert actions == ["sign_in", "sign_in_failed", "sign_in_failed", "sign_out"]


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    db: Database, clerk: Operator, clock: FakeClock
) -> None:
    for _ in range(4):
        with pytest.raises(InvalidCredentialsError):
            db.operators.sign_in("clerk1", "guess")
    with pytest.raises(AccountLockedError) as locked:
        db.operators.sign_in("clerk1", "guess")
    assert locked.value.time_left == timedelta(minutes=15)

    clock.advance(timedelta(minutes=14))
    with pytest.raises(AccountLockedError) as still_locked:
        db.operators.sign_in("clerk1", "clerk-pass-123")  # even the right password waits
    assert still_locked.value.time_left == timedelta(minutes=1)
    assert "1 min" in str(still_locked.value)

    clock.advance(timedelta(minutes=1))
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    # The count started over: four more mistakes do not lock.
    for _ in range(4):
        with pytest.raises(InvalidCredentialsError):
            db.operators.sign_in("clerk1", "guess")
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk


# -- password hashes ---------------------------------------------------------------------------------


def _old_scrypt_hash(password: str) -> str:
    """A hash exactly as earlier versions stored it: ``scrypt$n$r$p$salt$hash``, hex, N=2^14."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def _stored_hash(db: Database, username: str) -> str:
    with db.session() as session:
        return session.scalars(
            select(OperatorRow.password_hash).where(OperatorRow.username == username)
        ).one()


def _store_hash(db: Database, username: str, encoded: str) -> None:
    with db.session() as session:
        session.execute(
            update(OperatorRow).where(OperatorRow.username == username).values(password_hash=encoded)
        )


def _failed_attempts(db: Database, username: str) -> int:
    with db.session() as session:
        return session.scalars(
            select(OperatorRow.failed_attempts).where(OperatorRow.username == username)
        ).one()


CURRENT_ARGON2 = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_an_operator_with_an_old_scrypt_hash_signs_in_and_gets_an_argon2id_hash(
    db: Database, clerk: Operator
) -> None:
    _store_hash(db, "clerk1", _old_scrypt_hash("clerk-pass-123"))
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    upgraded = _stored_hash(db, "clerk1")
    assert upgraded.startswith(CURRENT_ARGON2)
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk  # the new hash works
    assert _stored_hash(db, "clerk1") == upgraded  # and, being current, is kept
    with pytest.raises(InvalidCredentialsError):
        db.operators.sign_in("clerk1", "clerk-pass-124")


@pytest.mark.parametrize(
    ("variant", "memory_kib", "passes"),
    [
        (argon2.Type.I, 65536, 3),
        (argon2.Type.D, 65536, 3),
        (argon2.Type.ID, 8192, 3),
        (argon2.Type.ID, 65536, 1),
    ],
)
def test_a_weaker_argon2_hash_is_replaced_at_sign_in(
    db: Database, clerk: Operator, variant: argon2.Type, memory_kib: int, passes: int
) -> None:
    weak = argon2.PasswordHasher(time_cost=passes, memory_cost=memory_kib, parallelism=1, type=variant)
    _store_hash(db, "clerk1", weak.hash("clerk-pass-123"))
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    assert _stored_hash(db, "clerk1").startswith(CURRENT_ARGON2)


def test_a_stronger_argon2id_hash_is_kept(db: Database, clerk: Operator) -> None:
    stronger = argon2.PasswordHasher(time_cost=4, memory_cost=2 * 65536, parallelism=4).hash("clerk-pass-123")
    _store_hash(db, "clerk1", stronger)
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    assert _stored_hash(db, "clerk1") == stronger


def test_wrong_passwords_against_an_old_hash_lock_the_account_and_upgrade_nothing(
    db: Database, clerk: Operator, clock: FakeClock
) -> None:
    old = _old_scrypt_hash("clerk-pass-123")
    _store_hash(db, "clerk1", old)
    for _ in range(4):
        with pytest.raises(InvalidCredentialsError):
            db.operators.sign_in("clerk1", "guess")
    with pytest.raises(AccountLockedError):
        db.operators.sign_in("clerk1", "guess")
    with pytest.raises(AccountLockedError):
        db.operators.sign_in("clerk1", "clerk-pass-123")  # locked: not even checked, so not upgraded
    assert _stored_hash(db, "clerk1") == old
    clock.advance(timedelta(minutes=15))
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk
    assert _stored_hash(db, "clerk1").startswith(CURRENT_ARGON2)


def test_a_disabled_account_with_an_old_hash_stays_refused_and_unchanged(
    db: Database, admin: Operator, clerk: Operator
) -> None:
    old = _old_scrypt_hash("clerk-pass-123")
    _store_hash(db, "clerk1", old)
    db.operators.set_disabled(admin, "clerk1", True)
    with pytest.raises(AccountDisabledError):
        db.operators.sign_in("clerk1", "clerk-pass-123")
    assert _stored_hash(db, "clerk1") == old


def test_no_stored_password_hash_holds_the_password(db: Database, admin: Operator, tmp_path: Path) -> None:
    password = "Mật-khẩu-Thử-2026"
    db.operators.create(admin, "clerk2", "Counter Clerk", password, Role.CLERK)
    first = _stored_hash(db, "clerk2")
    _store_hash(db, "clerk2", _old_scrypt_hash(password))
    db.operators.sign_in("clerk2", password)  # upgraded to a fresh hash
    upgraded = _stored_hash(db, "clerk2")
    assert first != upgraded  # a fresh salt each time
    raw = password.encode()
    forms = [password, raw.hex(), base64.b64encode(raw).decode(), base64.b64encode(raw).decode().rstrip("=")]
    for stored in (first, upgraded):
        assert not any(form in stored for form in forms)
    if db.dialect == "sqlite":  # nor does any page of the database files
        db.close()
        for path in (tmp_path / "data").glob("station.sqlite3*"):
            assert raw not in path.read_bytes(), path.name


_SALT_HEX = "00" * 16
_DAMAGED_HASHES = [
    "",
    "garbage",
    f"scrypt$16384$8$1${_SALT_HEX}$zz",  # a digest that is not hex
    f"scrypt$16384$8$1${_SALT_HEX}",  # a field missing
    f"scrypt$16383$8$1${_SALT_HEX}${'00' * 32}",  # N not a power of two
    f"scrypt$-16384$8$1${_SALT_HEX}${'00' * 32}",
    f"scrypt$16384$0$0${_SALT_HEX}${'00' * 32}",
    f"scrypt$99999999999999999999999$8$1${_SALT_HEX}${'00' * 32}",  # N beyond any integer type
    f"scrypt$1048576$8$1${_SALT_HEX}${'00' * 32}",  # 1 GiB: beyond the memory limit
    "$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA",  # the tag cut off
    "$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$!!!",  # a tag that is not base64
    "$argon2id$v=19$m=65536,t=0,p=4$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43,  # zero passes
    "$argon2xx$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43,  # no such variant
    "$argon2id$v=19$m=999999999999,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43,
]


@pytest.mark.parametrize("damaged", _DAMAGED_HASHES)
def test_a_damaged_stored_hash_is_a_refused_sign_in_not_a_crash(
    db: Database, clerk: Operator, damaged: str
) -> None:
    _store_hash(db, "clerk1", damaged)
    with pytest.raises(InvalidCredentialsError):
        db.operators.sign_in("clerk1", "clerk-pass-123")
    assert _failed_attempts(db, "clerk1") == 1  # counted like a wrong password
    assert _stored_hash(db, "clerk1") == damaged  # an administrator sets a new password


def test_a_hash_demanding_a_gibibyte_is_refused_without_computing_it(db: Database, clerk: Operator) -> None:
    # Well-formed, but 16 times the memory the station uses: computing it would stall the counter.
    _store_hash(db, "clerk1", "$argon2id$v=19$m=1048576,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43)
    started = time.perf_counter()
    with pytest.raises(InvalidCredentialsError):
        db.operators.sign_in("clerk1", "clerk-pass-123")
    assert time.perf_counter() - started < 1.0


def test_admin_can_unlock_and_disable_accounts(db: Database, admin: Operator, clerk: Operator) -> None:
    for _ in range(5):
        with pytest.raises((InvalidCredentialsError, AccountLockedError)):
            db.operators.sign_in("clerk1", "guess")
    db.operators.unlock(admin, "clerk1")
    assert db.operators.sign_in("clerk1", "clerk-pass-123") == clerk

    db.operators.set_disabled(admin, "clerk1", True)
    with pytest.raises(AccountDisabledError):
        db.operators.sign_in("clerk1", "clerk-pass-123")
    with pytest.raises(InvalidCredentialsError):  # a wrong password does not reveal the state
        db.operators.sign_in("clerk1", "guess")


def test_roles_limit_what_a_clerk_may_do(db: Database, admin: Operator, clerk: Operator) -> None:
    with pytest.raises(PermissionDeniedError):
        db.operators.create(clerk, "clerk2", "Second Clerk", "clerk-pass-456", Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        db.settings.update(clerk, retention_days=1)
    with pytest.raises(PermissionDeniedError):
        db.trust.add(TrustKind.CSCA, b"\x30\x03\x02\x01\x01", "csca.der", clerk, {})
    # A dataclass claiming the admin role does not fool the database.
    forged = Operator(clerk.id, clerk.username, clerk.display_name, Role.ADMIN, False)
    with pytest.raises(PermissionDeniedError):
        db.operators.set_role(forged, "clerk1", Role.ADMIN)

    db.operators.set_password(clerk, "clerk1", "my-new-password")  # one's own password is allowed
    assert db.operators.sign_in("clerk1", "my-new-password") == clerk
    with pytest.raises(PermissionDeniedError):
        db.operators.set_password(clerk, "admin", "taken-over-123")

    promoted = db.operators.set_role(admin, "clerk1", Role.ADMIN)
    assert promoted.is_admin
    db.operators.set_role(promoted, "admin", Role.CLERK)
    with pytest.raises(OperatorError):  # the last admin stays an admin
        db.operators.set_role(promoted, "clerk1", Role.CLERK)
    with pytest.raises(OperatorError):
        db.operators.create(promoted, "x", "Too Short", "short", Role.CLERK)
    changes = [event.action for event in db.audit.search(kind="admin")]
    assert changes.count("operator_role") == 2 and "operator_create" in changes


# -- audit ------------------------------------------------------------------------------------------


def test_an_audit_row_holds_no_name_or_id_number_in_clear(db: Database, clerk: Operator) -> None:
    _record_read(db, clerk)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM audit_events WHERE kind = 'read'")).all()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert ID_NUMBER not in stored
    assert ID_NUMBER[-6:] not in stored
    assert "passive_auth" in stored and "PACE" in stored  # the row is really the one recorded
    with pytest.raises(ValueError):  # free text where an identifier belongs is refused
        db.audit.record_read(
            clerk,
            reader_name="r",
            access_protocol="PACE",
            verdict="genuine",
            checks=[("holder", HOLDER_NAME)],
            outcome="ok",
        )


class _Verdict(StrEnum):  # how the station's checks hand their ids and statuses over
    VERIFIED = "verified"


def test_enum_values_are_stored_as_their_text(db: Database, clerk: Operator) -> None:
    db.audit.record_read(
        clerk,
        reader_name="r",
        access_protocol="PACE",
        verdict=_Verdict.VERIFIED,
        checks=[("sod.signature", _Verdict.VERIFIED)],
        outcome="ok",
    )
    with db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT verdict, checks FROM audit_events WHERE kind = 'read'")
        ).one()
    assert stored[0] == "verified" and "verified" in str(stored[1])
    assert db.audit.search(verdict="verified")[0].checks == (("sod.signature", "verified"),)


def test_audit_search_by_id_number_date_operator_and_verdict(
    db: Database, admin: Operator, clerk: Operator, clock: FakeClock
) -> None:
    _record_read(db, clerk, "genuine", ID_NUMBER)
    clock.advance(timedelta(days=1))
    _record_read(db, clerk, "not_genuine", "079088004321")
    clock.advance(timedelta(days=1))
    _record_read(db, admin, "genuine", ID_NUMBER)
    _record_read(db, None, "error", None)

    by_number = db.audit.search(document_number="0011 9901 2345")  # as a clerk might type it
    assert [(event.operator, event.verdict) for event in by_number] == [
        ("clerk1", "genuine"),
        ("admin", "genuine"),
    ]
    assert db.audit.search(document_number="001199012346") == []

    second_day = db.audit.search(since=T0 + timedelta(days=1), until=T0 + timedelta(days=2), kind="read")
    assert [event.verdict for event in second_day] == ["not_genuine"]
    assert second_day[0].occurred_at == T0 + timedelta(days=1)
    assert {event.verdict for event in db.audit.search(operator="clerk1", kind="read")} == {
        "genuine",
        "not_genuine",
    }
    refused = db.audit.search(verdict="not_genuine")
    assert len(refused) == 1 and refused[0].checks == (("passive_auth", "passed"), ("chip_auth", "passed"))


# -- saved records ----------------------------------------------------------------------------------


def _holder_fields() -> dict[str, object]:
    return {
        "full_name": HOLDER_NAME,
        "id_number": ID_NUMBER,
        "date_of_birth": "1999-07-14",
        "address": "12 Đường Giả Định, Phường Hư Cấu, Hà Nội",
    }


def test_saved_record_is_not_in_clear_in_the_database(db: Database, clerk: Operator) -> None:
    db.records.unlock_with_key_file(create=True)
    info = db.records.save(_holder_fields(), PHOTO, clerk, document_number=ID_NUMBER)
    _record_read(db, clerk)
    needles = [HOLDER_NAME.encode(), ID_NUMBER.encode(), b"Hu C", "Hư Cấu".encode(), PHOTO[:20]]
    if db.dialect == "sqlite":
        files = sorted((db.data_dir).glob("station.sqlite3*"))
        raw = b"".join(path.read_bytes() for path in files)
        assert len(raw) > 10_000
    else:
        with db.engine.connect() as connection:
            raw = b"".join(
                str(row).encode() + b"".join(bytes(v) for v in row if isinstance(v, bytes | memoryview))
                for table in ("saved_records", "audit_events", "outbox")
                for row in connection.execute(text(f"SELECT * FROM {table}"))
            )
    for needle in needles:
        assert needle not in raw
    # ...and it is really there, readable with the key.
    assert (
        db.records.view(info.id, db.operators.sign_in("admin", "admin-pass-123")).fields["full_name"]
        == HOLDER_NAME
    )


def test_records_open_only_with_their_key(
    db: Database, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    with pytest.raises(KeyFileMissingError):
        db.records.unlock_with_key_file()
    with pytest.raises(KeyFileMissingError):  # nothing unlocked: nothing saved
        db.records.save(_holder_fields(), None, clerk)
    db.records.unlock_with_key_file(create=True)
    info = db.records.save(_holder_fields(), PHOTO, clerk)
    record = db.records.view(info.id, admin)
    assert record.fields == _holder_fields() and record.photo == PHOTO

    db.records.lock()
    with pytest.raises(KeyFileMissingError):
        db.records.view(info.id, admin)
    other_key = tmp_path / "other.key"
    db.records.unlock_with_key_file(other_key, create=True)
    with pytest.raises(RecordKeyUnavailableError):
        db.records.view(info.id, admin)

    db.records.unlock_with_key_file()
    with db.engine.begin() as connection:  # flip one bit of the stored ciphertext
        stored = connection.execute(text("SELECT fields_ciphertext FROM saved_records")).scalar_one()
        damaged = bytes([stored[0] ^ 1]) + bytes(stored[1:])
        connection.execute(text("UPDATE saved_records SET fields_ciphertext = :c"), {"c": damaged})
    with pytest.raises(RecordDecryptionError):
        db.records.view(info.id, admin)


def test_ciphertext_moved_to_another_record_does_not_open(db: Database, admin: Operator) -> None:
    db.records.unlock_with_key_file(create=True)
    first = db.records.save({"full_name": "A"}, None, admin)
    second = db.records.save({"full_name": "B"}, None, admin)
    rows = cast(Table, SavedRecordRow.__table__)
    with db.engine.begin() as connection:
        nonce, ciphertext = connection.execute(
            select(rows.c.fields_nonce, rows.c.fields_ciphertext).where(rows.c.id == first.id)
        ).one()
        connection.execute(
            update(rows)
            .where(rows.c.id == second.id)
            .values(fields_nonce=nonce, fields_ciphertext=ciphertext)
        )
    assert db.records.view(first.id, admin).fields == {"full_name": "A"}
    with pytest.raises(RecordDecryptionError):
        db.records.view(second.id, admin)


def test_group_readable_key_file_is_refused(db: Database) -> None:
    db.records.unlock_with_key_file(create=True)
    key_file = db.records.key_file_path
    assert key_file.stat().st_mode & 0o777 == 0o600
    os.chmod(key_file, 0o640)
    db.records.lock()
    with pytest.raises(InsecureKeyFileError):
        db.records.unlock_with_key_file()
    os.chmod(key_file, 0o604)
    with pytest.raises(InsecureKeyFileError):
        db.records.unlock_with_key_file()


def test_key_rotation_keeps_old_records_readable(db: Database, admin: Operator) -> None:
    first_key = db.records.unlock_with_key_file(create=True)
    old = db.records.save({"n": 1}, None, admin)
    new_key = rotate_key_file(db.records.key_file_path)
    assert db.records.unlock_with_key_file() == new_key != first_key
    new = db.records.save({"n": 2}, None, admin)
    assert (old.key_id, new.key_id) == (first_key.key_id, new_key.key_id)
    assert db.records.view(old.id, admin).fields == {"n": 1}
    assert db.records.view(new.id, admin).fields == {"n": 2}


def test_passphrase_key_opens_only_with_the_same_passphrase(db: Database, admin: Operator) -> None:
    db.records.unlock_with_passphrase("a long admin passphrase")
    info = db.records.save(_holder_fields(), PHOTO, admin)
    db.records.unlock_with_passphrase("a wrong admin passphrase")
    with pytest.raises(RecordKeyUnavailableError):
        db.records.view(info.id, admin)
    db.records.unlock_with_passphrase("a long admin passphrase")
    assert db.records.view(info.id, admin).photo == PHOTO


def test_records_are_purged_after_the_retention_period(
    db: Database, admin: Operator, clerk: Operator, clock: FakeClock
) -> None:
    db.settings.update(admin, retention_days=10)
    db.records.unlock_with_key_file(create=True)
    old = db.records.save({"n": 1}, None, clerk)
    clock.advance(timedelta(days=5))
    recent = db.records.save({"n": 2}, None, clerk)

    assert db.records.purge_expired(T0 + timedelta(days=10) - timedelta(seconds=1)) == 0
    assert db.records.purge_expired(T0 + timedelta(days=10, seconds=1)) == 1
    with pytest.raises(RecordNotFoundError):
        db.records.view(old.id, admin)
    assert [info.id for info in db.records.list()] == [recent.id]
    assert db.audit.search(action="records_purge")[0].detail["count"] == 1


def test_export_is_admin_only_and_audited(db: Database, admin: Operator, clerk: Operator) -> None:
    db.records.unlock_with_key_file(create=True)
    first = db.records.save(_holder_fields(), PHOTO, clerk)
    second = db.records.save({"full_name": '=HYPERLINK("x")', "id_number": "079088004321"}, None, clerk)
    with pytest.raises(PermissionDeniedError):
        db.records.export([first.id], clerk, "csv")
    with pytest.raises(PermissionDeniedError):
        db.records.view(first.id, clerk)
    assert db.audit.search(action="export") == []

    csv_text = db.records.export([first.id, second.id], admin, "csv").decode("utf-8-sig")
    assert HOLDER_NAME in csv_text and ID_NUMBER in csv_text
    assert "'=HYPERLINK" in csv_text  # a formula is defused for spreadsheets
    exported = json.loads(db.records.export([first.id], admin, "json", include_photos=True))
    assert exported["records"][0]["fields"] == _holder_fields()
    assert exported["records"][0]["photo_base64"]

    events = db.audit.search(action="export")
    assert [(event.operator, event.detail["format"], event.detail["count"]) for event in events] == [
        ("admin", "csv", 2),
        ("admin", "json", 1),
    ]
    assert str(first.id) in events[0].detail["record_ids"]
    assert HOLDER_NAME not in json.dumps(events[0].detail, ensure_ascii=False)


# -- settings and trust entries ---------------------------------------------------------------------


def test_settings_have_defaults_and_admin_changes_are_audited(db: Database, admin: Operator) -> None:
    settings = db.settings.load()
    assert (settings.retention_days, settings.auto_clear_seconds, settings.central_url) == (30, 60, None)
    changed = db.settings.update(
        admin,
        station_id="hanoi-counter-3",
        retention_days=7,
        auto_clear_seconds=30,
        central_url="postgresql+psycopg://u:secret@central/site",
    )
    assert changed.station_id == db.station_id == "hanoi-counter-3"
    assert (changed.retention_days, changed.auto_clear_seconds) == (7, 30)
    assert db.settings.update(admin, central_url="").central_url is None
    with pytest.raises(ValueError):
        db.settings.update(admin, retention_days=0)
    events = db.audit.search(action="settings_change")
    assert "secret" not in json.dumps([event.detail for event in events])


def test_trust_entries_are_stored_once_by_fingerprint(db: Database, admin: Operator) -> None:
    der = b"\x30\x82\x00\x04fictitious CSCA"
    entry = db.trust.add(TrustKind.CSCA, der, "csca-vn.der", admin, {})
    again = db.trust.add(TrustKind.CSCA, der, "csca-vn-copy.der", admin, {})
    assert again.id == entry.id and len(entry.fingerprint) == 64
    db.trust.add(TrustKind.CRL, b"\x30\x01\x00", "vn.crl", "console:root", {"subject": "CSCA VN"})
    assert [item.kind for item in db.trust.list()] == [TrustKind.CSCA, TrustKind.CRL]
    audit = db.audit.search(action="trust_import")
    assert [event.operator for event in audit] == ["admin", "admin", "console:root"]
    assert audit[2].detail["subject"] == "CSCA VN"
    removed = db.trust.remove(entry.fingerprint, admin, {})
    assert removed is not None and removed.removed_at is not None
    assert db.trust.remove(entry.fingerprint, admin, {}) is None
    assert [item.kind for item in db.trust.list()] == [TrustKind.CRL]
    assert len(db.trust.list(include_removed=True)) == 2


# -- local storage failures (SQLite) ----------------------------------------------------------------


def test_full_database_raises_storage_error_and_keeps_what_was_committed(tmp_path: Path) -> None:
    db = Database.open(None, tmp_path / "data")
    admin = db.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
    committed = 0
    # Cap the file near its current size: the next pages needed are "disk full".
    with db.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages or 0) + 4}")  # type: ignore[attr-defined]

    db.engine.dispose()
    with pytest.raises(StorageFullError) as full:
        for _ in range(10_000):
            _record_read(db, admin, number=None)
            committed += 1
    assert full.value.kind == "storage_full" and "full (no disk space left)" in str(full.value)
    assert committed > 0
    db.close()

    reopened = Database.open(None, tmp_path / "data")
    assert len(reopened.audit.search(kind="read")) == committed
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    reopened.close()


def test_database_that_is_gone_raises_storage_error(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "station.sqlite3").mkdir()  # a directory where the file should be
    with pytest.raises(StorageUnavailableError) as gone:
        Database.open(None, tmp_path / "data")
    assert gone.value.kind == "storage_unavailable" and "cannot be opened" in str(gone.value)


def test_concurrent_writers_get_gapless_unique_sequence_numbers(db: Database, clerk: Operator) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(15):
                _record_read(db, clerk)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(event.seq for event in db.audit.search())
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 60 + 2  # + admin and clerk creation


def test_station_files_are_owner_only(tmp_path: Path) -> None:
    with Database.open(None, tmp_path / "data") as db:
        db.records.unlock_with_key_file(create=True)
        _record_read(db, None)
        files = sorted((tmp_path / "data").iterdir())
        assert {path.name for path in files} >= {
            "station.sqlite3",
            "station.sqlite3-wal",
            "site.key",
            "site-hash.key",
        }
        for path in files:
            assert path.stat().st_mode & 0o077 == 0, path.name
