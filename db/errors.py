"""Errors raised by the storage layer.

Like the card errors in :mod:`reader.errors`, each one the clerk may see carries a plain sentence:
:class:`StorageError` (the station's own database failed), :class:`CentralUnavailableError` (the
site's central database cannot be reached; the station keeps working offline), the sign-in errors,
and the key errors of saved records. Anything else escaping this package is a bug.

Every class names its ``kind``: a short token that never changes, for screens that say the
problem in the operator's language and for logs. The English message is for logs and the CLI.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

_CANNOT_OPEN_OR_WRITE = (
    "The station's database cannot be opened or written (file missing, moved or read-only). "
    "This action was not recorded; call the administrator."
)


class DbError(Exception):
    """Base of every error this package raises on purpose."""

    kind: ClassVar[str] = "db_error"


class StorageError(DbError):
    """The station's own database failed; the subclasses say how, this class is for anything else.

    Whatever was committed before stays committed; only the operation that raised is lost.
    """

    kind: ClassVar[str] = "storage_failed"
    sentence: ClassVar[str] = (
        "The station's database failed. This action was not recorded; call the administrator."
    )

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.sentence)


class StorageFullError(StorageError):
    """No disk space left (or the database reached its size limit)."""

    kind: ClassVar[str] = "storage_full"
    sentence: ClassVar[str] = (
        "The station's database is full (no disk space left). Saved data is safe, but this "
        "action was not recorded; free disk space or call the administrator."
    )


class StorageUnavailableError(StorageError):
    """The database file cannot be opened or written: missing, moved, no permission, I/O error."""

    kind: ClassVar[str] = "storage_unavailable"
    sentence: ClassVar[str] = _CANNOT_OPEN_OR_WRITE


class StorageUnreachableError(StorageUnavailableError):
    """The station's database server does not answer (down, restarting, or the connection broke)."""

    kind: ClassVar[str] = "storage_unreachable"
    sentence: ClassVar[str] = (
        "The station's database server does not answer. This action was not recorded; try again."
    )


class StorageBusyError(StorageError):
    """Another program holds the lock too long (or two transactions deadlocked); worth a retry."""

    kind: ClassVar[str] = "storage_busy"
    sentence: ClassVar[str] = (
        "The station's database is busy (another program keeps it locked). This action was not "
        "recorded; try again, and call the administrator if it persists."
    )


class StorageReadOnlyError(StorageError):
    """The database, or the file system under it, only allows reading."""

    kind: ClassVar[str] = "storage_read_only"
    sentence: ClassVar[str] = _CANNOT_OPEN_OR_WRITE


class CentralUnavailableError(DbError):
    """The site's central database cannot be reached; records wait in the outbox."""

    kind: ClassVar[str] = "central_unavailable"


class CentralRefusedError(CentralUnavailableError):
    """The central database answered but refused this station's data (no permission, read-only,
    disk full, a newer schema...). Records wait in the outbox; an administrator has to act.

    A subclass, so code that treats every central failure alike keeps catching it.
    """

    kind: ClassVar[str] = "central_refused"


class SyncConflictError(DbError):
    """The central database already holds different data under this station's id and sequence.

    Happens when two counters share one station id, or a station's database was replaced
    without choosing a new station id. Needs an administrator; nothing is overwritten.
    """

    kind: ClassVar[str] = "sync_conflict"


class SignInError(DbError):
    """A sign-in was refused."""

    kind: ClassVar[str] = "sign_in_refused"


class InvalidCredentialsError(SignInError):
    """Unknown user or wrong password (deliberately one message for both)."""

    kind: ClassVar[str] = "wrong_credentials"

    def __init__(self) -> None:
        super().__init__("Wrong user name or password.")


class AccountLockedError(SignInError):
    """Too many wrong passwords in a row; the account is locked for a while."""

    kind: ClassVar[str] = "account_locked"

    def __init__(self, time_left: timedelta) -> None:
        self.time_left = time_left
        # Whole minutes, rounded up: a lock with 10 s left still reads "1 min".
        self.minutes_left = max(1, -(-int(time_left.total_seconds()) // 60))
        super().__init__(
            f"This account is locked after too many wrong passwords; try again in {self.minutes_left} min."
        )


class AccountDisabledError(SignInError):
    """The account exists but an administrator disabled it."""

    kind: ClassVar[str] = "account_disabled"

    def __init__(self) -> None:
        super().__init__("This account is disabled; ask an administrator.")


class PermissionDeniedError(DbError):
    """The operator's role does not allow this action (for example a clerk exporting records)."""

    kind: ClassVar[str] = "permission_denied"


class OperatorError(DbError):
    """An operator change was refused (duplicate user name, weak password, last admin...).

    ``rule`` names which one, and ``username`` the account concerned, so screens can say it in
    the operator's language; the message is the English sentence for logs and the CLI.
    """

    kind: ClassVar[str] = "operator_rule"

    def __init__(self, message: str, rule: str, username: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.username = username


class SiteKeyError(DbError):
    """Base of the site-key problems of saved records."""

    kind: ClassVar[str] = "site_key_error"


class KeyFileMissingError(SiteKeyError):
    """No key file at the expected place, so saved records cannot be opened or written."""

    kind: ClassVar[str] = "site_key_missing"


class InsecureKeyFileError(SiteKeyError):
    """The key file can be read by other users of the computer; it is refused, not used."""

    kind: ClassVar[str] = "site_key_insecure"


class KeyFileInvalidError(SiteKeyError):
    """The key file exists but does not hold keys in the expected format."""

    kind: ClassVar[str] = "site_key_invalid"


class RecordKeyUnavailableError(SiteKeyError):
    """The record was saved under a key that is not loaded (wrong key file or passphrase)."""

    kind: ClassVar[str] = "record_key_unavailable"


class RecordDecryptionError(SiteKeyError):
    """The record's ciphertext fails its integrity check: it was altered or damaged."""

    kind: ClassVar[str] = "record_damaged"


class RecordNotFoundError(DbError):
    """No saved record with this id (it may have been purged after the retention period)."""

    kind: ClassVar[str] = "record_not_found"
