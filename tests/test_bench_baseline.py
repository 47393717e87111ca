"""The regression guard of the read path: `station bench` run in-process against bench/baseline.json.

APDU and byte counts do not vary from run to run, so a read that needs more of them than the committed
baseline fails here (CI runs it with `make test`); the README's figures must show the same counts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.station.bench import MODES, baseline, collect

ROOT = Path(__file__).resolve().parent.parent
BASELINE: dict[str, dict[str, dict[str, int]]] = json.loads((ROOT / "bench" / "baseline.json").read_text())
MAX_CCCD_APDUS = 16  # issue 12: PACE, CA, AA and passive authentication in at most 16 APDUs


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    return baseline(collect(sorted(BASELINE), list(MODES), runs=1))


def test_no_read_needs_more_apdus_or_bytes_than_the_baseline(measured: dict[str, Any]) -> None:
    grown = [
        f"{persona} {mode} {name}: {now[name]} > {BASELINE[persona][mode][name]}"
        for persona, modes in measured.items()
        for mode, now in modes.items()
        for name in now
        if now[name] > BASELINE[persona][mode][name]
    ]
    assert not grown, (
        "the read path grew (regenerate bench/baseline.json only for a good reason):\n" + "\n".join(grown)
    )


def test_every_persona_and_mode_is_in_the_baseline() -> None:
    missing = [persona for persona in persona_names() if persona not in BASELINE]
    assert not missing, f"add them with `station bench --baseline > bench/baseline.json`: {missing}"
    assert all(set(modes) == set(MODES) for modes in BASELINE.values())


def test_a_cccd_read_with_pace_ca_aa_and_passive_authentication_takes_at_most_16_apdus(
    measured: dict[str, Any],
) -> None:
    for persona, modes in measured.items():
        if load_persona(persona).kind == "cccd":
            assert modes["extended"]["apdus"] <= MAX_CCCD_APDUS, persona
            assert modes["pace-cam"]["apdus"] <= MAX_CCCD_APDUS - 2, persona  # no MSE + GA of CA


def test_the_readmes_figures_show_the_baseline_counts() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- bench:start -->", 1)[1].split("<!-- bench:end -->", 1)[0]
    rows = re.findall(
        r"^\| ([a-z-]+) \| (extended|short|pace-cam) \| [^|]+ \| (\d+) \| ([\d ]+) \| ([\d ]+) \|",
        block,
        re.M,
    )
    shown = {
        (persona, mode): {
            "apdus": int(apdus),
            "bytes_sent": int(sent.replace(" ", "")),
            "bytes_received": int(received.replace(" ", "")),
        }
        for persona, mode, apdus, sent, received in rows
    }
    expected = {
        (persona, mode): counts for persona, modes in BASELINE.items() for mode, counts in modes.items()
    }
    assert shown == expected, "run `station bench --json` and bench/readme_figures.py"
