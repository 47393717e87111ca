"""The LDS layer and the personas stay free of Qt, SQL, pyscard and the station."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("PySide6", "sqlalchemy", "smartcard", "station", "db", "ui")


def test_lds_and_personas_import_nothing_from_higher_layers() -> None:
    code = (
        "import sys, reader.lds, reader.lds.build, reader.chip.personas, reader.chip.portrait\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
