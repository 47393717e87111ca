"""PC/SC readers through pcsc-lite: the only module that imports pyscard.

pyscard's shapes (``list[int]`` APDUs, ``sw1, sw2``, numeric HRESULTs) are turned into ``bytes``,
one ``int`` status word and :mod:`reader.errors` exceptions here, and go no further.

- :func:`list_readers` names the attached readers.
- :class:`PcscTransport` is one connection to the card in one reader
  (a :class:`reader.transport.Transport`), which also tells whether the reader can carry
  extended-length APDUs (PC/SC part 10 dwMaxAPDUDataSize, when the driver reports it).
- :class:`ReaderMonitor` watches readers and cards on its own thread and tells subscribers.

Nothing here logs APDU contents: they can hold a citizen's data. Only lengths and status words.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Literal

from smartcard import scard

from cccd_station.reader.errors import (
    CardError,
    CardMuteError,
    CardRemovedError,
    ChipDataError,
    ExtendedLengthError,
    NoCardError,
    ReaderUnavailableError,
)

log = logging.getLogger(__name__)

Protocol = Literal["T0", "T1", "any"]

#: The pseudo reader whose state changes when a reader is attached or detached (PC/SC part 5).
PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

_PROTOCOLS: dict[str, int] = {
    "T0": scard.SCARD_PROTOCOL_T0,
    "T1": scard.SCARD_PROTOCOL_T1,
    "any": scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
}

_SUCCESS = scard.SCARD_S_SUCCESS

# The card left, or was reset by someone else: whatever session we had with it is gone.
_CARD_GONE = frozenset(
    {
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_E_NO_SMARTCARD,
        scard.SCARD_W_UNPOWERED_CARD,
    }
)
# The reader or the PC/SC service is gone; INVALID_HANDLE is what a handle from before a pcscd
# restart gets.
_READER_GONE = frozenset(
    {
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_NO_READERS_AVAILABLE,
        scard.SCARD_E_INVALID_HANDLE,
    }
)
# pcscd checks card presence every 400 ms; a failed exchange waits this long for it to confirm
# that the card has gone.
_REMOVAL_GRACE = 1.0

_SERVICE_GONE = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED})
# An exchange that failed with the card still there: the card did not answer (at the edge of the field)
# or, for an extended APDU, the reader could not carry it (a CCID reader of the short-APDU level answers
# a command longer than its buffer with IFD_COMMUNICATION_ERROR, which pcsc-lite reports as NOT_TRANSACTED).
_EXCHANGE_FAILED = frozenset(
    {
        scard.SCARD_E_TIMEOUT,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_NOT_TRANSACTED,
        scard.SCARD_W_UNRESPONSIVE_CARD,
    }
)
_TOO_LONG_FOR_THE_READER = frozenset(
    {
        scard.SCARD_E_NOT_TRANSACTED,
        scard.SCARD_E_INSUFFICIENT_BUFFER,
        scard.SCARD_E_INVALID_PARAMETER,
        scard.SCARD_E_INVALID_VALUE,
    }
)
# PC/SC part 10: the reader's features, and in its TLV properties the largest APDU it carries.
CM_IOCTL_GET_FEATURE_REQUEST = scard.SCARD_CTL_CODE(3400)
FEATURE_GET_TLV_PROPERTIES = 0x12
PROPERTY_MAX_APDU_DATA_SIZE = 0x0A  # 0: short APDUs only; 0x10000: extended (the CCID driver's values)

_ERROR_NAMES: dict[int, str] = {
    getattr(scard, name) & 0xFFFFFFFF: name
    for name in dir(scard)
    if name.startswith(("SCARD_E_", "SCARD_W_", "SCARD_F_", "SCARD_P_"))
}


class PcscError(CardError):
    """A PC/SC failure with no more specific meaning; ``name`` is the PC/SC code's name."""

    def __init__(self, code: int, context: str) -> None:
        self.code = code & 0xFFFFFFFF
        self.name = error_name(code)
        super().__init__(f"{context}: {self.name}")


def error_name(code: int) -> str:
    """The PC/SC name of an HRESULT, e.g. ``SCARD_W_REMOVED_CARD``."""
    code &= 0xFFFFFFFF
    return _ERROR_NAMES.get(code, f"PC/SC error 0x{code:08X}")


def _error(code: int, context: str, *, connecting: bool = False) -> CardError:
    """The reader.errors exception for a PC/SC result code."""
    code &= 0xFFFFFFFF
    name = error_name(code)
    if code in _READER_GONE:
        return ReaderUnavailableError(f"{context}: the reader or the PC/SC service is not available ({name})")
    if code in _CARD_GONE:
        if connecting and code != scard.SCARD_W_RESET_CARD:
            return NoCardError(f"{context}: there is no card in the reader ({name})")
        return CardRemovedError(f"{context}: the card was removed or reset ({name})")
    return PcscError(code, context)


def _establish_context() -> int:
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != _SUCCESS:
        raise _error(hresult, "cannot reach the PC/SC service")
    return int(context)


def _release_context(context: int) -> None:
    # Fails only when pcscd is already gone, which leaves nothing to release.
    scard.SCardReleaseContext(context)


def _list_readers(context: int) -> list[str]:
    hresult, readers = scard.SCardListReaders(context, [])
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != _SUCCESS:
        raise _error(hresult, "cannot list readers")
    return [str(reader) for reader in readers]


def list_readers() -> list[str]:
    """Names of the readers pcscd knows now; ``[]`` when none are attached.

    Raises :class:`ReaderUnavailableError` when the PC/SC service is not running.
    """
    context = _establish_context()
    try:
        return _list_readers(context)
    finally:
        _release_context(context)


class PcscTransport:
    """An exclusive connection to the card in one reader, as a :class:`reader.transport.Transport`.

    Exclusive, so no other program can interleave commands with a secure-messaging session.
    Closing resets the card, so the next connection starts without the old session's keys.
    After the card or the reader is gone the connection closes itself; later calls to
    :meth:`transmit` raise :class:`CardRemovedError`.
    """

    def __init__(self, reader_name: str, protocol: Protocol = "any") -> None:
        if protocol not in _PROTOCOLS:
            raise ValueError(f"protocol must be 'T0', 'T1' or 'any', not {protocol!r}")
        self.reader_name = reader_name
        self._card: int | None = None
        self._reader_extended: bool | None = None
        self._asked_reader = False
        self._context: int | None = _establish_context()
        try:
            hresult, card, active = scard.SCardConnect(
                self._context, reader_name, scard.SCARD_SHARE_EXCLUSIVE, _PROTOCOLS[protocol]
            )
            if hresult != _SUCCESS:
                raise _error(hresult, f"cannot connect to the card in {reader_name!r}", connecting=True)
            self._card = int(card)
            self.protocol: Literal["T0", "T1"] = "T1" if active == scard.SCARD_PROTOCOL_T1 else "T0"
            self._pci = scard.SCARD_PCI_T1 if self.protocol == "T1" else scard.SCARD_PCI_T0
            self._atr = self._read_atr()
            self._insertion = self._reader_state() >> 16
        except BaseException:
            self._release(scard.SCARD_LEAVE_CARD)
            raise
        log.debug("connected to %r with %s", reader_name, self.protocol)

    def _read_atr(self) -> bytes:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._card)
        if hresult != _SUCCESS:
            raise _error(hresult, f"cannot read the ATR in {self.reader_name!r}")
        return bytes(atr)

    def _reader_state(self) -> int:
        assert self._context is not None
        found = _watch_reader(self._context, self.reader_name, 0, lambda _state: True)
        return found[0] if found else scard.SCARD_STATE_UNAWARE

    def _card_left(self) -> bool:
        """Whether the card we connected to has left, waiting briefly for pcscd to notice."""
        assert self._context is not None

        def gone(state: int) -> bool:
            return not _has_card(state) or state >> 16 != self._insertion

        try:
            return _watch_reader(self._context, self.reader_name, _REMOVAL_GRACE, gone) is not None
        except CardError:
            return False

    @property
    def atr(self) -> bytes:
        """The Answer To Reset the card gave when it was powered for this connection."""
        return self._atr

    @property
    def reader_extended_length(self) -> bool | None:
        """Whether the reader carries extended-length APDUs, as its driver reports (PC/SC part 10
        FEATURE_GET_TLV_PROPERTIES, dwMaxAPDUDataSize); None when the driver does not say (vpcd)."""
        if not self._asked_reader and self._card is not None:
            self._asked_reader = True
            self._reader_extended = _max_apdu_data_size(self._card)
        return self._reader_extended

    @property
    def closed(self) -> bool:
        return self._card is None

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU as is; return the response data and SW1SW2 as one int.

        GET RESPONSE (61xx) and wrong-Le retries (6Cxx) are the caller's business.
        """
        if self._card is None:
            raise CardRemovedError(f"the connection to {self.reader_name!r} is closed")
        if len(apdu) < 4:
            raise ValueError(f"a command APDU has at least 4 bytes, not {len(apdu)}")
        hresult, response = scard.SCardTransmit(self._card, self._pci, list(apdu))
        if hresult != _SUCCESS:
            context = f"cannot send a command to the card in {self.reader_name!r}"
            error = _error(hresult, context)
            if isinstance(error, PcscError):
                error = self._failed_exchange(error, context, apdu)
            if isinstance(error, CardRemovedError | ReaderUnavailableError):
                # The handle is dead; free it now so the reader is ready for the next card.
                self._release(scard.SCARD_LEAVE_CARD)
            raise error
        if not response:
            # vpcd reports a card that left mid-command as an empty answer; when the card was laid back
            # before pcscd looked, the reader still seems to hold it, but it answered nothing: a mute card.
            left = self._card_left()
            self._release(scard.SCARD_LEAVE_CARD)
            if left:
                raise CardRemovedError(f"the card left {self.reader_name!r} while answering")
            raise CardMuteError(f"the card in {self.reader_name!r} answered nothing")
        if len(response) < 2:
            raise ChipDataError(f"the card answered with {len(response)} byte, fewer than a status word")
        sw = response[-2] << 8 | response[-1]
        log.debug("apdu: %d bytes sent, %d bytes + SW %04X received", len(apdu), len(response) - 2, sw)
        return bytes(response[:-2]), sw

    def _failed_exchange(self, error: PcscError, context: str, apdu: bytes) -> CardError:
        """What a failed exchange means: the card left (pcscd reports the failure before it notices the
        removal), the reader cannot carry an extended APDU, or the card did not answer though it is there."""
        if self._card_left():
            return CardRemovedError(f"{context}: the card was removed ({error.name})")
        if (
            error.code in _TOO_LONG_FOR_THE_READER
            and _is_extended(apdu)
            and self._reader_extended is not True
        ):
            return ExtendedLengthError(
                f"{context}: the reader cannot carry extended-length APDUs ({error.name})"
            )
        if error.code in _EXCHANGE_FAILED:
            return CardMuteError(f"{context}: the card did not answer ({error.name})")
        return error

    def close(self) -> None:
        """Reset the card and release the connection; safe to call twice."""
        self._release(scard.SCARD_RESET_CARD)

    def _release(self, disposition: int) -> None:
        if self._card is not None:
            # Fails when the card or pcscd is already gone; the handle is freed either way.
            scard.SCardDisconnect(self._card, disposition)
            self._card = None
        if self._context is not None:
            _release_context(self._context)
            self._context = None

    def __enter__(self) -> PcscTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # A forgotten connection would keep the reader locked (exclusive) until the process ends.
        with contextlib.suppress(Exception):
            self._release(scard.SCARD_LEAVE_CARD)


def _is_extended(apdu: bytes) -> bool:
    """Whether a command APDU uses extended length fields (ISO/IEC 7816-4 §5.1: 00 then two-byte lengths)."""
    return len(apdu) > 6 and apdu[4] == 0


def _max_apdu_data_size(card: int) -> bool | None:
    """The reader's dwMaxAPDUDataSize as a yes/no for extended length; None when it does not report it."""
    try:
        hresult, features = scard.SCardControl(card, CM_IOCTL_GET_FEATURE_REQUEST, [])
        if hresult != _SUCCESS:
            return None
        data = bytes(features)
        code = _tlv_value(data, FEATURE_GET_TLV_PROPERTIES)
        if code is None or len(code) != 4:
            return None
        hresult, properties = scard.SCardControl(card, int.from_bytes(code, "big"), [])
        if hresult != _SUCCESS:
            return None
        size = _tlv_value(bytes(properties), PROPERTY_MAX_APDU_DATA_SIZE)
        return None if size is None else int.from_bytes(size, "little") > 0
    except (TypeError, ValueError, SystemError):  # a driver's odd answer costs only the hint
        return None


def _tlv_value(data: bytes, tag: int) -> bytes | None:
    """The value of ``tag`` in a PC/SC part 10 list of one-byte tags and lengths."""
    position = 0
    while position + 2 <= len(data):
        found, length = data[position], data[position + 1]
        if found == tag:
            return data[position + 2 : position + 2 + length]
        position += 2 + length
    return None


def wait_for_card(reader_name: str, timeout: float) -> bytes:
    """Block until a card is in ``reader_name`` and return its ATR.

    Raises :class:`NoCardError` after ``timeout`` seconds, :class:`ReaderUnavailableError` when
    the reader does not exist or pcscd is not running.
    """
    context = _establish_context()
    try:
        found = _watch_reader(context, reader_name, timeout, _has_card)
    finally:
        _release_context(context)
    if found is None:
        raise NoCardError(f"no card was put in {reader_name!r} within {timeout:g} s")
    return found[1]


def wait_for_card_removal(reader_name: str, timeout: float) -> None:
    """Block until ``reader_name`` is empty; raises :class:`TimeoutError` after ``timeout`` seconds."""
    context = _establish_context()
    try:
        found = _watch_reader(context, reader_name, timeout, lambda state: not _has_card(state))
    finally:
        _release_context(context)
    if found is None:
        raise TimeoutError(f"the card stayed in {reader_name!r} for {timeout:g} s")


def _has_card(event_state: int) -> bool:
    # A mute card (it gave no ATR) is as good as no card for the station.
    return bool(event_state & scard.SCARD_STATE_PRESENT) and not event_state & scard.SCARD_STATE_MUTE


def _watch_reader(
    context: int, reader_name: str, timeout: float, wanted: Callable[[int], bool]
) -> tuple[int, bytes] | None:
    """The reader's (event state, ATR) once ``wanted(event state)`` holds; None after ``timeout``."""
    deadline = time.monotonic() + timeout
    state = scard.SCARD_STATE_UNAWARE
    while True:
        remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
        hresult, states = scard.SCardGetStatusChange(context, remaining_ms, [(reader_name, state)])
        hresult &= 0xFFFFFFFF
        if hresult == scard.SCARD_E_TIMEOUT:
            return None
        if hresult != _SUCCESS:
            raise _error(hresult, f"cannot watch {reader_name!r}")
        _name, event_state, atr = states[0]
        if event_state & scard.SCARD_STATE_UNKNOWN:
            raise ReaderUnavailableError(f"there is no reader named {reader_name!r}")
        if wanted(event_state):
            return event_state, bytes(atr)
        if time.monotonic() >= deadline:
            return None
        state = event_state & ~scard.SCARD_STATE_CHANGED


class ReaderEventKind(Enum):
    READER_ADDED = "reader added"
    READER_REMOVED = "reader removed"
    CARD_INSERTED = "card inserted"
    CARD_REMOVED = "card removed"
    #: pcscd is not running (stopped, restarting, not installed); the monitor keeps retrying.
    SERVICE_UNAVAILABLE = "PC/SC service unavailable"
    #: pcscd answers again after SERVICE_UNAVAILABLE; READER_ADDED events follow.
    SERVICE_AVAILABLE = "PC/SC service available"


@dataclass(frozen=True)
class ReaderEvent:
    """One change the :class:`ReaderMonitor` saw; ``reader`` is "" for service events."""

    kind: ReaderEventKind
    reader: str = ""
    atr: bytes = b""


ReaderSubscriber = Callable[[ReaderEvent], None]


class ReaderMonitor:
    """Watches readers and cards on its own thread and calls subscribers there.

    Subscribers get the current state first (READER_ADDED for each reader, CARD_INSERTED for
    each card already inserted), then every change. When pcscd stops, each card and reader is
    reported removed, then SERVICE_UNAVAILABLE; the monitor retries every ``retry_interval``
    seconds and reports SERVICE_AVAILABLE and the readers again when pcscd is back.

    Callbacks run on the monitor's thread and must be quick (the UI only emits a signal).
    A callback that raises is logged and does not stop the monitor.
    """

    def __init__(self, poll_interval: float = 0.5, retry_interval: float = 1.0) -> None:
        self._poll_ms = max(1, int(poll_interval * 1000))
        self._retry_interval = retry_interval
        self._subscribers: list[ReaderSubscriber] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._context: int | None = None
        # What the subscribers have been told: reader name -> ATR of its card, or None if empty.
        self._known: dict[str, bytes | None] = {}
        self._insertions: dict[str, int] = {}
        self._service_reported_down = False

    def subscribe(self, callback: ReaderSubscriber) -> None:
        with self._lock:
            self._subscribers.append(callback)

    def unsubscribe(self, callback: ReaderSubscriber) -> None:
        with self._lock:
            self._subscribers.remove(callback)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the reader monitor is already running")
        self._stopping.clear()
        # A restarted monitor tells its subscribers the whole state again.
        self._known.clear()
        self._insertions.clear()
        self._service_reported_down = False
        self._thread = threading.Thread(target=self._run, name="reader-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread to end (at most about one poll interval)."""
        self._stopping.set()
        with self._lock:
            if self._context is not None:
                # Wakes the thread out of SCardGetStatusChange at once.
                scard.SCardCancel(self._context)
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> ReaderMonitor:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _emit(self, kind: ReaderEventKind, reader: str = "", atr: bytes = b"") -> None:
        event = ReaderEvent(kind, reader, atr)
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:
                log.exception("reader event subscriber failed on %s", kind.value)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                context = _establish_context()
            except CardError:
                self._service_down()
                self._stopping.wait(self._retry_interval)
                continue
            with self._lock:
                self._context = context
            try:
                if self._service_reported_down:
                    self._service_reported_down = False
                    self._emit(ReaderEventKind.SERVICE_AVAILABLE)
                self._watch(context)
            except ReaderUnavailableError:
                self._service_down()
                self._stopping.wait(self._retry_interval)
            except Exception:
                # A bug or an odd PC/SC code: keep watching after a pause rather than go silent.
                log.exception("reader monitor failed; restarting it")
                self._stopping.wait(self._retry_interval)
            finally:
                with self._lock:
                    self._context = None
                _release_context(context)

    def _service_down(self) -> None:
        for reader in list(self._known):
            self._reader_gone(reader)
        if not self._service_reported_down:
            self._service_reported_down = True
            self._emit(ReaderEventKind.SERVICE_UNAVAILABLE)

    def _reader_gone(self, reader: str) -> None:
        if self._known.pop(reader, None) is not None:
            self._emit(ReaderEventKind.CARD_REMOVED, reader)
        self._emit(ReaderEventKind.READER_REMOVED, reader)

    def _watch(self, context: int) -> None:
        """Report changes until stopped; raises ReaderUnavailableError when pcscd goes away."""
        states: dict[str, int] = {}
        pnp_state = scard.SCARD_STATE_UNAWARE
        while not self._stopping.is_set():
            readers = _list_readers(context)
            for reader in [name for name in self._known if name not in readers]:
                states.pop(reader, None)
                self._reader_gone(reader)
            for reader in readers:
                if reader not in self._known:
                    self._known[reader] = None
                    states[reader] = scard.SCARD_STATE_UNAWARE
                    self._emit(ReaderEventKind.READER_ADDED, reader)

            watched = [(PNP_NOTIFICATION, pnp_state)] + [(reader, states[reader]) for reader in readers]
            hresult, results = scard.SCardGetStatusChange(context, self._poll_ms, watched)
            hresult &= 0xFFFFFFFF
            if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                continue
            if hresult == scard.SCARD_E_UNKNOWN_READER:
                continue  # a reader left between listing and watching; list again
            if hresult in _SERVICE_GONE or hresult == scard.SCARD_E_INVALID_HANDLE:
                raise ReaderUnavailableError(error_name(hresult))
            if hresult != _SUCCESS:
                raise PcscError(hresult, "cannot watch the readers")
            for name, event_state, atr in results:
                settled = event_state & ~scard.SCARD_STATE_CHANGED
                if name == PNP_NOTIFICATION:
                    pnp_state = settled
                    continue
                states[name] = settled
                self._card_state(name, event_state, bytes(atr))

    def _card_state(self, reader: str, event_state: int, atr: bytes) -> None:
        if reader not in self._known or event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE):
            return
        present = _has_card(event_state)
        # pcsc-lite counts insertions and removals in the high word: a card pulled and put back
        # between two polls shows only as a new count.
        insertion = event_state >> 16
        known = self._known[reader]
        if known is not None and (not present or insertion != self._insertions.get(reader)):
            self._known[reader] = None
            self._emit(ReaderEventKind.CARD_REMOVED, reader)
        if present and self._known[reader] is None:
            self._known[reader] = atr
            self._insertions[reader] = insertion
            self._emit(ReaderEventKind.CARD_INSERTED, reader, atr)
