"""The station's core: every read attempt audited by the core itself, saved records, exports, trust from the
database under the trust rule (locally and from central), sync, events and storage failures."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pki_builders import broken_signature, certificate, der, name
from sqlalchemy import select
from station_fixtures import PASSPORT_PERSONA, admin, clerk, inspection_result, station

from cccd_station.db import AuditEvent, Operator, PermissionDeniedError, TrustKind
from cccd_station.db.models import AuditEventRow, SavedRecordRow
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import AccessDeniedError, Cancelled, CardRemovedError
from cccd_station.reader.keys import IdNumberKey
from cccd_station.station import pipeline
from cccd_station.station.core import Station, SyncState
from cccd_station.station.demo import demo_key, demo_trust_files
from cccd_station.station.errors import ReaderBusyError
from cccd_station.station.events import StationEvent
from cccd_station.station.readers import DEMO_READER, DemoReaders
from cccd_station.station.trust import TrustImportError

__all__ = ["admin", "clerk", "station"]  # fixtures from station_fixtures

PERSONA = "nguyen-van-an"
ID_NUMBER = load_persona(PERSONA).id_number or ""
FULL_NAME = "Nguyễn Văn An"


def all_audit_text(station: Station) -> str:
    with station.db.session() as session:
        rows = session.scalars(select(AuditEventRow)).all()
        return json.dumps(
            [[str(getattr(row, column.key)) for column in AuditEventRow.__table__.columns] for row in rows],
            ensure_ascii=False,
        )


def trusting(station: Station, actor: Operator | str) -> Station:
    station.trust.import_files(demo_trust_files(), actor)  # type: ignore[union-attr]
    return station


def read_card(
    station: Station, persona: str = PERSONA, *faults: str, operator: Operator | None = None
) -> object:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(persona, faults)
    return station.read(demo_key(persona), reader=DEMO_READER, operator=operator)


def read_events(station: Station) -> list[AuditEvent]:
    return station.db.audit.search(action="card_read")


# -- every read attempt is audited by the core ----------------------------------------------------------


def test_a_read_is_audited_by_id_number_verdict_and_checks(
    station: Station, admin: Operator, clerk: Operator
) -> None:
    trusting(station, admin)
    result = read_card(station, operator=clerk)
    read_card(station, PASSPORT_PERSONA, "tampered-dg=2", operator=clerk)
    [event] = station.search_audit(id_number=f"{ID_NUMBER[:4]} {ID_NUMBER[4:8]} {ID_NUMBER[8:]}")
    assert (event.verdict, event.operator, event.reader_name) == ("verified", "clerk", DEMO_READER)
    assert event.access_protocol == "PACE-ECDH-GM-AES-128"
    assert event.checks == tuple((check.id, check.status.value) for check in result.checks)  # type: ignore[attr-defined]
    [failed] = station.search_audit(verdict="failed")
    assert ("dg.hashes", "fail") in failed.checks and failed.document_hash


def test_the_audit_holds_no_name_photo_or_plain_number(station: Station, admin: Operator) -> None:
    trusting(station, admin)
    read_card(station)
    stored = all_audit_text(station)
    assert ID_NUMBER not in stored and ID_NUMBER[-6:] not in stored
    assert FULL_NAME not in stored and "NGUYEN" not in stored.upper() and "Hà Nội" not in stored


@pytest.mark.parametrize(
    ("action", "kind", "outcome"),
    [
        ("wrong-key", "wrong_key", "error"),
        ("remove", "card_removed", "error"),
        ("cancel", "cancelled", "cancelled"),
        ("bug", "unexpected", "error"),
    ],
)
def test_a_failed_attempt_is_audited_with_its_kind(
    station: Station, monkeypatch: pytest.MonkeyPatch, action: str, kind: str, outcome: str
) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(PERSONA, ("remove-after=12",) if action == "remove" else ())
    key = IdNumberKey("000000000000") if action == "wrong-key" else demo_key(PERSONA)
    cancel = threading.Event()
    if action == "cancel":
        cancel.set()
    if action == "bug":
        monkeypatch.setattr(pipeline, "parse_document", lambda groups: 1 / 0)
    expected: type[BaseException] = {
        "wrong-key": AccessDeniedError,
        "remove": CardRemovedError,
        "cancel": Cancelled,
        "bug": ZeroDivisionError,
    }[action]
    with pytest.raises(expected):
        station.read(key, reader=DEMO_READER, cancel=cancel)
    [event] = read_events(station)
    assert (event.error_kind, event.outcome, event.verdict, event.checks) == (kind, outcome, "none", ())


def test_a_card_pulled_after_dg1_still_leaves_the_document_hash(station: Station) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(PERSONA, ("remove-after=14",))  # after EF.SOD, DG14, CA, DG1 and DG13
    with pytest.raises(CardRemovedError):
        station.read(demo_key(PERSONA), reader=DEMO_READER)
    [event] = read_events(station)
    assert event.error_kind == "card_removed"
    assert event.document_hash == station.db.document_hash(ID_NUMBER)


def test_the_command_line_and_a_direct_call_leave_the_same_audit_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cccd_station.station.cli import main

    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    assert main(["read", "--virtual", PERSONA, "--id", ID_NUMBER, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "verified"
    with Station.open_demo(tmp_path) as demo:
        read_card(demo)
        cli_event, core_event = read_events(demo)

    def comparable(event: object) -> dict[str, object]:
        values = dict(vars(event))
        return {key: value for key, value in values.items() if key not in ("id", "seq", "occurred_at")}

    assert comparable(cli_event) == comparable(core_event)
    assert cli_event.document_hash


def test_station_read_takes_the_id_number_from_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from cccd_station.station.cli import main

    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(ID_NUMBER + "\n"))
    assert main(["read", "--virtual", PERSONA, "--id", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["holder"]["id_number"] == ID_NUMBER


def test_no_audit_is_only_for_an_ad_hoc_read_with_trust(capsys: pytest.CaptureFixture[str]) -> None:
    from cccd_station.station.cli import main

    assert main(["read", "--virtual", PERSONA, "--id", ID_NUMBER, "--no-audit"]) == 2
    assert "only for an ad-hoc read with --trust" in capsys.readouterr().err


# -- events and the card thread ---------------------------------------------------------------------------


def test_a_read_publishes_started_progress_and_completed_in_order(station: Station) -> None:
    seen: list[StationEvent] = []
    station.events.subscribe(seen.append)
    station.start_readers()
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(PERSONA)
    handle = station.start_read(demo_key(PERSONA), reader=DEMO_READER)
    result = handle.future.result(timeout=30)
    kinds = [event.kind for event in seen]
    assert kinds[:2] == ["reader.added", "card.inserted"]
    assert kinds[2] == "read.started" and kinds[-1] == "read.completed"
    progress = [event for event in seen if event.kind == "read.progress"]
    assert {event.data["data_group"] for event in progress} >= {0, 1, 2, 13}
    assert [event.seq for event in seen] == sorted(event.seq for event in seen)
    assert seen[-1].result is result and "full_name" not in json.dumps(seen[-1].data)


def test_a_second_read_while_busy_is_refused_unless_it_replaces(station: Station) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(PERSONA)
    gate = threading.Event()
    release = threading.Event()
    original = pipeline.read_card_access_learning

    def slow(channel: object, extended: bool | None) -> object:
        gate.set()
        release.wait(10)
        return original(channel, extended)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "read_card_access_learning", slow)
        first = station.start_read(demo_key(PERSONA), reader=DEMO_READER)
        assert gate.wait(10)
        with pytest.raises(ReaderBusyError):
            station.start_read(demo_key(PERSONA), reader=DEMO_READER)
        with pytest.raises(ReaderBusyError):
            station.read(demo_key(PERSONA), reader=DEMO_READER)
        second = station.start_read(demo_key(PERSONA), reader=DEMO_READER, replace=True)
        release.set()
        with pytest.raises(Cancelled):
            first.future.result(timeout=30)
        assert second.future.result(timeout=30).verdict.value in ("verified", "partial")


def test_a_read_waits_for_a_card_then_gives_up_with_no_card(station: Station) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    threading.Timer(0.3, demo.place_card, args=(PERSONA,)).start()
    assert station.read(demo_key(PERSONA), wait_s=10).record.id_number == ID_NUMBER
    demo.remove_card()
    started = time.monotonic()
    from cccd_station.reader.errors import NoCardError

    with pytest.raises(NoCardError):
        station.read(demo_key(PERSONA), wait_s=0.5)
    assert 0.4 < time.monotonic() - started < 5


# -- saved records --------------------------------------------------------------------------------------


def test_a_saved_record_round_trips_for_an_admin_only(
    station: Station, admin: Operator, clerk: Operator
) -> None:
    result = inspection_result()
    info = station.save_record(clerk, result)
    assert info.operator == "clerk" and info.has_photo
    assert [r.id for r in station.list_records(id_number=ID_NUMBER)] == [info.id]
    with pytest.raises(PermissionDeniedError):
        station.view_record(clerk, info.id)
    record = station.view_record(admin, info.id)
    assert record.fields["holder"]["full_name"] == FULL_NAME
    assert record.photo == (result.photo.data if result.photo else None)
    assert station.db.audit.search(action="record_view")[0].operator == "admin"
    with station.db.session() as session:
        row = session.get(SavedRecordRow, info.id)
        assert row is not None and FULL_NAME.encode() not in row.fields_ciphertext


def test_the_site_key_lives_outside_the_database_owner_only(station: Station) -> None:
    key_file = station.data_dir / "site.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() not in (station.data_dir / "station.sqlite3").read_bytes()


def test_exports_are_admin_only_and_audited(station: Station, admin: Operator, clerk: Operator) -> None:
    trusting(station, admin)
    read_card(station, operator=clerk)
    events = station.search_audit(verdict="verified")
    with pytest.raises(PermissionDeniedError):
        station.export_audit(clerk, events, "csv")
    csv_text = station.export_audit(admin, events, "csv").decode("utf-8-sig")
    assert "verified" in csv_text and "chip.authentication=pass" in csv_text
    assert json.loads(station.export_audit(admin, events, "json"))["events"][0]["document_hash"]
    first = station.save_record(clerk, inspection_result())
    station.save_record(clerk, inspection_result(PASSPORT_PERSONA))
    exported = json.loads(station.export_records(admin, [first.id], "json"))
    assert [item["fields"]["holder"]["id_number"] for item in exported["records"]] == [ID_NUMBER]
    assert station.db.audit.search(action="export")[0].detail["count"] == 1


def test_a_spreadsheet_formula_in_an_exported_cell_is_defused(station: Station, admin: Operator) -> None:
    from cccd_station.station.core import audit_export_bytes

    event = station.db.audit.record_read(
        None,
        reader_name="=cmd|' /C calc'!A0",
        access_protocol=None,
        verdict="none",
        checks=(),
        outcome="error",
    )
    assert "'=cmd" in audit_export_bytes([event], "csv").decode("utf-8-sig")


# -- trust from the database ----------------------------------------------------------------------------


def test_an_import_is_stored_audited_and_used_by_the_next_read(station: Station, admin: Operator) -> None:
    assert read_card(station).verdict.value == "partial"  # type: ignore[attr-defined]
    imported = station.trust.import_files(demo_trust_files(), admin)  # type: ignore[union-attr]
    assert {each.subject for each in imported.accepted} >= {"CSCA TEST VNM", "CSCA TEST UTOPIA"}
    assert [entry.source for entry in station.db.trust.list()] == [
        "csca-test-vnm.pem",
        "csca-test-vnm-explicit.pem",
        "masterlist-test.ml",
        "crl-test-vnm.crl",
    ]
    audit = station.db.audit.search(action="trust_import")
    assert [event.operator for event in audit] == ["admin"] * 4
    assert audit[2].detail["accepted"] == 2 and audit[2].detail["refused"] == 0
    assert read_card(station).verdict.value == "verified"  # type: ignore[attr-defined]


def test_a_refused_file_changes_nothing(
    station: Station, admin: Operator, clerk: Operator, tmp_path: Path
) -> None:
    assert station.trust is not None
    with pytest.raises(TrustImportError, match="not a CA"):
        station.trust.import_path(TESTPKI_DIR / "dsc-test-vnm-01.pem", admin)
    with pytest.raises(TrustImportError, match="does not trust"):
        station.trust.import_path(TESTPKI_DIR / "masterlist-test.ml", admin)  # its CSCA is not trusted yet
    junk = tmp_path / "junk.ml"
    junk.write_bytes(b"\x30\x03\x02\x01\x00")
    with pytest.raises(TrustImportError):
        station.trust.import_path(junk, admin)
    with pytest.raises(PermissionDeniedError):
        station.trust.import_path(TESTPKI_DIR / "csca-test-vnm.pem", clerk)
    assert station.db.trust.list() == [] and station.anchors.cscas == ()


def test_a_folder_is_evaluated_as_one_so_the_order_of_files_does_not_matter(
    station: Station, admin: Operator, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for source, target in (
        ("masterlist-test.ml", "a-list.ml"),
        ("csca-test-vnm-link.pem", "b-link.pem"),
        ("crl-test-vnm.crl", "c.crl"),
        ("csca-test-vnm.pem", "z-root.pem"),
    ):
        shutil.copy(TESTPKI_DIR / source, folder / target)
    imported = station.trust.import_path(folder, admin)  # type: ignore[union-attr]
    assert not imported.refused
    assert station.trust.state.countries() == {"UT": 1, "VN": 2}  # type: ignore[union-attr]


def test_a_removal_stays_removed_after_a_restart(tmp_path: Path) -> None:
    with Station.open(tmp_path, readers=DemoReaders()) as first:
        operator = first.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        trusting(first, operator)
        assert first.trust is not None
        removed = first.trust.remove(first.db.trust.list()[0].fingerprint[:12], operator)
        assert removed.source == "csca-test-vnm.pem"
        # The master list hung on that CSCA: it goes too; the explicit-curve TEST CSCA stays.
        assert [csca.subject.native["common_name"] for csca in first.anchors.cscas] == [
            "CSCA TEST VNM EXPLICIT"
        ]
        assert first.db.audit.search(action="trust_remove")[0].detail["subject"] == "CSCA TEST VNM"
    with Station.open(tmp_path, readers=DemoReaders()) as again:
        assert len(again.anchors.cscas) == 1
        assert [entry.source for entry in again.db.trust.list()] == [
            "csca-test-vnm-explicit.pem",
            "masterlist-test.ml",
            "crl-test-vnm.crl",
        ]


def test_a_csca_that_came_in_a_master_list_is_removed_with_its_list(
    station: Station, admin: Operator
) -> None:
    trusting(station, admin)
    assert station.trust is not None
    utopia = next(each for each in station.trust.state.decisions if each.subject == "CSCA TEST UTOPIA")
    with pytest.raises(TrustImportError, match="remove the master list instead"):
        station.trust.remove(utopia.fingerprint, admin)


# -- sync with central: trust flows, and is checked again at every counter ------------------------------


@pytest.fixture
def two_counters(tmp_path: Path, central_url: str) -> Iterator[tuple[Station, Operator, Station, Operator]]:
    with (
        Station.open(tmp_path / "a", readers=DemoReaders()) as first,
        Station.open(tmp_path / "b", readers=DemoReaders()) as second,
    ):
        first_admin = first.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        second_admin = second.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        first.update_settings(first_admin, central_url=central_url, station_id="counter-a")
        second.update_settings(second_admin, central_url=central_url, station_id="counter-b")
        yield first, first_admin, second, second_admin


def test_sync_state_counts_waiting_items_until_central_takes_them(
    station: Station, admin: Operator, central_url: str
) -> None:
    before = station.sync_status()
    assert not before.configured and before.pending > 0 and not before.in_sync
    read_card(station)
    assert station.sync_status().pending == before.pending + 1
    station.update_settings(admin, central_url="postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    offline = station.sync_now()
    assert offline.configured and offline.pending == before.pending + 2 and offline.last_error
    station.update_settings(admin, central_url=central_url)
    synced = station.sync_now()
    assert (synced.configured, synced.pending, synced.in_sync, synced.last_error) == (True, 0, True, None)


def test_an_import_at_one_counter_reaches_the_other_under_the_trust_rule(
    two_counters: tuple[Station, Operator, Station, Operator],
) -> None:
    first, first_admin, second, second_admin = two_counters
    trusting(first, first_admin)
    assert first.sync_now().in_sync
    second.sync_now()
    assert second.trust is not None
    # The Vietnamese root came from another counter: not trusted here until an administrator imports it,
    # and the master list and CRL that hang on it wait with it.
    assert second.anchors.cscas == ()
    received = second.db.audit.search(action="trust_received")
    assert len(received) == 4 and not any(event.detail["accepted"] for event in received)
    assert "administrator imports it" in received[0].detail["reason"]
    second.trust.import_path(TESTPKI_DIR / "csca-test-vnm.pem", second_admin)
    assert second.trust.state.countries() == {"UT": 1, "VN": 1} and second.anchors.crls


def test_rogue_rows_pushed_by_a_stolen_counter_credential_are_rejected_and_audited(
    two_counters: tuple[Station, Operator, Station, Operator],
) -> None:
    first, first_admin, second, second_admin = two_counters
    second.trust.import_path(TESTPKI_DIR / "csca-test-vnm.pem", second_admin)  # type: ignore[union-attr]
    rogue_root = certificate("stolen-credential-root", name("CSCA VIET NAM", "VN"))
    for data in (der(rogue_root), broken_signature(rogue_root)):
        # What a stolen credential writes: straight into the rows, past every check.
        first.db.trust.add(TrustKind.CSCA, data, "pushed.der", first_admin, {})
    first.sync_now()
    second.sync_now()
    assert len(second.anchors.cscas) == 1  # only the Vietnamese TEST CSCA its own administrator imported
    rejected = second.db.audit.search(action="trust_received")
    assert len(rejected) == 2 and not any(event.detail["accepted"] for event in rejected)
    reasons = " / ".join(str(event.detail["reason"]) for event in rejected)
    assert "self-signature" in reasons and "administrator imports it" in reasons


def test_a_removed_entry_does_not_come_back_from_central(
    two_counters: tuple[Station, Operator, Station, Operator],
) -> None:
    first, first_admin, second, second_admin = two_counters
    trusting(first, first_admin)
    first.sync_now()
    second.sync_now()
    list_entry = next(entry for entry in second.db.trust.list() if entry.source == "masterlist-test.ml")
    second.trust.remove(list_entry.fingerprint, second_admin)  # type: ignore[union-attr]
    second.sync_now()
    assert "masterlist-test.ml" not in [entry.source for entry in second.db.trust.list()]


def test_the_sync_loop_reports_and_stops_promptly(station: Station, admin: Operator, tmp_path: Path) -> None:
    station.update_settings(admin, central_url=f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}")
    states: list[SyncState] = []
    reported = threading.Event()

    def on_sync(state: SyncState) -> None:
        states.append(state)
        reported.set()

    station.on_sync = on_sync
    station.start_sync(interval=60)
    assert reported.wait(20)
    assert states[0].in_sync and states[0].pending == 0
    started = time.monotonic()
    station.stop_sync()
    assert time.monotonic() - started < 2


def test_the_sync_loop_purges_expired_records_daily(tmp_path: Path) -> None:
    now = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    with Station.open(tmp_path / "station", readers=DemoReaders(), clock=lambda: now[0]) as opened:
        first_admin = opened.db.operators.create_first_admin("admin", "Quản trị", "Quan-tri-2026")
        opened.update_settings(first_admin, retention_days=30)
        opened.save_record(first_admin, inspection_result())
        reported = threading.Event()
        opened.on_sync = lambda _state: reported.set()
        now[0] += timedelta(days=20)
        opened.start_sync(interval=60)
        assert reported.wait(20)
        opened.stop_sync()
        assert len(opened.list_records()) == 1
        now[0] += timedelta(days=20)
        reported.clear()
        opened.start_sync(interval=60)
        assert reported.wait(20)
        opened.stop_sync()
        assert opened.list_records() == []
        assert opened.db.audit.search(action="records_purge")[0].detail["count"] == 1


# -- storage failures ----------------------------------------------------------------------------------


def test_a_database_gone_during_a_read_keeps_the_result_and_says_it_was_not_recorded(tmp_path: Path) -> None:
    directory = tmp_path / "station"
    with Station.open(directory, readers=DemoReaders()) as opened:
        read_card(opened)
        failures: list[StationEvent] = []
        opened.events.subscribe(
            lambda event: failures.append(event) if event.kind == "audit.failed" else None
        )
        database_file = directory / "station.sqlite3"
        aside = tmp_path / "aside.sqlite3"
        opened.db.engine.dispose()
        shutil.move(database_file, aside)
        os.mkdir(database_file)  # the file is gone and cannot be recreated
        try:
            result = read_card(opened)
        finally:
            opened.db.engine.dispose()
            os.rmdir(database_file)
            shutil.move(aside, database_file)
        assert result.record.id_number == ID_NUMBER  # type: ignore[attr-defined]
        assert [event.data["kind"].startswith("storage") for event in failures] == [True]
    with Station.open(directory, readers=DemoReaders()) as reopened:
        assert len(read_events(reopened)) == 1  # the first read stayed committed


def test_a_read_in_progress_keeps_its_anchors(station: Station, admin: Operator) -> None:
    in_use = station.anchors
    trusting(station, admin)
    assert in_use.cscas == ()  # the snapshot a read may be walking did not change under it
    assert len(station.anchors.cscas) == 3


def test_a_central_row_with_a_pss_identifier_without_parameters_does_not_stop_the_counter(
    two_counters: tuple[Station, Operator, Station, Operator], tmp_path: Path
) -> None:
    """The review found this row made every counter fail at start-up with a TypeError."""
    from sigkit import certificate as raw_certificate
    from sigkit import pss_default_signer, rsa_key, simple_name, spki_of

    first, first_admin, second, _ = two_counters
    signer = pss_default_signer(rsa_key(2048), None)
    csca_name = simple_name("CSCA PSS", "VN")
    odd = raw_certificate(csca_name, csca_name, spki_of(signer), signer, ca=True)
    first.db.trust.add(TrustKind.CSCA, odd, "odd.der", first_admin, {})
    first.sync_now()
    second.sync_now()
    [arrival] = second.db.audit.search(action="trust_received")
    assert not arrival.detail["accepted"] and "parameters" in str(arrival.detail["reason"])
    second.close()
    with Station.open(tmp_path / "b", readers=DemoReaders()) as again:  # starts, and says why
        [row] = again.trust.rows()  # type: ignore[union-attr]
        assert row.decision is not None and not row.decision.accepted


# -- the read path: text first, progress by bytes, a card that slips away ---------------------------------


def test_the_holders_text_is_published_before_the_portrait_without_personal_data_in_its_data(
    station: Station, admin: Operator
) -> None:
    trusting(station, admin)  # the text goes out once EF.SOD's signer is trusted
    seen: list[StationEvent] = []
    station.events.subscribe(seen.append)
    read_card(station)
    kinds = [event.kind for event in seen]
    [text_event] = [event for event in seen if event.kind == "read.text"]
    portrait = [
        i for i, event in enumerate(seen) if event.kind == "read.progress" and event.data["data_group"] == 2
    ]
    assert kinds.index("read.text") < portrait[0] < kinds.index("read.completed")
    assert text_event.text is not None and text_event.text.record.id_number == ID_NUMBER
    assert not hasattr(text_event.text, "photo")  # the text, without the portrait
    assert text_event.data["data_groups"] == [1, 13] and text_event.data["chip_proven"] is True
    assert FULL_NAME not in json.dumps(text_event.data, ensure_ascii=False) and ID_NUMBER not in str(seen)
    # read.progress names the file and how many of its bytes have come.
    last = seen[portrait[-1]].data
    assert last["bytes"] == last["file_size"] > 10_000 and last["total_bytes"] >= last["file_size"]


def test_no_text_goes_out_early_when_the_signer_is_not_trusted(station: Station) -> None:
    seen: list[StationEvent] = []
    station.events.subscribe(seen.append)
    read_card(station)  # no trust anchors in this station: the verdict is partial, the text waits for it
    assert "read.text" not in [event.kind for event in seen]


def test_a_card_that_slips_off_the_demo_reader_is_waited_for_and_read_on(station: Station) -> None:
    seen: list[StationEvent] = []
    station.start_readers()
    demo = station.readers
    assert isinstance(demo, DemoReaders)

    def on_event(event: StationEvent) -> None:
        seen.append(event)
        if event.kind == "read.suspended":  # the clerk lays the card back
            threading.Timer(0.2, demo.place_card, args=(PERSONA,)).start()

    station.events.subscribe(on_event)
    demo.place_card(PERSONA, ("slip-at=15",))
    result = station.start_read(demo_key(PERSONA), reader=DEMO_READER).future.result(timeout=30)
    assert result.verdict.value in ("verified", "partial") and result.resumed == 1
    kinds = [event.kind for event in seen]
    slipped = kinds.index("read.suspended")
    assert kinds.index("card.removed") < kinds.index("read.resumed") and slipped < kinds.index("read.resumed")
    assert (
        seen[slipped].data["seconds"] == station.resume_window_s and seen[slipped].data["bytes_kept"] > 1000
    )
    [event] = read_events(station)
    assert event.outcome == "completed"


def test_a_card_that_does_not_come_back_ends_the_read_as_removed_after_the_window(station: Station) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    station.resume_window_s = 0.3
    demo.place_card(PERSONA, ("slip-at=15",))
    started = time.monotonic()
    with pytest.raises(CardRemovedError):
        station.start_read(demo_key(PERSONA), reader=DEMO_READER).future.result(timeout=30)
    assert 0.3 <= time.monotonic() - started < 5
    [event] = read_events(station)
    assert event.error_kind == "card_removed" and event.document_hash == station.db.document_hash(ID_NUMBER)


def test_station_read_waits_for_a_slipped_card_as_long_as_for_a_card(station: Station) -> None:
    demo = station.readers
    assert isinstance(demo, DemoReaders)
    demo.place_card(PERSONA, ("slip-at=15",))
    with pytest.raises(CardRemovedError):  # no wait: no resume
        station.read(demo_key(PERSONA), reader=DEMO_READER)
    demo.place_card(PERSONA, ("slip-at=15",))
    threading.Timer(0.5, demo.place_card, args=(PERSONA,)).start()
    assert station.read(demo_key(PERSONA), reader=DEMO_READER, wait_s=10).resumed == 1


def test_the_command_line_prints_the_text_before_the_portrait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cccd_station.station.cli import main

    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    assert main(["read", "--virtual", PERSONA, "--id", ID_NUMBER, "--progress"]) == 0
    err = capsys.readouterr().err
    assert err.index("read DG13") < err.index("Text verified") < err.index(FULL_NAME) < err.index("read DG2")


def test_with_several_readers_the_card_placed_first_is_read_first() -> None:
    from cccd_station.station.readers import _ReaderTable

    table = _ReaderTable()
    for reader in ("Virtual PCD 00 00", "Virtual PCD 00 01", "ACS ACR1252 Dual Reader PICC 00 00"):
        table.update("reader.added", reader)
    table.update("card.inserted", "Virtual PCD 00 01")
    table.update("card.inserted", "Virtual PCD 00 00")
    assert table.wait_for_card(None, 0) == "Virtual PCD 00 01"  # the first card wins
    table.update("card.removed", "Virtual PCD 00 01")
    assert table.wait_for_card(None, 0) == "Virtual PCD 00 00"  # the second's turn
    table.update("card.inserted", "ACS ACR1252 Dual Reader PICC 00 00")
    assert table.wait_for_card(None, 0) == "ACS ACR1252 Dual Reader PICC 00 00"  # a reader on the desk first
