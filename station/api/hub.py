"""``/v1/events``: the station's events, numbered, to every subscribed client of the local API.

The hub follows the core's :class:`~cccd_station.station.events.EventBus` and keeps the last events in a
small ring, so a client that reconnects with ``?since=SEQ`` gets what it missed. A read's holder data goes
only to the clients that were subscribed when the read completed (a client gets a read only when it
happened, never a past holder), cut to each client's scopes; ``face.compared`` goes only to clients with
the ``face`` scope (their event numbers skip it). Its release to them is audited by the core
as the read completes, in one transaction, before anything is sent; a client removed by then gets
nothing. The ring keeps the result only until the station's auto-clear delay has passed.

Everything but :meth:`EventHub._on_event` runs on the server's event loop, so the ring and the
subscriptions need no lock; database calls go to worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cccd_station.db import ApiClient, DbError
from cccd_station.station.api.scopes import event_released, full_report, released
from cccd_station.station.errors import error_kind
from cccd_station.station.events import READ_COMPLETED, StationEvent

if TYPE_CHECKING:
    from cccd_station.station.core import Station
    from cccd_station.station.pipeline import InspectionResult

log = logging.getLogger(__name__)

RING_SIZE = 512  # events; a read is about a dozen, so dozens of reads
QUEUE_LIMIT = 4096  # a client this far behind is disconnected rather than kept in memory
WITHHELD_CLEARED = "cleared"  # the auto-clear delay passed
WITHHELD_NOT_SUBSCRIBED = "not_subscribed"  # the client was not subscribed when the read completed


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Release:
    """What became of one read's release to the clients subscribed when it completed."""

    recorded: frozenset[uuid.UUID] = frozenset()  # the clients it was audited for
    error: DbError | None = None  # the audit failed: released to none


@dataclass(eq=False)
class HubEntry:
    """One event as the hub keeps it. ``result`` (read.completed only) is dropped at auto-clear; the
    report (every field any scope may release) is built, and the release to the subscribers audited,
    once, off the event loop, as soon as the event arrives."""

    seq: int
    kind: str
    message: dict[str, Any]
    audience: frozenset[uuid.UUID] = frozenset()
    result: InspectionResult | None = field(default=None, repr=False)
    report: asyncio.Future[dict[str, Any]] | None = field(default=None, repr=False)
    release: asyncio.Future[Release] | None = field(default=None, repr=False)

    def clear(self) -> None:
        self.result = None
        self.report = None


class Subscription:
    """One connected client: its queue of events to send, in order."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.queue: asyncio.Queue[HubEntry | None] = asyncio.Queue()
        self.overflowed = False

    def put(self, entry: HubEntry) -> None:
        if self.overflowed or not event_released(entry.kind, self.client.scopes):
            return
        if self.queue.qsize() >= QUEUE_LIMIT:
            self.overflowed = True
            self.queue.put_nowait(None)  # the sender ends the connection
        else:
            self.queue.put_nowait(entry)


class ClientRemoved(Exception):
    """The client was removed while it was subscribed."""


class EventHub:
    def __init__(self, station: Station) -> None:
        self.station = station
        self.stream = secrets.token_hex(8)  # tells a reconnecting client that the numbering started over
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ring: deque[HubEntry] = deque(maxlen=RING_SIZE)
        self._subscriptions: set[Subscription] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self._last_seq = station.events.last_seq
        self._auto_clear_s = float(station.settings().auto_clear_seconds)

    # -- following the core ---------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._unsubscribe = self.station.events.subscribe(self._on_event)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in self._pending:
            task.cancel()
        for entry in self._ring:
            entry.clear()
        self._ring.clear()
        for subscription in list(self._subscriptions):
            subscription.queue.put_nowait(None)

    def _on_event(self, event: StationEvent) -> None:
        """On the publishing thread (the card thread, a reader monitor): hand the event to the loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between: the server is stopping
                loop.call_soon_threadsafe(self._add, event)

    def _add(self, event: StationEvent) -> None:
        message = {"seq": event.seq, "event": event.kind, "at": event.at.isoformat(), **event.data}
        entry = HubEntry(event.seq, event.kind, message)
        loop = self._loop
        assert loop is not None
        if event.kind == READ_COMPLETED and event.result is not None:
            entry.result = event.result
            recipients = {each.client.id: each.client for each in self._subscriptions}
            entry.audience = frozenset(recipients)
            if recipients:
                entry.report = loop.run_in_executor(None, full_report, event.result)
                entry.release = loop.run_in_executor(
                    None, self._release, event.result, list(recipients.values())
                )
            self._keep(loop.create_task(self._clear_later(entry, loop.time())))
        self._last_seq = event.seq
        self._ring.append(entry)
        for subscription in list(self._subscriptions):
            subscription.put(entry)

    def _release(self, result: InspectionResult, recipients: list[ApiClient]) -> Release:
        """Audit the release to every subscriber at once (one transaction), before any is sent."""
        try:
            recorded = self.station.record_release(result, [(each, each.scopes) for each in recipients])
        except DbError as error:
            log.warning(
                "a read was not released to the API's subscribers: it could not be audited: %s", error
            )
            return Release(error=error)
        return Release(frozenset(each.id for each in recorded))

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._pending.add(task)  # referenced until done
        task.add_done_callback(self._pending.discard)

    async def _clear_later(self, entry: HubEntry, since: float) -> None:
        """Forget the entry's result when the auto-clear delay (as set now) has passed since ``since``."""
        try:  # in a worker thread: the database may be slow
            self._auto_clear_s = float((await asyncio.to_thread(self.station.settings)).auto_clear_seconds)
        except DbError as error:
            log.warning("auto-clear delay unknown, keeping %.0f s: %s", self._auto_clear_s, error)
        assert self._loop is not None
        self._loop.call_at(since + self._auto_clear_s, entry.clear)

    # -- clients --------------------------------------------------------------------------------------

    def subscribe(self, client: ApiClient, since: int | None) -> tuple[Subscription, dict[str, Any]]:
        """A subscription with the events after ``since`` already queued, and the hello message that
        goes first: which stream and last number this is, and the numbers the ring no longer holds."""
        subscription = Subscription(client)
        lost = None
        replayed = 0
        if since is not None and since < self._last_seq:
            oldest = self._ring[0].seq if self._ring else self._last_seq + 1
            if since + 1 < oldest:
                lost = [since + 1, oldest - 1]
            for entry in self._ring:
                if entry.seq > since:
                    subscription.put(entry)
                    replayed += 1
        self._subscriptions.add(subscription)
        hello = {
            "event": "hello",
            "stream": self.stream,
            "last_seq": self._last_seq,
            "client": client.name,
            "scopes": list(client.scopes),
            "replayed": replayed,
            "lost": lost,
        }
        return subscription, hello

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    async def render(self, entry: HubEntry, subscription: Subscription) -> str:
        """The message for one client: a read's result cut to its scopes once its release is audited.
        Raises :class:`ClientRemoved` when the client was removed before the read completed."""
        if entry.kind != READ_COMPLETED:
            return dumps(entry.message)
        message = dict(entry.message)
        report, release = entry.report, entry.release
        if (
            entry.result is None
            or report is None
            or release is None
            or subscription.client.id not in entry.audience
        ):
            message["result"] = None
            message["withheld"] = WITHHELD_CLEARED if entry.result is None else WITHHELD_NOT_SUBSCRIBED
            return dumps(message)
        # Shared by every sender: shielded, so one leaving does not cancel them for the others.
        full, outcome = await asyncio.gather(asyncio.shield(report), asyncio.shield(release))
        if outcome.error is not None:
            message["result"] = None
            message["withheld"] = error_kind(outcome.error)
            return dumps(message)
        if subscription.client.id not in outcome.recorded:
            raise ClientRemoved()
        message["result"] = released(full, subscription.client.scopes)
        return dumps(message)
