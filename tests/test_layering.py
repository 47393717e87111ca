"""The layers depend downward only: ui -> station -> reader -> crypto, and station -> db.

Read from the source with the ast module, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "crypto": {"reader", "station", "ui", "db", "PySide6", "sqlalchemy", "smartcard"},
    "reader": {"station", "ui", "db", "PySide6", "sqlalchemy"},
    "db": {"reader", "station", "ui", "PySide6", "smartcard"},
    "station": {"ui", "PySide6", "smartcard"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_higher_layer(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: roots for name, roots in offenders.items() if roots} == {}


def test_only_the_pcsc_adapter_imports_pyscard() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for package in ("crypto", "reader", "station", "db", "ui")
        for path in (ROOT / package).rglob("*.py")
        if "smartcard" in imported_roots(path)
    )
    assert users == ["reader/pcsc.py"]
