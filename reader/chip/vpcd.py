"""Put an in-process chip behind the real pcscd, through the vsmartcard ``vpcd`` reader driver.

vpcd (Debian ``vsmartcard-vpcd``) adds readers "Virtual PCD 00 00" and "Virtual PCD 00 01" to
pcscd and listens on localhost ports 35963 and 35964. A virtual card is a TCP client of that
port: connecting inserts the card, disconnecting removes it. Every message either way is a
2-byte big-endian length and a payload. A 1-byte payload from vpcd is a control code
(:class:`VpcdControl`); anything longer is a command APDU, answered by the response APDU
(data, SW1, SW2). Only GET_ATR and APDUs are answered.

The 2-byte length caps both directions at 65535 bytes: extended-length APDUs pass through
vpcd and pcscd 1.9.9, up to a 65535-byte command and a 65533-byte response (plus SW1 SW2).
vpcd drops the connection (the card is removed) when a command is longer.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from enum import IntEnum

from cccd_station.reader.apdu import SW
from cccd_station.reader.errors import CardRemovedError
from cccd_station.reader.transport import Chip

log = logging.getLogger(__name__)

#: vpcd's ports for its first and second reader (Debian's /etc/reader.conf.d/vpcd).
VPCD_PORT = 35963
VPCD_SECOND_PORT = 35964
#: The names pcscd gives those readers.
VPCD_READER = "Virtual PCD 00 00"
VPCD_SECOND_READER = "Virtual PCD 00 01"
VPCD_READER_PREFIX = "Virtual PCD"

MAX_MESSAGE = 0xFFFF
_NO_PRECISE_DIAGNOSIS = SW.NO_PRECISE_DIAGNOSIS.to_bytes(2, "big")


def is_vpcd_reader(reader_name: str) -> bool:
    """Whether a PC/SC reader is one of vpcd's virtual readers rather than a physical one."""
    return reader_name.startswith(VPCD_READER_PREFIX)


class VpcdControl(IntEnum):
    """The 1-byte control messages vpcd sends."""

    POWER_OFF = 0x00
    POWER_ON = 0x01
    RESET = 0x02
    GET_ATR = 0x04


class _Disconnected(Exception):
    """vpcd closed the connection, or :meth:`VpcdBridge.stop` did."""


class VpcdBridge:
    """Serve ``chip`` to pcscd as the card in one vpcd reader.

    :meth:`start` inserts the card (a background thread connects and answers vpcd) and
    :meth:`stop` removes it. While running, the bridge reconnects every ``reconnect_delay``
    seconds when vpcd is not listening (pcscd not started yet, or restarting).

    When the chip raises :class:`CardRemovedError` (a fault that simulates pulling the card),
    the bridge drops the connection so pcscd sees the card leave, and puts it back after
    ``reinsert_delay`` seconds; with ``reinsert_delay=None`` the card stays out.
    """

    def __init__(
        self,
        chip: Chip,
        host: str = "127.0.0.1",
        port: int = VPCD_PORT,
        *,
        reconnect_delay: float = 0.5,
        reinsert_delay: float | None = 1.0,
    ) -> None:
        self.chip = chip
        self.host = host
        self.port = port
        self.reconnect_delay = reconnect_delay
        self.reinsert_delay = reinsert_delay
        self._atr: bytes | None = None
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def connected(self) -> bool:
        """True while vpcd holds the connection, i.e. the card is in the reader."""
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        """Wait until vpcd accepted the connection; pcscd notices the card shortly after."""
        return self._connected.wait(timeout)

    def start(self) -> None:
        """Insert the card: connect and serve vpcd on a background thread."""
        if self._thread is not None:
            raise RuntimeError("the bridge is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name=f"vpcd-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Remove the card: drop the connection and wait for the thread to end."""
        self._stopping.set()
        self._hang_up()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def run_forever(self) -> None:
        """Serve on the calling thread until :meth:`stop` is called from another thread."""
        self._stopping.clear()
        self._serve()

    def __enter__(self) -> VpcdBridge:
        self.start()
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        refused_before = False
        while not self._stopping.is_set():
            address = (self.host, self.port)
            try:
                connection = socket.create_connection(address, timeout=self.reconnect_delay + 1)
            except OSError as error:
                if not refused_before:
                    log.info("vpcd at %s:%d is not listening (%s); retrying", self.host, self.port, error)
                    refused_before = True
                self._stopping.wait(self.reconnect_delay)
                continue
            refused_before = False
            pause: float | None = self.reconnect_delay
            try:
                pause = self._session(connection)
            finally:
                self._hang_up()
                self._connected.clear()
                self.chip.power_off()
            if pause is None:
                return
            self._stopping.wait(pause)

    def _session(self, connection: socket.socket) -> float | None:
        """Answer vpcd until one side hangs up; returns how long to wait before reconnecting."""
        connection.settimeout(None)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if self._stopping.is_set():
                connection.close()
                return 0
            self._socket = connection
        self._connected.set()
        log.info("virtual card inserted in vpcd reader at port %d", self.port)
        try:
            while True:
                message = self._receive(connection)
                if len(message) == 1:
                    self._control(connection, message[0])
                elif message:
                    self._answer(connection, message)
        except _Disconnected:
            log.info("virtual card removed from vpcd reader at port %d", self.port)
            return self.reconnect_delay
        except CardRemovedError:
            log.info("virtual chip was pulled out of vpcd reader at port %d", self.port)
            return self.reinsert_delay
        except Exception:
            # A broken chip should look like a card that fell out, not kill the bridge silently.
            log.exception("virtual chip failed; removing it from vpcd reader at port %d", self.port)
            return self.reinsert_delay

    def _control(self, connection: socket.socket, code: int) -> None:
        if code == VpcdControl.POWER_OFF:
            self.chip.power_off()
        elif code == VpcdControl.POWER_ON:
            self._atr = self.chip.power_on()
        elif code == VpcdControl.RESET:
            self.chip.power_off()
            self._atr = self.chip.power_on()
        elif code == VpcdControl.GET_ATR:
            # vpcd asks for the ATR before it powers the card, to see that one is there.
            if self._atr is None:
                self._atr = self.chip.power_on()
            self._send(connection, self._atr)
        else:
            log.warning("ignoring unknown vpcd control code %02X", code)

    def _answer(self, connection: socket.socket, command: bytes) -> None:
        try:
            response = self.chip.process_apdu(command)
        except CardRemovedError:
            raise
        except Exception:
            # Answer anyway: pcscd would otherwise wait on this reader until it times out.
            log.exception("virtual chip failed on a command; answering %04X", SW.NO_PRECISE_DIAGNOSIS)
            response = _NO_PRECISE_DIAGNOSIS
        if len(response) > MAX_MESSAGE:
            log.error("virtual chip answered %d bytes, more than vpcd can carry", len(response))
            response = _NO_PRECISE_DIAGNOSIS
        self._send(connection, response)

    @staticmethod
    def _send(connection: socket.socket, payload: bytes) -> None:
        try:
            connection.sendall(len(payload).to_bytes(2, "big") + payload)
        except OSError as error:
            raise _Disconnected from error

    @staticmethod
    def _receive(connection: socket.socket) -> bytes:
        length = int.from_bytes(VpcdBridge._receive_exactly(connection, 2), "big")
        return VpcdBridge._receive_exactly(connection, length)

    @staticmethod
    def _receive_exactly(connection: socket.socket, size: int) -> bytes:
        received = bytearray()
        while len(received) < size:
            _acknowledge_at_once(connection)
            try:
                chunk = connection.recv(size - len(received))
            except OSError as error:
                raise _Disconnected from error
            if not chunk:
                raise _Disconnected
            received += chunk
        return bytes(received)

    def _hang_up(self) -> None:
        with self._lock:
            connection, self._socket = self._socket, None
        if connection is not None:
            # shutdown() also wakes the thread blocked in recv().
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


def _acknowledge_at_once(connection: socket.socket) -> None:
    """Turn off delayed ACKs for the next read (Linux; the flag does not stick).

    vpcd writes the length and the payload separately, so Nagle's algorithm holds the payload
    back until the length is acknowledged: with delayed ACKs each APDU took about 46 ms,
    without them about 0.2 ms.
    """
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            connection.setsockopt(socket.IPPROTO_TCP, quickack, 1)
