"""What happens at the counter, as a stream of numbered events every front end can follow.

Readers coming and going, cards placed and taken away, reads starting, progressing, completing or
failing, the band of a face comparison: the core publishes each as a :class:`StationEvent` with a
sequence number that only grows, so a client that reconnects can tell what it missed. Subscribers are
called on the publishing thread (the card thread, the reader monitor's thread) and must only hand the
event on (a Qt signal, an asyncio queue).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cccd_station.station.pipeline import HolderText, InspectionResult

log = logging.getLogger(__name__)

READER_ADDED = "reader.added"
READER_REMOVED = "reader.removed"
CARD_INSERTED = "card.inserted"
CARD_REMOVED = "card.removed"
READ_STARTED = "read.started"
READ_PROGRESS = (
    "read.progress"  # data: step, fraction, data_group, bytes (of that file), file_size, total_bytes
)
READ_TEXT = "read.text"  # the holder's verified text (``text``), before the portrait; the verdict follows
READ_SUSPENDED = (
    "read.suspended"  # the card left mid-read: the read waits ``seconds`` for it, keeping its data
)
READ_RESUMED = "read.resumed"  # the card is back: the read goes on from where it stopped
READ_COMPLETED = "read.completed"
READ_FAILED = "read.failed"
AUDIT_FAILED = "audit.failed"  # the read stands, but it was not recorded (the database failed)
FACE_COMPARED = "face.compared"  # the band of a face comparison, nothing else
EVENT_KINDS = (
    READER_ADDED,
    READER_REMOVED,
    CARD_INSERTED,
    CARD_REMOVED,
    READ_STARTED,
    READ_PROGRESS,
    READ_TEXT,
    READ_SUSPENDED,
    READ_RESUMED,
    READ_COMPLETED,
    READ_FAILED,
    AUDIT_FAILED,
    FACE_COMPARED,
)


@dataclass(frozen=True, repr=False)
class StationEvent:
    """One event. ``data`` holds no personal data; ``result`` (read.completed) and ``text`` (read.text)
    hold the holder, for front ends that show it (the local API cuts them to each client's scopes)."""

    seq: int
    kind: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    result: InspectionResult | None = None
    error: BaseException | None = None
    text: HolderText | None = None

    def __repr__(self) -> str:
        return f"StationEvent({self.seq}, {self.kind}, {self.data})"


Subscriber = Callable[[StationEvent], None]


class EventBus:
    """Numbers events and hands each to every subscriber, in order."""

    def __init__(self) -> None:
        self._lock = threading.RLock()  # a subscriber may (un)subscribe from inside its call
        self._seq = 0
        self._subscribers: list[Subscriber] = []

    @property
    def last_seq(self) -> int:
        return self._seq

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` with every later event; returns the function that stops it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(
        self,
        event_kind: str,
        /,
        *,
        result: InspectionResult | None = None,
        error: BaseException | None = None,
        text: HolderText | None = None,
        **data: Any,
    ) -> StationEvent:
        # One lock for numbering and delivery, so every subscriber sees the events in seq order.
        with self._lock:
            self._seq += 1
            event = StationEvent(self._seq, event_kind, datetime.now(UTC), data, result, error, text)
            for subscriber in list(self._subscribers):
                try:
                    subscriber(event)
                except Exception:  # one broken listener must not stop the reads or the others
                    log.exception("an event subscriber failed on %s", event_kind)
        return event
