"""The local API's clients and settings in the station's database: tokens kept as hashes and compared in
constant time, names, scopes and origins checked, every change audited; `station api-client` on the
command line; the API settings (admin only, loopback unless TLS); migration 0003 on an older database."""

from __future__ import annotations

import hmac
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect
from station_fixtures import admin, clerk, station

from cccd_station.db import ApiClientError, Database, Operator, PermissionDeniedError
from cccd_station.db import api_clients as clients_module
from cccd_station.db.database import MIGRATIONS_DIR, SQLITE_FILE_NAME
from cccd_station.db.settings import parse_listen_address
from cccd_station.station import cli
from cccd_station.station.core import Station

__all__ = ["admin", "clerk", "station"]  # fixtures from station_fixtures


def test_a_new_client_gets_a_random_token_that_authenticates_it(station: Station, admin: Operator) -> None:
    client, token = station.add_api_client(
        admin, "his", ["checks", "identity"], ["https://HIS.example.vn:443/"]
    )
    _other, other_token = station.add_api_client(admin, "insurance")
    assert token.startswith("cccd_") and len(token) >= 48 and token != other_token
    assert client.scopes == ("identity", "checks")  # canonical order
    assert client.origins == ("https://his.example.vn",)  # as a browser sends it
    assert client.created_by == "admin"
    assert station.authenticate_api_client(token) == client
    assert station.authenticate_api_client(other_token).name == "insurance"  # type: ignore[union-attr]
    for wrong in ("", token[:-1], token + "A", token.upper(), "cccd_" + "A" * 500):
        assert station.authenticate_api_client(wrong) is None
    assert [each.name for each in station.api_clients()] == ["his", "insurance"]
    assert station.api_client_origins() == {"https://his.example.vn"}


def test_every_stored_hash_is_compared_in_constant_time(
    station: Station, admin: Operator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _client, token = station.add_api_client(admin, "his")
    station.add_api_client(admin, "insurance")
    station.add_api_client(admin, "commune")
    compared: list[tuple[bytes, bytes]] = []
    constant_time = hmac.compare_digest

    def spy(left: bytes, right: bytes) -> bool:
        compared.append((left, right))
        return constant_time(left, right)

    monkeypatch.setattr(clients_module.hmac, "compare_digest", spy)
    assert station.authenticate_api_client(token) is not None
    assert len(compared) == 3  # no early exit at the match: the time says nothing about which client
    compared.clear()
    assert station.authenticate_api_client("cccd_wrong") is None
    assert len(compared) == 3


def test_names_scopes_and_origins_are_checked(station: Station, admin: Operator) -> None:
    refusals = [
        (("His",), "bad_name"),
        (("h",), "bad_name"),
        (("his", ["identity", "everything"]), "bad_scope"),
        (("his", []), "bad_scope"),
        (("his", ["identity"], ["his.example.vn"]), "bad_origin"),
        (("his", ["identity"], ["https://his.example.vn/reception"]), "bad_origin"),
        (("his", ["identity"], ["ftp://his.example.vn"]), "bad_origin"),
        (("his", ["identity"], ["https://user@his.example.vn"]), "bad_origin"),
        (("his", ["identity"], ["null"]), "bad_origin"),
    ]
    for arguments, rule in refusals:
        with pytest.raises(ApiClientError) as refused:
            station.add_api_client(admin, *arguments)  # type: ignore[arg-type]
        assert refused.value.rule == rule, arguments
    station.add_api_client(admin, "his")
    with pytest.raises(ApiClientError) as taken:
        station.add_api_client(admin, "his")
    assert taken.value.rule == "name_taken"
    with pytest.raises(ApiClientError) as missing:
        station.remove_api_client(admin, "nobody")
    assert missing.value.rule == "no_such_client"


def test_only_an_administrator_manages_clients_and_each_change_is_audited(
    station: Station, admin: Operator, clerk: Operator
) -> None:
    with pytest.raises(PermissionDeniedError):
        station.add_api_client(clerk, "his")
    _client, token = station.add_api_client(admin, "his", ["identity", "photo"], ["https://his.example.vn"])
    with pytest.raises(PermissionDeniedError):
        station.remove_api_client(clerk, "his")
    station.remove_api_client(admin, "his")
    assert station.authenticate_api_client(token) is None
    events = [(e.action, e.operator, dict(e.detail)) for e in station.db.audit.search(kind="admin")]
    assert events[-2:] == [
        (
            "api_client_add",
            "admin",
            {"client": "his", "scopes": ["identity", "photo"], "origins": ["https://his.example.vn"]},
        ),
        ("api_client_remove", "admin", {"client": "his"}),
    ]
    assert token not in repr(station.db.audit.search())


def test_the_api_settings_are_an_administrators_and_stay_on_loopback_without_tls(
    station: Station, admin: Operator, clerk: Operator
) -> None:
    defaults = station.settings()
    assert (defaults.api_enabled, defaults.api_listen, defaults.api_tls) == (False, "127.0.0.1:8777", False)
    with pytest.raises(PermissionDeniedError):
        station.update_settings(clerk, api_enabled=True)
    with pytest.raises(ValueError, match="only with TLS"):
        station.update_settings(admin, api_listen="192.168.1.20:8777")
    with pytest.raises(ValueError, match="HOST:PORT"):
        station.update_settings(admin, api_listen="8777")
    changed = station.update_settings(admin, api_enabled=True, api_listen="192.168.1.20:9000", api_tls=True)
    assert (changed.api_enabled, changed.api_listen, changed.api_tls) == (True, "192.168.1.20:9000", True)
    with pytest.raises(ValueError, match="only with TLS"):
        station.update_settings(admin, api_tls=False)  # the LAN address stays, so TLS must
    assert station.update_settings(admin, api_listen="[::1]:8777", api_tls=False).api_listen == "[::1]:8777"
    [*_, last] = station.db.audit.search(action="settings_change")
    assert last.detail["keys"] == ["api.listen", "api.tls"]


def test_listen_addresses() -> None:
    assert parse_listen_address(" 127.0.0.1:8777 ") == ("127.0.0.1", 8777)
    assert parse_listen_address("[0:0::1]:80") == ("::1", 80)
    assert parse_listen_address("localhost:1") == ("localhost", 1)
    assert parse_listen_address("127.0.0.1:0", any_port=True) == ("127.0.0.1", 0)
    for text in ("127.0.0.1:0", "127.0.0.1:65536", "his.example.vn:80", "::1:80", "127.0.0.1", ":80"):
        with pytest.raises(ValueError):
            parse_listen_address(text)


def test_migration_0003_adds_the_clients_to_an_older_database(tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / SQLITE_FILE_NAME}"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        assert "api_clients" not in inspect(connection).get_table_names()
    engine.dispose()
    with Database.open(None, tmp_path) as database:
        _client, token = database.api_clients.add("console:test", "his")
        assert database.api_clients.authenticate(token) is not None


# -- the command line ---------------------------------------------------------------------------------


def test_station_api_client_add_list_remove(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    assert cli.main(["api-client", "add", "his", "--scope", "identity,address", "--scope", "photo",
                     "--origin", "https://his.example.vn"]) == 0  # fmt: skip
    added = capsys.readouterr()
    token = added.out.strip()
    assert "shown only this once" in added.err and "\n" not in token
    assert cli.main(["api-client", "add", "insurance"]) == 0
    capsys.readouterr()
    assert cli.main(["api-client", "list"]) == 0
    listing = capsys.readouterr().out
    assert cli.main(["api-client", "add", "his"]) == 2
    assert "already a client named 'his'" in capsys.readouterr().err
    assert cli.main(["api-client", "remove", "his"]) == 0
    assert cli.main(["api-client", "remove", "his"]) == 2
    with Station.open(tmp_path) as station:
        remaining = [each.name for each in station.api_clients()]
        actions = [(e.action, e.operator) for e in station.db.audit.search(kind="admin")]
    assert "identity,address,photo" in listing and "https://his.example.vn" in listing
    assert "identity,checks" in listing  # the default scopes
    assert token not in listing
    assert remaining == ["insurance"]
    assert [action for action, _operator in actions] == [
        "api_client_add",
        "api_client_add",
        "api_client_remove",
    ]
    assert all((operator or "").startswith("console:") for _action, operator in actions)
