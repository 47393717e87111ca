"""Station settings survive restarts and a damaged file never stops the program."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from cccd_station.station.settings import StationSettings, load_settings, save_settings, settings_path


def test_defaults_when_no_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.language == "vi"
    assert settings.auto_clear_seconds == 30


def test_saved_settings_come_back(tmp_path: Path) -> None:
    save_settings(StationSettings(last_reader="ACS ACR1252", language="en", auto_clear_seconds=5), tmp_path)
    loaded = load_settings(tmp_path)
    assert (loaded.last_reader, loaded.language, loaded.auto_clear_seconds) == ("ACS ACR1252", "en", 5)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left behind


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_damaged_file_gives_defaults_with_a_warning(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings_path(tmp_path).write_text(content)
    with caplog.at_level(logging.WARNING):
        assert load_settings(tmp_path) == StationSettings()
    assert "default settings" in caplog.text


def test_wrong_values_fall_back_one_by_one(tmp_path: Path) -> None:
    values = {"language": "fr", "auto_clear_seconds": -4, "last_reader": "Reader 1", "window_geometry": 7}
    settings_path(tmp_path).write_text(json.dumps(values))
    loaded = load_settings(tmp_path)
    assert loaded.language == "vi"
    assert loaded.auto_clear_seconds == 30
    assert loaded.last_reader == "Reader 1"
    assert loaded.window_geometry == ""


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "station"))
    save_settings(StationSettings(language="en"))
    assert load_settings().language == "en"
    assert (tmp_path / "station" / "settings.json").exists()
