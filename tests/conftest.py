"""Shared fixtures.

Integration tests need real services (pcscd with the vpcd driver, PostgreSQL). On a developer
machine without them they skip; in CI (``CI`` set) a missing service is a failure, because
`make test` is expected to have started it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing a test does may land in the user's own data directory (database, keys, demo, trust).
_DATA_DIR = tempfile.TemporaryDirectory(prefix="station-tests-")
os.environ["STATION_DATA_DIR"] = _DATA_DIR.name

IN_CI = bool(os.environ.get("CI"))


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it: run the README's test command)")
    pytest.skip(reason)


def _pcscd_with_vpcd() -> bool:
    # Do not probe vpcd's port: a connection there is what pcscd takes for a card insertion.
    return os.path.exists("/run/pcscd/pcscd.comm") and os.path.exists("/etc/reader.conf.d/vpcd")


@pytest.fixture(scope="session")
def pcscd() -> None:
    """A running pcscd whose vpcd driver listens for a virtual card."""
    if not _pcscd_with_vpcd():
        _missing("pcscd with the vsmartcard vpcd driver is not running")


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Debian's Chromium and its WebDriver: (browser, driver)."""
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver is None:
        _missing(
            "Chromium and chromedriver are missing: install the Debian packages chromium chromium-driver"
        )
    assert browser is not None and driver is not None
    return browser, driver


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of a PostgreSQL database the tests may freely change."""
    url = os.environ.get("STATION_TEST_PG_URL", "")
    if not url:
        _missing("STATION_TEST_PG_URL is not set: no PostgreSQL server for the tests")
    return url


@pytest.fixture(autouse=True)
def _no_translation_left_installed() -> Iterator[None]:
    """A language a test switched to ends with it (tests expect the source strings)."""
    yield
    if "cccd_station.ui.i18n" in sys.modules:
        sys.modules["cccd_station.ui.i18n"].remove_translations()
