"""The one thread that talks to cards, and the signals that bring its results back.

All card work (opening the transport, PACE/BAC, reading, verifying) runs in :class:`ReadWorker`
on its own ``QThread``; the GUI thread only emits :attr:`ReadService.start_read` and listens.
Cancellation is a ``threading.Event``; progress is a callback that only emits a signal.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from cccd_station.reader.errors import Cancelled, CardError

if TYPE_CHECKING:
    from cccd_station.crypto.truststore import TrustStore
    from cccd_station.reader.transport import Transport
    from cccd_station.station.pipeline import Progress

log = logging.getLogger(__name__)

InspectFunction = Callable[..., Any]


@dataclass(frozen=True, repr=False)
class ReadJob:
    """One read: where the card is, the key that opens it, the trust anchors."""

    read_id: int
    open_transport: Callable[[], Transport]
    key: Any  # reader.access.AccessKey
    trust: TrustStore | None
    cancel: threading.Event

    def __repr__(self) -> str:  # the key is personal data
        return f"ReadJob({self.read_id})"


def _default_inspect() -> InspectFunction:
    from cccd_station.station.pipeline import inspect

    return inspect


class ReadWorker(QObject):
    """Lives on the card thread; every slot runs there."""

    progressed = Signal(int, str, float)  # read id, Step value, fraction
    succeeded = Signal(int, object)  # read id, InspectionResult
    failed = Signal(int, object)  # read id, the exception (CardError or a bug)
    cancelled = Signal(int)

    def __init__(self, inspect: InspectFunction | None = None) -> None:
        super().__init__()
        self._inspect = inspect

    @Slot(object)
    def run(self, job: ReadJob) -> None:
        def report(progress: Progress) -> None:
            self.progressed.emit(job.read_id, progress.step.value, progress.fraction)

        transport = None
        try:
            if job.cancel.is_set():
                raise Cancelled()
            inspect = self._inspect or _default_inspect()
            transport = job.open_transport()
            result = inspect(transport, job.key, job.trust, progress=report, cancel=job.cancel)
        except Cancelled:
            self.cancelled.emit(job.read_id)
        except CardError as error:
            self.failed.emit(job.read_id, error)
        except Exception as error:  # a bug: log it with its traceback, show "unexpected error"
            log.exception("read %d failed unexpectedly", job.read_id)
            self.failed.emit(job.read_id, error)
        else:
            self.succeeded.emit(job.read_id, result)
        finally:
            if transport is not None:
                with contextlib.suppress(CardError):  # the card or reader is already gone
                    transport.close()


class ReadService(QObject):
    """Owns the card thread; the GUI calls :meth:`start` and :meth:`cancel`."""

    start_read = Signal(object)

    def __init__(self, inspect: InspectFunction | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("card-worker")
        self.worker = ReadWorker(inspect)
        self.worker.moveToThread(self._thread)
        self.start_read.connect(self.worker.run)
        self._thread.start()
        self._next_id = 0
        self._current: ReadJob | None = None

    @property
    def current_read_id(self) -> int | None:
        return self._current.read_id if self._current else None

    def start(self, open_transport: Callable[[], Transport], key: Any, trust: TrustStore | None) -> int:
        self.cancel()
        self._next_id += 1
        self._current = ReadJob(self._next_id, open_transport, key, trust, threading.Event())
        self.start_read.emit(self._current)
        return self._next_id

    def finish(self, read_id: int) -> bool:
        """Forget the read ``read_id``; False when it is stale (cancelled or replaced)."""
        if self._current is None or self._current.read_id != read_id:
            return False
        self._current = None
        return True

    def cancel(self) -> None:
        if self._current is not None:
            self._current.cancel.set()
            self._current = None

    def shutdown(self) -> None:
        self.cancel()
        self._thread.quit()
        self._thread.wait()
