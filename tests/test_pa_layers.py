"""crypto/ stays a pure layer: no card I/O, Qt, database or station code in the modules of this area."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "crypto/passive.py",
    "crypto/sod.py",
    "crypto/truststore.py",
    "crypto/active.py",
    "crypto/chipauth.py",
    "crypto/verdict.py",
]
FORBIDDEN = ("reader", "station", "ui", "db", "PySide6", "sqlalchemy", "smartcard")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", MODULES)
def test_crypto_module_imports_nothing_from_higher_layers(module: str) -> None:
    bad = {name for name in imported_modules(ROOT / module) if name.split(".")[0] in FORBIDDEN}
    assert not bad, f"{module} imports {sorted(bad)}"


def test_test_pki_uses_no_card_io_or_ui() -> None:
    bad = {
        name
        for name in imported_modules(ROOT / "reader/chip/pki.py")
        if name.split(".")[0] in ("station", "ui", "db", "PySide6", "sqlalchemy", "smartcard")
    }
    assert not bad
