#!/usr/bin/env bash
# Does the package install anywhere? Builds the wheel, installs it with its dependencies into a new
# virtual environment, and runs it from an empty directory with nothing of this checkout on sys.path:
#   - the wheel holds exactly the tracked files of crypto/ db/ reader/ station/ ui/ resources/ (less
#     the sources of data, README.md and *.ts) under the one top-level name cccd_station;
#   - `station --version` prints the version of pyproject.toml;
#   - `station read --virtual` gives "partial" without a trusted CSCA and "verified" with the
#     installed test master list;
#   - the demo window, built as `station --demo` builds it, shows Vietnamese text;
#   - the shipped migrations create the station's SQLite database, as a real counter's start does;
#   - every cccd_station module was loaded from the new environment, and nothing was written into it.
# Uses pip's cache (PIP_CACHE_DIR=$(mktemp -d) for a cold one). `make wheel-check` runs it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_python="$root/.venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

say() { echo "wheel-check: $*"; }
fail() {
    echo "wheel-check: FAILED: $*" >&2
    exit 1
}

[ -x "$build_python" ] || fail "no $build_python: run make setup-python"
version=$("$build_python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$root/pyproject.toml")

# The sdist first, then the wheel from it: a file the sdist forgets is missing from the wheel too.
"$build_python" -m build --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "python -m build"; }
wheels=("$work"/dist/*.whl)
[ "${#wheels[@]}" -eq 1 ] || fail "expected one wheel, found: ${wheels[*]}"
wheel=${wheels[0]}
[ "$(basename "$wheel")" = "cccd_station-$version-py3-none-any.whl" ] || fail "unexpected wheel name $wheel"
say "built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB) in $((SECONDS - started)) s"

git -C "$root" ls-files -z -- crypto db reader station ui resources >"$work/tracked"
"$build_python" - "$wheel" "$version" "$work/tracked" <<'EOF' || fail "wheel contents"
import fnmatch
import sys
import zipfile
from pathlib import PurePosixPath

wheel, version, tracked = sys.argv[1:]
unshipped = ("README.md", "*.ts")
expected = {
    "cccd_station/" + path
    for path in open(tracked, encoding="utf-8").read().split("\0")
    if path and not any(fnmatch.fnmatch(PurePosixPath(path).name, pattern) for pattern in unshipped)
}
names = zipfile.ZipFile(wheel).namelist()
dist_info = f"cccd_station-{version}.dist-info"
tops = {name.split("/")[0] for name in names}
problems = []
if tops != {"cccd_station", dist_info}:
    problems.append(f"top-level entries {sorted(tops)}, expected cccd_station and {dist_info}")
shipped = {name for name in names if name.startswith("cccd_station/")}
problems += [f"missing from the wheel: {name}" for name in sorted(expected - shipped)]
problems += [f"in the wheel but not a tracked package file: {name}" for name in sorted(shipped - expected)]
with zipfile.ZipFile(wheel) as archive:
    top_level = archive.read(f"{dist_info}/top_level.txt").decode().split()
    entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()
if top_level != ["cccd_station"]:
    problems.append(f"top_level.txt names {top_level}")
if "station = cccd_station.ui.command:main" not in entry_points:
    problems.append("no console script station = cccd_station.ui.command:main")
for problem in problems:
    print(f"  {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"wheel-check: the wheel holds the {len(expected)} package files under cccd_station and nothing else")
EOF

step=$SECONDS
python3 -m venv "$work/venv"
venv="$work/venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" >"$work/pip.log" 2>&1 ||
    { cat "$work/pip.log" >&2; fail "pip install of the wheel into a clean venv"; }
say "installed it with its dependencies into a clean venv in $((SECONDS - step)) s"

# Only the new environment: an empty working directory and no variable that could point back here.
mkdir "$work/cwd" "$work/data"
cd "$work/cwd"
run() {
    env -u PYTHONPATH -u PYTHONHOME -u PYTHONSTARTUP -u VIRTUAL_ENV -u STATION_DATABASE_URL PYTHONNOUSERSITE=1 \
        STATION_DATA_DIR="$work/data" QT_QPA_PLATFORM=offscreen "$@"
}
installed_files() { find "$venv" -path '*/cccd_station/*' -not -path '*/__pycache__/*' | sort; }
installed_files >"$work/files-before"

output=$(run "$venv/bin/station" --version) || fail "station --version exited $?"
[ "$output" = "station $version" ] || fail "station --version printed '$output', expected 'station $version'"
say "station --version prints '$output'"

utopia=$(run "$venv/bin/python" -I -c \
    'from cccd_station.resources import resource_path; print(resource_path("testpki", "csca-test-utopia.pem"))')
case "$utopia" in "$venv"/*) ;; *) fail "the test CSCA resolves outside the venv: $utopia" ;; esac
[ -f "$utopia" ] || fail "the installed test CSCA $utopia is missing"

read_verdict() {  # read_verdict CHAIN-STATUS [OPTION...]: the JSON's verdict, after checking what it says
    local chain=$1 json
    shift
    json=$(run "$venv/bin/station" read --virtual nguyen-van-an --id 001085014763 --json "$@") ||
        fail "station read $* exited $?"
    run "$venv/bin/python" -I -c '
import json, sys
result = json.loads(sys.argv[1])
checks = {check["id"]: check["status"] for check in result["checks"]}
for check in ("sod.signature", "dg.hashes", "chip.active_authentication", "chip.authentication"):
    assert checks.get(check) == "pass", f"{check}: {checks.get(check)}"
assert checks["dsc.chain"] == sys.argv[2], checks
print(result["verdict"])' "$json" "$chain" || fail "station read $*: unexpected checks"
}
verdict=$(read_verdict pass)
[ "$verdict" = verified ] || fail "station read on the demo's TEST anchors gave '$verdict', expected verified"
say "station read --virtual nguyen-van-an gives verified on the demo's TEST anchors (in the data directory)"
verdict=$(read_verdict skipped --trust "$utopia" --no-audit)
[ "$verdict" = partial ] || fail "station read trusting only Utopia gave '$verdict', expected partial"
say "station read --virtual nguyen-van-an --trust <installed Utopia TEST CSCA> --no-audit gives partial"

run "$venv/bin/python" -I - <<'EOF' || fail "the demo window in Vietnamese"
import time

from PySide6.QtWidgets import QApplication

from cccd_station.ui.app import open_window
from cccd_station.ui.command import choose_demo, parse_arguments

args = parse_arguments(["--demo"])
demo, notice = choose_demo(args)
window, resources = open_window(args, demo=demo, notice=notice, started=time.perf_counter())
try:
    QApplication.processEvents()
    shown = {"idle text": window.idle_text.text(), "read button": window.read_button.text()}
    english = {
        "idle text": "Type or scan the ID number, then place the card on the reader.",
        "read button": "R&ead (Enter)",
    }
    for what, text in shown.items():
        # Vietnamese letters: đ and the Latin Extended Additional block (ạ, ả, ế, ọ, ...).
        vietnamese = any(letter in "đĐ" or "\u1ea0" <= letter <= "\u1ef9" for letter in text)
        assert text != english[what] and vietnamese, f"the {what} is not Vietnamese: {text!r}"
    print(f"wheel-check: the demo window shows Vietnamese: {shown['idle text']!r}")
finally:
    window.close()  # stops the card thread, as closing the window does
    resources.close()
EOF

run "$venv/bin/python" -I - <<'EOF' || fail "the station's database from the installed migrations"
import os
from pathlib import Path

from cccd_station.db.database import SQLITE_FILE_NAME
from cccd_station.station.core import Station

# What `station` does before the sign-in at a real counter: SQLite in the data directory, migrated
# to the newest revision by the alembic scripts shipped in the wheel.
with Station.open() as station:
    station.settings()  # a table the migration made
    station_id = station.station_id
database = Path(os.environ["STATION_DATA_DIR"]) / SQLITE_FILE_NAME
assert database.is_file(), f"no {database}"
print(f"wheel-check: the installed migrations create the station's database (station id {station_id})")
EOF

run "$venv/bin/python" -I - "$venv" <<'EOF' || fail "cccd_station modules from the clean venv"
import importlib
import pkgutil
import sys
from pathlib import Path

import cccd_station

venv = Path(sys.argv[1]).resolve()
# Every module, not only those the window loaded (alembic's env.py runs only inside a migration).
for module in pkgutil.walk_packages(cccd_station.__path__, "cccd_station."):
    if module.name != "cccd_station.db.migrations.env":
        importlib.import_module(module.name)
outside = [
    f"{name}: {path}"
    for name, module in sorted(sys.modules.items())
    if name == "cccd_station" or name.startswith("cccd_station.")
    for path in ([module.__file__] if module.__file__ else list(module.__path__))
    if not Path(path).resolve().is_relative_to(venv)
]
assert not outside, "modules loaded from outside the venv:\n" + "\n".join(outside)
count = sum(1 for name in sys.modules if name.startswith("cccd_station."))
print(f"wheel-check: all {count} cccd_station modules import, each from the clean venv")
EOF

installed_files >"$work/files-after"
if ! diff -u "$work/files-before" "$work/files-after" >"$work/files-diff"; then
    cat "$work/files-diff" >&2
    fail "running the station wrote into its installed package"
fi
say "nothing was written into the installed package; data went to STATION_DATA_DIR"
say "passed in $((SECONDS - started)) s"
