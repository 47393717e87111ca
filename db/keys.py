"""Site keys kept outside the database: the record key file and the audit hash secret.

Saved records are encrypted with AES-256-GCM under a *site key*. It comes either from a key file
in the station's data directory (owner-only, 0600; a file other users can read is refused) or
from an administrator's passphrase through scrypt (the salt lives in the database, the
passphrase does not). Each key has a ``key_id`` derived from the key itself, stored with every
record, so keys can rotate: the key file lists the current key first and older keys after it.

The audit trail stores document numbers only as HMAC-SHA256 under a per-site secret, kept in
its own owner-only file; counters of one site share both files (an administrator copies them).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cccd_station.db.errors import InsecureKeyFileError, KeyFileInvalidError, KeyFileMissingError

KEY_FILE_NAME = "site.key"
HASH_SECRET_FILE_NAME = "site-hash.key"  # noqa: S105 - a file name, not a secret
KEY_BYTES = 32
_KEY_ID_LABEL = b"cccd-station site key id\x00"
# scrypt cost for passphrase keys: about 0.1 s once per unlock, 32 MiB memory.
PASSPHRASE_SCRYPT_N = 2**15
PASSPHRASE_SCRYPT_R = 8
PASSPHRASE_SCRYPT_P = 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class SiteKey:
    """An AES-256-GCM key for saved records and its public identifier."""

    key_id: str
    secret: bytes = field(repr=False)

    @classmethod
    def from_secret(cls, secret: bytes) -> SiteKey:
        if len(secret) != KEY_BYTES:
            raise KeyFileInvalidError(f"a site key has {KEY_BYTES} bytes, not {len(secret)}")
        # A hash of the key itself: a wrong key file or passphrase shows up as an unknown key id.
        return cls(hashlib.sha256(_KEY_ID_LABEL + secret).hexdigest()[:16], secret)

    @classmethod
    def generate(cls) -> SiteKey:
        return cls.from_secret(secrets.token_bytes(KEY_BYTES))


def check_owner_only(path: Path) -> None:
    """Refuse a key file that other users could read or change (POSIX permissions)."""
    if os.name != "posix":
        return  # Windows ACLs are the installer's job; there is no mode to check here
    info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureKeyFileError(
            f"The key file {path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o}); "
            "set it to 0600 (chmod 600) before the station uses it."
        )
    if info.st_uid != os.geteuid():
        raise InsecureKeyFileError(f"The key file {path} belongs to another user; it is not used.")


def _write_owner_only(path: Path, text: str, *, replace: bool) -> bool:
    """Write ``text`` to ``path`` atomically, created 0600 (never readable by others, not even
    briefly). Without ``replace`` an existing file wins (two stations starting at once agree on
    one secret) and False is returned."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
            return True
        try:
            os.link(temporary, path)  # fails if the file exists, unlike a rename
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _render_key_file(keys: tuple[SiteKey, ...]) -> str:
    lines = ["# CCCD Station site key file: keep it secret, mode 0600. First key is current."]
    lines += [key.secret.hex() for key in keys]
    return "\n".join(lines) + "\n"


def read_key_file(path: Path) -> tuple[SiteKey, ...]:
    """Keys of a key file, current key first. Raises a specific :class:`SiteKeyError` otherwise."""
    if not path.is_file():
        raise KeyFileMissingError(f"No key file at {path}: saved records cannot be opened or written.")
    check_owner_only(path)
    if path.stat().st_size > 64 * 1024:
        raise KeyFileInvalidError(f"{path} is far too large to be a key file.")
    keys: list[SiteKey] = []
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            secret = bytes.fromhex(line)
        except ValueError:
            raise KeyFileInvalidError(f"{path} holds a line that is not a hexadecimal key.") from None
        keys.append(SiteKey.from_secret(secret))
    if not keys:
        raise KeyFileInvalidError(f"{path} holds no key.")
    return tuple(keys)


def create_key_file(path: Path) -> SiteKey:
    """Create a new key file with one fresh key; never overwrites an existing file."""
    key = SiteKey.generate()
    if not _write_owner_only(path, _render_key_file((key,)), replace=False):
        raise FileExistsError(f"{path} already exists; use rotate_key_file to add a key")
    return key


def rotate_key_file(path: Path) -> SiteKey:
    """Put a fresh current key first; older keys stay so older records still open."""
    keys = read_key_file(path)
    key = SiteKey.generate()
    _write_owner_only(path, _render_key_file((key, *keys)), replace=True)
    return key


def derive_passphrase_key(passphrase: str, salt: bytes) -> SiteKey:
    """The site key from an administrator's passphrase: scrypt (RFC 7914) with the stored salt."""
    if not passphrase:
        raise ValueError("empty passphrase")
    secret = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=PASSPHRASE_SCRYPT_N,
        r=PASSPHRASE_SCRYPT_R,
        p=PASSPHRASE_SCRYPT_P,
        maxmem=_SCRYPT_MAXMEM,
        dklen=KEY_BYTES,
    )
    return SiteKey.from_secret(secret)


def load_or_create_hash_secret(path: Path) -> bytes:
    """The per-site HMAC secret for document numbers; created (0600) on a station's first run."""
    if not path.exists():
        _write_owner_only(path, secrets.token_hex(KEY_BYTES) + "\n", replace=False)
    check_owner_only(path)
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError):
        raise KeyFileInvalidError(f"{path} does not hold a hexadecimal secret.") from None
    if len(secret) < 16:
        raise KeyFileInvalidError(f"{path} holds a secret that is too short.")
    return secret
