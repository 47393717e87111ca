"""The station's settings, kept in the database (key/value) and read and changed as one typed snapshot.

Two sorts: what an administrator decides (retention, auto-clear, central database, station id, the
local API, the face comparison's band thresholds and whether the camera starts by itself; changed with
:meth:`Settings.update`, audited) and what the counter remembers for its clerk (language, last reader,
window geometry; :meth:`Settings.remember`, not audited). Never a holder's data.
"""

from __future__ import annotations

import ipaddress
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
LANGUAGE_KEY = "ui.language"
LAST_READER_KEY = "ui.last_reader"
WINDOW_GEOMETRY_KEY = "ui.window_geometry"
FACE_SAME_BELOW_KEY = "face.same_below"
FACE_DIFFERENT_FROM_KEY = "face.different_from"
FACE_CAMERA_AUTO_KEY = "face.camera_auto"
API_ENABLED_KEY = "api.enabled"
API_LISTEN_KEY = "api.listen"
API_TLS_KEY = "api.tls"
DEFAULT_API_LISTEN = "127.0.0.1:8777"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_AUTO_CLEAR_SECONDS = 60
# Face distance thresholds (dlib's ResNet embedding, Euclidean distance): below the first "very likely
# the same person", from the second on "likely a different person", between them "look carefully".
# 0.6 is the model's published operating point (99.38 % on LFW); the stricter 0.45 because a chip
# portrait is small and old, and the model is less accurate with Asian faces and with children.
# Measurements and reasons: README, "Face comparison".
DEFAULT_FACE_SAME_BELOW = 0.45
DEFAULT_FACE_DIFFERENT_FROM = 0.60
MAX_FACE_DISTANCE = 2.0  # embeddings of length about 1: no distance reaches 2
LANGUAGES = ("vi", "en")
MAX_PREFERENCE_LENGTH = 4096  # a window geometry in base64 is a few hundred characters
_STATION_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class StationSettings:
    station_id: str
    retention_days: int = DEFAULT_RETENTION_DAYS
    auto_clear_seconds: int = DEFAULT_AUTO_CLEAR_SECONDS
    central_url: str | None = None
    language: str = "vi"
    last_reader: str = ""
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    face_same_below: float = DEFAULT_FACE_SAME_BELOW
    face_different_from: float = DEFAULT_FACE_DIFFERENT_FROM
    face_camera_auto: bool = False  # start the camera after every verified read
    api_enabled: bool = False  # the window runs the local API (station/api)
    api_listen: str = DEFAULT_API_LISTEN  # HOST:PORT; an address beyond loopback needs api_tls
    api_tls: bool = False


def parse_listen_address(text: str, *, any_port: bool = False) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8777`` for IPv6) with an IP address or ``localhost`` as host; ValueError
    with the sentence to show otherwise. ``any_port`` lets port 0 ask for a free port (tests)."""
    text = text.strip()
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([^\s:\[\]]+):(\d{1,5})", text)
    if match is None:
        raise ValueError("the listen address is written HOST:PORT, such as 127.0.0.1:8777")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if host != "localhost":
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError as error:
            raise ValueError(f"{host!r} is neither an IP address nor localhost") from error
    if not (0 if any_port else 1) <= port <= 65535:
        raise ValueError("a port is between 1 and 65535")
    return host, port


def is_loopback(host: str) -> bool:
    """Whether only programs on this computer can reach ``host``."""
    return host == "localhost" or ipaddress.ip_address(host).is_loopback


def check_api_address(listen: str, tls: bool, *, any_port: bool = False) -> None:
    """The rule for the local API's address: loopback, or any other address only with TLS."""
    host, _port = parse_listen_address(listen, any_port=any_port)
    if not tls and not is_loopback(host):
        raise ValueError(f"{host} can be reached from other computers: the API listens there only with TLS")


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


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default  # a damaged value falls back to the default, it does not stop the station


def _face_thresholds(same_text: str | None, different_text: str | None) -> tuple[float, float]:
    """Both thresholds, or both defaults when a stored value is damaged or they no longer fit together."""
    try:
        same = float(same_text) if same_text else DEFAULT_FACE_SAME_BELOW
        different = float(different_text) if different_text else DEFAULT_FACE_DIFFERENT_FROM
    except ValueError:
        return DEFAULT_FACE_SAME_BELOW, DEFAULT_FACE_DIFFERENT_FROM
    if not 0.0 < same <= different < MAX_FACE_DISTANCE:
        return DEFAULT_FACE_SAME_BELOW, DEFAULT_FACE_DIFFERENT_FROM
    return same, different


class Settings:
    """``db.settings``: :meth:`load`; :meth:`update` for an administrator (audited); :meth:`remember`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self) -> StationSettings:
        with self._db.session() as session:
            return self._load(session)

    def _load(self, session: Session) -> StationSettings:
        language = get_value(session, LANGUAGE_KEY)
        same, different = _face_thresholds(
            get_value(session, FACE_SAME_BELOW_KEY), get_value(session, FACE_DIFFERENT_FROM_KEY)
        )
        return StationSettings(
            station_id=self._db.station_id,
            retention_days=_number(get_value(session, RETENTION_DAYS_KEY), DEFAULT_RETENTION_DAYS),
            auto_clear_seconds=_number(get_value(session, AUTO_CLEAR_KEY), DEFAULT_AUTO_CLEAR_SECONDS),
            central_url=get_value(session, CENTRAL_URL_KEY) or None,
            language=language if language in LANGUAGES else "vi",
            last_reader=get_value(session, LAST_READER_KEY) or "",
            window_geometry=get_value(session, WINDOW_GEOMETRY_KEY) or "",
            face_same_below=same,
            face_different_from=different,
            face_camera_auto=get_value(session, FACE_CAMERA_AUTO_KEY) == "1",
            api_enabled=get_value(session, API_ENABLED_KEY) == "1",
            api_listen=get_value(session, API_LISTEN_KEY) or DEFAULT_API_LISTEN,
            api_tls=get_value(session, API_TLS_KEY) == "1",
        )

    def update(
        self,
        actor: Operator,
        *,
        station_id: str | None = None,
        retention_days: int | None = None,
        auto_clear_seconds: int | None = None,
        central_url: str | None = None,
        face_same_below: float | None = None,
        face_different_from: float | None = None,
        face_camera_auto: bool | None = None,
        api_enabled: bool | None = None,
        api_listen: str | None = None,
        api_tls: bool | None = None,
    ) -> StationSettings:
        """Change the given settings (``central_url=""`` removes it). Admin only, audited by key
        name (values are not logged: the central URL may hold a password)."""
        changes: dict[str, str | None] = {}
        if face_same_below is not None or face_different_from is not None:
            current = self.load()
            same = current.face_same_below if face_same_below is None else face_same_below
            different = current.face_different_from if face_different_from is None else face_different_from
            if not 0.0 < same <= different < MAX_FACE_DISTANCE:
                raise ValueError(
                    f"face thresholds must satisfy 0 < same-below <= different-from < {MAX_FACE_DISTANCE}"
                )
            changes[FACE_SAME_BELOW_KEY] = repr(float(same))
            changes[FACE_DIFFERENT_FROM_KEY] = repr(float(different))
        if face_camera_auto is not None:
            changes[FACE_CAMERA_AUTO_KEY] = "1" if face_camera_auto else "0"
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
        if api_enabled is not None:
            changes[API_ENABLED_KEY] = "1" if api_enabled else "0"
        if api_tls is not None:
            changes[API_TLS_KEY] = "1" if api_tls else "0"
        if api_listen is not None:
            host, port = parse_listen_address(api_listen)
            changes[API_LISTEN_KEY] = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        with self._db.session() as session:
            admin = self._db.operators.require_admin(session, actor)
            if api_listen is not None or api_tls is not None:
                check_api_address(
                    api_listen or get_value(session, API_LISTEN_KEY) or DEFAULT_API_LISTEN,
                    api_tls if api_tls is not None else get_value(session, API_TLS_KEY) == "1",
                )
            for key, value in changes.items():
                set_value(session, key, value)
            self._db.audit.append(
                session, "admin", "settings_change", admin.username, detail={"keys": sorted(changes)}
            )
        if station_id is not None:
            self._db._set_station_id(station_id)
        return self.load()

    def remember(
        self,
        *,
        language: str | None = None,
        last_reader: str | None = None,
        window_geometry: str | None = None,
    ) -> StationSettings:
        """Keep the clerk's preferences for the next start (no permission needed, not audited)."""
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        changes = {LANGUAGE_KEY: language, LAST_READER_KEY: last_reader, WINDOW_GEOMETRY_KEY: window_geometry}
        with self._db.session() as session:
            for key, value in changes.items():
                if value is not None:
                    set_value(session, key, value[:MAX_PREFERENCE_LENGTH])
        return self.load()
