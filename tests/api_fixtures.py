"""Shared fixtures of the local API's tests (no tests of its own): a demo station with its server on a free
loopback port, clients with chosen scopes, and WebSocket helpers that read until an event arrives."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from cccd_station.reader.chip.personas import load_persona
from cccd_station.station.api import ApiServer
from cccd_station.station.api.limits import FailedAuthLimiter
from cccd_station.station.core import Station
from cccd_station.station.readers import DemoReaders

PERSONA = "nguyen-van-an"
ID_NUMBER = load_persona(PERSONA).id_number or ""
FULL_NAME = "Nguyễn Văn An"
RESIDENCE = "Phố Hoa Sữa"  # part of the persona's place of residence
PLACE_OF_ORIGIN = "Liên Châu"  # part of the persona's place of origin
CONSOLE = "console:test"
WAIT = 10.0


@dataclass(frozen=True)
class Api:
    station: Station
    server: ApiServer
    readers: DemoReaders

    @property
    def url(self) -> str:
        assert self.server.address is not None
        return self.server.address.url

    @property
    def ws_url(self) -> str:
        return self.url.replace("http", "ws", 1) + "/v1/events"

    def client(self, name: str, *scopes: str, origins: tuple[str, ...] = ()) -> str:
        """A new client's token."""
        _client, token = self.station.add_api_client(CONSOLE, name, scopes or ("identity", "checks"), origins)
        return token

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def start_api(data_dir: Path, limiter: FailedAuthLimiter | None = None) -> Api:
    readers = DemoReaders()
    station = Station.open_demo(data_dir, readers=readers)
    station.start_readers()
    server = ApiServer(station, "127.0.0.1:0", limiter=limiter, access_log=True)
    server.start()
    return Api(station, server, readers)


def stop_api(api: Api) -> None:
    api.server.stop()
    api.station.close()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The demo station (TEST trust anchors, the demo reader without a card) served on a free port."""
    started = start_api(tmp_path)
    try:
        yield started
    finally:
        stop_api(started)


@contextmanager
def subscribed(
    api: Api, token: str, since: int | None = None
) -> Iterator[tuple[ClientConnection, dict[str, Any]]]:
    """A WebSocket authenticated by header, and its hello message."""
    query = f"?since={since}" if since is not None else ""
    with connect(api.ws_url + query, additional_headers=bearer(token), open_timeout=WAIT) as socket:
        yield socket, json.loads(socket.recv(timeout=WAIT))


def events_until(socket: ClientConnection, kind: str, timeout: float = WAIT) -> list[dict[str, Any]]:
    """Every event up to and including the first of ``kind``."""
    deadline = time.monotonic() + timeout
    seen: list[dict[str, Any]] = []
    while True:
        message = json.loads(socket.recv(timeout=max(0.01, deadline - time.monotonic())))
        seen.append(message)
        if message["event"] == kind:
            return seen
