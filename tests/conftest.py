"""Shared fixtures.

Integration tests need real services (pcscd with the vpcd driver, PostgreSQL). On a developer
machine without them they skip; in CI (``CI`` set) a missing service is a failure, because
`make test` is expected to have started it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cccd_station.station.face import FaceEngine, FaceUnavailableError, load_engine

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


@pytest.fixture(scope="module")
def vpcd_second_port(pcscd: None) -> Iterator[int]:
    """vpcd's second reader ("Virtual PCD 00 01"), held by one test module at a time (a lock file), so
    that another test run on this machine waits its turn; empty when handed over."""
    from cccd_station.reader.chip.vpcd import VPCD_SECOND_PORT, VPCD_SECOND_READER
    from cccd_station.reader.pcsc import wait_for_card_removal

    with open(f"/tmp/vpcd-{VPCD_SECOND_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            wait_for_card_removal(VPCD_SECOND_READER, 10)
            yield VPCD_SECOND_PORT
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def pg_schema_url(base_url: str) -> tuple[str, Callable[[], None]]:
    """A URL bound to a fresh schema of the shared PostgreSQL test server, and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgres"])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a site's central database: a SQLite file, or a fresh schema on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}"
        return
    yield request.getfixturevalue("pg_fresh_url")


@pytest.fixture
def pg_fresh_url(postgres_url: str) -> Iterator[str]:
    """An empty database on the PostgreSQL test server (a fresh schema), dropped afterwards."""
    url, drop = pg_schema_url(postgres_url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="session")
def face_engine() -> FaceEngine:
    """The face comparison's loaded models (the ``face`` extra, which CI installs)."""
    try:
        return load_engine()
    except FaceUnavailableError as error:
        _missing(str(error))
        raise
