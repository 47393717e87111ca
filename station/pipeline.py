"""The inspection pipeline: from a card on a reader to a verified holder record.

The same code runs behind every front end (through :class:`cccd_station.station.core.Station`), the
benchmark and `station verify`. It knows no Qt: progress, the holder's text and a slipped card go out
through callbacks, cancellation comes in through a ``threading.Event``.

The reads are ordered for the clerk and for the fewest round trips (ICAO 9303-10/11):

1. EF.CardAccess (which also tells whether extended length works, when the ATR and the reader did not),
   PACE (or BAC) and the SELECT of the application;
2. EF.SOD: it lists the data groups the issuer signed, so nothing is read on the word of the unsigned
   EF.COM, and a group EF.SOD lists but the chip withholds is noticed;
3. DG14, then Chip Authentication at once: the protected answers that follow, under the new keys, are
   the chip's proof (with PACE-CAM the proof came inside PACE and is checked against DG14 here);
4. the holder's text (DG1, DG13, or DG11 and DG12): once EF.SOD's signature and chain and the text's
   hashes check, the text goes to the clerk (``ReadContext.text``) while the portrait is still on its way;
5. DG15 and Active Authentication, the portrait (DG2, the largest file) and the rest;
6. the verdict over everything.

A chip that fails Chip Authentication (or PACE-CAM) is read no further: the verdict is ``failed`` on
``chip.authentication``, and no holder data of a chip that could be a copy reaches the screen.

A card that slips away mid-read can be laid back (:func:`read_document`): the chip is opened again the
same way (PACE and SELECT) and the read goes on from the byte where it stopped. The card is recognised by
what it then returns: every file finished after the return must match the hash in the EF.SOD read before
(and, with PACE-CAM, the new PACE must prove DG14's key); anything that goes against what was read before
(a withheld file, a failed proof, a broken session) restarts the read from the start with the card that
is there, so only a read from the start ever sets a verdict. Given up, the partial data is dropped.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from cccd_station.crypto.passive import (
    PassiveAuthResult,
    check_data_group_hashes,
    passive_authentication,
    sod_unreadable,
)
from cccd_station.crypto.sod import SignatureError, Sod, SodError, UnsupportedAlgorithmError, digest
from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import (
    ACCESS_CONTROL,
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    MRZ_CONSISTENCY,
    SOD_SIGNATURE,
    Check,
    CheckStatus,
    Verdict,
    verdict_of,
)
from cccd_station.reader.access import (
    AccessResult,
    CardAccessFile,
    open_with_card_access,
    read_card_access_learning,
    reopen_document,
)
from cccd_station.reader.authenticity import (
    active_authentication,
    chip_authentication_disproved,
    chip_authentication_mapping,
    chip_authentication_proved,
    start_chip_authentication,
)
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.errors import (
    AccessDeniedError,
    ApduError,
    Cancelled,
    CardError,
    CardRemovedError,
    ChipDataError,
    ExtendedLengthError,
    NoCardError,
    ParseError,
    SecureMessagingError,
)
from cccd_station.reader.files import FileReader, LinkLimits, initial_extended_length
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
from cccd_station.reader.pace import cam_proves_chip
from cccd_station.reader.transport import Transport

# DG3 and DG4 (fingerprints, iris) need Extended Access Control, which a counter does not hold.
EAC_PROTECTED_GROUPS = frozenset({3, 4})
# The chip's key first (its proof covers what follows), the holder's text, the AA key, the portrait, the rest.
READ_ORDER = (14, 1, 13, 11, 12, 15, 2)
TEXT_GROUPS = frozenset({1, 11, 12, 13})
RESUME_WINDOW_S = 30.0  # how long a read waits for a card that slipped away to be laid back
MAX_RESUMES_WITHOUT_PROGRESS = 3  # a card that keeps failing at the same point is given up
WAIT_SLICE_S = 0.25  # waiting for the card, a cancel is noticed this fast


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
    file_bytes: int = 0  # bytes of that file read so far
    file_size: int | None = None  # its size, once its header has arrived
    total_bytes: int = 0  # bytes of chip data read so far in this read


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True, repr=False)
class HolderText:
    """The holder's text, checked against EF.SOD before the portrait is read: what the clerk sees first.

    The attribute names are those of :class:`InspectionResult`, so a front end shows both alike."""

    mrz: Mrz | None
    holder: VnCitizenDetails | None
    dg11: AdditionalPersonalDetails | None
    dg12: AdditionalDocumentDetails | None
    chip_proven: bool  # the chip already proved its DG14 key (CA or PACE-CAM)

    def __repr__(self) -> str:  # personal data stays out of logs and tracebacks
        return f"HolderText(chip_proven={self.chip_proven})"

    @property
    def record(self) -> HolderRecord:
        return HolderRecord.merge(self.mrz, self.holder)

    @property
    def data_groups(self) -> list[int]:
        present = {1: self.mrz, 11: self.dg11, 12: self.dg12, 13: self.holder}
        return [number for number, value in present.items() if value is not None]


@dataclass(frozen=True)
class Suspension:
    """The card left mid-read: how long the read waits for it and how much it keeps."""

    seconds: float
    fraction: float
    bytes_kept: int
    error: CardError


@dataclass
class ReadContext:
    """What a front end hands a read, and what the read leaves behind for the audit even when it fails."""

    progress: ProgressCallback | None = None
    cancel: threading.Event | None = None
    text: Callable[[HolderText], None] | None = None  # the verified text, before the portrait
    suspended: Callable[[Suspension], None] | None = None  # the card left: waiting for it
    resumed: Callable[[], None] | None = None  # the card is back: the read goes on
    document_number: str | None = field(default=None, repr=False)  # known once DG1 or DG13 was read
    fraction: float = 0.0  # the last fraction reported
    total_bytes: int = 0  # the most chip data reported so far (steps that read nothing do not lower it)

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()

    def step(
        self,
        step: Step,
        fraction: float,
        data_group: int | None = None,
        *,
        file_bytes: int = 0,
        file_size: int | None = None,
        total_bytes: int = 0,
    ) -> None:
        self.check_cancel()
        self.fraction = max(self.fraction, fraction)
        self.total_bytes = max(self.total_bytes, total_bytes)
        if self.progress is not None:
            self.progress(Progress(step, self.fraction, data_group, file_bytes, file_size, self.total_bytes))


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
    seconds_to_text: float | None = None  # wall time until the verified text went out
    resumed: int = 0  # how many times the card was laid back and the read went on

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
    session_ended: str | None = None  # secure messaging broke, or the chip failed to prove itself

    @property
    def data_groups(self) -> dict[int, bytes]:
        return {number: data for number, data in self.contents.items() if number}


# Phases of a read, for `station bench`: opening the chip, up to the verified text, the rest of the
# reading (portrait, Active Authentication), the final verification; "resume" for a chip opened again.
PHASES = ("access", "text", "rest", "verification")


class _Phases:
    """APDUs, bytes and CPU time per phase of one read (a phase entered twice adds up)."""

    def __init__(self, stats: LinkStats) -> None:
        self.stats = stats
        self.figures: dict[str, PhaseFigures] = {}
        self._start: tuple[str, LinkStats, float] | None = None

    def begin(self, name: str) -> None:
        """Close the running phase (if any) and start ``name`` ("" closes the last one)."""
        now_stats, now_cpu = self.stats.snapshot(), time.process_time()
        if self._start is not None:
            previous, stats, cpu = self._start
            spent = now_stats.since(stats)
            before = self.figures.get(previous)
            if before is not None:
                total = LinkStats(
                    before.stats.apdus + spent.apdus,
                    before.stats.bytes_sent + spent.bytes_sent,
                    before.stats.bytes_received + spent.bytes_received,
                )
                self.figures[previous] = PhaseFigures(total, before.cpu_seconds + now_cpu - cpu)
            else:
                self.figures[previous] = PhaseFigures(spent, now_cpu - cpu)
        self._start = (name, now_stats, now_cpu) if name else None


class _OtherCard(Exception):
    """What the card returned after it was laid back does not belong to the document read before."""


@dataclass
class _ReadState:
    """What a read has gathered so far; it survives a slip of the card and is dropped when given up."""

    extended: bool | None = None  # extended length: None until EF.CardAccess has been read
    card_access: CardAccessFile | None = None  # EF.CardAccess, read once for the whole read
    access: AccessResult | None = None  # how the chip was first opened
    files: ChipFiles = field(default_factory=ChipFiles)
    kept: dict[int, bytearray] = field(default_factory=dict)  # files cut short, by number
    plan: list[tuple[str, int]] | None = None  # what remains to do after EF.SOD, in order
    sod: Sod | None = None
    sod_signature_ok: bool = False
    chip_check: Check | None = None  # Chip Authentication or PACE-CAM, once settled
    ca_suite: str | None = None  # CA keys agreed, the proof (a verified answer under them) pending
    ca_mark: int = 0  # verified answers before the switch
    active_check: Check | None = None
    early_passive: PassiveAuthResult | None = None
    text_sent: bool = False

    @property
    def bytes_kept(self) -> int:
        return sum(len(data) for data in self.files.contents.values()) + sum(map(len, self.kept.values()))


class Reading:
    """One read of one document; :meth:`run` may be called again on a new connection after the card
    slipped away, and goes on from where the last one stopped."""

    def __init__(
        self, key: AccessKey, anchors: TrustAnchors | None, context: ReadContext | None = None
    ) -> None:
        self.key = key
        self.anchors = anchors
        self.context = context or ReadContext()
        self.stats = LinkStats()
        self.phases = _Phases(self.stats)
        self.started = time.monotonic()
        self.seconds_to_text: float | None = None
        self.state = _ReadState()
        self.sessions = 0
        self._resumed_session = False

    # -- the outside view -----------------------------------------------------------------------------

    @property
    def resumes(self) -> int:
        return max(0, self.sessions - 1)

    def wipe(self) -> None:
        """Forget everything read (the card did not come back, or another card came)."""
        self.state = _ReadState(extended=self.state.extended)  # another card: its own EF.CardAccess

    def use_short_length(self) -> None:
        """The reader cannot carry extended length after all: go on in short APDUs."""
        self.state.extended = False

    def run(self, transport: Transport) -> InspectionResult:
        """Open the chip on ``transport`` (again) and read on; CardRemovedError when the card leaves."""
        context = self.context
        channel = CardChannel(transport, self.stats)
        self.sessions += 1
        self._resumed_session = self.state.access is not None
        opened = self._open(channel, transport)
        self._read(opened)
        self.phases.begin("verification")
        context.step(Step.VERIFYING, 0.9)
        result = self._verdict(opened)
        self.phases.begin("")
        return result

    # -- opening --------------------------------------------------------------------------------------

    def _open(self, channel: CardChannel, transport: Transport) -> AccessResult:
        state, context = self.state, self.context
        first = state.access
        if first is None:
            self.phases.begin("access")
            context.step(Step.CONNECTING, 0.0)
            if state.extended is None:
                state.extended = initial_extended_length(transport.atr, _reader_extended(transport))
            if state.card_access is None:
                state.card_access, state.extended = read_card_access_learning(channel, state.extended)
            context.step(Step.OPENING, 0.05)
            opened = open_with_card_access(channel, self.key, state.card_access)
            state.access = opened
            return opened
        self.phases.begin("resume")
        context.step(Step.OPENING, context.fraction)
        try:
            opened = reopen_document(channel, self.key, first)
        except AccessDeniedError as error:
            raise CardRemovedError(
                "the card that was being read did not come back: another card was placed on the reader"
            ) from error
        # With PACE-CAM the new PACE proves at once that this is the chip whose trusted DG14 was read.
        sod = state.sod
        trusted_dg14 = sod is not None and state.sod_signature_ok and _hash_matches(sod, 14, state.files)
        if opened.cam is not None and trusted_dg14 and not _cam_holds(opened, state.files.contents[14]):
            raise _OtherCard
        return opened

    # -- reading --------------------------------------------------------------------------------------

    def _file_reader(
        self, opened: AccessResult, number: int, step: Step, base: float, span: float
    ) -> FileReader:
        def on_chunk(received: int, total: int) -> None:
            self.context.step(
                step,
                base + span * received / max(total, 1),
                number,
                file_bytes=received,
                file_size=total,
                total_bytes=self.state.bytes_kept,
            )

        limits = LinkLimits(extended=bool(self.state.extended))
        return FileReader(opened.channel, limits, on_chunk)

    def _read_file(self, opened: AccessResult, number: int, base: float, span: float) -> bytes:
        """File ``number`` (0: EF.SOD), from where an earlier session stopped; it joins the files read."""
        state = self.state
        ef = EF_SOD if number == 0 else data_group(number)
        step = Step.PHOTO if number == 2 else Step.READING
        self.context.step(step, base, number, file_bytes=len(state.kept.get(number, b"")))
        kept = state.kept.setdefault(number, bytearray())
        try:
            data = self._file_reader(opened, number, step, base, span).read(ef.fid, ef.sfi, kept)
        except (ApduError, ChipDataError) as error:
            self._doubt(error)  # after a return, a file that is not where it was: another card?
            state.kept.pop(number, None)
            raise
        state.kept.pop(number, None)
        if self._resumed_session:
            self._same_document(number, data)
        state.files.contents[number] = data
        return data

    def _doubt(self, cause: BaseException | None = None) -> None:
        """After the card came back, anything that goes against what was read before it left (a refused
        file, a failed proof, a broken session) may be another card: the read starts over with the card
        that is there, whose own read then tells. Only a read from the start sets a verdict."""
        if self._resumed_session:
            raise _OtherCard from cause

    def _same_document(self, number: int, data: bytes) -> None:
        """A file finished after the card came back must belong to the document read before it left."""
        sod = self.state.sod
        if number == 0:
            if not _sod_signature_verifies(data):
                raise _OtherCard
            return
        if sod is None:
            raise _OtherCard  # nothing to recognise the card by
        if (
            number in sod.data_group_hashes
            and digest(sod.hash_algorithm, data) != sod.data_group_hashes[number]
        ):
            raise _OtherCard

    def _read(self, opened: AccessResult) -> None:
        state, context = self.state, self.context
        files = state.files
        if state.plan is None:
            self.phases.begin("text")
            state.plan = self._read_sod(opened)
        else:
            self.phases.begin("text" if not state.text_sent else "rest")
            if state.ca_suite is not None:
                # Keys agreed in the last session were never proven: agree new ones with this session.
                state.ca_suite = None
                state.plan.insert(0, ("chip", 14))
        while state.plan:
            action, number = state.plan[0]
            if files.session_ended:
                if action == "read":
                    files.unread.setdefault(number, files.session_ended)
                state.plan.pop(0)
                continue
            left = len(state.plan)
            base = 0.1 + 0.75 * len(files.contents) / (left + len(files.contents))
            try:
                if action == "read":
                    self._read_group(opened, number, base, 0.75 / (left + len(files.contents)))
                elif action == "chip":
                    self._prove_chip(opened)
                elif action == "text":
                    self._send_text()
                    self.phases.begin("rest")
                elif action == "active":
                    self._active_authentication(opened)
            except SecureMessagingError as error:
                self._doubt(error)
                files.session_ended = f"the chip's answer was not trustworthy: {error}"
            state.plan.pop(0)
            context.check_cancel()

    def _read_sod(self, opened: AccessResult) -> list[tuple[str, int]]:
        """EF.SOD, and the plan of what to read after it."""
        files = self.state.files
        try:
            sod_bytes = self._read_file(opened, 0, 0.1, 0.05)
        except SecureMessagingError as error:
            files.session_ended = files.unread[0] = f"the chip's answer was not trustworthy: {error}"
            return []
        try:
            self.state.sod = Sod.parse(sod_bytes)
            self.state.sod_signature_ok = _sod_signature_verifies(sod_bytes)
            listed = sorted(self.state.sod.data_group_hashes)
        except (SodError, ApduError, ChipDataError) as error:
            if 0 not in files.contents:
                files.unread[0] = str(error)
            # Without a usable EF.SOD nothing can be verified; the unsigned EF.COM still says what to show.
            com = FileReader(opened.channel, LinkLimits(extended=bool(self.state.extended)))
            listed = list(parse_com(com.read(EF_COM.fid, EF_COM.sfi)).data_groups)
        return _plan(listed)

    def _read_group(self, opened: AccessResult, number: int, base: float, span: float) -> None:
        state = self.state
        files = state.files
        mark = opened.channel.verified_answers
        try:
            self._read_file(opened, number, base, span)
            if number in (1, 13) and self.context.document_number is None:
                self.context.document_number = _document_number(number, files.contents[number])
        except SecureMessagingError as error:
            self._doubt(error)
            if state.ca_suite is not None:
                state.chip_check = chip_authentication_disproved(error)
                state.ca_suite = None
                files.session_ended = files.unread[number] = "the chip failed Chip Authentication"
            else:
                files.session_ended = files.unread[number] = f"the chip's answer was not trustworthy: {error}"
            return
        except (ApduError, ChipDataError) as error:
            files.unread[number] = str(error)
        finally:
            self._settle_chip_authentication(opened, mark)

    def _settle_chip_authentication(self, opened: AccessResult, mark: int) -> None:
        """A protected answer verified under the keys agreed in Chip Authentication: the chip is proven."""
        state = self.state
        if state.ca_suite is not None and opened.channel.verified_answers > max(mark, state.ca_mark):
            state.chip_check = chip_authentication_proved(state.ca_suite)
            state.ca_suite = None

    def _prove_chip(self, opened: AccessResult) -> None:
        """Right after DG14: PACE-CAM's proof checked against DG14, or Chip Authentication started."""
        state = self.state
        if state.chip_check is not None:
            return
        dg14 = _parse_dg14(state.files.contents.get(14))
        if isinstance(dg14, Check):
            state.chip_check = dg14
            return
        if opened.cam is not None:
            # DG14's key is the issuer's only once EF.SOD's signature and DG14's hash check.
            if (
                state.sod is None
                or not state.sod_signature_ok
                or not _hash_matches(state.sod, 14, state.files)
            ):
                state.chip_check = Check.skipped(
                    CHIP_AUTHENTICATION,
                    "DG14 could not be checked against EF.SOD, so its key proves nothing.",
                )
                return
            state.chip_check = chip_authentication_mapping(_cam_holds(opened, state.files.contents[14]))
        else:
            started = start_chip_authentication(opened.channel, dg14)
            if isinstance(started, Check):
                state.chip_check = started
            else:
                state.ca_suite, state.ca_mark = started, opened.channel.verified_answers
        if state.chip_check is not None and state.chip_check.status is CheckStatus.FAIL:
            self._doubt()
            state.files.session_ended = "the chip failed Chip Authentication"

    def _active_authentication(self, opened: AccessResult) -> None:
        state = self.state
        if state.active_check is not None:
            return
        dg14 = _parse_dg14(state.files.contents.get(14))
        if isinstance(dg14, Check):
            state.active_check = Check.failed(CHIP_ACTIVE_AUTHENTICATION, dg14.detail)
            return
        raw = state.files.contents.get(15)
        if raw is None:
            return
        try:
            dg15 = parse_dg15(raw)
        except ParseError as error:
            state.active_check = Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"DG15 is malformed: {error}.")
            return
        mark = opened.channel.verified_answers
        aa_info = dg14.active_authentication if dg14 else None
        try:
            state.active_check = active_authentication(
                opened.channel, dg15, aa_info, extended=bool(state.extended)
            )
        finally:
            self._settle_chip_authentication(opened, mark)
        if state.active_check.status is CheckStatus.FAIL:
            self._doubt()

    def _send_text(self) -> None:
        """Once EF.SOD's signature and chain and the text's hashes check, the clerk sees the text."""
        state, files = self.state, self.state.files
        if state.text_sent or 0 not in files.contents:
            return
        document = parse_document({n: files.contents[n] for n in files.contents if n in TEXT_GROUPS | {14}})
        passive = passive_authentication(
            files.contents[0],
            files.data_groups,
            self.anchors,
            datetime.now(UTC),
            issuing_state=document.mrz.issuing_state if document.mrz else None,
        )
        state.early_passive = passive
        chip_failed = state.chip_check is not None and state.chip_check.status is CheckStatus.FAIL
        trusted = all(passive.check(name).status is CheckStatus.PASS for name in (SOD_SIGNATURE, DSC_CHAIN))
        consistent = _mrz_consistency(document, self.key).status is not CheckStatus.FAIL
        no_failure = all(check.status is not CheckStatus.FAIL for check in passive)
        if not (trusted and no_failure and consistent and not chip_failed and document.mrz is not None):
            return
        chip_proven = state.chip_check is not None and state.chip_check.status is CheckStatus.PASS
        text = HolderText(document.mrz, document.holder, document.dg11, document.dg12, chip_proven)
        state.text_sent = True
        self.seconds_to_text = time.monotonic() - self.started
        if self.context.text is not None:
            self.context.text(text)

    # -- the verdict ----------------------------------------------------------------------------------

    def _verdict(self, opened: AccessResult) -> InspectionResult:
        files = self.state.files
        document = parse_document(files.data_groups)
        self.context.document_number = document.record.id_number or document.record.document_number
        checks = self._passive_checks(document)
        checks += [self._active_check(), self._chip_check()]
        checks.append(_access_check(opened))
        return document.result(
            checks,
            AccessInfo(opened.protocol, opened.password, opened.downgraded_from),
            self.stats.snapshot(),
            time.monotonic() - self.started,
            self.phases.figures,
            self.seconds_to_text,
            self.resumes,
        )

    def _passive_checks(self, document: Document) -> list[Check]:
        """Passive authentication over everything read; EF.SOD's signature and chain, already checked
        for the text, are not checked twice."""
        files, early = self.state.files, self.state.early_passive
        if early is None or early.sod is None or early.dsc is None or 0 not in files.contents:
            return verify_document(files, self.anchors, document, self.key)
        listed = set(early.sod.data_group_hashes)
        hashes = check_data_group_hashes(
            early.sod, files.data_groups, required_groups(document, listed), files.unread
        )
        kept = [check for check in early if check.id != DG_HASHES]
        return [*kept, hashes, _mrz_consistency(document, self.key)]

    def _chip_check(self) -> Check:
        state = self.state
        if state.chip_check is not None:
            return state.chip_check
        if state.files.session_ended:
            return Check.failed(
                CHIP_AUTHENTICATION,
                f"The chip could not be asked: secure messaging ended ({state.files.session_ended}).",
            )
        if 14 not in state.files.contents:
            return Check.skipped(
                CHIP_AUTHENTICATION, "The chip offers no Chip Authentication (no key in DG14)."
            )
        return Check.skipped(CHIP_AUTHENTICATION, "Chip Authentication was not completed.")

    def _active_check(self) -> Check:
        state = self.state
        if state.active_check is not None:
            return state.active_check
        listed = 15 in state.files.contents or 15 in state.files.unread
        if listed and state.files.session_ended:
            return Check.failed(
                CHIP_ACTIVE_AUTHENTICATION,
                f"The chip could not be asked: secure messaging ended ({state.files.session_ended}).",
            )
        return Check.skipped(
            CHIP_ACTIVE_AUTHENTICATION, "The chip offers no Active Authentication (no DG15)."
        )


def _plan(listed: list[int]) -> list[tuple[str, int]]:
    """What to do after EF.SOD: each file, Chip Authentication right after DG14, the text once its groups
    are in, Active Authentication right after DG15."""
    order = [number for number in READ_ORDER if number in listed]
    order += [number for number in listed if number not in order and number not in EAC_PROTECTED_GROUPS]
    plan: list[tuple[str, int]] = []
    for number in order:
        plan.append(("read", number))
        if number == 14:
            plan.append(("chip", 14))
        if number == 15:
            plan.append(("active", 15))
    text_reads = [index for index, (action, number) in enumerate(plan) if number in TEXT_GROUPS]
    if text_reads:
        plan.insert(text_reads[-1] + 1, ("text", 0))
    return plan


def _reader_extended(transport: Transport) -> bool | None:
    """What the reader says it can carry (PC/SC part 10), when the transport knows it."""
    value = getattr(transport, "reader_extended_length", None)
    return value if isinstance(value, bool) else None


def _sod_signature_verifies(sod_bytes: bytes) -> bool:
    """Whether EF.SOD is signed by the Document Signer it carries (trust is a separate question)."""
    try:
        sod = Sod.parse(sod_bytes)
        signer = sod.document_signer()
        if signer is None:
            return False
        sod.cms.verify(signer.public_key.dump())
    except (SodError, SignatureError, UnsupportedAlgorithmError, ValueError):
        return False
    return True


def _hash_matches(sod: Sod, number: int, files: ChipFiles) -> bool:
    data = files.contents.get(number)
    expected = sod.data_group_hashes.get(number)
    return data is not None and expected is not None and digest(sod.hash_algorithm, data) == expected


def _parse_dg14(raw: bytes | None) -> SecurityInfos | Check | None:
    """DG14's SecurityInfos, None when the chip has no DG14, or the failed check when it is malformed."""
    if raw is None:
        return None
    try:
        return parse_dg14(raw)
    except ParseError as error:
        return Check.failed(CHIP_AUTHENTICATION, f"DG14 is malformed: {error}.")


def _cam_holds(opened: AccessResult, dg14_bytes: bytes) -> bool:
    dg14 = _parse_dg14(dg14_bytes)
    if opened.cam is None or not isinstance(dg14, SecurityInfos):
        return False
    return cam_proves_chip(opened.cam, [key.public_key_der for key in dg14.chip_authentication_keys])


def _document_number(number: int, data: bytes) -> str | None:
    """The number the audit keeps (as a keyed hash) even if the read fails after this group."""
    try:
        if number == 1:
            mrz = parse_dg1(data)
            return mrz.cccd_id_number or mrz.document_number
        return parse_dg13(data).id_number
    except ParseError:
        return None


# -- one transport, or a card that may slip away ------------------------------------------------------


def inspect(
    transport: Transport,
    key: AccessKey,
    anchors: TrustAnchors | None,
    context: ReadContext | None = None,
) -> InspectionResult:
    """Open, read and verify the document on ``transport``; raise a CardError when that is impossible
    (CardRemovedError when the card leaves: :func:`read_document` waits for it instead)."""
    try:
        return Reading(key, anchors, context).run(transport)
    except _OtherCard as error:  # only a resumed read looks for another card
        raise ChipDataError("the chip's files do not belong together") from error


class CardSource(Protocol):
    """Where a read gets its card: a connection now, and a wait for a card that went away."""

    def connect(self) -> Transport:
        """A new connection to the card on the reader (the card powers up afresh)."""
        ...

    def wait_for_card(self, timeout: float) -> bool:
        """Whether a card lies on the reader within ``timeout`` seconds."""
        ...


def read_document(
    source: CardSource,
    key: AccessKey,
    anchors: TrustAnchors | None,
    context: ReadContext | None = None,
    resume_window: float = RESUME_WINDOW_S,
) -> InspectionResult:
    """Read and verify the document on ``source``; a card that slips away and is laid back within
    ``resume_window`` seconds is read on from where it stopped (another card: the read starts over).
    Raises the CardError that ended the read; the partial data is dropped first."""
    context = context or ReadContext()
    reading = Reading(key, anchors, context)
    transport = source.connect()
    stalled = 0
    try:
        while True:
            before = reading.state.bytes_kept
            try:
                return reading.run(transport)
            except _OtherCard:
                reading.wipe()
            except ExtendedLengthError:
                if reading.state.extended is False:
                    raise  # even short APDUs too long for this reader (PACE with 2048-bit DH)
                reading.use_short_length()  # the reader said no mid-session: open the chip again, short
            except CardRemovedError as error:
                stalled = 0 if reading.state.bytes_kept > before else stalled + 1
                if resume_window <= 0 or stalled >= MAX_RESUMES_WITHOUT_PROGRESS:
                    raise
                _close(transport)
                suspension = Suspension(resume_window, context.fraction, reading.state.bytes_kept, error)
                if context.suspended is not None:
                    context.suspended(suspension)
                returned = _wait_for_return(source, resume_window, context)
                if returned is None:
                    raise
                transport = returned
                if context.resumed is not None:
                    context.resumed()
                continue
            _close(transport)
            transport = source.connect()
    except BaseException:
        reading.wipe()  # given up (or cancelled): what was read goes
        raise
    finally:
        _close(transport)


def _wait_for_return(source: CardSource, window: float, context: ReadContext) -> Transport | None:
    """A connection to the card once it is laid back, or None after ``window`` seconds."""
    deadline = time.monotonic() + window
    while True:
        context.check_cancel()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if source.wait_for_card(min(WAIT_SLICE_S, remaining)):
            try:
                return source.connect()
            except (NoCardError, CardRemovedError):
                time.sleep(min(WAIT_SLICE_S, max(0.0, deadline - time.monotonic())))


def _close(transport: Transport) -> None:
    with contextlib.suppress(CardError):  # the card or reader is already gone
        transport.close()


# -- parsing and checking (also for files handed over: `station verify`) --------------------------------


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
        seconds_to_text: float | None = None,
        resumed: int = 0,
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
            seconds_to_text=seconds_to_text,
            resumed=resumed,
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


__all__ = [
    "PHASES",
    "RESUME_WINDOW_S",
    "CardSource",
    "ChipFiles",
    "HolderText",
    "InspectionResult",
    "Progress",
    "ReadContext",
    "Reading",
    "Step",
    "Suspension",
    "inspect",
    "read_document",
]
