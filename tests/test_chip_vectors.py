"""The chip side of BAC and secure messaging reproduces ICAO 9303-11 Appendix D byte for byte.

The chip is given the worked example's MRZ data and EF.COM, and its randomness (RND.IC, K.IC)
through the injected rng; the terminal's APDUs are replayed from the example.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.filesystem import ElementaryFile, FileSystem
from cccd_station.reader.chip.personalise import personalise
from cccd_station.reader.lds.files import EF_COM, EMRTD_AID

VECTORS = Path(__file__).resolve().parent / "vectors" / "icao_9303_11_bac.json"


@pytest.fixture(scope="module")
def example() -> dict[str, object]:
    if not VECTORS.exists():
        pytest.skip("the ICAO 9303-11 worked examples are not available")
    values: dict[str, object] = json.loads(VECTORS.read_text())["values"]
    return values


def _hex(values: dict[str, object], key: str) -> bytes:
    value = values[key]
    assert isinstance(value, str)
    return bytes.fromhex(value)


def _scripted_rng(values: dict[str, object]) -> Callable[[int], bytes]:
    by_length = {8: _hex(values, "RND_IC"), 16: _hex(values, "K_IC")}

    def rng(length: int) -> bytes:
        return by_length[length]

    return rng


def test_bac_and_the_three_secure_messaging_exchanges_of_appendix_d(example: dict[str, object]) -> None:
    base = personalise("lindqvist-maja", Faults(bac_only=True))
    com = _hex(example, "EF_COM")
    chip_files = replace(
        base,
        mrz_information=str(example["MRZ_information_text"]),
        files=FileSystem(base.files.master_file, {EF_COM.fid: ElementaryFile(EF_COM.fid, EF_COM.sfi, com)}),
    )
    chip = VirtualChip(
        "lindqvist-maja", Faults(bac_only=True), _scripted_rng(example), personalisation=chip_files
    )
    chip.power_on()
    assert chip.process_apdu(bytes.fromhex("00A4040C07") + EMRTD_AID) == bytes.fromhex("9000")
    assert chip.process_apdu(_hex(example, "GET_CHALLENGE_command")) == _hex(
        example, "GET_CHALLENGE_response"
    )
    assert chip.process_apdu(_hex(example, "EXTERNAL_AUTHENTICATE_command")) == _hex(
        example, "EXTERNAL_AUTHENTICATE_response"
    )
    steps = example["secure_messaging"]
    assert isinstance(steps, list) and len(steps) == 3
    for step in steps:
        assert chip.process_apdu(bytes.fromhex(step["protected_command"])) == bytes.fromhex(
            step["response"]
        ), step["title_text"]


def test_a_replayed_command_fails_its_mac_and_ends_the_session(example: dict[str, object]) -> None:
    base = personalise("lindqvist-maja", Faults(bac_only=True))
    chip_files = replace(base, mrz_information=str(example["MRZ_information_text"]))
    chip = VirtualChip(
        "lindqvist-maja", Faults(bac_only=True), _scripted_rng(example), personalisation=chip_files
    )
    chip.power_on()
    chip.process_apdu(bytes.fromhex("00A4040C07") + EMRTD_AID)
    chip.process_apdu(_hex(example, "GET_CHALLENGE_command"))
    chip.process_apdu(_hex(example, "EXTERNAL_AUTHENTICATE_command"))
    select = bytes.fromhex(example["secure_messaging"][0]["protected_command"])  # type: ignore[index]
    assert chip.process_apdu(select).endswith(b"\x90\x00")
    assert chip.process_apdu(select) == bytes.fromhex("6988")  # the counter moved on
    assert chip.process_apdu(select) == bytes.fromhex("6988")  # and no session is left
