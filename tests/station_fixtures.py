"""Shared builders for the tests of the station core and the admin screens (no tests of its own).

Inspection results are assembled from the fictitious personas' data groups, parsed by the real LDS
parsers, so they carry exactly what a read of that persona's virtual chip would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cccd_station.crypto.verdict import (
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    NO_CRL,
    SOD_SIGNATURE,
    Check,
    Verdict,
    verdict_of,
)
from cccd_station.db import Operator
from cccd_station.reader.channel import LinkStats
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.lds.dg2 import parse_dg2
from cccd_station.reader.lds.dg13 import parse_dg13
from cccd_station.reader.lds.holder import HolderRecord
from cccd_station.reader.lds.mrz import parse_dg1
from cccd_station.station.core import Station
from cccd_station.station.pipeline import AccessInfo, InspectionResult
from cccd_station.station.readers import DemoReaders

CCCD_PERSONA = "nguyen-van-an"
PASSPORT_PERSONA = "lindqvist-maja"
ADMIN_PASSWORD = "Quan-tri-2026"
CLERK_PASSWORD = "Giao-dich-2026"


def inspection_result(persona: str = CCCD_PERSONA, *, forged: bool = False) -> InspectionResult:
    """What reading ``persona``'s chip gives: verified, or failed on its data group hashes."""
    groups = load_persona(persona).data_groups()
    mrz = parse_dg1(groups[1])
    holder = parse_dg13(groups[13]) if 13 in groups else None
    checks = [
        Check.passed(SOD_SIGNATURE, "The document signer's signature is valid."),
        Check.passed(DSC_CHAIN, "The document signer chains to a trusted CSCA."),
        Check.skipped(DSC_REVOCATION, "No CRL is known for this CSCA.", NO_CRL),
        Check.failed(DG_HASHES, "DG2 does not match its hash.")
        if forged
        else Check.passed(DG_HASHES, "All data group hashes match."),
        Check.passed(CHIP_AUTHENTICATION, "The chip proved its key."),
    ]
    verdict = verdict_of(checks)
    assert verdict is (Verdict.FAILED if forged else Verdict.VERIFIED)
    return InspectionResult(
        verdict=verdict,
        checks=checks,
        access=AccessInfo("PACE-ECDH-GM-AES-128", "id_number"),
        mrz=mrz,
        holder=holder,
        record=HolderRecord.merge(mrz, holder),
        photo=parse_dg2(groups[2]),
        dg11=None,
        dg12=None,
        stats=LinkStats(40, 2000, 30000),
        seconds=1.5,
    )


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    """A counter's core on a fresh SQLite database, with the demo reader (no card placed)."""
    with Station.open(tmp_path / "station", readers=DemoReaders()) as opened:
        yield opened


@pytest.fixture
def admin(station: Station) -> Operator:
    return station.db.operators.create_first_admin("admin", "Quản trị viên", ADMIN_PASSWORD)


@pytest.fixture
def clerk(station: Station, admin: Operator) -> Operator:
    from cccd_station.db import Role

    return station.db.operators.create(admin, "clerk", "Nhân viên giao dịch", CLERK_PASSWORD, Role.CLERK)
