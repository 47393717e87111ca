"""The local API over real sockets (uvicorn on a free loopback port, httpx): tokens, scopes, the error
codes of issue 11, CORS and Private Network Access, the Host check, the rate limit on wrong tokens, the
audit event of every release, TLS with a pinnable certificate, and no holder data in the logs."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import ssl
import threading
import time
from pathlib import Path

import httpx
import pytest
from api_fixtures import (
    CONSOLE,
    FULL_NAME,
    ID_NUMBER,
    PERSONA,
    PLACE_OF_ORIGIN,
    RESIDENCE,
    Api,
    api,
    bearer,
    start_api,
    stop_api,
)

from cccd_station.db import StorageError
from cccd_station.reader.keys import KeyFormatError, parse_key
from cccd_station.station import cli
from cccd_station.station.api import ApiServer, ApiServerError
from cccd_station.station.api.limits import FailedAuthLimiter
from cccd_station.station.api.scopes import HOLDER_FIELDS
from cccd_station.station.core import Station
from cccd_station.station.readers import DEMO_READER

__all__ = ["api"]  # the fixture, from api_fixtures

HIS_ORIGIN = "https://his.benhvien.example.vn"


def read(api: Api, token: str, **body: object) -> httpx.Response:
    with api.http() as http:
        return http.post("/v1/read", headers=bearer(token), json=body)


def releases(station: Station) -> list[dict[str, object]]:
    return [
        {"client": event.detail["client"], "scopes": event.detail["scopes"], "hash": event.document_hash}
        for event in station.db.audit.search(action="api_release")
    ]


# -- health, tokens -------------------------------------------------------------------------------------


def test_health_needs_no_token_and_says_whether_a_card_lies_on_the_reader(api: Api) -> None:
    with api.http() as http:
        empty = http.get("/v1/health").json()
        api.readers.place_card(PERSONA)
        placed = http.get("/v1/health").json()
    assert empty["status"] == "ok" and empty["version"] == cli.distribution_version()
    assert (empty["reader"], empty["card_present"]) == (DEMO_READER, False)
    assert placed["card_present"] is True


def test_every_other_endpoint_wants_a_valid_token(api: Api) -> None:
    token = api.client("his")
    gone = api.client("old-his")
    api.station.remove_api_client(CONSOLE, "old-his")
    with api.http() as http:
        for headers in (
            {},
            bearer("cccd_" + "A" * 43),
            bearer(token + "x"),
            bearer(gone),
            {"Authorization": token},
        ):
            for method, path in (("GET", "/v1/readers"), ("POST", "/v1/read")):
                answer = http.request(method, path, headers=headers, json={"id": ID_NUMBER})
                assert answer.status_code == 401, (headers, path)
                assert answer.json()["error"] == "unauthorized"
        readers = http.get("/v1/readers", headers=bearer(token))
    assert readers.status_code == 200
    assert readers.json() == {"readers": [{"name": DEMO_READER, "card_present": False, "physical": False}]}


def test_the_token_is_stored_only_as_its_hash(api: Api, tmp_path: Path) -> None:
    token = api.client("his")
    database = (tmp_path / "demo" / "station.sqlite3").read_bytes()
    wal = tmp_path / "demo" / "station.sqlite3-wal"
    stored = database + (wal.read_bytes() if wal.exists() else b"")
    assert token.encode() not in stored
    assert hashlib.sha256(token.encode()).hexdigest().encode() in stored


# -- reads and scopes ----------------------------------------------------------------------------------


def test_a_read_with_every_scope_is_the_object_of_station_read_json(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    token = api.client("all", "identity", "address", "family", "details", "photo", "checks")
    api.readers.place_card(PERSONA)
    answer = read(api, token, id=ID_NUMBER)
    assert answer.status_code == 200
    served = answer.json()
    assert cli.main(["read", "--virtual", PERSONA, "--id", ID_NUMBER, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    photo = served["photo"]
    portrait = base64.b64decode(photo.pop("data"))
    assert hashlib.sha256(portrait).hexdigest() == printed["photo"]["sha256"]
    assert photo.pop("data_url") == "data:image/jpeg;base64," + base64.b64encode(portrait).decode()
    assert served.pop("scopes") == ["identity", "address", "family", "details", "photo", "checks"]
    for timing in ("seconds", "seconds_to_text"):  # two reads take their own time
        served["stats"].pop(timing)
        printed["stats"].pop(timing)
    assert served == printed
    assert served["verdict"] == "verified" and served["holder"]["full_name"] == FULL_NAME


def test_a_jpeg_2000_portrait_comes_with_a_picture_browsers_show(api: Api) -> None:
    token = api.client("his", "identity", "photo")
    api.readers.place_card("tran-thi-bich-ngoc")  # a JP2 portrait on the chip
    served = read(api, token, id=load_id("tran-thi-bich-ngoc")).json()
    assert served["photo"]["format"] == "jp2"
    assert base64.b64decode(served["photo"]["data"])[4:8] == b"jP  "
    assert served["photo"]["data_url"].startswith("data:image/png;base64,iVBORw0KGgo")


def load_id(persona: str) -> str:
    from cccd_station.reader.chip.personas import load_persona

    return load_persona(persona).id_number or ""


def test_scopes_cut_what_a_client_receives(api: Api) -> None:
    identity_only = api.client("insurance", "identity")
    address_no_photo = api.client("commune", "identity", "address", "checks")
    api.readers.place_card(PERSONA)
    first = read(api, identity_only, id=ID_NUMBER)
    second = read(api, address_no_photo, id=ID_NUMBER)
    cut = first.json()
    assert set(cut["holder"]) == set(HOLDER_FIELDS["identity"])
    assert cut["mrz"]["document_number"] == ID_NUMBER[-9:]
    assert cut["photo"] is None and cut["checks"] is None and cut["disagreements"] is None
    assert cut["verdict"] == "verified" and cut["scopes"] == ["identity"]
    for text in (RESIDENCE, PLACE_OF_ORIGIN, "data:image", "father", "ethnicity", '"sha256"'):
        assert text not in first.text, text
    with_address = second.json()
    assert RESIDENCE in with_address["holder"]["place_of_residence"]
    assert with_address["photo"] is None and "data:image" not in second.text
    assert [check["status"] for check in with_address["checks"]].count("pass") >= 4


def test_asking_for_a_scope_the_client_lacks_is_403(api: Api) -> None:
    token = api.client("insurance", "identity", "checks")
    api.readers.place_card(PERSONA)
    refused = read(api, token, id=ID_NUMBER, scopes=["identity", "photo"])
    narrowed = read(api, token, id=ID_NUMBER, scopes=["checks"])
    assert (refused.status_code, refused.json()["error"]) == (403, "scope_missing")
    assert "photo" in refused.json()["message"]
    assert narrowed.status_code == 200
    assert narrowed.json()["holder"] is None and narrowed.json()["scopes"] == ["checks"]
    assert [each["scopes"] for each in releases(api.station)] == [
        ["checks"]
    ]  # the refused one released nothing


def test_every_release_is_audited_with_client_scopes_and_document_hash_only(api: Api) -> None:
    token = api.client("his", "identity", "address", "photo")
    api.readers.place_card(PERSONA)
    assert read(api, token, id=ID_NUMBER).status_code == 200
    [card_read] = api.station.db.audit.search(action="card_read")
    assert releases(api.station) == [
        {"client": "his", "scopes": ["identity", "address", "photo"], "hash": card_read.document_hash}
    ]
    assert card_read.document_hash == api.station.db.document_hash(ID_NUMBER)
    trail = json.dumps([repr(event) for event in api.station.db.audit.search()], ensure_ascii=False)
    for personal in (ID_NUMBER, FULL_NAME, RESIDENCE, "NGUYEN"):
        assert personal not in trail


def test_a_release_that_cannot_be_audited_is_not_made(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    token = api.client("his")
    api.readers.place_card(PERSONA)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The station's database is full (no disk space left).")

    monkeypatch.setattr(api.station.db.api_clients, "record_release", disk_full)
    answer = read(api, token, id=ID_NUMBER)
    assert answer.status_code == 503
    assert answer.json()["error"].startswith("storage")
    assert FULL_NAME not in answer.text and ID_NUMBER not in answer.text


# -- the error codes of issue 11 ------------------------------------------------------------------------


def test_a_malformed_key_is_422_with_the_command_lines_sentence(api: Api) -> None:
    token = api.client("his")
    for body, kind, text in (
        ({"id": "0010850147"}, "id", "0010850147"),
        ({"can": "12a456"}, "can", "12a456"),
        ({"mrz": "X94K27L05,880423"}, "mrz", "X94K27L05,880423"),
        ({"mrz": "X94K27L05,880431,310830"}, "mrz", "X94K27L05,880431,310830"),
    ):
        with pytest.raises(KeyFormatError) as expected:
            parse_key(kind, text)
        answer = read(api, token, **body)
        assert answer.status_code == 422
        assert answer.json() == {"error": "bad_key", "message": str(expected.value)}
    for body in ({}, {"id": ID_NUMBER, "can": "123456"}):
        answer = read(api, token, **body)
        assert (answer.status_code, answer.json()["error"]) == (422, "bad_key")
    assert api.station.db.audit.search(action="card_read") == []  # no read was attempted


def test_a_request_that_is_not_the_documented_json_is_400(api: Api) -> None:
    token = api.client("his")
    with api.http() as http:
        for content in (
            b"{",
            b'{"id": 1085014763}',
            b'{"id": "001085014763", "pin": "1"}',
            b'{"wait_s": -1}',
        ):
            answer = http.post(
                "/v1/read", headers=bearer(token) | {"Content-Type": "application/json"}, content=content
            )
            assert (answer.status_code, answer.json()["error"]) == (400, "bad_request"), content


def test_a_wrong_key_is_423(api: Api) -> None:
    token = api.client("his")
    api.readers.place_card(PERSONA)
    answer = read(api, token, id="079098001234")
    assert answer.status_code == 423 and answer.json()["error"] == "wrong_key"
    assert releases(api.station) == []


def test_no_card_within_wait_s_is_408(api: Api) -> None:
    token = api.client("his")
    started = time.monotonic()
    answer = read(api, token, id=ID_NUMBER, wait_s=0.6)
    assert answer.status_code == 408 and answer.json()["error"] == "no_card"
    assert time.monotonic() - started >= 0.6


def test_a_card_laid_down_while_the_request_waits_is_read(api: Api) -> None:
    token = api.client("his")
    threading.Timer(0.5, api.readers.place_card, args=(PERSONA,)).start()
    answer = read(api, token, id=ID_NUMBER, wait_s=5)
    assert answer.status_code == 200 and answer.json()["verdict"] == "verified"


def test_a_busy_reader_is_409(api: Api) -> None:
    token = api.client("his")
    waiting = threading.Thread(target=lambda: read(api, token, id=ID_NUMBER, wait_s=5))
    waiting.start()
    time.sleep(0.5)  # the first request now holds the reader, waiting for a card
    answer = read(api, token, id=ID_NUMBER)
    api.readers.place_card(PERSONA)
    waiting.join()
    assert answer.status_code == 409 and answer.json()["error"] == "busy"


def test_a_card_removed_mid_read_is_410(api: Api) -> None:
    token = api.client("his")
    api.readers.place_card(PERSONA, ("remove-after=14",))
    answer = read(api, token, id=ID_NUMBER)
    assert answer.status_code == 410 and answer.json()["error"] == "card_removed"


def test_unknown_paths_and_methods_answer_in_the_same_shape(api: Api) -> None:
    token = api.client("his")
    with api.http() as http:
        missing = http.get("/v1/holders", headers=bearer(token))
        wrong_method = http.get("/v1/read", headers=bearer(token))
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method_not_allowed")


# -- what the API offers -------------------------------------------------------------------------------


def test_openapi_describes_the_endpoints_and_no_way_to_list_past_holders(api: Api) -> None:
    with api.http() as http:
        described = http.get("/openapi.json").json()
        docs = http.get("/docs")
        script = http.get("/docs-assets/swagger-ui-bundle.js")
        form = http.get("/reception")
    assert {path: sorted(methods) for path, methods in described["paths"].items()} == {
        "/v1/health": ["get"],
        "/v1/readers": ["get"],
        "/v1/read": ["post"],
    }
    statuses = set(described["paths"]["/v1/read"]["post"]["responses"])
    assert {"200", "401", "403", "408", "409", "410", "422", "423"} <= statuses
    assert docs.status_code == 200 and "openapi.json" in docs.text
    # Everything the page loads comes from the station: an offline counter sees it too.
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', docs.text))
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert form.status_code == 200 and "/v1/events" in form.text
    routes = {getattr(route, "path", "") for route in api.server.app.routes}
    assert routes - {"/openapi.json", "/docs", "/docs-assets"} == {
        "/v1/health",
        "/v1/readers",
        "/v1/read",
        "/v1/events",
        "/reception",
    }


# -- browsers ------------------------------------------------------------------------------------------


def test_cors_only_for_the_clients_own_origins_with_private_network_access(api: Api) -> None:
    his = api.client("his", "identity", origins=(HIS_ORIGIN,))
    other = api.client("other", "identity", origins=("https://other.example.vn",))
    preflight = {
        "Origin": HIS_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
        "Access-Control-Request-Private-Network": "true",
    }
    with api.http() as http:
        allowed = http.options("/v1/read", headers=preflight)
        stranger = http.options("/v1/read", headers=preflight | {"Origin": "https://evil.example"})
        own = http.get("/v1/readers", headers=bearer(his) | {"Origin": HIS_ORIGIN})
        borrowed = http.get("/v1/readers", headers=bearer(other) | {"Origin": HIS_ORIGIN})
        evil = http.get("/v1/health", headers={"Origin": "https://evil.example"})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == HIS_ORIGIN
    assert allowed.headers["access-control-allow-private-network"] == "true"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert stranger.status_code == 403 and "access-control-allow-origin" not in stranger.headers
    assert own.status_code == 200 and own.headers["access-control-allow-origin"] == HIS_ORIGIN
    assert borrowed.status_code == 403 and borrowed.json()["error"] == "origin_not_allowed"
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers


def test_a_foreign_host_name_is_refused_against_dns_rebinding(api: Api) -> None:
    assert api.server.address is not None
    port = api.server.address.port
    with api.http() as http:
        rebound = http.get("/v1/health", headers={"Host": f"attacker.example:{port}"})
        local = http.get("/v1/health", headers={"Host": f"localhost:{port}"})
    assert rebound.status_code == 400 and rebound.json()["error"] == "bad_host"
    assert local.status_code == 200


# -- guessing tokens -----------------------------------------------------------------------------------


def test_wrong_tokens_shut_the_sender_out_for_a_while(tmp_path: Path) -> None:
    now = [1000.0]
    api = start_api(
        tmp_path, FailedAuthLimiter(per_address=3, overall=100, window_s=60, clock=lambda: now[0])
    )
    try:
        token = api.client("his")
        with api.http() as http:
            wrong = [http.get("/v1/readers", headers=bearer(f"cccd_guess{n}")).status_code for n in range(3)]
            shut_out = http.get("/v1/readers", headers=bearer(token))
            now[0] += 61
            later = http.get("/v1/readers", headers=bearer(token))
    finally:
        stop_api(api)
    assert wrong == [401, 401, 401]
    assert shut_out.status_code == 429 and shut_out.json()["error"] == "rate_limited"
    assert shut_out.headers["retry-after"] == "60"
    assert later.status_code == 200


def test_the_limiter_counts_all_addresses_together_too() -> None:
    now = [0.0]
    limiter = FailedAuthLimiter(per_address=5, overall=6, window_s=10, clock=lambda: now[0])
    for n in range(6):
        limiter.failed(f"127.0.0.{n + 1}")
    assert limiter.retry_after("127.0.0.99") == 10  # a fresh loopback address does not help
    now[0] += 10
    assert limiter.retry_after("127.0.0.99") == 0


# -- TLS -----------------------------------------------------------------------------------------------


def test_beyond_loopback_only_with_tls(tmp_path: Path) -> None:
    with Station.open_demo(tmp_path) as station:
        for listen in ("0.0.0.0:8777", "192.168.1.20:8777", "[::]:8777"):
            with pytest.raises(ApiServerError, match="only with TLS"):
                ApiServer(station, listen)


def test_tls_with_a_certificate_whose_fingerprint_clients_can_pin(tmp_path: Path) -> None:
    with Station.open_demo(tmp_path) as station:
        server = ApiServer(station, "127.0.0.1:0", tls=True)
        assert server.tls_files is not None
        address = server.start()
        try:
            served = ssl.get_server_certificate(("127.0.0.1", address.port))
            with httpx.Client(
                verify=ssl.create_default_context(cafile=str(server.tls_files.certfile))
            ) as http:
                health = http.get(address.url + "/v1/health")
        finally:
            server.stop()
        again = ApiServer(station, "127.0.0.1:0", tls=True).tls_files
    der = ssl.PEM_cert_to_DER_cert(served)
    assert address.url.startswith("https://")
    assert server.tls_files.fingerprint == hashlib.sha256(der).digest().hex(":").upper()
    assert health.status_code == 200
    assert again is not None and again.fingerprint == server.tls_files.fingerprint  # kept: the pin holds
    assert (server.tls_files.keyfile.stat().st_mode & 0o777) == 0o600


# -- logs ----------------------------------------------------------------------------------------------


def test_no_holder_data_in_the_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = api.client("his", "identity", "address", "family", "photo", "checks")
    api.readers.place_card(PERSONA)
    assert read(api, token, id=ID_NUMBER).status_code == 200
    assert read(api, token, id="079098001234").status_code == 423
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /v1/read" in logged  # the access log is on
    for personal in (ID_NUMBER, ID_NUMBER[-6:], "079098001234", FULL_NAME, RESIDENCE, "NGUYEN", token):
        assert personal not in logged
