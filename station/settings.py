"""Station-local settings: a small JSON file in the data directory.

Only this PC's preferences live here (last reader, language, auto-clear delay, window
geometry), never a holder's data. Writes are atomic; a damaged file gives the defaults back.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from cccd_station.station.paths import data_dir

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
LANGUAGES = ("vi", "en")
MAX_AUTO_CLEAR_SECONDS = 3600


@dataclass(frozen=True)
class StationSettings:
    last_reader: str = ""
    language: str = "vi"
    auto_clear_seconds: int = 30
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> StationSettings:
        """Known keys with sane values; anything else keeps its default."""
        defaults = cls()
        known = {f.name for f in fields(cls)}
        kept = {k: v for k, v in values.items() if k in known and isinstance(v, type(getattr(defaults, k)))}
        settings = replace(defaults, **kept)
        if settings.language not in LANGUAGES:
            settings = replace(settings, language=defaults.language)
        if not 0 <= settings.auto_clear_seconds <= MAX_AUTO_CLEAR_SECONDS:
            settings = replace(settings, auto_clear_seconds=defaults.auto_clear_seconds)
        return settings


def settings_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / SETTINGS_FILE


def load_settings(directory: Path | None = None) -> StationSettings:
    """The saved settings; defaults (with a warning in the log) when the file is missing or damaged."""
    path = settings_path(directory)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return StationSettings()
    except OSError as error:
        log.warning("cannot read %s (%s); using default settings", path, error.strerror)
        return StationSettings()
    try:
        values = json.loads(raw)
    except ValueError:
        log.warning("%s is damaged; using default settings", path)
        return StationSettings()
    if not isinstance(values, dict):
        log.warning("%s does not hold an object; using default settings", path)
        return StationSettings()
    return StationSettings.from_mapping(values)


def save_settings(settings: StationSettings, directory: Path | None = None) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    path = settings_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(asdict(settings), file, ensure_ascii=False, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
