"""The one adapter from the Qt-free core to Qt: the station's events as signals on the GUI thread.

The core publishes each :class:`~cccd_station.station.events.StationEvent` on the thread where it
happened (the card thread, the reader monitor's thread, or the GUI thread when the demo panel places a
card). :class:`StationBridge` lives on the GUI thread; its subscriber only emits :attr:`delivered`,
which Qt queues to the bridge, and the bridge re-emits the event there as a typed signal. So every
receiver, and every pytest-qt ``waitSignal`` on these signals, runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from cccd_station.station import events
from cccd_station.station.core import Station
from cccd_station.station.events import StationEvent


class StationBridge(QObject):
    """Re-emits the station's events on the GUI thread; starts the station's readers once."""

    delivered = Signal(object)  # any StationEvent, from any thread (queued to the bridge)
    reader_added = Signal(str)
    reader_removed = Signal(str)
    card_inserted = Signal(str)
    card_removed = Signal(str)
    read_progress = Signal(int, str, float)  # read id, pipeline step, fraction done
    read_text = Signal(int, object)  # read id, HolderText: the verified text before the portrait
    read_suspended = Signal(int, float, float)  # read id, seconds it waits for the card, fraction kept
    read_resumed = Signal(int)  # read id: the card is back, the read goes on
    read_completed = Signal(int, object)  # read id, InspectionResult
    read_failed = Signal(int, str, object)  # read id, error kind, the exception
    audit_failed = Signal(str, object)  # error kind, the exception: the read stands but was not recorded

    def __init__(self, station: Station, parent: QObject) -> None:
        super().__init__(parent)
        # Queued even when published on the GUI thread: a receiver never runs inside the core's
        # publishing call (which holds the event bus's lock).
        self.delivered.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = station.events.subscribe(self.delivered.emit)
        station.start_readers()

    @Slot(object)
    def _dispatch(self, station_event: StationEvent) -> None:
        kind, data = station_event.kind, station_event.data
        if kind in (events.READER_ADDED, events.READER_REMOVED, events.CARD_INSERTED, events.CARD_REMOVED):
            signal = {
                events.READER_ADDED: self.reader_added,
                events.READER_REMOVED: self.reader_removed,
                events.CARD_INSERTED: self.card_inserted,
                events.CARD_REMOVED: self.card_removed,
            }[kind]
            signal.emit(str(data.get("reader", "")))
        elif kind == events.READ_PROGRESS:
            self.read_progress.emit(int(data["read_id"]), str(data["step"]), float(data["fraction"]))
        elif kind == events.READ_TEXT:
            self.read_text.emit(int(data["read_id"]), station_event.text)
        elif kind == events.READ_SUSPENDED:
            self.read_suspended.emit(int(data["read_id"]), float(data["seconds"]), float(data["fraction"]))
        elif kind == events.READ_RESUMED:
            self.read_resumed.emit(int(data["read_id"]))
        elif kind == events.READ_COMPLETED:
            self.read_completed.emit(int(data["read_id"]), station_event.result)
        elif kind == events.READ_FAILED:
            self.read_failed.emit(int(data["read_id"]), str(data["kind"]), station_event.error)
        elif kind == events.AUDIT_FAILED:
            self.audit_failed.emit(str(data["kind"]), station_event.error)

    def stop(self) -> None:
        """No more events (the window is closing); events already queued are still delivered."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
