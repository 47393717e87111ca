"""The local API end to end through the real PC/SC stack: a WebSocket client sees the virtual card laid on
pcscd's vpcd reader, the read's progress and its verified result; a card pulled mid-read ends in
read.failed with kind card_removed (and 410 for the request that asked for it)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_fixtures import CONSOLE, FULL_NAME, WAIT, Api, bearer, events_until, subscribed

from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.vpcd import VPCD_SECOND_PORT, VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.pcsc import wait_for_card_removal
from cccd_station.station.api import ApiServer
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_trust_files
from cccd_station.station.readers import DemoReaders, PcscReaders

PERSONA = "pham-thi-dao"
ID_NUMBER = load_persona(PERSONA).id_number or ""


@pytest.fixture(scope="module")
def reader_port(pcscd: None) -> Iterator[int]:
    """vpcd's second reader, held so another test run on this machine waits its turn."""
    with open(f"/tmp/vpcd-{VPCD_SECOND_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield VPCD_SECOND_PORT
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def pcsc_api(reader_port: int, tmp_path: Path) -> Iterator[Api]:
    """A counter's station on pcscd's readers, trusting the TEST CSCAs, with the API on a free port."""
    station = Station.open(tmp_path, readers=PcscReaders())
    assert station.trust is not None
    station.trust.import_files(demo_trust_files(), CONSOLE)
    station.start_readers()
    server = ApiServer(station, "127.0.0.1:0", reader=VPCD_SECOND_READER)
    server.start()
    try:
        yield Api(station, server, DemoReaders())  # DemoReaders unused: the cards come through vpcd
    finally:
        server.stop()
        station.close()


def lay_card(port: int, *faults: str) -> VpcdBridge:
    bridge = VpcdBridge(VirtualChip(PERSONA, Faults.parse(list(faults))), port=port, reinsert_delay=None)
    bridge.start()
    return bridge


def take_card(bridge: VpcdBridge) -> None:
    bridge.stop()
    wait_for_card_removal(VPCD_SECOND_READER, WAIT)


def on_our_reader(events: list[dict[str, object]]) -> list[str]:
    return [str(each["event"]) for each in events if each.get("reader") in (None, VPCD_SECOND_READER)]


def test_a_subscriber_sees_the_card_arrive_and_its_verified_read(pcsc_api: Api, reader_port: int) -> None:
    token = pcsc_api.client("his", "identity", "checks")
    with subscribed(pcsc_api, token) as (socket, _hello):
        bridge = lay_card(reader_port)
        try:
            inserted = events_until(socket, "card.inserted")
            while inserted[-1]["reader"] != VPCD_SECOND_READER:  # vpcd's first reader may be another test's
                inserted = events_until(socket, "card.inserted")
            with httpx.Client(base_url=pcsc_api.url, timeout=60) as http:
                answer = http.post("/v1/read", headers=bearer(token), json={"id": ID_NUMBER, "wait_s": WAIT})
            read_events = events_until(socket, "read.completed")
        finally:
            take_card(bridge)
    assert answer.status_code == 200 and answer.json()["verdict"] == "verified"
    kinds = on_our_reader(read_events)
    assert kinds[0] == "read.started" and "read.progress" in kinds and kinds[-1] == "read.completed"
    progress = [each for each in read_events if each["event"] == "read.progress"]
    assert {each["data_group"] for each in progress} >= {1, 2, 13}
    completed = read_events[-1]
    assert completed["verdict"] == "verified"
    assert completed["result"]["holder"]["id_number"] == ID_NUMBER
    assert completed["result"]["holder"]["full_name"] == load_persona(PERSONA).display_name != FULL_NAME
    assert completed["result"]["photo"] is None  # no photo scope


def test_a_card_pulled_mid_read_is_read_failed_card_removed(pcsc_api: Api, reader_port: int) -> None:
    token = pcsc_api.client("his")
    with subscribed(pcsc_api, token) as (socket, _hello):
        bridge = lay_card(reader_port, "remove-after=14")
        try:
            with httpx.Client(base_url=pcsc_api.url, timeout=60) as http:
                answer = http.post("/v1/read", headers=bearer(token), json={"id": ID_NUMBER, "wait_s": WAIT})
            failed = events_until(socket, "read.failed")[-1]
        finally:
            take_card(bridge)
    assert answer.status_code == 410 and answer.json()["error"] == "card_removed"
    assert failed["kind"] == "card_removed"
    assert pcsc_api.station.db.audit.search(action="api_release") == []
    [attempt] = pcsc_api.station.db.audit.search(action="card_read")
    assert attempt.error_kind == "card_removed"
