"""Station settings kept in the database (key/value), read and changed as one typed snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from cccd_station.db.database import STATION_ID_KEY
from cccd_station.db.models import SettingRow

if TYPE_CHECKING:
    from cccd_station.db.database import Database
    from cccd_station.db.operators import Operator

RETENTION_DAYS_KEY = "records.retention_days"
AUTO_CLEAR_KEY = "ui.auto_clear_seconds"
CENTRAL_URL_KEY = "sync.central_url"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_AUTO_CLEAR_SECONDS = 60
_STATION_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class StationSettings:
    station_id: str
    retention_days: int
    auto_clear_seconds: int
    central_url: str | None


def get_value(session: Session, key: str) -> str | None:
    row = session.get(SettingRow, key)
    return None if row is None else row.value


def set_value(session: Session, key: str, value: str | None) -> None:
    row = session.get(SettingRow, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


class Settings:
    """``db.settings``: :meth:`load` and, for an admin, :meth:`update` (audited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self) -> StationSettings:
        with self._db.session() as session:
            return self._load(session)

    def _load(self, session: Session) -> StationSettings:
        retention = get_value(session, RETENTION_DAYS_KEY)
        auto_clear = get_value(session, AUTO_CLEAR_KEY)
        return StationSettings(
            station_id=self._db.station_id,
            retention_days=int(retention) if retention else DEFAULT_RETENTION_DAYS,
            auto_clear_seconds=int(auto_clear) if auto_clear else DEFAULT_AUTO_CLEAR_SECONDS,
            central_url=get_value(session, CENTRAL_URL_KEY) or None,
        )

    def update(
        self,
        actor: Operator,
        *,
        station_id: str | None = None,
        retention_days: int | None = None,
        auto_clear_seconds: int | None = None,
        central_url: str | None = None,
    ) -> StationSettings:
        """Change the given settings (``central_url=""`` removes it). Admin only, audited by key
        name (values are not logged: the central URL may hold a password)."""
        changes: dict[str, str | None] = {}
        if station_id is not None:
            if not _STATION_ID_PATTERN.fullmatch(station_id):
                raise ValueError("a station id has 1-64 letters, digits, '.', '_' or '-'")
            changes[STATION_ID_KEY] = station_id
        if retention_days is not None:
            if not 1 <= retention_days <= 3650:
                raise ValueError("retention must be between 1 and 3650 days")
            changes[RETENTION_DAYS_KEY] = str(retention_days)
        if auto_clear_seconds is not None:
            if not 5 <= auto_clear_seconds <= 3600:
                raise ValueError("the auto-clear delay must be between 5 and 3600 seconds")
            changes[AUTO_CLEAR_KEY] = str(auto_clear_seconds)
        if central_url is not None:
            changes[CENTRAL_URL_KEY] = central_url or None
        with self._db.session() as session:
            admin = self._db.operators.require_admin(session, actor)
            for key, value in changes.items():
                set_value(session, key, value)
            self._db.audit.append(
                session, "admin", "settings_change", admin.username, detail={"keys": sorted(changes)}
            )
        if station_id is not None:
            self._db._set_station_id(station_id)
        return self.load()
