"""Genuine documents of every country verify: real EF.SODs of fifteen states against the real German, Dutch
and ICAO master lists, the German list's CSCAs each taken or refused for a reason, Vietnam's real CSCA, and
`station verify` on dumped files. Sources and expected results: tests/data/real/SOURCES.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import keys

from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import Sod, certificate_validity, verify_certificate_signature
from cccd_station.crypto.truststore import TrustState, anchors_from_files
from cccd_station.crypto.verdict import DSC_CHAIN, SOD_SIGNATURE, CheckStatus
from cccd_station.station.trust import read_trust_files

REAL = Path(__file__).resolve().parent / "data" / "real"
TRUST = REAL / "trust"
GERMAN_LIST = ("DE_ROOT_CA_CSCA07.cer", "DE_ML_2026-05-28-08-28-45.ml")
SODS = sorted(path.name for path in (REAL / "sod").glob("*.der"))
# What each real document gives with the master lists as trust; any other result is a regression.
EXPECTED = {name: (CheckStatus.PASS, CheckStatus.PASS) for name in SODS}
EXPECTED["sod-GBR-2.der"] = (CheckStatus.PASS, CheckStatus.SKIPPED)  # expired, no signingTime: see SOURCES.md
COUNTRIES = {name.split("-")[1] for name in SODS}


@pytest.fixture(scope="module")
def real_trust() -> TrustState:
    return anchors_from_files(read_trust_files(TRUST) + read_trust_files(TRUST / "idn"))


@pytest.fixture(scope="module")
def german_list() -> TrustState:
    return anchors_from_files([(name, (TRUST / name).read_bytes()) for name in GERMAN_LIST])


def test_the_corpus_covers_at_least_ten_states() -> None:
    assert len(COUNTRIES) >= 10, COUNTRIES


@pytest.mark.parametrize("name", SODS)
def test_each_real_document_verifies_against_the_master_lists(name: str, real_trust: TrustState) -> None:
    result = passive_authentication((REAL / "sod" / name).read_bytes(), {}, real_trust.anchors)
    found = (result.check(SOD_SIGNATURE).status, result.check(DSC_CHAIN).status)
    assert found == EXPECTED[name], [check.detail for check in result]


def _tampered(sod: bytes) -> bytes:
    """The same EF.SOD with one bit of its signature flipped."""
    signature = Sod.parse(sod).cms.signature
    position = sod.index(signature) + len(signature) // 2
    return sod[:position] + bytes([sod[position] ^ 0x01]) + sod[position + 1 :]


@pytest.mark.parametrize("name", SODS)
def test_a_tampered_copy_of_each_real_document_fails(name: str, real_trust: TrustState) -> None:
    result = passive_authentication(_tampered((REAL / "sod" / name).read_bytes()), {}, real_trust.anchors)
    assert result.check(SOD_SIGNATURE).status is CheckStatus.FAIL


def test_the_german_list_takes_every_still_valid_csca_key(german_list: TrustState) -> None:
    members = [each for each in german_list.decisions if each.master_list]
    assert len(members) == 588
    refused = [each for each in members if not each.accepted]
    # Only link certificates from older keys no list carries stay out, each with its new key trusted.
    assert refused and all("its new key is trusted" in each.reason for each in refused), [
        (each.subject, each.reason) for each in refused
    ]
    assert not any("unsupported" in each.reason or "could not" in each.reason for each in members)
    countries = german_list.countries()
    assert len(countries) >= 110
    for country in (
        "BE",
        "HU",
        "TR",
        "RU",
        "GB",
        "NZ",
        "JP",
        "VN",
    ):  # left out before, several explicit curves
        assert countries.get(country), country


def test_the_german_lists_explicit_curve_cscas_are_taken(german_list: TrustState) -> None:
    explicit = 0
    for csca in german_list.anchors.cscas:
        parameters = csca.public_key["algorithm"]["parameters"]
        if isinstance(parameters, keys.ECDomainParameters) and parameters.name == "specified":
            explicit += 1
    assert explicit >= 150


def test_vietnams_real_csca_verifies_its_own_signature(german_list: TrustState) -> None:
    [vietnam] = german_list.anchors.of_country("VN")
    assert vietnam.subject.native["common_name"] == "CSCA ePassport Vietnam"
    assert vietnam.public_key["algorithm"]["parameters"].name == "specified"  # brainpoolP512r1 spelled out
    verify_certificate_signature(vietnam, vietnam)
    not_before, not_after = certificate_validity(vietnam)
    assert not_before < datetime.now(UTC) < not_after and not_after.year == 2037


def test_a_forged_copy_of_vietnams_csca_is_refused(german_list: TrustState) -> None:
    [vietnam] = german_list.anchors.of_country("VN")
    data = bytearray(vietnam.dump())
    data[-10] ^= 0x01  # inside its self-signature
    forged = anchors_from_files([("forged-vn.der", bytes(data))])
    assert forged.anchors.cscas == () and "self-signature" in forged.refused()[0].reason


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    yield tmp_path


def test_station_verify_answers_was_this_document_genuine(capsys: pytest.CaptureFixture[str]) -> None:
    from cccd_station.station.cli import main

    sod = REAL / "sod" / "sod-MYS-1.der"
    assert main(["verify", "--sod", str(sod), "--trust", str(TRUST), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    statuses = {check["id"]: check["status"] for check in report["checks"]}
    assert (statuses["sod.signature"], statuses["dsc.chain"]) == ("pass", "pass")
    assert report["verdict"] == "partial"  # files only: no chip to prove it is not a copy
    assert {check["id"] for check in report["checks"]} >= {
        "chip.authentication",
        "chip.active_authentication",
    }


def test_station_trust_imports_the_real_lists_and_says_what_it_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cccd_station.station.cli import main

    assert main(["trust", "import", str(TRUST / GERMAN_LIST[1])]) == 2  # its signer's root is not trusted yet
    assert "not trust" in capsys.readouterr().err
    assert main(["trust", "import", *(str(TRUST / name) for name in GERMAN_LIST)]) == 0
    out = capsys.readouterr().out
    assert out.count("REFUSED") == 14 and out.rstrip().endswith("575 taken, 14 refused")
    assert main(["trust", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Refused from master lists (14)" in listing
    assert " VN 1" in listing and "Trusted CSCAs: 574 from" in listing
