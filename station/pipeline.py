"""The inspection pipeline: from a card on a reader to a verified holder record.

The same code runs behind every front end (through :class:`cccd_station.station.core.Station`), the
benchmark and `station verify`. It knows no Qt: progress goes out through a callback, cancellation comes
in through a ``threading.Event``.

EF.SOD is read first: it lists the data groups the issuer signed, so nothing is read on the word of the
unsigned EF.COM, and a data group that EF.SOD lists but the chip withholds is noticed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cccd_station.crypto.passive import passive_authentication, sod_unreadable
from cccd_station.crypto.sod import Sod, SodError
from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import (
    ACCESS_CONTROL,
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    MRZ_CONSISTENCY,
    Check,
    Verdict,
    verdict_of,
)
from cccd_station.reader.access import AccessResult, open_document
from cccd_station.reader.authenticity import active_authentication, chip_authentication
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.errors import ApduError, Cancelled, ChipDataError, ParseError, SecureMessagingError
from cccd_station.reader.files import FileReader, probe_link_limits
from cccd_station.reader.keys import AccessKey, IdNumberKey
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
# What the clerk needs first, then what proves the chip, the portrait (the largest file), then the rest.
READ_ORDER = (1, 13, 14, 15, 2, 11, 12)


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
    data_group: int | None = None  # the file being read (0: EF.SOD)
    bytes_received: int = 0  # from the card so far in this read, as they crossed the reader


ProgressCallback = Callable[[Progress], None]


@dataclass
class ReadContext:
    """What a front end hands a read, and what the read leaves behind for the audit even when it fails."""

    progress: ProgressCallback | None = None
    cancel: threading.Event | None = None
    document_number: str | None = field(default=None, repr=False)  # known once DG1 or DG13 was read
    link: LinkStats | None = field(default=None, repr=False)  # the read's counters, set by inspect()

    def step(self, step: Step, fraction: float, data_group: int | None = None) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()
        if self.progress is not None:
            received = self.link.bytes_received if self.link is not None else 0
            self.progress(Progress(step, fraction, data_group, received))


@dataclass(frozen=True)
class AccessInfo:
    protocol: str
    password: str
    downgraded_from: str | None = None  # the PACE protocol that failed before BAC opened the chip


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

    @property
    def document_number(self) -> str | None:
        """The number an audit search should find: the CCCD number, else the MRZ's document number."""
        return self.record.id_number or self.record.document_number

    def to_json(self) -> dict[str, Any]:
        from cccd_station.station.report import result_to_json

        return result_to_json(self)


@dataclass
class ChipFiles:
    """The files read from the chip (0 is EF.SOD) and, for those EF.SOD lists but could not be read, why."""

    contents: dict[int, bytes] = field(default_factory=dict)
    unread: dict[int, str] = field(default_factory=dict)
    session_ended: str | None = None  # secure messaging broke: nothing more can be asked of the chip

    @property
    def data_groups(self) -> dict[int, bytes]:
        return {number: data for number, data in self.contents.items() if number}


class _Phases:
    """APDUs, bytes and CPU time per phase of one inspection."""

    def __init__(self, channel: CardChannel) -> None:
        self.channel = channel
        self.figures: dict[str, PhaseFigures] = {}
        self._start: tuple[str, LinkStats, float] | None = None

    def begin(self, name: str) -> None:
        """Close the running phase (if any) and start ``name`` ("" closes the last one)."""
        now_stats, now_cpu = self.channel.stats.snapshot(), time.process_time()
        if self._start is not None:
            previous, stats, cpu = self._start
            self.figures[previous] = PhaseFigures(now_stats.since(stats), now_cpu - cpu)
        self._start = (name, now_stats, now_cpu) if name else None


def inspect(
    transport: Transport,
    key: AccessKey,
    anchors: TrustAnchors | None,
    context: ReadContext | None = None,
) -> InspectionResult:
    """Open, read and verify the document on ``transport``; raise a CardError when that is impossible."""
    context = context or ReadContext()
    started = time.monotonic()
    channel = CardChannel(transport)
    context.link = channel.stats
    phases = _Phases(channel)

    phases.begin("access")
    context.step(Step.CONNECTING, 0.0)
    limits = probe_link_limits(channel, transport.atr)
    context.step(Step.OPENING, 0.05)
    opened = open_document(channel, key)

    phases.begin("reading")
    files = _read_files(FileReader(opened.channel, limits), context)

    phases.begin("verification")
    context.step(Step.VERIFYING, 0.85)
    document = parse_document(files.data_groups)
    context.document_number = document.record.id_number or document.record.document_number
    checks = verify_document(files, anchors, document, key)
    checks += _chip_checks(files, opened)
    checks.append(_access_check(opened))
    phases.begin("")
    return document.result(
        checks,
        AccessInfo(opened.protocol, opened.password, opened.downgraded_from),
        channel.stats.snapshot(),
        time.monotonic() - started,
        phases.figures,
    )


def _read_files(reader: FileReader, context: ReadContext) -> ChipFiles:
    """EF.SOD, then every data group it lists but DG3/DG4, what the clerk needs first.

    A data group the chip refuses is noted, not fatal: the verdict says what was withheld. A broken
    secure-messaging session ends the reading (the chip cannot be asked anything more).
    """
    files = ChipFiles()
    context.step(Step.READING, 0.1, 0)
    try:
        files.contents[0] = reader.read(EF_SOD.fid, EF_SOD.sfi)
        listed = sorted(Sod.parse(files.contents[0]).data_group_hashes)
    except SecureMessagingError as error:
        files.session_ended = files.unread[0] = f"the chip's answer was not trustworthy: {error}"
        return files
    except (SodError, ApduError, ChipDataError) as error:
        if 0 not in files.contents:
            files.unread[0] = str(error)
        # Without a usable EF.SOD nothing can be verified; the unsigned EF.COM still says what to show.
        listed = list(parse_com(reader.read(EF_COM.fid, EF_COM.sfi)).data_groups)
    wanted = [number for number in READ_ORDER if number in listed]
    wanted += [number for number in listed if number not in wanted and number not in EAC_PROTECTED_GROUPS]
    for index, number in enumerate(wanted):
        if files.session_ended:
            files.unread[number] = files.session_ended
            continue
        step = Step.PHOTO if number == 2 else Step.READING
        context.step(step, 0.1 + 0.7 * index / (len(wanted) + 1), number)
        group = data_group(number)
        try:
            files.contents[number] = reader.read(group.fid, group.sfi)
            if number in (1, 13) and context.document_number is None:
                context.document_number = _document_number(number, files.contents[number])
        except SecureMessagingError as error:
            files.session_ended = files.unread[number] = f"the chip's answer was not trustworthy: {error}"
        except (ApduError, ChipDataError) as error:
            files.unread[number] = str(error)
    return files


def _document_number(number: int, data: bytes) -> str | None:
    """The number the audit keeps (as a keyed hash) even if the read fails after this group."""
    try:
        if number == 1:
            mrz = parse_dg1(data)
            return mrz.cccd_id_number or mrz.document_number
        return parse_dg13(data).id_number
    except ParseError:
        return None


@dataclass(frozen=True)
class Document:
    """The holder's data groups as parsed, and what could not be parsed."""

    mrz: Mrz | None
    holder: VnCitizenDetails | None
    photo: FaceImage | None
    dg11: AdditionalPersonalDetails | None
    dg12: AdditionalDocumentDetails | None
    malformed: dict[int, str]

    @property
    def record(self) -> HolderRecord:
        return HolderRecord.merge(self.mrz, self.holder)

    @property
    def is_cccd(self) -> bool:
        """A Vietnamese identity card (TD1, document code I...), which carries DG13."""
        return (
            self.mrz is not None
            and self.mrz.issuing_state == "VNM"
            and self.mrz.document_code.startswith("I")
        )

    def result(
        self,
        checks: list[Check],
        access: AccessInfo,
        stats: LinkStats,
        seconds: float,
        phases: dict[str, PhaseFigures],
    ) -> InspectionResult:
        return InspectionResult(
            verdict=verdict_of(checks),
            checks=checks,
            access=access,
            mrz=self.mrz,
            holder=self.holder,
            record=self.record,
            photo=self.photo,
            dg11=self.dg11,
            dg12=self.dg12,
            stats=stats,
            seconds=seconds,
            phases=phases,
        )


def parse_document(data_groups: Mapping[int, bytes]) -> Document:
    """Parse what the clerk is shown; a malformed group is noted (and fails the consistency check)."""
    malformed: dict[int, str] = {}

    def parsed(number: int, parser: Callable[[bytes], Any]) -> Any:
        if number not in data_groups:
            return None
        try:
            return parser(data_groups[number])
        except ParseError as error:
            malformed[number] = str(error)
            return None

    return Document(
        mrz=parsed(1, parse_dg1),
        holder=parsed(13, parse_dg13),
        photo=parsed(2, parse_dg2),
        dg11=parsed(11, parse_dg11),
        dg12=parsed(12, parse_dg12),
        malformed=malformed,
    )


def required_groups(document: Document, listed: set[int]) -> frozenset[int]:
    """The groups the station shows or relies on (issue rule): DG1 and DG2; DG13 on a CCCD; DG14 and DG15
    when EF.SOD lists them, since the chip's proof of being genuine depends on them."""
    required = {1, 2} | ({13} if document.is_cccd else set()) | ({14, 15} & listed)
    return frozenset(required)


def verify_document(
    files: ChipFiles,
    anchors: TrustAnchors | None,
    document: Document,
    key: AccessKey | None,
    *,
    from_chip: bool = True,
) -> list[Check]:
    """Passive authentication and the consistency of the holder's data. Read from a chip, every group the
    station shows or relies on must be there; files handed over (``from_chip=False``) are checked as given."""
    if 0 not in files.contents:
        reason = f"EF.SOD could not be read ({files.unread.get(0, 'the chip holds none')})"
        return [*sod_unreadable(reason), _mrz_consistency(document, key)]
    sod_bytes = files.contents[0]
    try:
        listed = set(Sod.parse(sod_bytes).data_group_hashes)
    except SodError:
        listed = set()
    passive = passive_authentication(
        sod_bytes,
        files.data_groups,
        anchors,
        datetime.now(UTC),
        issuing_state=document.mrz.issuing_state if document.mrz else None,
        required=required_groups(document, listed) if from_chip else frozenset(),
        unread=files.unread,
    )
    return [*passive.checks, _mrz_consistency(document, key)]


def _chip_checks(files: ChipFiles, opened: AccessResult) -> list[Check]:
    """Active Authentication first: Chip Authentication replaces the session keys, and a chip that fails it
    leaves no session to ask for a signature."""
    if files.session_ended:
        reason = f"The chip could not be asked: secure messaging ended ({files.session_ended})."
        return [Check.failed(CHIP_ACTIVE_AUTHENTICATION, reason), Check.failed(CHIP_AUTHENTICATION, reason)]
    dg14: SecurityInfos | None = None
    if 14 in files.contents:
        try:
            dg14 = parse_dg14(files.contents[14])
        except ParseError as error:
            reason = f"DG14 is malformed: {error}."
            return [
                Check.failed(CHIP_AUTHENTICATION, reason),
                Check.failed(CHIP_ACTIVE_AUTHENTICATION, reason),
            ]
    dg15 = None
    if 15 in files.contents:
        try:
            dg15 = parse_dg15(files.contents[15])
        except ParseError as error:
            return [Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"DG15 is malformed: {error}.")]
    aa_info = dg14.active_authentication if dg14 else None
    return [active_authentication(opened.channel, dg15, aa_info), chip_authentication(opened.channel, dg14)]


def _access_check(opened: AccessResult) -> Check:
    """A chip that offers PACE is read with PACE; one opened with BAC after PACE failed is named, and is
    at best partial: a relay that breaks PACE must not pass for a genuine read."""
    if opened.downgraded_from:
        detail = (
            f"{opened.downgraded_from} failed ({opened.downgrade_reason or 'no reason given'}); "
            f"the chip was opened with {opened.protocol} instead."
        )
        return Check.skipped(ACCESS_CONTROL, detail)
    return Check.passed(ACCESS_CONTROL, f"The chip was opened with {opened.protocol}.")


def _mrz_consistency(document: Document, key: AccessKey | None) -> Check:
    """Check digits of DG1, agreement of DG1 with DG13 and with the ID number the clerk gave, and that every
    group shown parses."""
    problems = [
        f"DG{number} is malformed ({reason})" for number, reason in sorted(document.malformed.items())
    ]
    mrz = document.mrz
    if mrz is None and not problems:
        return Check.skipped(MRZ_CONSISTENCY, "The chip holds no MRZ (DG1) to compare.")
    if mrz is not None:
        problems += [f"check digit of {name} is wrong" for name in mrz.check_digit_errors]
    record = document.record
    problems += [f"DG1 and DG13 disagree on {name}" for name in record.disagreements]
    if isinstance(key, IdNumberKey) and record.id_number and record.id_number != key.id_number:
        problems.append("the chip's ID number differs from the one entered")
    if problems:
        return Check.failed(MRZ_CONSISTENCY, "; ".join(problems).capitalize() + ".")
    compared = "check digits, DG13 and the entered ID number" if document.holder else "check digits"
    return Check.passed(MRZ_CONSISTENCY, f"The MRZ agrees with itself ({compared}).")
