#!/usr/bin/env bash
# Prepare this machine for the station: Debian packages, then the Python environment in .venv.
#
#   scripts/setup.sh                 everything (apt needs root; otherwise it says what to install)
#   scripts/setup.sh --python-only   only .venv (enough for `make lint`)
#
# Quick when nothing changed: the apt step only asks dpkg, and pip runs only when
# pyproject.toml differs from the one last installed (stamp in .venv).
set -euo pipefail

cd "$(dirname "$0")/.."

# What each package is for, so a missing one can be judged:
SERVICE_PACKAGES=(
    pcscd libpcsclite1 vsmartcard-vpcd # PC/SC service and the virtual reader the tests and demo use
    postgresql                         # the station's database server (tests need one too)
)
PYTHON_PACKAGES=(
    python3-venv python3-dev # the .venv
    gcc swig libpcsclite-dev # building pyscard when pip finds no wheel for this Python
)
GUI_PACKAGES=(
    xvfb fonts-noto-core # headless display for screenshots; fonts with Vietnamese glyphs
    chromium chromium-driver # the reception form's browser test (headless, through Selenium)
    # Qt runtime libraries PySide6 loads for the offscreen and xcb platforms
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
    libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
)

missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null |
        awk '$2 == "installed" { print $1 }' || true)
    local package
    for package in "$@"; do
        grep -qx "$package" <<<"$installed" || echo "$package"
    done
}

install_debian_packages() {
    if ! command -v dpkg-query >/dev/null; then
        echo "setup: not a Debian system; install the equivalents of: ${SERVICE_PACKAGES[*]}" \
            "${PYTHON_PACKAGES[*]} ${GUI_PACKAGES[*]}" >&2
        return 0
    fi
    local missing
    mapfile -t missing < <(missing_packages "${SERVICE_PACKAGES[@]}" "${PYTHON_PACKAGES[@]}" "${GUI_PACKAGES[@]}")
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: these Debian packages are missing; as root run:" >&2
        echo "    apt-get install --no-install-recommends ${missing[*]}" >&2
        return 1
    fi
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# True when the venv already holds this checkout (editable) and every requirement of
# pyproject.toml, so a venv made before the stamp existed does not need pip (or a network).
venv_satisfies_pyproject() {
    .venv/bin/python - <<'EOF' 2>/dev/null
import importlib.metadata as metadata
import sys
import tomllib

from packaging.requirements import Requirement

with open("pyproject.toml", "rb") as file:
    project = tomllib.load(file)["project"]
extras = project["optional-dependencies"]
wanted = project["dependencies"] + extras["test"] + extras["face"]
metadata.version(project["name"])
for line in wanted:
    requirement = Requirement(line)
    if not requirement.specifier.contains(metadata.version(requirement.name), prereleases=True):
        sys.exit(1)
EOF
}

# mypy does not run the editable install's import hook: it finds the cccd_station namespace (one
# folder of this repository per subpackage, as in the wheel) through these links.
link_typecheck_tree() {
    local tree=.venv/typecheck/cccd_station folder
    mkdir -p "$tree"
    for folder in crypto db reader resources station ui; do
        ln -sfn "../../../$folder" "$tree/$folder"
    done
}

setup_python() {
    local stamp=.venv/.pyproject-installed
    if [ ! -x .venv/bin/python ]; then
        echo "setup: creating .venv" >&2
        python3 -m venv .venv
    fi
    link_typecheck_tree
    if [ -f "$stamp" ] && cmp -s pyproject.toml "$stamp"; then
        return 0
    fi
    if [ -f "$stamp" ] || ! venv_satisfies_pyproject; then
        echo "setup: installing the station, its face comparison and its test tools into .venv" >&2
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e '.[test,face]'
    fi
    cp pyproject.toml "$stamp"
}

case "${1:-}" in
--python-only) setup_python ;;
"")
    install_debian_packages
    setup_python
    ;;
*)
    echo "usage: scripts/setup.sh [--python-only]" >&2
    exit 2
    ;;
esac
