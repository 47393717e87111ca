"""Errors raised while talking to a card.

Three kinds, as the station shows them: errors the clerk should read (subclasses of
:class:`CardError` carry a plain-language reason), silent ones (:class:`Cancelled`),
and bugs (anything else).
"""

from __future__ import annotations


class CardError(Exception):
    """Something about the card, reader or chip data that a clerk can act on."""


class Cancelled(Exception):
    """The clerk cancelled the read; nothing to report."""


class ReaderUnavailableError(CardError):
    """No reader, or the reader was unplugged or its service stopped."""


class NoCardError(CardError):
    """The reader is present but holds no card."""


class CardRemovedError(CardError):
    """The card left the reader (or stopped answering) during a read."""


class ApduError(CardError):
    """The card answered a command with a status word other than 9000."""

    def __init__(self, sw: int, data: bytes = b"", message: str | None = None) -> None:
        from cccd_station.reader.apdu import describe_sw

        self.sw = sw
        self.data = data
        super().__init__(message or f"card returned {sw:04X} ({describe_sw(sw)})")


class SecureMessagingError(CardError):
    """A protected response failed its MAC or structure check; the session is over."""


class AccessDeniedError(CardError):
    """BAC or PACE failed: the key (ID number, CAN or MRZ data) does not open this chip."""


class UnsupportedCardError(CardError):
    """The card is not an ICAO 9303 document (no eMRTD application, no known protocol)."""


class ChipDataError(CardError):
    """The chip sent data that breaks the protocol or the file formats."""


class ParseError(ChipDataError):
    """Malformed, truncated or oversized data in a chip file."""
