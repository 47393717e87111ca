"""db/ stays below the station: it never pulls in Qt, the UI, the station core or pyscard."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "ui", "station", "smartcard")


def test_importing_db_loads_no_upper_layer() -> None:
    probe = (
        "import sys, db, db.sync, db.records, db.keys; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
