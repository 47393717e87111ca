"""Errors raised while talking to a card.

Three sorts, as the station shows them: errors the clerk should read (subclasses of
:class:`CardError` carry a plain-language reason), silent ones (:class:`Cancelled`),
and bugs (anything else). Each class names its ``kind``, the token that front ends, the audit
trail and the local API use for it; the station turns kinds into the clerk's sentences.
"""

from __future__ import annotations

from typing import ClassVar


class CardError(Exception):
    """Something about the card, reader or chip data that a clerk can act on."""

    kind: ClassVar[str] = "card_error"


class Cancelled(Exception):
    """The clerk cancelled the read; nothing to report."""

    kind: ClassVar[str] = "cancelled"


class ReaderUnavailableError(CardError):
    """No reader, or the reader was unplugged or its service stopped."""

    kind: ClassVar[str] = "reader_unavailable"


class NoCardError(CardError):
    """The reader is present but holds no card."""

    kind: ClassVar[str] = "no_card"


class CardRemovedError(CardError):
    """The card left the reader (or stopped answering) during a read."""

    kind: ClassVar[str] = "card_removed"


class CardMuteError(CardRemovedError):
    """The reader still holds the card but it stopped answering (a timeout at the edge of the field):
    to the clerk the same as a card that slipped away, and the read resumes the same way."""


class ExtendedLengthError(CardError):
    """The reader (not the chip) cannot carry an extended-length APDU: the read goes on in short ones."""


class ApduError(CardError):
    """The card answered a command with a status word other than 9000."""

    kind: ClassVar[str] = "card_refused"

    def __init__(self, sw: int, data: bytes = b"", message: str | None = None) -> None:
        from cccd_station.reader.apdu import describe_sw

        self.sw = sw
        self.data = data
        super().__init__(message or f"card returned {sw:04X} ({describe_sw(sw)})")


class SecureMessagingError(CardError):
    """A protected response failed its MAC or structure check; the session is over."""

    kind: ClassVar[str] = "secure_messaging"


class AccessDeniedError(CardError):
    """BAC or PACE failed: the key (ID number, CAN or MRZ data) does not open this chip."""

    kind: ClassVar[str] = "wrong_key"


class UnsupportedCardError(CardError):
    """The card is not an ICAO 9303 document (no eMRTD application, no known protocol)."""

    kind: ClassVar[str] = "unsupported_card"


class ChipDataError(CardError):
    """The chip sent data that breaks the protocol or the file formats."""

    kind: ClassVar[str] = "bad_chip_data"


class ParseError(ChipDataError):
    """Malformed, truncated or oversized data in a chip file."""
