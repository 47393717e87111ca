"""Operator accounts: scrypt password hashes, roles, sign-in with lockout, first admin."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cccd_station.db.errors import (
    AccountDisabledError,
    AccountLockedError,
    InvalidCredentialsError,
    OperatorError,
    PermissionDeniedError,
    SignInError,
)
from cccd_station.db.models import OperatorRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_PERIOD = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
# scrypt (RFC 7914) cost: about 50 ms per sign-in on a counter PC, 16 MiB of memory.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_USERNAME = re.compile(r"[a-z0-9_.-]{2,64}")


class Role(StrEnum):
    CLERK = "clerk"
    ADMIN = "admin"


@dataclass(frozen=True)
class Operator:
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    disabled: bool
    locked_until: datetime | None = None  # sign-in refused until then (too many wrong passwords)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @classmethod
    def from_row(cls, row: OperatorRow) -> Operator:
        return cls(row.id, row.username, row.display_name, Role(row.role), row.disabled, row.locked_until)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh 16-byte salt; parameters travel with the hash."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


# Compared against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OperatorError(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", "password_too_short"
        )


def _check_username(username: str) -> str:
    if not _USERNAME.fullmatch(username):
        raise OperatorError(
            "A user name has 2-64 lower-case letters, digits, '.', '_' or '-'.", "bad_username"
        )
    return username


class Operators:
    """``db.operators``: first admin, sign-in/out, and account changes by an admin (audited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def needs_first_admin(self) -> bool:
        """True until an administrator account exists (the first run must create one)."""
        with self._db.session() as session:
            return not self._admin_count(session, include_disabled=True)

    def create_first_admin(self, username: str, display_name: str, password: str) -> Operator:
        with self._db.session() as session:
            if self._admin_count(session, include_disabled=True):
                raise PermissionDeniedError(
                    "An administrator already exists; sign in as one to add accounts."
                )
            row = self._new_row(session, username, display_name, password, Role.ADMIN)
            self._db.audit.append(
                session, "admin", "operator_create", None, detail={"username": row.username, "role": row.role}
            )
            return Operator.from_row(row)

    def sign_in(self, username: str, password: str) -> Operator:
        """The operator, or :class:`InvalidCredentialsError` (unknown user and wrong password alike),
        :class:`AccountLockedError` (with the time left) or :class:`AccountDisabledError`."""
        failure: SignInError | None = None
        with self._db.session() as session:
            now = self._db.clock()
            row = session.scalar(select(OperatorRow).where(OperatorRow.username == username))
            if row is None:
                verify_password(password, _DUMMY_HASH)
                failure = InvalidCredentialsError()
                self._db.audit.append(session, "session", "sign_in_failed", None)
            elif row.locked_until is not None and now < row.locked_until:
                failure = AccountLockedError(row.locked_until - now)
                self._db.audit.append(session, "session", "sign_in_locked", row.username)
            else:
                if row.locked_until is not None:  # the lock period is over: a fresh start
                    row.locked_until = None
                    row.failed_attempts = 0
                if not verify_password(password, row.password_hash):
                    row.failed_attempts += 1
                    if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
                        row.locked_until = now + LOCKOUT_PERIOD
                        failure = AccountLockedError(LOCKOUT_PERIOD)
                    else:
                        failure = InvalidCredentialsError()
                    self._db.audit.append(session, "session", "sign_in_failed", row.username)
                elif row.disabled:
                    failure = AccountDisabledError()
                    self._db.audit.append(session, "session", "sign_in_disabled", row.username)
                else:
                    row.failed_attempts = 0
                    self._db.audit.append(session, "session", "sign_in", row.username)
                    return Operator.from_row(row)
        # Raised after the commit, so the failure count and its audit event are kept.
        assert failure is not None
        raise failure

    def sign_out(self, operator: Operator) -> None:
        with self._db.session() as session:
            self._db.audit.append(session, "session", "sign_out", operator.username)

    def list(self) -> list[Operator]:
        with self._db.session() as session:
            rows = session.scalars(select(OperatorRow).order_by(OperatorRow.username))
            return [Operator.from_row(row) for row in rows]

    def create(
        self, actor: Operator, username: str, display_name: str, password: str, role: Role
    ) -> Operator:
        with self._db.session() as session:
            admin = self.require_admin(session, actor)
            row = self._new_row(session, username, display_name, password, role)
            self._db.audit.append(
                session,
                "admin",
                "operator_create",
                admin.username,
                detail={"username": row.username, "role": row.role},
            )
            return Operator.from_row(row)

    def set_password(self, actor: Operator, username: str, new_password: str) -> None:
        """An admin sets anyone's password; an operator may set their own."""
        _check_new_password(new_password)
        with self._db.session() as session:
            if actor.username == username:
                actor_row = self._enabled_row(session, actor)
            else:
                actor_row = self.require_admin(session, actor)
            row = self._row(session, username)
            row.password_hash = hash_password(new_password)
            row.failed_attempts = 0
            row.locked_until = None
            self._db.audit.append(
                session, "admin", "operator_password", actor_row.username, detail={"username": username}
            )

    def set_role(self, actor: Operator, username: str, role: Role) -> Operator:
        with self._db.session() as session:
            admin = self.require_admin(session, actor)
            row = self._row(session, username)
            if row.role == Role.ADMIN and role != Role.ADMIN:
                self._keep_an_admin(session, row)
            row.role = Role(role).value
            self._db.audit.append(
                session,
                "admin",
                "operator_role",
                admin.username,
                detail={"username": username, "role": row.role},
            )
            return Operator.from_row(row)

    def set_disabled(self, actor: Operator, username: str, disabled: bool) -> Operator:
        with self._db.session() as session:
            admin = self.require_admin(session, actor)
            row = self._row(session, username)
            if disabled and row.role == Role.ADMIN:
                self._keep_an_admin(session, row)
            row.disabled = disabled
            self._db.audit.append(
                session,
                "admin",
                "operator_disable" if disabled else "operator_enable",
                admin.username,
                detail={"username": username},
            )
            return Operator.from_row(row)

    def unlock(self, actor: Operator, username: str) -> None:
        with self._db.session() as session:
            admin = self.require_admin(session, actor)
            row = self._row(session, username)
            row.failed_attempts = 0
            row.locked_until = None
            self._db.audit.append(
                session, "admin", "operator_unlock", admin.username, detail={"username": username}
            )

    def require_admin(self, session: Session, actor: Operator) -> OperatorRow:
        """The actor's current row if it is an enabled admin (checked in the database, not trusted
        from the dataclass); otherwise :class:`PermissionDeniedError`."""
        row = self._enabled_row(session, actor)
        if row.role != Role.ADMIN:
            raise PermissionDeniedError("Only an administrator may do this.")
        return row

    def require_signed_in(self, session: Session, actor: Operator) -> OperatorRow:
        return self._enabled_row(session, actor)

    def _enabled_row(self, session: Session, actor: Operator) -> OperatorRow:
        row = session.get(OperatorRow, actor.id)
        if row is None or row.disabled or row.username != actor.username:
            raise PermissionDeniedError("This operator account is no longer active.")
        return row

    def _row(self, session: Session, username: str) -> OperatorRow:
        row = session.scalar(select(OperatorRow).where(OperatorRow.username == username))
        if row is None:
            raise OperatorError(f"No operator named {username!r}.", "no_such_operator", username)
        return row

    def _new_row(
        self, session: Session, username: str, display_name: str, password: str, role: Role
    ) -> OperatorRow:
        _check_username(username)
        _check_new_password(password)
        if not display_name.strip() or len(display_name) > 128:
            raise OperatorError("A display name has 1-128 characters.", "bad_display_name")
        if session.scalar(select(OperatorRow.id).where(OperatorRow.username == username)) is not None:
            raise OperatorError(f"The user name {username!r} is taken.", "username_taken", username)
        row = OperatorRow(
            id=uuid.uuid4(),
            username=username,
            display_name=display_name.strip(),
            role=Role(role).value,
            password_hash=hash_password(password),
            failed_attempts=0,
            locked_until=None,
            disabled=False,
            created_at=self._db.clock(),
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def _admin_count(session: Session, *, include_disabled: bool) -> int:
        query = select(func.count()).select_from(OperatorRow).where(OperatorRow.role == Role.ADMIN.value)
        if not include_disabled:
            query = query.where(OperatorRow.disabled.is_(False))
        return session.scalar(query) or 0

    def _keep_an_admin(self, session: Session, leaving: OperatorRow) -> None:
        if not leaving.disabled and self._admin_count(session, include_disabled=False) <= 1:
            raise OperatorError("The last active administrator cannot be demoted or disabled.", "last_admin")
