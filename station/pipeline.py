"""The inspection pipeline: from a card on a reader to a verified holder record.

The same code runs behind `station read`, the desktop program and the benchmark. It knows no Qt:
progress goes out through a callback, cancellation comes in through a ``threading.Event``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.truststore import TrustStore
from cccd_station.crypto.verdict import MRZ_CONSISTENCY, Check, Verdict, verdict_of
from cccd_station.reader.access import AccessKey, IdNumberKey, open_document
from cccd_station.reader.authenticity import active_authentication, chip_authentication
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.errors import Cancelled
from cccd_station.reader.files import FileNotFoundOnChip, FileReader, probe_link_limits
from cccd_station.reader.lds.com import parse_com
from cccd_station.reader.lds.details import (
    AdditionalDocumentDetails,
    AdditionalPersonalDetails,
    parse_dg11,
    parse_dg12,
)
from cccd_station.reader.lds.dg2 import FaceImage, parse_dg2
from cccd_station.reader.lds.dg13 import VnCitizenDetails, parse_dg13
from cccd_station.reader.lds.files import EF_COM, EF_SOD, data_group
from cccd_station.reader.lds.holder import HolderRecord
from cccd_station.reader.lds.mrz import Mrz, parse_dg1
from cccd_station.reader.lds.security_infos import SecurityInfos, parse_dg14, parse_dg15
from cccd_station.reader.transport import Transport

# DG3 and DG4 (fingerprints, iris) need Extended Access Control, which a counter does not hold.
EAC_PROTECTED_GROUPS = frozenset({3, 4})


class Step(StrEnum):
    CONNECTING = "connecting"
    OPENING = "opening"
    READING = "reading"
    PHOTO = "photo"
    VERIFYING = "verifying"


@dataclass(frozen=True)
class Progress:
    step: Step
    fraction: float


@dataclass(frozen=True)
class AccessInfo:
    protocol: str
    password: str


@dataclass(frozen=True)
class PhaseFigures:
    """What one phase cost on the link, and in CPU time on this machine."""

    stats: LinkStats
    cpu_seconds: float


@dataclass(frozen=True, repr=False)
class InspectionResult:
    verdict: Verdict
    checks: list[Check]
    access: AccessInfo
    mrz: Mrz | None
    holder: VnCitizenDetails | None
    record: HolderRecord
    photo: FaceImage | None
    dg11: AdditionalPersonalDetails | None
    dg12: AdditionalDocumentDetails | None
    stats: LinkStats
    seconds: float
    phases: dict[str, PhaseFigures] = field(default_factory=dict)

    def __repr__(self) -> str:  # the record holds personal data: keep it out of logs and tracebacks
        return f"InspectionResult(verdict={self.verdict.value}, checks={len(self.checks)})"

    def to_json(self) -> dict[str, Any]:
        from cccd_station.station.report import result_to_json

        return result_to_json(self)


ProgressCallback = Callable[[Progress], None]


class _Run:
    """One inspection: keeps the cancel flag, the progress callback and the per-phase figures."""

    def __init__(
        self, channel: CardChannel, progress: ProgressCallback | None, cancel: threading.Event | None
    ):
        self.channel = channel
        self.progress = progress
        self.cancel = cancel
        self.phases: dict[str, PhaseFigures] = {}
        self._phase_start: tuple[str, LinkStats, float] | None = None

    def step(self, step: Step, fraction: float) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()
        if self.progress is not None:
            self.progress(Progress(step, fraction))

    def phase(self, name: str) -> None:
        """Close the running phase (if any) and start ``name``."""
        now_stats, now_cpu = self.channel.stats.snapshot(), time.process_time()
        if self._phase_start is not None:
            previous, stats, cpu = self._phase_start
            self.phases[previous] = PhaseFigures(now_stats.since(stats), now_cpu - cpu)
        self._phase_start = (name, now_stats, now_cpu) if name else None


def inspect(
    transport: Transport,
    key: AccessKey,
    trust: TrustStore | None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> InspectionResult:
    """Open, read and verify the document on ``transport``; raise a CardError when that is impossible."""
    started = time.monotonic()
    channel = CardChannel(transport)
    run = _Run(channel, progress, cancel)

    run.phase("access")
    run.step(Step.CONNECTING, 0.0)
    limits = probe_link_limits(channel, transport.atr)
    run.step(Step.OPENING, 0.05)
    opened = open_document(channel, key)
    secure = opened.channel

    run.phase("reading")
    reader = FileReader(secure, limits)
    files = _read_files(reader, run)

    run.phase("verification")
    run.step(Step.VERIFYING, 0.85)
    checks = _verify(files, trust, secure, key, run)
    run.phase("")

    mrz = parse_dg1(files[1]) if 1 in files else None
    holder = parse_dg13(files[13]) if 13 in files else None
    checks.append(_mrz_consistency(mrz, holder, key))
    return InspectionResult(
        verdict=verdict_of(checks),
        checks=checks,
        access=AccessInfo(opened.protocol, opened.password),
        mrz=mrz,
        holder=holder,
        record=HolderRecord.merge(mrz, holder),
        photo=parse_dg2(files[2]) if 2 in files else None,
        dg11=parse_dg11(files[11]) if 11 in files else None,
        dg12=parse_dg12(files[12]) if 12 in files else None,
        stats=channel.stats.snapshot(),
        seconds=time.monotonic() - started,
        phases=run.phases,
    )


# Order of reading: what the clerk needs first, the portrait (the largest file) before the rest.
READ_ORDER = (1, 13, 2, 11, 12, 14, 15)


def _read_files(reader: FileReader, run: _Run) -> dict[int, bytes]:
    """EF.COM, then every data group it lists (but DG3/DG4), then EF.SOD; keys: DG number, 0 = SOD."""
    run.step(Step.READING, 0.1)
    com = parse_com(reader.read(EF_COM.fid, EF_COM.sfi))
    wanted = [n for n in READ_ORDER if n in com.data_groups]
    wanted += [n for n in com.data_groups if n not in wanted and n not in EAC_PROTECTED_GROUPS]
    files: dict[int, bytes] = {}
    for index, number in enumerate(wanted):
        run.step(Step.PHOTO if number == 2 else Step.READING, 0.1 + 0.7 * index / (len(wanted) + 1))
        group = data_group(number)
        try:
            files[number] = reader.read(group.fid, group.sfi)
        except FileNotFoundOnChip:
            continue  # listed in EF.COM but absent: the hash check will say so
    files[0] = reader.read(EF_SOD.fid, EF_SOD.sfi)
    return files


def _verify(
    files: dict[int, bytes], trust: TrustStore | None, secure: Any, key: AccessKey, run: _Run
) -> list[Check]:
    data_groups = {number: data for number, data in files.items() if number}
    checks = list(passive_authentication(files[0], data_groups, trust, datetime.now(UTC)).checks)
    dg14: SecurityInfos | None = parse_dg14(files[14]) if 14 in files else None
    run.step(Step.VERIFYING, 0.9)
    # Active Authentication first: Chip Authentication replaces the session keys, and a chip
    # that fails it leaves no session to ask for a signature.
    dg15 = parse_dg15(files[15]) if 15 in files else None
    aa_info = dg14.active_authentication if dg14 else None
    checks.append(active_authentication(secure, dg15, aa_info))
    checks.append(chip_authentication(secure, dg14))
    return checks


def _mrz_consistency(mrz: Mrz | None, holder: VnCitizenDetails | None, key: AccessKey) -> Check:
    """Check digits of DG1, agreement of DG1 with DG13, and with the ID number the clerk gave."""
    if mrz is None:
        return Check.skipped(MRZ_CONSISTENCY, "The chip holds no MRZ (DG1) to compare.")
    problems = [f"check digit of {name} is wrong" for name in mrz.check_digit_errors]
    record = HolderRecord.merge(mrz, holder)
    problems += [f"DG1 and DG13 disagree on {name}" for name in record.disagreements]
    if isinstance(key, IdNumberKey) and record.id_number and record.id_number != key.id_number:
        problems.append("the chip's ID number differs from the one entered")
    if problems:
        return Check.failed(MRZ_CONSISTENCY, "; ".join(problems).capitalize() + ".")
    compared = "check digits, DG13 and the entered ID number" if holder else "check digits"
    return Check.passed(MRZ_CONSISTENCY, f"The MRZ agrees with itself ({compared}).")
