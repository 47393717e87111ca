"""Where cards come from: PC/SC readers, or the built-in demo reader with the virtual chip.

Both sources offer the same Qt signals, emitted from any thread (Qt queues them to the GUI).
:class:`PcscSource` is the one adapter from ``reader.pcsc.ReaderMonitor`` callbacks to signals.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from cccd_station.reader.errors import CardRemovedError, NoCardError, ReaderUnavailableError

if TYPE_CHECKING:
    from cccd_station.reader.pcsc import ReaderEvent
    from cccd_station.reader.transport import Transport

log = logging.getLogger(__name__)

DEMO_READER = "DEMO"
VIRTUAL_READER_PREFIX = "Virtual PCD"
# Conditions the demo card can be in (virtual chip faults, reader.chip.faults spellings).
TAMPERED = ("tampered-dg=13",)  # DG13 changed after EF.SOD was signed: the hash check fails
UNKNOWN_ISSUER = ("unknown-csca",)  # signed under a CSCA that is not Vietnam's trusted one: failed
CLONED = ("cloned-aa",)  # a copy of the data on another chip: active authentication fails
NO_CHIP_AUTH = ("no-chip-auth",)  # an older chip without CA or AA: genuine data, copy not ruled out: partial
BAC_ONLY = ("bac-only",)  # an older chip without PACE: opens only with the MRZ data


def is_physical_reader(name: str) -> bool:
    return not name.startswith(VIRTUAL_READER_PREFIX)


class CardSource(QObject):
    reader_added = Signal(str)
    reader_removed = Signal(str)
    card_inserted = Signal(str)
    card_removed = Signal(str)
    service_down = Signal()

    def open_transport(self, reader: str) -> Transport:
        raise NotImplementedError

    def start(self) -> None:
        """Start reporting; the current readers and cards are reported first."""

    def stop(self) -> None:
        """Stop reporting."""


class PcscSource(CardSource):
    """Readers and cards through pcscd."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from cccd_station.reader.pcsc import ReaderMonitor

        self._monitor = ReaderMonitor()
        self._monitor.subscribe(self._on_event)

    def _on_event(self, event: ReaderEvent) -> None:  # the monitor's thread: only emit
        from cccd_station.reader.pcsc import ReaderEventKind

        signal = {
            ReaderEventKind.READER_ADDED: self.reader_added,
            ReaderEventKind.READER_REMOVED: self.reader_removed,
            ReaderEventKind.CARD_INSERTED: self.card_inserted,
            ReaderEventKind.CARD_REMOVED: self.card_removed,
        }.get(event.kind)
        if signal is not None:
            signal.emit(event.reader)
        elif event.kind is ReaderEventKind.SERVICE_UNAVAILABLE:
            self.service_down.emit()

    def open_transport(self, reader: str) -> Transport:
        from cccd_station.reader.pcsc import PcscTransport

        return PcscTransport(reader)

    def start(self) -> None:
        self._monitor.start()

    def stop(self) -> None:
        self._monitor.stop()


class _DemoTransport:
    """The virtual chip behind the demo reader: a card taken away or a reader unplugged
    shows up on the next command, as it would with a real reader."""

    def __init__(self, inner: Transport, source: DemoSource) -> None:
        self._inner = inner
        self._source = source

    @property
    def atr(self) -> bytes:
        return self._inner.atr

    def _check(self) -> None:
        if not self._source.reader_plugged:
            raise ReaderUnavailableError("the demo reader was unplugged")
        if not self._source.card_present:
            raise CardRemovedError("the demo card was taken off the reader")

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self._check()
        return self._inner.transmit(apdu)

    def close(self) -> None:
        self._inner.close()


class DemoSource(CardSource):
    """A pretend reader holding the built-in virtual chip; the clerk places and removes its card."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._card = threading.Event()
        self._plugged = threading.Event()
        self._plugged.set()
        self.persona = ""
        self.faults: tuple[str, ...] = ()

    @property
    def card_present(self) -> bool:
        return self._card.is_set()

    @property
    def reader_plugged(self) -> bool:
        return self._plugged.is_set()

    def start(self) -> None:
        self.reader_added.emit(DEMO_READER)

    def place_card(self, persona: str, faults: tuple[str, ...] = ()) -> None:
        if self.card_present:
            self.remove_card()
        self.persona, self.faults = persona, faults
        self._card.set()
        self.card_inserted.emit(DEMO_READER)

    def remove_card(self) -> None:
        if self.card_present:
            self._card.clear()
            self.card_removed.emit(DEMO_READER)

    def unplug(self) -> None:
        self.remove_card()
        if self.reader_plugged:
            self._plugged.clear()
            self.reader_removed.emit(DEMO_READER)

    def plug(self) -> None:
        if not self.reader_plugged:
            self._plugged.set()
            self.reader_added.emit(DEMO_READER)

    def open_transport(self, reader: str) -> Transport:
        from cccd_station.reader.chip.chip import VirtualChip
        from cccd_station.reader.chip.faults import Faults
        from cccd_station.reader.transport import InProcessTransport

        if not self.reader_plugged:
            raise ReaderUnavailableError("the demo reader is unplugged")
        if not self.card_present:
            raise NoCardError("no demo card on the reader")
        faults = Faults.parse(list(self.faults))
        return _DemoTransport(InProcessTransport(VirtualChip(self.persona, faults)), self)


def demo_personas() -> list[tuple[str, str, str]]:
    """(persona key, display name, the key a clerk would type: ID number or CAN) for the demo chooser."""
    from cccd_station.reader.chip.personas import load_persona, persona_names

    result = []
    for name in persona_names():
        persona = load_persona(name)
        result.append((name, persona.display_name, persona.id_number or persona.can))
    return result
