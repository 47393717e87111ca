"""A card that slips off a real PC/SC reader mid-read and is laid back, through pyscard, pcscd and vpcd.

The virtual chip (slip-at fault) leaves the reader at every APDU index of a full read; the vpcd bridge
lays it back a moment later. Each case must end in the same verified read as an uninterrupted one, with
the chip opened again by PACE and SELECT and then nothing but what was left to do: never a traceback, a
wrong verdict or a file read twice. The station's core does the same, announcing the slip as events.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.vpcd import VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.pcsc import PcscTransport, wait_for_card, wait_for_card_removal
from cccd_station.reader.transport import Transport
from cccd_station.station import events
from cccd_station.station.core import Station
from cccd_station.station.demo import demo_anchors, demo_key, demo_trust_files
from cccd_station.station.events import StationEvent
from cccd_station.station.pipeline import InspectionResult, read_document
from cccd_station.station.readers import PcscReaders, ReaderCard

PERSONA = "nguyen-van-an"
WAIT = 10.0
LAID_BACK_AFTER = 0.3  # seconds the card stays off the reader


@pytest.fixture(scope="module")
def trust() -> TrustAnchors:
    return demo_anchors()


class Recorded(PcscTransport):
    """A PC/SC connection that records the commands it sends, per connection."""

    def __init__(self, reader: str, log: list[bytes]) -> None:
        super().__init__(reader)
        self.log = log

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        answer = super().transmit(apdu)
        self.log.append(apdu)
        return answer


class RecordedReader(ReaderCard):
    def __init__(self) -> None:
        super().__init__(PcscReaders(), VPCD_SECOND_READER)
        self.sessions: list[list[bytes]] = []

    def connect(self) -> Transport:
        self.sessions.append([])
        return Recorded(self.reader, self.sessions[-1])


def _summary(result: InspectionResult) -> tuple[object, ...]:
    photo = hashlib.sha256(result.photo.data).hexdigest() if result.photo else None
    return result.verdict, result.record, photo, [(check.id, check.status) for check in result.checks]


def _read(port: int, chip: VirtualChip, trust: TrustAnchors) -> tuple[InspectionResult, list[list[bytes]]]:
    bridge = VpcdBridge(chip, port=port, reinsert_delay=LAID_BACK_AFTER)
    bridge.start()
    try:
        wait_for_card(VPCD_SECOND_READER, WAIT)
        source = RecordedReader()
        return read_document(source, demo_key(PERSONA), trust, resume_window=WAIT), source.sessions
    finally:
        bridge.stop()
        wait_for_card_removal(VPCD_SECOND_READER, WAIT)


def _reopening(session: list[bytes]) -> list[bytes]:
    """The access commands of a session: PACE's MSE and GENERAL AUTHENTICATEs (plain) and the SELECT."""
    return [
        apdu
        for apdu in session
        if (CommandApdu.from_bytes(apdu).ins == 0xA4 and apdu[2] == 0x04)
        or (not apdu[0] & 0x0C and apdu[1] in (0x22, 0x86))
    ]


def test_a_card_pulled_at_every_apdu_and_laid_back_on_a_pcsc_reader(
    vpcd_second_port: int, trust: TrustAnchors
) -> None:
    expected, [trace] = _read(vpcd_second_port, VirtualChip(PERSONA), trust)
    assert expected.verdict is Verdict.VERIFIED and len(trace) == 16
    for index in range(1, len(trace) + 1):
        result, (first, *rest) = _read(vpcd_second_port, VirtualChip(PERSONA, Faults(slip_at=index)), trust)
        assert _summary(result) == _summary(expected), f"slip at APDU {index}"
        assert result.resumed >= 1 and len(first) == index - 1
        second = rest[-1]
        assert len(_reopening(second)) == 6  # PACE (MSE + 4 GENERAL AUTHENTICATE) and SELECT
        # Then what was left from the slipped command on, and at most Chip Authentication once more
        # (MSE and GENERAL AUTHENTICATE) when the slip took its proof.
        left = len(trace) - (index - 1) - len(_reopening(trace[index - 1 :]))
        assert len(second) - 6 <= left + 2, f"slip at APDU {index}"
        if index > 12:  # after CA and its proof (DG1): READ BINARY and, before the portrait, AA only
            assert all(apdu[1] in (0xB0, 0xB1, 0x88) for apdu in second[6:])


def test_the_core_announces_the_slip_and_the_return(tmp_path: Path, vpcd_second_port: int) -> None:
    seen: list[StationEvent] = []
    with Station.open(tmp_path / "counter", readers=PcscReaders()) as station:
        assert station.trust is not None
        station.trust.import_files(demo_trust_files(), "console:test")
        station.events.subscribe(seen.append)
        bridge = VpcdBridge(
            VirtualChip(PERSONA, Faults(slip_at=15)), port=vpcd_second_port, reinsert_delay=1.0
        )
        bridge.start()
        try:
            wait_for_card(VPCD_SECOND_READER, WAIT)
            result = station.read(demo_key(PERSONA), reader=VPCD_SECOND_READER, resume_s=WAIT)
        finally:
            bridge.stop()
            wait_for_card_removal(VPCD_SECOND_READER, WAIT)
        [audit] = station.db.audit.search(action="card_read")  # one attempt, one audit event
    assert audit.verdict == "verified"
    assert result.verdict is Verdict.VERIFIED and result.resumed == 1
    kinds = [event.kind for event in seen]
    text = kinds.index(events.READ_TEXT)
    suspended = kinds.index(events.READ_SUSPENDED)
    assert text < suspended < kinds.index(events.READ_RESUMED) < kinds.index(events.READ_COMPLETED)
    slip = seen[suspended]
    assert (
        slip.data["kind"] == "card_removed"
        and slip.data["seconds"] == WAIT
        and slip.data["bytes_kept"] > 1000
    )
    # The portrait's progress events name it and how much of it has come.
    portrait = [
        event.data for event in seen if event.kind == events.READ_PROGRESS and event.data["data_group"] == 2
    ]
    assert portrait[-1]["bytes"] == portrait[-1]["file_size"] > 10_000


def test_a_short_only_chip_pulled_mid_portrait_goes_on_from_the_byte_where_it_stopped(
    vpcd_second_port: int, trust: TrustAnchors
) -> None:
    short = Faults(no_extended_length=True)
    expected, [trace] = _read(vpcd_second_port, VirtualChip(PERSONA, short), trust)
    index = len(trace) - 20  # twenty blocks before the end of the portrait
    result, (_first, *rest) = _read(
        vpcd_second_port, VirtualChip(PERSONA, replace(short, slip_at=index)), trust
    )
    assert _summary(result) == _summary(expected)
    second = rest[-1]
    assert len(second) == 6 + 21  # PACE, SELECT and the 21 blocks that were still to come
    resumed_read = CommandApdu.from_bytes(second[6])
    assert (
        resumed_read.ins == 0xB1 and resumed_read.p2 == 2
    )  # odd READ BINARY of DG2 by its SFI, at the offset


@pytest.fixture
def both_readers(vpcd_second_port: int) -> Iterator[tuple[int, int]]:
    """vpcd's two readers; the first one too is held under its lock for the test."""
    from cccd_station.reader.chip.vpcd import VPCD_PORT, VPCD_READER

    with open(f"/tmp/vpcd-{VPCD_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                wait_for_card_removal(VPCD_READER, 2.0)
            except TimeoutError:
                pytest.skip(f"{VPCD_READER} holds a card of another program")
            yield VPCD_PORT, vpcd_second_port
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def test_with_two_readers_the_first_card_placed_is_read_and_the_second_waits(
    tmp_path: Path, both_readers: tuple[int, int]
) -> None:
    import threading

    from cccd_station.reader.chip.vpcd import VPCD_READER

    first_port, second_port = both_readers
    second_persona = "pham-thi-dao"
    with Station.open(tmp_path / "counter", readers=PcscReaders()) as station:
        assert station.trust is not None
        station.trust.import_files(demo_trust_files(), "console:test")
        placed = threading.Event()
        inserted: list[str] = []

        def on_event(event: StationEvent) -> None:
            if event.kind == events.CARD_INSERTED:
                inserted.append(event.data["reader"])
                placed.set()

        station.events.subscribe(on_event)
        station.start_readers()
        early = VpcdBridge(VirtualChip(PERSONA), port=second_port, reinsert_delay=None)
        late = VpcdBridge(VirtualChip(second_persona), port=first_port, reinsert_delay=None)
        early.start()
        try:
            wait_for_card(VPCD_SECOND_READER, WAIT)
            assert placed.wait(WAIT)
            late.start()
            wait_for_card(VPCD_READER, WAIT)
            assert _wait_until(lambda: VPCD_READER in inserted)  # the station saw both, in that order
            assert station.read(demo_key(PERSONA)).record.id_number == demo_key(PERSONA).id_number  # type: ignore[union-attr]
            early.stop()
            wait_for_card_removal(VPCD_SECOND_READER, WAIT)
            result = station.read(demo_key(second_persona))
            assert result.record.id_number == demo_key(second_persona).id_number  # type: ignore[union-attr]
        finally:
            early.stop()
            late.stop()
            wait_for_card_removal(VPCD_READER, WAIT)
            wait_for_card_removal(VPCD_SECOND_READER, WAIT)


def _wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
