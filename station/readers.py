"""Where cards come from: the PC/SC readers, or the built-in demo reader holding the virtual chip.

Both report readers and cards coming and going to one callback (the core turns them into events) and
open a transport to the card in a named reader. No Qt here: the window, the command line and the local
API all see the same readers through the core.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cccd_station.reader.errors import CardRemovedError, NoCardError, ReaderUnavailableError
from cccd_station.reader.transport import Transport

DEMO_READER = "DEMO"
VIRTUAL_READER_PREFIX = "Virtual PCD"
POLL_SECONDS = 0.2  # how often a read that waits for a card looks again

# (event kind, reader name): "reader.added", "reader.removed", "card.inserted", "card.removed", or
# "service.down" with an empty name when pcscd stopped.
ReaderListener = Callable[[str, str], None]


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    card_present: bool

    @property
    def physical(self) -> bool:
        """A reader on a desk, not vpcd's virtual one nor the demo reader."""
        return not self.name.startswith(VIRTUAL_READER_PREFIX) and self.name != DEMO_READER


class CardReaders(Protocol):
    """The readers of one station."""

    def start(self, listener: ReaderListener) -> None:
        """Report the readers and cards there are, then every change, to ``listener`` (from any thread)."""
        ...

    def stop(self) -> None: ...

    def readers(self) -> list[ReaderInfo]: ...

    def wait_for_card(self, reader: str | None, timeout: float) -> str:
        """The named reader (or, among those holding a card, physical readers first, the card placed first)
        once it holds a card; NoCardError after ``timeout`` seconds, ReaderUnavailableError when there is
        no such reader."""
        ...

    def open(self, reader: str) -> Transport:
        """A connection to the card in ``reader``: NoCardError, ReaderUnavailableError when impossible."""
        ...


class _ReaderTable:
    """Which readers there are and which hold a card (and in which order the cards came), kept from the
    events; lets a read wait for a card."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers: dict[str, bool] = {}
        self._placed: dict[str, int] = {}  # reader -> when its card came (a counter)
        self._cards = 0

    def update(self, kind: str, reader: str) -> None:
        with self._changed:
            if kind == "reader.added":
                self._readers.setdefault(reader, False)
            elif kind == "reader.removed":
                self._readers.pop(reader, None)
                self._placed.pop(reader, None)
            elif kind in ("card.inserted", "card.removed") and reader in self._readers:
                self._readers[reader] = kind == "card.inserted"
                self._cards += 1
                self._placed[reader] = self._cards
            elif kind == "service.down":
                self._readers.clear()
                self._placed.clear()
            self._changed.notify_all()

    def snapshot(self) -> list[ReaderInfo]:
        with self._changed:
            return [ReaderInfo(name, present) for name, present in self._readers.items()]

    def first_card(self, names: list[str]) -> list[str]:
        """``names`` in the order a read should take their cards: physical readers first, then the card
        placed first (a card on a second reader waits its turn)."""
        with self._changed:
            return sorted(
                names,
                key=lambda name: (not ReaderInfo(name, False).physical, self._placed.get(name, 1 << 62)),
            )

    def wait_for_card(self, reader: str | None, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if reader is not None and reader not in self._readers:
                    raise ReaderUnavailableError(f"there is no reader named {reader!r}")
                if not self._readers:
                    raise ReaderUnavailableError("no smart-card reader is attached")
                holding = [
                    info.name for info in self.snapshot() if info.card_present and reader in (None, info.name)
                ]
                if holding:
                    return self.first_card(holding)[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise NoCardError("no card on the reader" if reader else "no card on any reader")
                self._changed.wait(remaining)


class PcscReaders:
    """The readers pcscd knows (physical ones and vpcd's virtual ones)."""

    def __init__(self) -> None:
        from cccd_station.reader.pcsc import ReaderMonitor

        self._monitor = ReaderMonitor()
        self._table = _ReaderTable()
        self._listener: ReaderListener | None = None
        self._monitor.subscribe(self._on_event)

    def _on_event(self, event: object) -> None:  # on the monitor's thread
        from cccd_station.reader.pcsc import ReaderEvent, ReaderEventKind

        assert isinstance(event, ReaderEvent)
        kind = {
            ReaderEventKind.READER_ADDED: "reader.added",
            ReaderEventKind.READER_REMOVED: "reader.removed",
            ReaderEventKind.CARD_INSERTED: "card.inserted",
            ReaderEventKind.CARD_REMOVED: "card.removed",
            ReaderEventKind.SERVICE_UNAVAILABLE: "service.down",
        }.get(event.kind)
        if kind is None:
            return
        self._table.update(kind, event.reader)
        if self._listener is not None:
            self._listener(kind, event.reader)

    def start(self, listener: ReaderListener) -> None:
        self._listener = listener
        self._monitor.start()

    def stop(self) -> None:
        self._monitor.stop()

    def readers(self) -> list[ReaderInfo]:
        return self._table.snapshot()

    def wait_for_card(self, reader: str | None, timeout: float) -> str:
        # Asks pcscd directly, so it works before the monitor has reported anything.
        from cccd_station.reader.pcsc import list_readers
        from cccd_station.reader.pcsc import wait_for_card as card_in

        deadline = time.monotonic() + timeout
        while True:
            names = list_readers()
            if reader is not None and reader not in names:
                raise ReaderUnavailableError(f"there is no reader named {reader!r}")
            if not names:
                raise ReaderUnavailableError("no smart-card reader is attached")
            candidates = [reader] if reader else self._table.first_card(names)
            for name in candidates:
                try:
                    card_in(name, 0)
                except NoCardError:
                    continue
                return name
            if time.monotonic() >= deadline:
                raise NoCardError(f"no card on {reader!r}" if reader else "no card on any reader")
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def open(self, reader: str) -> Transport:
        from cccd_station.reader.pcsc import PcscTransport

        return PcscTransport(reader)


class ReaderCard:
    """The card on one reader, as a read's :class:`~cccd_station.station.pipeline.CardSource`: connect to
    it, and wait for it to be laid back after it slipped away."""

    def __init__(self, readers: CardReaders, reader: str) -> None:
        self.readers = readers
        self.reader = reader

    def connect(self) -> Transport:
        return self.readers.open(self.reader)

    def wait_for_card(self, timeout: float) -> bool:
        try:
            self.readers.wait_for_card(self.reader, timeout)
        except NoCardError:
            return False
        return True


class _DemoTransport:
    """The virtual chip behind the demo reader: a card taken away or a reader unplugged shows up on the
    next command, as it would with a real reader; a chip that leaves by itself (a removal fault) leaves
    the reader empty."""

    def __init__(self, inner: Transport, demo: DemoReaders, card: DemoCard) -> None:
        self._inner = inner
        self._demo = demo
        self._card = card

    @property
    def atr(self) -> bytes:
        return self._inner.atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if not self._demo.plugged:
            raise ReaderUnavailableError("the demo reader was unplugged")
        if self._demo.card is not self._card:
            raise CardRemovedError("the demo card was taken off the reader")
        try:
            return self._inner.transmit(apdu)
        except CardRemovedError:
            self._demo.remove_card()
            raise

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class DemoCard:
    persona: str
    faults: tuple[str, ...] = ()


class DemoReaders:
    """A pretend reader holding the built-in virtual chip; the clerk (or a test) places and removes cards."""

    def __init__(self) -> None:
        self._table = _ReaderTable()
        self._table.update("reader.added", DEMO_READER)
        self._listener: ReaderListener | None = None
        self._lock = threading.Lock()
        self.card: DemoCard | None = None
        self.plugged = True

    def _tell(self, kind: str) -> None:
        self._table.update(kind, DEMO_READER)
        if self._listener is not None:
            self._listener(kind, DEMO_READER)

    def start(self, listener: ReaderListener) -> None:
        self._listener = listener
        if self.plugged:
            self._tell("reader.added")
        if self.card is not None:
            self._tell("card.inserted")

    def stop(self) -> None:
        self._listener = None

    def readers(self) -> list[ReaderInfo]:
        return self._table.snapshot()

    def wait_for_card(self, reader: str | None, timeout: float) -> str:
        return self._table.wait_for_card(reader, timeout)

    def place_card(self, persona: str, faults: tuple[str, ...] = ()) -> None:
        with self._lock:
            if self.card is not None:
                self.remove_card()
            if not self.plugged:
                return
            self.card = DemoCard(persona, tuple(faults))
            self._tell("card.inserted")

    def remove_card(self) -> None:
        if self.card is not None:
            self.card = None
            self._tell("card.removed")

    def unplug(self) -> None:
        self.remove_card()
        if self.plugged:
            self.plugged = False
            self._tell("reader.removed")

    def plug(self) -> None:
        if not self.plugged:
            self.plugged = True
            self._tell("reader.added")

    def open(self, reader: str) -> Transport:
        from cccd_station.reader.chip.chip import VirtualChip
        from cccd_station.reader.chip.faults import Faults
        from cccd_station.reader.transport import InProcessTransport

        card = self.card
        if not self.plugged or reader != DEMO_READER:
            raise ReaderUnavailableError("the demo reader is unplugged")
        if card is None:
            raise NoCardError("no demo card on the reader")
        chip = VirtualChip(card.persona, Faults.parse(list(card.faults)))
        return _DemoTransport(InProcessTransport(chip), self, card)
