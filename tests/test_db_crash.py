"""A station killed mid-write loses nothing it reported as committed, and its database stays intact."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from cccd_station.db import Database
from cccd_station.db.models import AuditEventRow, OutboxRow

REPO = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cccd_station.db import Database

    url = sys.argv[1] or None
    db = Database.open(url, Path(sys.argv[2]))
    print("ready", flush=True)
    while True:
        event = db.audit.record_read(
            None, reader_name="Virtual PCD 00 00", access_protocol="BAC", verdict="genuine",
            checks=[("passive_auth", "passed")], outcome="ok", document_number="036201009876",
        )
        print(event.id, flush=True)  # only after the commit returned
    """
)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    yield request.getfixturevalue("pg_fresh_url")


def test_sigkill_mid_write_keeps_every_committed_event(database_url: str | None, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, database_url or "", str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        assert writer.stdout.readline().strip() == "ready"
        reported = [writer.stdout.readline().strip() for _ in range(40)]
    finally:
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    reported += rest.split()  # lines already in the pipe when the writer died
    committed = {uuid.UUID(line) for line in reported}
    assert len(committed) == len(reported) >= 40

    with Database.open(database_url, data_dir) as db:
        with db.session() as session:
            stored = set(session.scalars(select(AuditEventRow.id).where(AuditEventRow.kind == "read")))
            # The write in flight at the kill either committed whole or not at all.
            assert committed <= stored
            assert len(stored - committed) <= 1
            # Each stored event has its outbox entry and the sequence has no gap.
            seqs = sorted(session.scalars(select(OutboxRow.seq)))
            assert seqs == list(range(1, len(stored) + 1))
            assert session.scalar(select(func.count()).select_from(OutboxRow)) == len(stored)
            if db.dialect == "sqlite":
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.audit.record_read(
            None, reader_name="r", access_protocol="BAC", verdict="genuine", checks=[], outcome="ok"
        )  # and the station keeps writing after the restart
