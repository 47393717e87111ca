"""Every attack of the security review, end to end: the station's core reading a faulty virtual chip
through pyscard, pcscd and vpcd, as a clerk's read would. Each ends `failed` with the check that caught
it, or `partial` for a downgrade and a CRL that says nothing about today; a genuine odd chip verifies."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import test_pki
from cccd_station.reader.chip.vpcd import VPCD_SECOND_PORT, VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.keys import AccessKey, MrzKey
from cccd_station.reader.pcsc import wait_for_card, wait_for_card_removal
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_key, demo_trust_files
from cccd_station.station.pipeline import InspectionResult
from cccd_station.station.readers import PcscReaders

PERSONA = "nguyen-van-an"
WAIT = 10.0


@pytest.fixture(scope="module")
def reader_port(pcscd: None) -> Iterator[int]:
    """vpcd's second reader, held so another test run on this machine waits its turn."""
    with open(f"/tmp/vpcd-{VPCD_SECOND_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield VPCD_SECOND_PORT
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def station(tmp_path: Path, reader_port: int) -> Iterator[Station]:
    with Station.open(tmp_path / "counter", readers=PcscReaders()) as opened:
        assert opened.trust is not None
        opened.trust.import_files(demo_trust_files(), "console:test")
        yield opened


def read(station: Station, port: int, key: AccessKey, *faults: str) -> InspectionResult:
    bridge = VpcdBridge(VirtualChip(PERSONA, Faults.parse(list(faults))), port=port, reinsert_delay=None)
    bridge.start()
    try:
        wait_for_card(VPCD_SECOND_READER, WAIT)
        return station.read(key, reader=VPCD_SECOND_READER)
    finally:
        bridge.stop()
        wait_for_card_removal(VPCD_SECOND_READER, WAIT)


def mrz_key() -> MrzKey:
    mrz = load_persona(PERSONA).mrz
    return MrzKey(mrz.document_number[:9], mrz.birth_raw, mrz.expiry_raw)


def check(result: InspectionResult, check_id: str) -> tuple[str, str]:
    found = next(each for each in result.checks if each.id == check_id)
    return found.status.value, found.detail


@pytest.mark.parametrize(
    ("faults", "verdict", "check_id", "said"),
    [
        (("plain-error-dg=2",), "failed", "dg.hashes", "DG2 listed in EF.SOD could not be read"),
        (("plain-error-dg=13",), "failed", "dg.hashes", "DG13 listed in EF.SOD could not be read"),
        (("do87-after-mac",), "failed", "sod.signature", "EF.SOD could not be read"),
        (("foreign-signer",), "failed", "dsc.chain", "(VNM)"),
        (("pss-no-params",), "failed", "sod.signature", "EF.SOD"),
        (("unknown-csca",), "failed", "dsc.chain", "not one of the trusted CSCAs of VN"),
    ],
)
def test_an_attack_on_the_card_ends_failed_with_the_check_that_caught_it(
    station: Station, reader_port: int, faults: tuple[str, ...], verdict: str, check_id: str, said: str
) -> None:
    result = read(station, reader_port, demo_key(PERSONA), *faults)
    status, detail = check(result, check_id)
    assert (result.verdict.value, status) == (verdict, "fail"), detail
    assert said in detail


@pytest.mark.parametrize("fault", ["pace-refused", "garbled-card-access"])
def test_a_broken_pace_opened_with_bac_is_named_and_only_partial(
    station: Station, reader_port: int, fault: str
) -> None:
    result = read(station, reader_port, mrz_key(), fault)
    status, detail = check(result, "access.control")
    assert (result.verdict.value, status, result.access.protocol) == ("partial", "skipped", "BAC")
    assert result.access.downgraded_from and result.access.downgraded_from in detail
    [event] = station.db.audit.search(action="card_read")
    assert event.detail == {"downgraded_from": result.access.downgraded_from}


def test_a_genuine_chip_with_a_1025_bit_active_authentication_key_verifies(
    station: Station, reader_port: int
) -> None:
    result = read(station, reader_port, demo_key(PERSONA), "aa-rsa-1025")
    assert check(result, "chip.active_authentication")[0] == "pass"
    assert result.verdict.value == "verified"


def test_a_crl_past_its_next_update_leaves_the_read_partial_with_the_date(
    station: Station, reader_port: int
) -> None:
    csca = test_pki().csca_vnm
    last = datetime.now(UTC) - timedelta(days=400)
    stale = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(csca.certificate.subject)
        .last_update(last)
        .next_update(last + timedelta(days=30))
        .sign(csca.key, hashes.SHA384())
        .public_bytes(serialization.Encoding.DER)
    )
    assert station.trust is not None
    station.trust.import_bytes(stale, "stale.crl", "console:test")
    result = read(station, reader_port, demo_key(PERSONA))
    status, detail = check(result, "dsc.revocation")
    assert (result.verdict.value, status) == ("partial", "skipped")
    assert "out of date since" in detail
