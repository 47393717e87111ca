"""Where the station keeps its files."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """``$STATION_DATA_DIR``, else the XDG data directory; created owner-only on first use."""
    configured = os.environ.get("STATION_DATA_DIR")
    base = (
        Path(configured)
        if configured
        else Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
    )
    path = base if configured else base / "cccd-station"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
