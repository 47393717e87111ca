"""The local API beside the window (pytest-qt, the demo reader in-process): an administrator turns it on in
the settings and the window starts the same server; a read made in the window is pushed to a WebSocket
subscriber and its release audited; the admin tab adds a client (its token shown once) and removes it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from station_fixtures import admin, clerk, station
from websockets.sync.client import connect

from cccd_station.reader.chip.personas import load_persona
from cccd_station.station.core import Operator, Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.ui.admin import AdminHooks, AdminWindow, attach_admin
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow

__all__ = ["admin", "clerk", "station"]  # fixtures from station_fixtures

READ_TIMEOUT_MS = 30_000
START_TIMEOUT_MS = 15_000
PERSONA = "nguyen-van-an"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, station: Station) -> Iterator[MainWindow]:
    main = build_window(station, setup_application(qapp, "vi"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


@pytest.fixture
def hooks(window: MainWindow, station: Station, admin: Operator) -> Iterator[AdminHooks]:
    attached = attach_admin(window, station, admin)
    yield attached
    attached.stop()  # before the station closes, as the program does


def listening_url(qtbot: QtBot, hooks: AdminHooks) -> str:
    qtbot.waitUntil(lambda: hooks.local_api.state.url is not None, timeout=START_TIMEOUT_MS)
    assert hooks.local_api.isVisible() and hooks.local_api.text().startswith("API: http://127.0.0.1:")
    return str(hooks.local_api.state.url)


def read_in_the_window(qtbot: QtBot, window: MainWindow, id_number: str) -> None:
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.keys.key_changed, timeout=2000):
        qtbot.keyClicks(window.keys.id_field, id_number)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(PERSONA)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        panel.card_button.click()


def test_a_read_made_in_the_window_is_pushed_to_a_subscriber(
    qtbot: QtBot, window: MainWindow, station: Station, admin: Operator
) -> None:
    assert station.trust is not None
    station.trust.import_files(demo_trust_files(), "test")
    station.update_settings(admin, api_enabled=True, api_listen=f"127.0.0.1:{free_port()}")
    hooks = attach_admin(window, station, admin)
    try:
        url = listening_url(qtbot, hooks)
        _client, token = station.add_api_client(admin, "his", ["identity", "address"])
        events_url = url.replace("http", "ws", 1) + "/v1/events"
        with connect(events_url, additional_headers={"Authorization": f"Bearer {token}"}) as events:
            assert json.loads(events.recv(timeout=5))["event"] == "hello"
            read_in_the_window(qtbot, window, load_persona(PERSONA).id_number or "")
            while (event := json.loads(events.recv(timeout=10)))["event"] != "read.completed":
                pass
    finally:
        hooks.stop()
    assert event["verdict"] == "verified"
    assert event["result"]["holder"]["full_name"] == load_persona(PERSONA).display_name
    assert event["result"]["photo"] is None  # no photo scope
    [release] = station.db.audit.search(action="api_release")
    [card_read] = station.db.audit.search(action="card_read")
    assert release.detail["client"] == "his" and release.document_hash == card_read.document_hash
    assert card_read.operator == "admin"  # the window's read, by whoever is signed in
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/v1/health")  # stopped with the window


def test_the_settings_turn_the_api_on_move_it_and_off(
    qtbot: QtBot, hooks: AdminHooks, station: Station, admin: Operator
) -> None:
    assert not hooks.local_api.isVisible()  # off by default
    admin_window = hooks.open_admin()
    assert admin_window is not None
    settings = admin_window.settings_tab
    first, second = free_port(), free_port()
    settings.api_enabled.setChecked(True)
    settings.api_listen.setText(f"127.0.0.1:{first}")
    with qtbot.waitSignal(settings.settings_saved):
        assert settings.save()
    url = listening_url(qtbot, hooks)
    assert url.endswith(f":{first}") and httpx.get(url + "/v1/health").json()["status"] == "ok"

    settings.api_listen.setText(f"127.0.0.1:{second}")
    settings.api_tls.setChecked(True)
    assert settings.save()
    qtbot.waitUntil(
        lambda: (hooks.local_api.state.url or "").startswith("https://"), timeout=START_TIMEOUT_MS
    )
    assert hooks.local_api.state.url == f"https://127.0.0.1:{second}"
    assert (
        hooks.local_api.state.fingerprint and hooks.local_api.state.fingerprint in hooks.local_api.toolTip()
    )
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/v1/health")  # the old address is closed

    settings.api_listen.setText("192.168.1.20:8777")
    settings.api_tls.setChecked(False)
    assert not settings.save()
    assert "cần bật TLS" in settings.status.text()
    assert station.settings().api_listen == f"127.0.0.1:{second}"  # nothing changed

    settings.load()
    settings.api_enabled.setChecked(False)
    assert settings.save()
    qtbot.waitUntil(lambda: not hooks.local_api.isVisible(), timeout=START_TIMEOUT_MS)
    assert hooks.local_api.server is None


def test_an_address_in_use_is_shown_not_fatal(
    qtbot: QtBot, hooks: AdminHooks, station: Station, admin: Operator
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        hooks.apply_settings(station.update_settings(admin, api_enabled=True, api_listen=f"127.0.0.1:{port}"))
        qtbot.waitUntil(lambda: hooks.local_api.state.error is not None, timeout=START_TIMEOUT_MS)
    assert hooks.local_api.text() == "API: không chạy được"
    assert str(port) in hooks.local_api.toolTip()


def test_the_admin_tab_adds_a_client_with_its_token_once_and_removes_it(
    qtbot: QtBot, station: Station, admin: Operator
) -> None:
    window = AdminWindow(station, admin)
    qtbot.addWidget(window)
    tab = window.api_clients_tab
    token = tab.add_client("his", ["identity", "photo"], ["https://his.benhvien.vn/"])
    assert token is not None and station.authenticate_api_client(token) is not None
    assert tab.table.rowCount() == 1
    row = [tab.table.item(0, column).text() for column in range(3)]  # type: ignore[union-attr]
    assert row == ["his", "identity, photo", "https://his.benhvien.vn"]
    assert token not in json.dumps([tab.table.item(0, c).text() for c in range(5)])  # type: ignore[union-attr]

    assert tab.add_client("his", ["identity"], []) is None
    assert tab.status.text() == "Đã có chương trình mang tên này."
    assert tab.add_client("insurance", ["identity"], ["his.benhvien.vn"]) is None
    assert tab.status.text().startswith("Địa chỉ trang web viết dạng")
    assert tab.add_client("insurance", [], []) is None
    assert tab.status.text() == "Hãy chọn ít nhất một loại dữ liệu được nhận."

    assert tab.remove_client("his")
    assert station.authenticate_api_client(token) is None and tab.table.rowCount() == 0
    actions = [event.action for event in station.db.audit.search(kind="admin")]
    assert actions[-2:] == ["api_client_add", "api_client_remove"]
