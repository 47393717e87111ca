"""The tiny interface every card connection implements.

A transport moves one APDU's bytes to the card and returns the response data and the
status word as one int. Everything above it (GET RESPONSE, secure messaging, file reading)
is built on :meth:`Transport.transmit` and knows nothing of pyscard or of the virtual chip.
"""

from __future__ import annotations

from typing import Protocol


class Transport(Protocol):
    """One open connection to one card.

    ``transmit`` raises :class:`reader.errors.CardRemovedError` when the card is gone and
    :class:`reader.errors.ReaderUnavailableError` when the reader itself is gone.
    """

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...

    @property
    def atr(self) -> bytes: ...

    def close(self) -> None: ...


class Chip(Protocol):
    """A card that answers APDUs in-process (the virtual chip)."""

    def power_on(self) -> bytes:
        """Cold reset; returns the ATR."""
        ...

    def power_off(self) -> None: ...

    def process_apdu(self, apdu: bytes) -> bytes:
        """Answer one command APDU with response data followed by SW1 SW2."""
        ...


class InProcessTransport:
    """A transport straight into a software chip, for fast tests and the demo."""

    def __init__(self, chip: Chip) -> None:
        self._chip = chip
        self._atr = chip.power_on()

    @property
    def atr(self) -> bytes:
        return self._atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        response = self._chip.process_apdu(apdu)
        if len(response) < 2:
            from cccd_station.reader.errors import ChipDataError

            raise ChipDataError("card answered with fewer than two bytes")
        return response[:-2], int.from_bytes(response[-2:], "big")

    def close(self) -> None:
        self._chip.power_off()
