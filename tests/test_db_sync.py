"""Forwarding from stations to the central database: exactly once, in order, through outages,
restarts and lost acknowledgements; trust entries flowing back to the stations."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from cccd_station.db import Database, Forwarder, KeyFileMissingError, Operator, TrustKind
from cccd_station.db import sync as db_sync
from cccd_station.db.models import AuditEventRow, OutboxRow, SyncLedgerRow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Database]:
    with Database.open(None, tmp_path / "station") as database:
        yield database


def _reads(database: Database, count: int, verdict: str = "genuine") -> None:
    for _ in range(count):
        database.audit.record_read(
            None,
            reader_name="Virtual PCD 00 00",
            access_protocol="PACE",
            verdict=verdict,
            checks=[("passive_auth", "passed")],
            outcome="ok",
            document_number="040301002468",
        )


def _local_order(database: Database) -> list[uuid.UUID]:
    with database.session() as session:
        return list(session.scalars(select(OutboxRow.item_id).order_by(OutboxRow.seq)))


def _assert_central_has_exactly(central_url: str, station: Database) -> None:
    """Every item of the station arrived once, under its own sequence number, none missing."""
    expected = _local_order(station)
    engine = create_engine(central_url)
    try:
        with engine.connect() as connection:
            ledger = connection.execute(
                select(SyncLedgerRow.seq, SyncLedgerRow.item_id)
                .where(SyncLedgerRow.station_id == station.station_id)
                .order_by(SyncLedgerRow.seq)
            ).all()
            events = connection.execute(
                select(AuditEventRow.seq, AuditEventRow.id)
                .where(AuditEventRow.station_id == station.station_id)
                .order_by(AuditEventRow.seq)
            ).all()
    finally:
        engine.dispose()
    assert [seq for seq, _ in ledger] == list(range(1, len(expected) + 1))
    assert [item for _, item in ledger] == expected
    assert [event_id for _, event_id in events] == expected  # audit rows: once each, station order


def test_forwarding_delivers_each_event_once_in_order(station: Database, central_url: str) -> None:
    _reads(station, 25)
    forwarder = Forwarder(station, central_url, batch_size=7)
    status = forwarder.sync_status()
    assert (status.in_sync, status.pending, status.last_success) == (False, 25, None)

    result = forwarder.sync_once()
    assert (result.sent, result.pending, result.error) == (25, 0, None)
    _reads(station, 3)
    assert forwarder.sync_once().sent == 3
    assert forwarder.sync_once().sent == 0
    status = forwarder.sync_status()
    assert status.in_sync and status.pending == 0 and status.last_success is not None
    forwarder.close()
    _assert_central_has_exactly(central_url, station)


def test_two_stations_forward_side_by_side(tmp_path: Path, central_url: str) -> None:
    with Database.open(None, tmp_path / "a") as first, Database.open(None, tmp_path / "b") as second:
        assert first.station_id != second.station_id
        _reads(first, 5)
        _reads(second, 4)
        for station in (first, second, first):
            Forwarder(station, central_url).sync_once()
        _reads(second, 2)
        assert Forwarder(second, central_url).sync_once().sent == 2
        _assert_central_has_exactly(central_url, first)
        _assert_central_has_exactly(central_url, second)


class _PowerCut(Exception):
    """Stands in for the station dying between the central commit and the local acknowledgement."""


def test_restart_after_central_commit_but_before_local_mark_duplicates_nothing(
    tmp_path: Path, central_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "station"
    with Database.open(None, data_dir) as station:
        _reads(station, 30)
        forwarder = Forwarder(station, central_url, batch_size=10)
        marks = 0
        real_mark = Forwarder._mark_delivered

        def mark_then_die(self: Forwarder, batch: Any) -> None:
            nonlocal marks
            marks += 1
            if marks == 2:
                raise _PowerCut
            real_mark(self, batch)

        monkeypatch.setattr(Forwarder, "_mark_delivered", mark_then_die)
        with pytest.raises(_PowerCut):
            forwarder.sync_once()
        forwarder.close()
        monkeypatch.undo()

    with Database.open(None, data_dir) as restarted:  # the station comes back
        forwarder = Forwarder(restarted, central_url, batch_size=10)
        assert forwarder.sync_status().pending == 20  # batch 2 reached the centre but is not marked
        result = forwarder.sync_once()
        assert (result.sent, result.pending, result.error) == (20, 0, None)
        forwarder.close()
        _assert_central_has_exactly(central_url, restarted)


SYNCER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cccd_station.db import Database, Forwarder

    station = Database.open(None, Path(sys.argv[2]))
    real_mark = Forwarder._mark_delivered

    def mark_and_tell(self, batch):
        real_mark(self, batch)
        print("batch", flush=True)

    Forwarder._mark_delivered = mark_and_tell
    Forwarder(station, sys.argv[1], batch_size=2).sync_once()
    print("done", flush=True)
    """
)


def test_station_killed_in_the_middle_of_a_sync_resumes_without_loss(
    tmp_path: Path, pg_fresh_url: str
) -> None:
    data_dir = tmp_path / "station"
    with Database.open(None, data_dir) as station:
        _reads(station, 200)
    syncer = subprocess.Popen(
        [sys.executable, "-c", SYNCER, pg_fresh_url, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert syncer.stdout is not None
    try:
        for _ in range(10):
            assert syncer.stdout.readline().strip() == "batch"
    finally:
        syncer.send_signal(signal.SIGKILL)
        rest, _ = syncer.communicate(timeout=10)
    assert "done" not in rest  # it really died mid-sync

    with Database.open(None, data_dir) as restarted:
        forwarder = Forwarder(restarted, pg_fresh_url)
        pending_before = forwarder.sync_status().pending
        assert 0 < pending_before < 200
        result = forwarder.sync_once()
        assert result.error is None and result.pending == 0
        assert result.sent == pending_before
        forwarder.close()
        _assert_central_has_exactly(pg_fresh_url, restarted)


def test_stations_sharing_an_id_are_stopped_not_merged(tmp_path: Path, central_url: str) -> None:
    with Database.open(None, tmp_path / "a") as first, Database.open(None, tmp_path / "b") as clone:
        admin = clone.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
        clone.settings.update(admin, station_id=first.station_id)
        _reads(first, 3)
        assert Forwarder(first, central_url).sync_once().error is None
        _reads(clone, 3)
        result = Forwarder(clone, central_url).sync_once()
        assert result.error is not None and "same station id" in result.error
        assert result.error_kind == "sync_conflict"
        assert result.sent == 0
        _assert_central_has_exactly(central_url, first)  # the first station's data is untouched


def test_unreachable_central_is_reported_not_raised(station: Database) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _reads(station, 2)
    forwarder = Forwarder(station, f"postgresql+psycopg://nobody:x@127.0.0.1:{port}/site", connect_timeout=2)
    result = forwarder.sync_once()
    assert result.sent == 0 and result.pending == 2
    assert result.error is not None and "central database cannot be reached" in result.error
    assert result.error_kind == "central_unavailable"
    status = forwarder.sync_status()
    assert not status.in_sync and status.last_error == result.error


def test_trust_entries_flow_from_the_central_database_to_stations(
    tmp_path: Path, central_url: str, station: Database
) -> None:
    # The central database is itself opened through the same API (an admin tool at the site).
    central = Database.open(central_url, tmp_path / "central")
    try:
        admin: Operator = central.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
        central.trust.add(TrustKind.CSCA, b"\x30\x03fictitious CSCA", "csca.der", admin, {})
        central.trust.add(TrustKind.CRL, b"\x30\x03fictitious CRL", "central", admin, {})
        forwarder = Forwarder(station, central_url)
        assert len(forwarder.sync_once().received) == 2
        arrived = station.trust.list()
        assert sorted(entry.source for entry in arrived) == ["central", "csca.der"]
        assert {entry.origin.value for entry in arrived} == {"central"}
        assert forwarder.sync_once().received == ()
        forwarder.close()
    finally:
        central.close()


# -- a private PostgreSQL server we can stop in the middle of forwarding ------------------------------


class PrivateServer:
    def __init__(self, bindir: Path, directory: Path, port: int) -> None:
        self.bindir, self.directory, self.port = bindir, directory, port
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.directory / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        # immediate: like a crash or a cut cable, open transactions are simply gone
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"
        )


@pytest.fixture
def private_postgres() -> Iterator[PrivateServer]:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions or not shutil.which("runuser"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are needed in CI")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    directory = Path(tempfile.mkdtemp(prefix="station-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PrivateServer(versions[-1].parent, directory, port)
    server.init()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # the test may have stopped it
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_central_going_down_mid_forwarding_loses_and_duplicates_nothing(
    private_postgres: PrivateServer, station: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reads(station, 60)
    forwarder = Forwarder(station, private_postgres.url, batch_size=10, connect_timeout=2)
    inserts = 0
    real_insert = db_sync._insert_ignoring_duplicates

    def insert_then_pull_the_plug(session: Any, table: Any, values: dict[str, Any]) -> None:
        nonlocal inserts
        inserts += 1
        real_insert(session, table, values)
        if inserts == 25:  # in the middle of the third batch's central transaction
            private_postgres.stop()

    monkeypatch.setattr(db_sync, "_insert_ignoring_duplicates", insert_then_pull_the_plug)
    result = forwarder.sync_once()
    monkeypatch.undo()
    assert (result.sent, result.pending) == (20, 40)
    assert result.error is not None and "central database cannot be reached" in result.error
    assert result.error_kind == "central_unavailable"

    _reads(station, 10, verdict="not_genuine")  # the counter keeps working offline
    offline = forwarder.sync_once()
    assert (offline.sent, offline.pending) == (0, 50) and offline.error_kind == "central_unavailable"
    status = forwarder.sync_status()
    assert (status.in_sync, status.pending) == (False, 50)

    private_postgres.start()
    back = forwarder.sync_once()
    assert (back.sent, back.pending, back.error, back.error_kind) == (50, 0, None, None)
    assert forwarder.sync_status().in_sync
    forwarder.close()
    _assert_central_has_exactly(private_postgres.url, station)
    engine = create_engine(private_postgres.url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditEventRow)) == 70
    engine.dispose()


def test_saved_records_and_trust_imports_reach_the_centre_still_encrypted(
    tmp_path: Path, central_url: str, station: Database
) -> None:
    admin = station.operators.create_first_admin("admin", "Site Admin", "admin-pass-123")
    station.records.unlock_with_key_file(create=True)
    fields = {"full_name": "Lê Văn Thử", "id_number": "040301002468"}
    kept = station.records.save(fields, b"portrait", admin, document_number="040301002468")
    purged = station.records.save({"full_name": "Đỗ Thị Mẫu"}, None, admin)
    station.trust.add(TrustKind.CSCA, b"\x30\x03station CSCA", "csca.der", admin, {})
    with station.session() as session:  # this one expires before the network comes back
        session.execute(
            text("UPDATE saved_records SET created_at = :old WHERE id = :id"),
            {"old": "2000-01-01 00:00:00", "id": purged.id.hex},
        )
    if station.dialect == "sqlite":
        assert station.records.purge_expired() == 1

    result = Forwarder(station, central_url).sync_once()
    assert result.error is None and result.pending == 0

    central = Database.open(central_url, tmp_path / "central")
    try:
        assert [info.id for info in central.records.list()] == [kept.id]
        assert [entry.source for entry in central.trust.list()] == ["csca.der"]
        central_admin = central.operators.create_first_admin("boss", "Central Admin", "admin-pass-456")
        # The site's key file opens the record at the centre; without it, nothing is readable there.
        with pytest.raises(KeyFileMissingError):
            central.records.view(kept.id, central_admin)
        central.records.unlock_with_key_file(station.records.key_file_path)
        assert central.records.view(kept.id, central_admin).fields == fields
        with central.engine.connect() as connection:
            seqs = (
                connection.execute(
                    select(SyncLedgerRow.seq).where(SyncLedgerRow.station_id == station.station_id)
                )
                .scalars()
                .all()
            )
        assert sorted(seqs) == list(range(1, len(_local_order(station)) + 1))  # the purged one too
    finally:
        central.close()


def test_bad_central_address_or_newer_central_schema_is_reported(
    station: Database, central_url: str, tmp_path: Path
) -> None:
    assert Forwarder.from_settings(station) is None  # no central database configured
    result = Forwarder(station, "not a database url").sync_once()
    assert result.error is not None and "address is not valid" in result.error
    assert result.error_kind == "central_unavailable"

    Database.open(central_url, tmp_path / "central").close()
    engine = create_engine(central_url)
    with engine.begin() as connection:  # the centre was upgraded by newer station software
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    _reads(station, 1)
    result = Forwarder(station, central_url).sync_once()
    assert result.error is not None and "update the station" in result.error
    assert result.error_kind == "central_refused"  # it answered; retrying will not help
    assert result.pending == 1
