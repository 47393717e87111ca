"""The layers depend downward only: ui -> station -> reader -> crypto, and station -> db.

Read from the source with the ast module, so a lazy import inside a function counts too; a second
test imports each lower layer in a fresh interpreter and looks at everything it pulled in.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crypto", "reader", "db", "station", "ui")
EXTERNAL_FORBIDDEN = {
    "crypto": {"PySide6", "sqlalchemy", "smartcard"},
    "reader": {"PySide6", "sqlalchemy"},
    "db": {"PySide6", "smartcard"},
    "station": {"PySide6", "smartcard"},
    "ui": {"smartcard", "sqlalchemy"},
}
LAYER_FORBIDDEN = {
    "crypto": {"reader", "station", "ui", "db"},
    "reader": {"station", "ui", "db"},
    "db": {"reader", "station", "ui"},
    "station": {"ui"},
    "ui": {"db"},  # front ends hold the one core (station.core), never the database
}


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def layer_of(name: str) -> str:
    """ "cccd_station.reader.sm" -> "reader"; a third-party module -> its top-level name."""
    parts = name.split(".")
    return parts[1] if parts[0] == "cccd_station" and len(parts) > 1 else parts[0]


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_no_higher_layer(package: str) -> None:
    forbidden = LAYER_FORBIDDEN[package] | EXTERNAL_FORBIDDEN[package]
    offenders = {
        str(path.relative_to(ROOT)): sorted({layer_of(name) for name in imported_names(path)} & forbidden)
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: layers for name, layers in offenders.items() if layers} == {}


def test_code_uses_the_one_import_name() -> None:
    """Every first-party import goes through cccd_station, never a bare folder name like `crypto`."""
    bare = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_names(path) if name.split(".")[0] in PACKAGES
        )
        for folder in (*PACKAGES, "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {name: found for name, found in bare.items() if found} == {}


def _audit_writes(path: Path) -> list[str]:
    """Calls of ``<something>.audit.record_read(...)``, ``.record_face_comparison(...)`` or
    ``.append(...)`` in a file."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("record_read", "record_face_comparison", "append")
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "audit"
        ):
            calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return calls


def test_no_front_end_writes_audit_rows_itself() -> None:
    """The core audits every read attempt; the window, the command line and the local API only ask it."""
    front_ends = [
        *(ROOT / "ui").rglob("*.py"),
        *(ROOT / "station").glob("*_command.py"),
        *(ROOT / "station" / "api").rglob("*.py"),
    ]
    assert [call for path in front_ends for call in _audit_writes(path)] == []
    # The check finds what it looks for: the core itself writes them.
    assert _audit_writes(ROOT / "station" / "core.py")


def test_only_the_pcsc_adapter_imports_pyscard() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "smartcard" in {layer_of(name) for name in imported_names(path)}
    )
    assert users == ["reader/pcsc.py"]


@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [
        (
            [
                "crypto.passive",
                "crypto.truststore",
                "crypto.pace",
                "reader.lds.build",
                "reader.chip.portrait",
            ],
            (
                "PySide6",
                "sqlalchemy",
                "smartcard",
                "cccd_station.station",
                "cccd_station.db",
                "cccd_station.ui",
            ),
        ),
        (
            ["db", "db.sync", "db.records"],
            ("PySide6", "smartcard", "cccd_station.station", "cccd_station.ui"),
        ),
        (["station.pipeline", "station.cli"], ("PySide6", "smartcard", "cccd_station.ui")),
    ],
)
def test_importing_a_layer_loads_nothing_above_it(modules: list[str], forbidden: tuple[str, ...]) -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('cccd_station.' + name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({forbidden!r}))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
