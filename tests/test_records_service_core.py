"""StationServices: audit of read attempts, saved records, exports, trust imports, sync state."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from test_records_service_fixtures import (
    PASSPORT_PERSONA,
    admin,
    clerk,
    inspection_result,
    services,
)

from cccd_station.crypto.truststore import EntryKind, TrustStore
from cccd_station.db import Operator, PermissionDeniedError, StorageError, TrustKind
from cccd_station.db.models import AuditEventRow, SavedRecordRow
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import AccessDeniedError, Cancelled, CardRemovedError
from cccd_station.station.records_service import StationServices, SyncState, TrustImportError

__all__ = ["admin", "clerk", "services"]  # fixtures shared with the admin screen tests

ID_NUMBER = load_persona("nguyen-van-an").id_number or ""
FULL_NAME = "Nguyễn Văn An"


def all_audit_text(services: StationServices) -> str:
    with services.db.session() as session:
        rows = session.scalars(select(AuditEventRow)).all()
        return json.dumps(
            [[str(getattr(row, column.key)) for column in AuditEventRow.__table__.columns] for row in rows],
            ensure_ascii=False,
        )


# -- audit ---------------------------------------------------------------------------------------------


def test_read_attempt_is_found_by_id_number_and_verdict(services: StationServices, clerk: Operator) -> None:
    event = services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result(PASSPORT_PERSONA, forged=True))

    spaced = f"{ID_NUMBER[:4]} {ID_NUMBER[4:8]} {ID_NUMBER[8:]}"
    assert [e.id for e in services.search_audit(id_number=spaced)] == [event.id]
    assert [e.id for e in services.search_audit(verdict="verified")] == [event.id]
    failed = services.search_audit(verdict="failed")
    assert len(failed) == 1 and ("dg.hashes", "fail") in failed[0].checks
    assert services.search_audit(id_number="079099000001") == []
    assert event.operator == "clerk" and event.access_protocol == "PACE-ECDH-GM-AES-128"


def test_audit_holds_no_name_photo_or_plain_number(services: StationServices, clerk: Operator) -> None:
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    stored = all_audit_text(services)
    assert ID_NUMBER not in stored
    assert FULL_NAME not in stored and "NGUYEN" not in stored.upper()
    assert "Hà Nội" not in stored


@pytest.mark.parametrize(
    ("error", "kind", "outcome"),
    [
        (AccessDeniedError("wrong CAN"), "wrong_key", "error"),
        (CardRemovedError("gone"), "card_removed", "error"),
        (Cancelled(), "cancelled", "cancelled"),
        (RuntimeError("bug"), "unexpected", "error"),
    ],
)
def test_failed_attempt_records_its_kind(
    services: StationServices, clerk: Operator, error: BaseException, kind: str, outcome: str
) -> None:
    event = services.record_attempt(clerk, "Virtual PCD 00 01", error)
    assert (event.error_kind, event.outcome, event.verdict, event.checks) == (kind, outcome, "none", ())
    assert services.search_audit(verdict="none")[0].id == event.id


def test_audit_export_is_admin_only_and_itself_audited(
    services: StationServices, admin: Operator, clerk: Operator
) -> None:
    services.record_attempt(clerk, "=cmd|' /C calc'!A0", inspection_result())
    events = services.search_audit(verdict="verified")
    with pytest.raises(PermissionDeniedError):
        services.export_audit(clerk, events, "csv")

    csv_text = services.export_audit(admin, events, "csv").decode("utf-8-sig")
    assert "verified" in csv_text and "chip.authentication=pass" in csv_text
    assert "'=cmd" in csv_text  # a spreadsheet must not run the reader name as a formula
    exported = json.loads(services.export_audit(admin, events, "json"))
    assert exported["events"][0]["document_hash"] == events[0].document_hash
    exports = services.db.audit.search(action="audit_export")
    assert [(e.operator, e.detail["format"], e.detail["count"]) for e in exports] == [
        ("admin", "csv", 1),
        ("admin", "json", 1),
    ]


# -- saved records -------------------------------------------------------------------------------------


def test_saved_record_round_trip_for_admin_only(
    services: StationServices, admin: Operator, clerk: Operator
) -> None:
    result = inspection_result()
    info = services.save_record(clerk, result)
    assert info.operator == "clerk" and info.has_photo
    assert [r.id for r in services.list_records(id_number=ID_NUMBER)] == [info.id]

    with pytest.raises(PermissionDeniedError):
        services.view_record(clerk, info.id)
    record = services.view_record(admin, info.id)
    assert record.fields["holder"]["full_name"] == FULL_NAME
    assert record.fields["mrz"]["document_number"] == result.record.document_number
    assert record.photo == result.photo.data if result.photo else False
    assert services.db.audit.search(action="record_view")[0].operator == "admin"

    with services.db.session() as session:
        row = session.get(SavedRecordRow, info.id)
        assert row is not None and FULL_NAME.encode() not in row.fields_ciphertext


def test_site_key_lives_outside_the_database_owner_only(services: StationServices) -> None:
    key_file = services.data_dir / "site.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() not in (services.data_dir / "station.sqlite3").read_bytes()


def test_record_export_is_audited(services: StationServices, admin: Operator, clerk: Operator) -> None:
    first = services.save_record(clerk, inspection_result())
    services.save_record(clerk, inspection_result(PASSPORT_PERSONA))
    exported = json.loads(services.export_records(admin, [first.id], "json"))
    assert [item["fields"]["holder"]["id_number"] for item in exported["records"]] == [ID_NUMBER]
    assert services.db.audit.search(action="export")[0].detail["count"] == 1


# -- trust store ---------------------------------------------------------------------------------------


def test_trust_imports_land_in_both_stores(services: StationServices, admin: Operator) -> None:
    listed = services.import_trust_file(admin, TESTPKI_DIR / "masterlist-test.ml", TrustKind.MASTER_LIST)
    assert listed.entries and all(entry.kind is EntryKind.CSCA for entry in listed.entries)
    crl = services.import_trust_file(admin, TESTPKI_DIR / "crl-test-vnm.crl", TrustKind.CRL)
    csca = services.import_trust_file(admin, TESTPKI_DIR / "csca-test-utopia.pem", TrustKind.CSCA)

    working = {entry.fingerprint for entry in services.trust_store.entries()}
    assert {e.fingerprint for e in listed.entries + crl.entries + csca.entries} <= working
    mirrored = [(entry.kind, entry.source) for entry in services.trust_entries()]
    assert mirrored == [
        (TrustKind.MASTER_LIST, "masterlist-test.ml"),
        (TrustKind.CRL, "crl-test-vnm.crl"),
        (TrustKind.CSCA, "csca-test-utopia.pem"),
    ]
    assert len(services.db.audit.search(action="trust_import")) == 3


def test_refused_trust_file_changes_neither_store(
    services: StationServices, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    with pytest.raises(TrustImportError):
        services.import_trust_file(admin, TESTPKI_DIR / "dsc-test-vnm-01.pem", TrustKind.CSCA)  # not a CA
    junk = tmp_path / "junk.ml"
    junk.write_bytes(b"\x30\x03\x02\x01\x00")
    with pytest.raises(TrustImportError):
        services.import_trust_file(admin, junk, TrustKind.MASTER_LIST)
    with pytest.raises(PermissionDeniedError):
        services.import_trust_file(clerk, TESTPKI_DIR / "csca-test-vnm.pem", TrustKind.CSCA)
    assert services.trust_store.entries() == [] and services.trust_entries() == []


# -- sync ----------------------------------------------------------------------------------------------


def _pg_schema_url(base_url: str) -> tuple[str, Callable[[], None]]:
    schema = f"admin_{uuid.uuid4().hex[:12]}"
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
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}"
        return
    url, drop = _pg_schema_url(request.getfixturevalue("postgres_url"))
    try:
        yield url
    finally:
        drop()


def test_sync_state_counts_waiting_items_until_central_takes_them(
    services: StationServices, admin: Operator, clerk: Operator, central_url: str
) -> None:
    before = services.sync_status()
    assert not before.configured and before.pending > 0 and not before.in_sync
    services.record_attempt(clerk, "Virtual PCD 00 00", inspection_result())
    assert services.sync_status().pending == before.pending + 1

    services.update_settings(admin, central_url="postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    offline = services.sync_now()
    assert offline.configured and offline.pending == before.pending + 2  # + the settings change
    assert offline.last_error and not offline.in_sync

    services.update_settings(admin, central_url=central_url)
    synced = services.sync_now()
    assert (synced.configured, synced.pending, synced.in_sync, synced.last_error) == (True, 0, True, None)


def test_trust_imported_at_one_counter_reaches_another(tmp_path: Path, central_url: str) -> None:
    with (
        StationServices.open(tmp_path / "a") as first,
        StationServices.open(tmp_path / "b") as second,
    ):
        first_admin = first.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        second_admin = second.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        first.update_settings(first_admin, central_url=central_url, station_id="counter-a")
        second.update_settings(second_admin, central_url=central_url, station_id="counter-b")
        imported = first.import_trust_file(
            first_admin, TESTPKI_DIR / "masterlist-test.ml", TrustKind.MASTER_LIST
        )
        first.import_trust_file(first_admin, TESTPKI_DIR / "crl-test-vnm.crl", TrustKind.CRL)
        assert first.sync_now().in_sync
        assert second.trust_store.entries() == []

        second.sync_now()
        received = {entry.fingerprint for entry in second.trust_store.entries()}
        assert {entry.fingerprint for entry in imported.entries} <= received
        assert len(received) == len(first.trust_store.entries())
        assert second.trust_problems() == {}
    # A restart reads the working store from its files: nothing is applied twice or lost.
    assert len(TrustStore(tmp_path / "b" / "trust").entries()) == len(received)


def test_sync_loop_reports_and_stops_promptly(
    services: StationServices, admin: Operator, tmp_path: Path
) -> None:
    services.update_settings(admin, central_url=f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}")
    states: list[SyncState] = []
    reported = threading.Event()

    def on_sync(state: SyncState) -> None:
        states.append(state)
        reported.set()

    services.on_sync = on_sync
    services.start_sync(interval=60)
    assert reported.wait(20)
    assert states[0].in_sync and states[0].pending == 0
    started = time.monotonic()
    services.stop_sync()
    assert time.monotonic() - started < 2


# -- storage failures ----------------------------------------------------------------------------------


def test_database_gone_is_a_clear_error_and_committed_events_stay(tmp_path: Path) -> None:
    directory = tmp_path / "station"
    with StationServices.open(directory) as opened:
        clerk_admin = opened.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        kept = opened.record_attempt(clerk_admin, "Virtual PCD 00 00", inspection_result())
        database_file = directory / "station.sqlite3"
        aside = tmp_path / "aside.sqlite3"
        opened.db.engine.dispose()
        shutil.move(database_file, aside)
        os.mkdir(database_file)  # the file is gone and cannot be recreated
        try:
            with pytest.raises(StorageError, match=r"cannot be opened or written|failed"):
                opened.record_attempt(clerk_admin, "Virtual PCD 00 00", AccessDeniedError("x"))
        finally:
            opened.db.engine.dispose()
            os.rmdir(database_file)
            shutil.move(aside, database_file)
    with StationServices.open(directory) as reopened:
        assert [event.id for event in reopened.search_audit(verdict="verified")] == [kept.id]


def test_a_read_in_progress_keeps_its_trust_store(services: StationServices, admin: Operator) -> None:
    in_use = services.trust_store
    services.import_trust_file(admin, TESTPKI_DIR / "csca-test-vnm.pem", TrustKind.CSCA)
    assert in_use.entries() == []  # the store a read may be walking did not change under it
    assert [entry.source for entry in services.trust_store.entries()] == ["csca-test-vnm.pem"]


def test_sync_loop_purges_expired_records_daily(tmp_path: Path) -> None:
    now = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    with StationServices.open(tmp_path / "station", clock=lambda: now[0]) as opened:
        first_admin = opened.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        opened.update_settings(first_admin, retention_days=30)
        opened.save_record(first_admin, inspection_result())
        reported = threading.Event()
        opened.on_sync = lambda _state: reported.set()

        now[0] += timedelta(days=20)  # within retention: kept
        opened.start_sync(interval=60)
        assert reported.wait(20)
        opened.stop_sync()
        assert len(opened.list_records()) == 1

        now[0] += timedelta(days=20)  # past retention, and a day since the last purge
        reported.clear()
        opened.start_sync(interval=60)
        assert reported.wait(20)
        opened.stop_sync()
        assert opened.list_records() == []
        assert opened.db.audit.search(action="records_purge")[0].detail["count"] == 1
