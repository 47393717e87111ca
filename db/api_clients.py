"""Clients of the station's local API: who may ask for reads or subscribe to them, and what they receive.

A client is a name, a set of scopes (what part of a holder's data it may receive), the web origins a
browser page of it may call from, and a bearer token. The token is 32 random bytes shown once when the
client is added; only its SHA-256 is stored, and a presented token is compared against every client's
hash in constant time. Adding and removing a client is an administrator's act and audited.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from sqlalchemy import select

from cccd_station.db.errors import DbError
from cccd_station.db.models import ApiClientRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

#: What a client may receive; ``station/api/scopes.py`` says which fields each one releases.
API_SCOPES = ("identity", "address", "family", "details", "photo", "checks", "face")
DEFAULT_SCOPES = ("identity", "checks")
TOKEN_PREFIX = "cccd_"  # noqa: S105 - not a secret: lets scanners and people recognise a station token
TOKEN_BYTES = 32
MAX_ORIGINS = 16
MAX_TOKEN_LENGTH = 128
_NAME = re.compile(r"[a-z0-9_.-]{2,64}")


class ApiClientError(DbError):
    """A client change was refused; ``rule`` names why ("bad_name", "name_taken", "bad_scope",
    "bad_origin", "no_such_client") for screens that say it in their language."""

    kind: ClassVar[str] = "api_client_rule"

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class ApiClient:
    id: uuid.UUID
    name: str
    scopes: tuple[str, ...]
    origins: tuple[str, ...]
    created_at: datetime
    created_by: str

    @classmethod
    def from_row(cls, row: ApiClientRow) -> ApiClient:
        return cls(
            row.id,
            row.name,
            tuple(str(scope) for scope in row.scopes),
            tuple(str(origin) for origin in row.origins),
            row.created_at,
            row.created_by,
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_scopes(scopes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The scopes in their canonical order; an unknown or missing one raises :class:`ApiClientError`."""
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown:
        raise ApiClientError(
            f"Unknown scope {unknown[0]!r}: scopes are {', '.join(API_SCOPES)}.", "bad_scope"
        )
    if not scopes:
        raise ApiClientError("A client needs at least one scope.", "bad_scope")
    return tuple(scope for scope in API_SCOPES if scope in scopes)


def normalise_origin(origin: str) -> str:
    """A web origin as browsers send it: ``scheme://host[:port]``, lower case, no path or default port."""
    text = origin.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise ApiClientError(f"{origin!r} is not a web origin.", "bad_origin") from error
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ApiClientError(
            f"{origin!r} is not a web origin (scheme://host[:port], such as https://his.example.vn).",
            "bad_origin",
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default_port) else "")


class ApiClients:
    """``db.api_clients``: :meth:`add`, :meth:`remove` (an administrator, audited), :meth:`list`,
    :meth:`authenticate`, :meth:`all_origins`, :meth:`record_release`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        actor: Operator | str,
        name: str,
        scopes: tuple[str, ...] | list[str] = DEFAULT_SCOPES,
        origins: tuple[str, ...] | list[str] = (),
    ) -> tuple[ApiClient, str]:
        """A new client and its bearer token (shown once: only its hash is kept)."""
        if not _NAME.fullmatch(name):
            raise ApiClientError(
                "A client name has 2-64 lower-case letters, digits, '.', '_' or '-'.", "bad_name"
            )
        canonical = check_scopes(scopes)
        web_origins = tuple(dict.fromkeys(normalise_origin(origin) for origin in origins))
        if len(web_origins) > MAX_ORIGINS:
            raise ApiClientError(f"A client has at most {MAX_ORIGINS} origins.", "bad_origin")
        token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        with self._db.session() as session:
            actor_name = self._db.operators.administrator_name(session, actor)
            if session.scalar(select(ApiClientRow.id).where(ApiClientRow.name == name)) is not None:
                raise ApiClientError(f"There is already a client named {name!r}.", "name_taken")
            row = ApiClientRow(
                id=uuid.uuid4(),
                name=name,
                token_hash=token_hash(token),
                scopes=list(canonical),
                origins=list(web_origins),
                created_at=self._db.clock(),
                created_by=actor_name,
            )
            session.add(row)
            self._db.audit.append(
                session,
                "admin",
                "api_client_add",
                actor_name,
                detail={"client": name, "scopes": list(canonical), "origins": list(web_origins)},
            )
            return ApiClient.from_row(row), token

    def remove(self, actor: Operator | str, name: str) -> ApiClient:
        """Remove a client: its token stops working at once (audited)."""
        with self._db.session() as session:
            actor_name = self._db.operators.administrator_name(session, actor)
            row = session.scalar(select(ApiClientRow).where(ApiClientRow.name == name))
            if row is None:
                raise ApiClientError(f"There is no client named {name!r}.", "no_such_client")
            client = ApiClient.from_row(row)
            session.delete(row)
            self._db.audit.append(session, "admin", "api_client_remove", actor_name, detail={"client": name})
            return client

    def list(self) -> list[ApiClient]:
        with self._db.session() as session:
            rows = session.scalars(select(ApiClientRow).order_by(ApiClientRow.name))
            return [ApiClient.from_row(row) for row in rows]

    def authenticate(self, token: str) -> ApiClient | None:
        """The client holding ``token``, or None. Every stored hash is compared, each in constant time,
        so the time taken says nothing about which client or how much of a hash matched."""
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        presented = token_hash(token).encode("ascii")
        found: ApiClient | None = None
        for client, stored in self._hashes():
            if hmac.compare_digest(presented, stored.encode("ascii")):
                found = client
        return found

    def _hashes(self) -> builtins.list[tuple[ApiClient, str]]:
        with self._db.session() as session:
            rows = session.scalars(select(ApiClientRow))
            return [(ApiClient.from_row(row), row.token_hash) for row in rows]

    def record_release(
        self,
        recipients: Sequence[tuple[ApiClient, Sequence[str]]],
        *,
        verdict: str,
        document_number: str | None,
    ) -> builtins.list[ApiClient]:
        """Audit that a read's holder data goes to each of ``recipients`` (a client and the scopes it
        receives): one event per client with its name, scopes, the verdict and the document number as
        its keyed hash, nothing else; all in one transaction. A client removed meanwhile is left out,
        and the clients recorded are returned: only they may receive the read."""
        recorded = []
        with self._db.session() as session:
            document_hash = self._db.document_hash(document_number) if document_number else None
            for client, scopes in recipients:
                if session.get(ApiClientRow, client.id) is None:
                    continue
                self._db.audit.append(
                    session,
                    "read",
                    "api_release",
                    None,
                    detail={
                        "client": client.name,
                        "scopes": [scope for scope in API_SCOPES if scope in scopes],
                    },
                    verdict=verdict,
                    document_hash=document_hash,
                )
                recorded.append(client)
        return recorded

    def all_origins(self) -> frozenset[str]:
        """Every origin some client registered (what a browser's preflight, which carries no token, may
        be answered for)."""
        return frozenset(origin for client in self.list() for origin in client.origins)
