#!/usr/bin/env bash
# Screenshots of the real program's main states for the README, taken under Xvfb.
#
# Runs `station --demo --screenshot-dir DIR` (the program drives itself through idle, verified,
# checks, a 2024 "Căn cước", tampered, wrong key, reading, English and a passport, one PNG each) on a
# 1366x768 screen (the counters' laptops) and a 1920x1080 one; then the admin screens, the face
# comparison and the local API's reception form (reception.png).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/screenshots}
station=.venv/bin/station
data_dir=$(mktemp -d)
trap 'rm -rf "$data_dir"' EXIT

take() {  # take SIZE DIRECTORY
    mkdir -p "$2"
    # -a picks a free display; settings go to a throw-away data directory.
    STATION_DATA_DIR="$data_dir" xvfb-run -a -s "-screen 0 ${1}x24 -nolisten tcp" \
        timeout 120 "$station" --demo --screenshot-dir "$2"
}

take 1366x768 "$out"
take 1920x1080 "$out/1920x1080"
# The sign-in dialog and the admin screens, with fictitious operators, reads and records.
STATION_DATA_DIR="$data_dir" xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" \
    timeout 120 .venv/bin/python -m cccd_station.ui.admin.screenshots "$out" >/dev/null
# The face comparison (09-face-compared.png): a public-domain face on the virtual chip and as the camera's frame.
STATION_SCREENSHOT_DIR="$out" QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" \
    timeout 120 .venv/bin/pytest -q -p no:cacheprovider tests/test_ui_face.py -k screenshot >/dev/null
# The reference reception form of the local API, in headless Chromium, filled from a read through pcscd.
eval "$(bash scripts/services.sh | grep '^export ')"
STATION_SCREENSHOT_DIR="$out" flock /tmp/cccd-suite.lock .venv/bin/pytest -q -p no:cacheprovider \
    tests/test_api_browser.py >/dev/null
ls -1 "$out"/*.png "$out"/1920x1080/*.png
