"""The wheel's layout, read from pyproject.toml: every subpackage and data file is shipped, and the one
import name it installs collides with no popular distribution's. scripts/wheel-check.sh builds and
installs the real wheel; these checks are the fast half of it."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cccd_station.station import cli
from cccd_station.ui import command

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).with_name("data")
NAMESPACE = "cccd_station"
FOLDERS = ("crypto", "db", "reader", "station", "ui", "resources")
OLD_TOP_LEVEL_NAMES = ("crypto", "db", "ui", "reader", "station")
# Sources of shipped data that the program never reads.
UNSHIPPED = ("README.md", "*.ts")


@cache
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def setuptools_config() -> dict[str, Any]:
    config: dict[str, Any] = pyproject()["tool"]["setuptools"]
    return config


def package_folder(package: str) -> Path:
    """The folder a listed package is built from, following [tool.setuptools.package-dir]."""
    mapping: dict[str, str] = setuptools_config()["package-dir"]
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        mapped = mapping.get(".".join(parts[:cut]))
        if mapped is not None:
            return ROOT / mapped / Path(*parts[cut:])
    return ROOT / Path(*parts)


def normalise(name: str) -> str:
    """PEP 503's form, compared case-insensitively: Windows and macOS file systems ignore case."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def popular_names() -> dict[str, str]:
    """Normalised import name -> why it is taken: the top PyPI projects, whose import name is mostly
    the project's, and the import names known to differ from their project's."""
    taken: dict[str, str] = {}
    for line in (DATA / "top-pypi-projects.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            taken.setdefault(normalise(line), f"the popular project {line}")
    for line in (DATA / "import-names.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            import_name, project = line.split()
            taken.setdefault(normalise(import_name), f"the import name of {project}")
    return taken


def unsafe_top_level_names(names: list[str]) -> dict[str, str]:
    """Each top-level import name that could shadow, or be shadowed by, another distribution's, with
    the reason: it is a popular one, or it is not the distribution's own (unclaimed) name."""
    own = normalise(pyproject()["project"]["name"])
    unsafe: dict[str, str] = {}
    for name in names:
        if normalise(name) in popular_names():
            unsafe[name] = popular_names()[normalise(name)]
        elif normalise(name) != own:
            unsafe[name] = f"not the distribution's own name {own}"
    return unsafe


def installed_top_level_names() -> list[str]:
    return sorted({package.split(".")[0] for package in setuptools_config()["packages"]})


def test_every_folder_with_an_init_is_a_listed_package() -> None:
    listed = set(setuptools_config()["packages"])
    found = {
        ".".join((NAMESPACE, folder, *init.parent.relative_to(ROOT / folder).parts))
        for folder in FOLDERS
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert len(found) >= len(FOLDERS)
    assert found - listed == set(), "subpackages missing from [tool.setuptools] packages"
    stale = {package for package in listed if not package_folder(package).is_dir()}
    assert stale == set(), "listed packages without a folder"


def test_every_data_file_in_a_package_folder_is_shipped() -> None:
    """A resource added next to the code ships without anyone remembering package-data."""
    package_data: dict[str, list[str]] = setuptools_config()["package-data"]
    shipped: set[Path] = set()
    for package in setuptools_config()["packages"]:
        folder = package_folder(package)
        for pattern in package_data.get("*", []) + package_data.get(package, []):
            shipped |= set(folder.glob(pattern))
    present = {
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
        and not any(path.match(pattern) for pattern in UNSHIPPED)
    }
    assert {"station_vi.qm", "masterlist-test.ml", "nguyen-van-an.json", "script.py.mako"} <= {
        path.name for path in shipped
    }
    assert sorted(str(path.relative_to(ROOT)) for path in present - shipped) == []


def test_the_only_top_level_name_is_cccd_station() -> None:
    assert installed_top_level_names() == [NAMESPACE]
    assert setuptools_config()["package-dir"].keys() == {f"{NAMESPACE}.{folder}" for folder in FOLDERS}


def test_the_popular_names_list_is_the_real_one() -> None:
    """A truncated or emptied data file would make the next test pass vacuously."""
    taken = popular_names()
    assert len(taken) > 10_000
    for name in ("requests", "numpy", "cryptography", "Crypto", "yaml", "PIL", "cv2", "sklearn", "bs4"):
        assert normalise(name) in taken, name


def test_no_installed_import_name_is_taken() -> None:
    assert unsafe_top_level_names(installed_top_level_names()) == {}


def test_the_old_generic_names_would_have_been_caught() -> None:
    unsafe = unsafe_top_level_names(list(OLD_TOP_LEVEL_NAMES))
    assert sorted(unsafe) == sorted(OLD_TOP_LEVEL_NAMES)
    # crypto is popular twice over: a PyPI project, and pycryptodome's Crypto on a case-blind disk.
    assert unsafe["crypto"] == "the popular project crypto"
    assert unsafe_top_level_names(["Crypto"]) == {"Crypto": "the popular project crypto"}
    assert unsafe_top_level_names(["Cryptodome", "PIL"]) == {
        "Cryptodome": "the import name of pycryptodomex",
        "PIL": "the import name of Pillow",
    }


@pytest.mark.parametrize("main", [command.main, cli.main], ids=["window", "subcommands"])
def test_version_prints_the_distribution_version(main: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"station {pyproject()['project']['version']}\n"
