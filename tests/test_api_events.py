"""/v1/events over real WebSockets against the demo reader: authentication by header and by first
message, the numbered events of a read (whoever started it), each client's cut of the result and its
audited release, reconnecting with ?since=SEQ, the auto-clear rule and a client removed while listening."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from api_fixtures import (
    CONSOLE,
    FULL_NAME,
    ID_NUMBER,
    PERSONA,
    RESIDENCE,
    WAIT,
    Api,
    api,
    bearer,
    events_until,
    start_api,
    stop_api,
    subscribed,
)
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from cccd_station.reader.errors import CardRemovedError
from cccd_station.station.api import app as api_app
from cccd_station.station.api import hub
from cccd_station.station.demo import demo_key
from cccd_station.station.readers import DEMO_READER

__all__ = ["api"]  # the fixture, from api_fixtures


def read_in_core(api: Api, *faults: str) -> None:
    """A read that the API did not ask for (the window's, the command line's)."""
    api.readers.place_card(PERSONA, faults)
    api.station.read(demo_key(PERSONA), reader=DEMO_READER)


def test_a_subscriber_gets_every_event_of_a_read_numbered_in_order(api: Api) -> None:
    token = api.client("his", "identity", "address", "checks")
    with subscribed(api, token) as (socket, hello):
        read_in_core(api)
        seen = events_until(socket, "read.completed")
    kinds = [each["event"] for each in seen]
    assert hello["event"] == "hello" and hello["client"] == "his"
    assert hello["scopes"] == ["identity", "address", "checks"]
    assert kinds[:2] == ["card.inserted", "read.started"] and kinds[-1] == "read.completed"
    assert all(each["reader"] == DEMO_READER for each in seen[:2])
    sequence = [each["seq"] for each in seen]
    assert sequence == list(range(hello["last_seq"] + 1, hello["last_seq"] + 1 + len(seen)))
    progress = [each for each in seen if each["event"] == "read.progress"]
    assert {each["data_group"] for each in progress} >= {0, 1, 2, 13}
    received = [each["total_bytes"] for each in progress]
    assert received == sorted(received) and received[-1] > 10_000  # the portrait came in between
    completed = seen[-1]
    assert completed["verdict"] == "verified" and completed["read_id"] == seen[1]["read_id"]
    assert completed["result"]["holder"]["full_name"] == FULL_NAME
    assert RESIDENCE in completed["result"]["holder"]["place_of_residence"]
    assert completed["result"]["photo"] is None


def test_each_subscriber_gets_its_own_cut_and_each_release_is_audited(api: Api) -> None:
    photo_client = api.client("his", "identity", "photo")
    no_photo = api.client("insurance", "identity")
    with subscribed(api, photo_client) as (first, _), subscribed(api, no_photo) as (second, _):
        read_in_core(api)
        with_photo = events_until(first, "read.completed")[-1]
        without = events_until(second, "read.completed")[-1]
    assert with_photo["result"]["photo"]["data_url"].startswith("data:image/jpeg;base64,")
    assert without["result"]["photo"] is None
    assert "data:image" not in json.dumps(without) and RESIDENCE not in json.dumps(without)
    released = api.station.db.audit.search(action="api_release")
    assert sorted((each.detail["client"], tuple(each.detail["scopes"])) for each in released) == [
        ("his", ("identity", "photo")),
        ("insurance", ("identity",)),
    ]
    [card_read] = api.station.db.audit.search(action="card_read")
    assert {each.document_hash for each in released} == {card_read.document_hash}


def test_a_failed_read_is_pushed_with_its_kind(api: Api) -> None:
    token = api.client("his")
    with subscribed(api, token) as (socket, _):
        with pytest.raises(CardRemovedError):
            read_in_core(api, "remove-after=14")
        failed = events_until(socket, "read.failed")[-1]
    assert failed["kind"] == "card_removed" and failed["message"]
    assert api.station.db.audit.search(action="api_release") == []


def test_a_browser_authenticates_with_its_first_message(api: Api) -> None:
    token = api.client("his", origins=("https://his.example.vn",))
    with connect(api.ws_url, origin=Origin("https://his.example.vn"), open_timeout=WAIT) as socket:
        socket.send(json.dumps({"token": token}))
        hello = json.loads(socket.recv(timeout=WAIT))
        read_in_core(api)
        completed = events_until(socket, "read.completed")[-1]
    assert hello["client"] == "his"
    assert completed["result"]["holder"]["id_number"] == ID_NUMBER


def closing_code(socket: Any) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            socket.recv(timeout=WAIT)
    assert closed.value.rcvd is not None
    return int(closed.value.rcvd.code)


def test_a_wrong_token_is_refused_by_header_and_by_first_message(api: Api) -> None:
    api.client("his")
    with (
        pytest.raises(InvalidStatus) as refused,
        connect(api.ws_url, additional_headers=bearer("cccd_wrong"), open_timeout=WAIT),
    ):
        pass
    assert refused.value.response.status_code == 401
    assert json.loads(refused.value.response.body or b"{}")["error"] == "unauthorized"
    with connect(api.ws_url, open_timeout=WAIT) as socket:
        socket.send(json.dumps({"token": "cccd_wrong"}))
        assert closing_code(socket) == api_app.CLOSE_UNAUTHORIZED
    with connect(api.ws_url, open_timeout=WAIT) as socket:
        socket.send("not json")
        assert closing_code(socket) == api_app.CLOSE_UNAUTHORIZED


def test_a_socket_that_never_authenticates_is_closed(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_app, "AUTH_MESSAGE_TIMEOUT_S", 0.3)
    with connect(api.ws_url, open_timeout=WAIT) as socket:
        assert closing_code(socket) == api_app.CLOSE_AUTH_TIMEOUT


def test_a_page_from_an_origin_the_client_did_not_register_is_refused(api: Api) -> None:
    token = api.client("his", origins=("https://his.example.vn",))
    api.client("other", origins=("https://other.example.vn",))
    with (
        pytest.raises(InvalidStatus) as stranger,
        connect(api.ws_url, origin=Origin("https://evil.example"), open_timeout=WAIT),
    ):
        pass
    assert stranger.value.response.status_code == 403
    with connect(api.ws_url, origin=Origin("https://other.example.vn"), open_timeout=WAIT) as socket:
        socket.send(json.dumps({"token": token}))  # his token, from another client's page
        assert closing_code(socket) == api_app.CLOSE_FORBIDDEN


def test_a_reconnecting_client_gets_what_it_missed(api: Api) -> None:
    token = api.client("his")
    with subscribed(api, token) as (socket, hello):
        read_in_core(api)
        first_read = events_until(socket, "read.completed")
    last_seen = first_read[-1]["seq"]
    read_in_core(api)  # while it was away
    with subscribed(api, token, since=hello["last_seq"]) as (again, hello_again):
        replayed = events_until(again, "read.completed")  # the first read, again
        missed = events_until(again, "read.completed")  # the read it was away for
    assert hello_again["stream"] == hello["stream"] and hello_again["lost"] is None
    assert [each["seq"] for each in replayed] == [each["seq"] for each in first_read]
    assert replayed[-1]["result"]["holder"]["full_name"] == FULL_NAME  # it was subscribed then
    assert missed[0]["seq"] == last_seen + 1
    assert missed[-1]["result"] is None and missed[-1]["withheld"] == hub.WITHHELD_NOT_SUBSCRIBED
    assert missed[-1]["verdict"] == "verified"


def test_the_auto_clear_rule_empties_the_memory_of_results(api: Api) -> None:
    admin = api.station.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
    api.station.update_settings(admin, auto_clear_seconds=5)
    token = api.client("his")
    with subscribed(api, token) as (socket, hello):
        read_in_core(api)
        events_until(socket, "read.completed")
    completed_at = time.monotonic()
    with subscribed(api, token, since=hello["last_seq"]) as (soon, _):
        kept = events_until(soon, "read.completed")[-1]
    time.sleep(max(0.0, completed_at + 5.5 - time.monotonic()))
    with subscribed(api, token, since=hello["last_seq"]) as (late, _):
        cleared = events_until(late, "read.completed")[-1]
    assert kept["result"]["holder"]["full_name"] == FULL_NAME
    assert cleared["result"] is None and cleared["withheld"] == hub.WITHHELD_CLEARED
    entries = [entry for entry in api.server.context.hub._ring if entry.kind == "read.completed"]
    assert entries and all(entry.result is None for entry in entries)  # not only hidden: forgotten


def test_what_fell_out_of_the_memory_is_named_as_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "RING_SIZE", 4)
    api = start_api(tmp_path)
    try:
        token = api.client("his")
        with subscribed(api, token) as (socket, hello):
            for _ in range(4):
                api.readers.place_card(PERSONA)
                api.readers.remove_card()
            events = [json.loads(socket.recv(timeout=WAIT)) for _ in range(8)]
        with subscribed(api, token, since=hello["last_seq"]) as (again, hello_again):
            replayed = [json.loads(again.recv(timeout=WAIT)) for _ in range(4)]
    finally:
        stop_api(api)
    first = hello["last_seq"] + 1
    assert hello_again["lost"] == [first, first + 3] and hello_again["replayed"] == 4
    assert [each["seq"] for each in replayed] == [each["seq"] for each in events[4:]]


def test_a_client_removed_while_subscribed_gets_no_more_reads(api: Api) -> None:
    token = api.client("his")
    with subscribed(api, token) as (socket, _):
        api.station.remove_api_client(CONSOLE, "his")
        read_in_core(api)
        with pytest.raises(ConnectionClosed) as closed:
            events_until(socket, "read.completed")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == api_app.CLOSE_UNAUTHORIZED
    assert api.station.db.audit.search(action="api_release") == []


def test_stopping_the_server_says_goodbye_to_subscribers(tmp_path: Path) -> None:
    api = start_api(tmp_path)
    token = api.client("his")
    stopper = threading.Thread(target=stop_api, args=(api,))
    with subscribed(api, token) as (socket, _):
        stopper.start()
        assert closing_code(socket) in (1001, 1012)  # going away, or uvicorn's "service restart"
    stopper.join()


def test_the_face_band_goes_only_to_clients_with_the_face_scope(api: Api) -> None:
    """The band of the clerk's face comparison, and nothing else of it; clients without ``face`` never
    see the event (their numbers skip it)."""
    from cccd_station.station.face import Band

    with_face = api.client("his", "identity", "face")
    without = api.client("insurance", "identity", "photo", "checks")
    with subscribed(api, with_face) as (first, _), subscribed(api, without) as (second, _):
        read_in_core(api)
        api.station.record_face_comparison(None, Band.VERY_LIKELY_SAME, ID_NUMBER)
        api.readers.remove_card()
        seen_with = events_until(first, "card.removed")
        seen_without = events_until(second, "card.removed")
    (compared,) = [each for each in seen_with if each["event"] == "face.compared"]
    assert set(compared) == {"seq", "event", "at", "band"} and compared["band"] == "very_likely_same"
    assert "face.compared" not in [each["event"] for each in seen_without]
    assert seen_without[-1]["seq"] == seen_with[-1]["seq"]  # the same stream, one number skipped
    assert len(seen_without) == len(seen_with) - 1
