"""Operator accounts: Argon2id password hashes, roles, sign-in with lockout, first admin."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from argon2 import PasswordHasher, Type, extract_parameters, profiles
from argon2.exceptions import VerificationError
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
# Argon2id with RFC 9106's second recommended option (section 4): 3 passes over 64 MiB in
# 4 lanes, 16-byte salt, 32-byte tag. About 0.13 s per sign-in on a 2-core PC.
PASSWORD_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_HASHER = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)
# A stored hash demanding far more than we ever write is damaged: refused, not computed.
_MAX_MEMORY_KIB = 4 * PASSWORD_PARAMETERS.memory_cost
_MAX_TIME_COST = 4 * PASSWORD_PARAMETERS.time_cost
_MAX_PARALLELISM = 16
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


def hash_password(password: str) -> str:
    """An Argon2id hash in the PHC string format (``$argon2id$v=19$m=65536,t=3,p=4$salt$tag``),
    with a fresh salt; the parameters travel with the hash."""
    return _HASHER.hash(password)


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded``: an Argon2 hash, or the ``scrypt$...`` hash of
    earlier versions. A damaged hash matches nothing."""
    if encoded.startswith("scrypt$"):
        return _verify_scrypt(password, encoded)
    try:
        parameters = extract_parameters(encoded)
        if (
            parameters.memory_cost > _MAX_MEMORY_KIB
            or parameters.time_cost > _MAX_TIME_COST
            or parameters.parallelism > _MAX_PARALLELISM
        ):
            return False
        return _HASHER.verify(encoded, password)  # Argon2i/d/id alike: the hash names its type
    except (VerificationError, ValueError):  # a mismatch, a damaged hash, a password that is not text
        return False


def needs_rehash(encoded: str) -> bool:
    """True for a hash weaker than :data:`PASSWORD_PARAMETERS`: scrypt, Argon2i/d, or Argon2id
    with less memory, fewer passes, or a shorter salt or tag."""
    try:
        parameters = extract_parameters(encoded)
    except ValueError:  # scrypt, or damaged
        return True
    current = PASSWORD_PARAMETERS
    return (
        parameters.type is not Type.ID
        or parameters.version < current.version
        or parameters.memory_cost < current.memory_cost
        or parameters.time_cost < current.time_cost
        or parameters.salt_len < current.salt_len
        or parameters.hash_len < current.hash_len
    )


def _verify_scrypt(password: str, encoded: str) -> bool:
    """The ``scrypt$n$r$p$salt$hash`` hashes (RFC 7914, hex salt and hash) of earlier versions."""
    try:
        _scheme, n, r, p, salt, digest = encoded.split("$")
        expected = bytes.fromhex(digest)
        computed = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=32,
        )
    except (ValueError, TypeError, OverflowError):  # damaged: bad hex or numbers, parameters over the limit
        return False
    return hmac.compare_digest(computed, expected)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against, so they take as long as wrong passwords (made on first
    use: an Argon2 hash costs a tenth of a second, which start-up need not pay)."""
    return hash_password(secrets.token_hex(16))


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
                verify_password(password, _dummy_hash())
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
                    if needs_rehash(row.password_hash):  # the password is at hand: upgrade the hash now
                        row.password_hash = hash_password(password)
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

    def administrator_name(self, session: Session, actor: Operator | str) -> str:
        """Who makes an administrator's change: an administrator's user name (checked as above), or the
        label of the command line ("console:root"), whose user owns the data directory already."""
        if isinstance(actor, str):
            return actor
        return self.require_admin(session, actor).username

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
