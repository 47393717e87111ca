"""How PC/SC failures reach the station, with pcsc-lite replaced by a scripted stand-in.

Each failure must become the reader.errors class the clerk's message depends on, and every
context and card handle must be given back, so the reader works for the next card.
"""

from __future__ import annotations

from typing import Any

import pytest
from smartcard import scard

from cccd_station.reader import pcsc
from cccd_station.reader.errors import (
    CardError,
    CardMuteError,
    CardRemovedError,
    ChipDataError,
    ExtendedLengthError,
    NoCardError,
    ReaderUnavailableError,
)
from cccd_station.reader.pcsc import PcscError, PcscTransport, error_name, list_readers

READER = "Scripted Reader 00 00"
ATR = bytes.fromhex("3B8880014E4F4E414D45313280")
PRESENT = scard.SCARD_STATE_PRESENT | (1 << 16)


class FakePcsc:
    """Just enough of pyscard's scard module; records what was opened and closed."""

    def __init__(self) -> None:
        self.establish = scard.SCARD_S_SUCCESS
        self.connect = scard.SCARD_S_SUCCESS
        self.transmit: tuple[int, list[int]] = (scard.SCARD_S_SUCCESS, [0x90, 0x00])
        self.readers: tuple[int, list[str]] = (scard.SCARD_S_SUCCESS, [READER])
        self.reader_state = PRESENT
        self.contexts: set[int] = set()
        self.cards: set[int] = set()
        self.dispositions: list[int] = []
        self.sent: list[list[int]] = []
        self._next = 100

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in (
            "SCardEstablishContext",
            "SCardReleaseContext",
            "SCardListReaders",
            "SCardConnect",
            "SCardDisconnect",
            "SCardStatus",
            "SCardTransmit",
            "SCardGetStatusChange",
        ):
            monkeypatch.setattr(pcsc.scard, name, getattr(self, name))

    def SCardEstablishContext(self, scope: int) -> tuple[int, int]:
        if self.establish != scard.SCARD_S_SUCCESS:
            return self.establish, 0
        self._next += 1
        self.contexts.add(self._next)
        return scard.SCARD_S_SUCCESS, self._next

    def SCardReleaseContext(self, context: int) -> int:
        self.contexts.remove(context)
        return scard.SCARD_S_SUCCESS

    def SCardListReaders(self, context: int, groups: list[str]) -> tuple[int, list[str]]:
        return self.readers

    def SCardConnect(self, context: int, reader: str, share: int, protocols: int) -> tuple[int, int, int]:
        if self.connect != scard.SCARD_S_SUCCESS:
            return self.connect, 0, 0
        self._next += 1
        self.cards.add(self._next)
        return scard.SCARD_S_SUCCESS, self._next, scard.SCARD_PROTOCOL_T1

    def SCardDisconnect(self, card: int, disposition: int) -> int:
        self.cards.remove(card)
        self.dispositions.append(disposition)
        return scard.SCARD_S_SUCCESS

    def SCardStatus(self, card: int) -> tuple[int, str, int, int, list[int]]:
        return scard.SCARD_S_SUCCESS, READER, 0, scard.SCARD_PROTOCOL_T1, list(ATR)

    def SCardTransmit(self, card: int, pci: Any, apdu: list[int]) -> tuple[int, list[int]]:
        self.sent.append(apdu)
        return self.transmit

    def SCardGetStatusChange(
        self, context: int, timeout: int, states: list[tuple[str, int]]
    ) -> tuple[int, list[tuple[str, int, list[int]]]]:
        (reader, known), *_ = states
        if known == self.reader_state:
            return scard.SCARD_E_TIMEOUT, [(reader, known, list(ATR))]
        return scard.SCARD_S_SUCCESS, [(reader, self.reader_state | scard.SCARD_STATE_CHANGED, list(ATR))]

    @property
    def all_released(self) -> bool:
        return not self.contexts and not self.cards


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePcsc:
    fake = FakePcsc()
    fake.install(monkeypatch)
    return fake


def test_transmit_converts_to_bytes_and_one_status_word(fake: FakePcsc) -> None:
    fake.transmit = (scard.SCARD_S_SUCCESS, [0x01, 0x02, 0x6A, 0x82])
    with PcscTransport(READER, "T1") as transport:
        assert transport.atr == ATR
        assert transport.transmit(b"\x00\xb0\x00\x00\x02") == (b"\x01\x02", 0x6A82)
    assert fake.sent == [[0x00, 0xB0, 0x00, 0x00, 0x02]]
    assert fake.dispositions == [scard.SCARD_RESET_CARD]  # no session survives us
    assert fake.all_released


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (scard.SCARD_E_NO_SMARTCARD, NoCardError),
        (scard.SCARD_W_REMOVED_CARD, NoCardError),
        (scard.SCARD_W_RESET_CARD, CardRemovedError),
        (scard.SCARD_E_UNKNOWN_READER, ReaderUnavailableError),
        (scard.SCARD_E_READER_UNAVAILABLE, ReaderUnavailableError),
        (scard.SCARD_E_NO_SERVICE, ReaderUnavailableError),
        (scard.SCARD_E_SHARING_VIOLATION, PcscError),
        (scard.SCARD_W_UNRESPONSIVE_CARD, PcscError),
    ],
)
def test_connect_failures_map_to_reader_errors(fake: FakePcsc, code: int, expected: type[CardError]) -> None:
    fake.connect = code
    with pytest.raises(expected) as raised:
        PcscTransport(READER)
    assert error_name(code) in str(raised.value)
    assert fake.all_released


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (scard.SCARD_W_REMOVED_CARD, CardRemovedError),
        (scard.SCARD_W_RESET_CARD, CardRemovedError),
        (scard.SCARD_E_NO_SMARTCARD, CardRemovedError),
        (scard.SCARD_E_READER_UNAVAILABLE, ReaderUnavailableError),
        (scard.SCARD_E_NO_SERVICE, ReaderUnavailableError),
        (scard.SCARD_E_INVALID_HANDLE, ReaderUnavailableError),
    ],
)
def test_transmit_failures_free_the_reader(fake: FakePcsc, code: int, expected: type[CardError]) -> None:
    transport = PcscTransport(READER)
    fake.transmit = (code, [])
    with pytest.raises(expected):
        transport.transmit(b"\x00\xa4\x00\x00")
    assert fake.all_released  # freed at once, before the caller closes
    with pytest.raises(CardRemovedError):
        transport.transmit(b"\x00\xa4\x00\x00")
    transport.close()


@pytest.mark.parametrize(
    "code", [scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_E_TIMEOUT, scard.SCARD_F_COMM_ERROR]
)
def test_failed_exchange_with_the_card_still_there_is_a_mute_card(
    fake: FakePcsc, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    monkeypatch.setattr(pcsc, "_REMOVAL_GRACE", 0.05)
    with PcscTransport(READER) as transport:
        fake.transmit = (code, [])
        with pytest.raises(CardMuteError, match=error_name(code)):
            transport.transmit(b"\x00\xa4\x00\x00")
    assert fake.all_released


def test_an_extended_apdu_the_reader_cannot_carry_is_told_from_a_mute_card(
    fake: FakePcsc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pcsc, "_REMOVAL_GRACE", 0.05)
    extended_read = bytes.fromhex("00B09C00000000")  # READ BINARY of EF.CardAccess, Le 0000
    with PcscTransport(READER) as transport:
        fake.transmit = (scard.SCARD_E_NOT_TRANSACTED, [])
        with pytest.raises(ExtendedLengthError):
            transport.transmit(extended_read)
        fake.transmit = (scard.SCARD_S_SUCCESS, [0x90])
        with pytest.raises(ChipDataError):
            transport.transmit(b"\x00\xa4\x00\x00")
    assert fake.all_released


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        (bytes.fromhex("0A0400000100"), True),  # dwMaxAPDUDataSize 0x10000: extended APDU level
        (bytes.fromhex("0A0400000000"), False),  # 0: short APDUs only
        (b"", None),  # no such property
    ],
)
def test_the_reader_says_whether_it_carries_extended_length(
    fake: FakePcsc, monkeypatch: pytest.MonkeyPatch, properties: bytes, expected: bool | None
) -> None:
    tlv_ioctl = 0x42000D48 + 1

    def control(card: int, code: int, data: list[int]) -> tuple[int, list[int]]:
        if code == pcsc.CM_IOCTL_GET_FEATURE_REQUEST:
            return scard.SCARD_S_SUCCESS, [0x12, 4, *tlv_ioctl.to_bytes(4, "big")]
        assert code == tlv_ioctl
        return scard.SCARD_S_SUCCESS, list(properties)

    monkeypatch.setattr(pcsc.scard, "SCardControl", control)
    with PcscTransport(READER) as transport:
        assert transport.reader_extended_length is expected


def test_a_driver_without_part_10_features_leaves_it_unknown(
    fake: FakePcsc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pcsc.scard, "SCardControl", lambda card, code, data: (scard.SCARD_E_UNSUPPORTED_FEATURE, [])
    )
    with PcscTransport(READER) as transport:
        assert transport.reader_extended_length is None


@pytest.mark.parametrize(
    "after",
    [
        scard.SCARD_STATE_EMPTY | (2 << 16),  # pulled out
        scard.SCARD_STATE_PRESENT | (3 << 16),  # pulled out and put back between polls
    ],
)
def test_failed_exchange_after_the_card_left_is_a_removed_card(fake: FakePcsc, after: int) -> None:
    with PcscTransport(READER) as transport:
        fake.reader_state = after
        fake.transmit = (scard.SCARD_E_NOT_TRANSACTED, [])
        with pytest.raises(CardRemovedError):
            transport.transmit(b"\x00\xa4\x00\x00")
    assert fake.all_released


def test_empty_answer_from_a_card_that_left_is_a_removed_card(fake: FakePcsc) -> None:
    with PcscTransport(READER) as transport:
        fake.reader_state = scard.SCARD_STATE_EMPTY | (2 << 16)
        fake.transmit = (scard.SCARD_S_SUCCESS, [])
        with pytest.raises(CardRemovedError):
            transport.transmit(b"\x00\xa4\x00\x00")


def test_empty_answer_from_a_card_still_there_is_a_mute_card(
    fake: FakePcsc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pcsc, "_REMOVAL_GRACE", 0.05)
    with PcscTransport(READER) as transport:
        fake.transmit = (scard.SCARD_S_SUCCESS, [])
        with pytest.raises(CardMuteError, match="answered nothing"):
            transport.transmit(b"\x00\xa4\x00\x00")
    assert fake.all_released


def test_list_readers(fake: FakePcsc) -> None:
    assert list_readers() == [READER]
    fake.readers = (scard.SCARD_E_NO_READERS_AVAILABLE, [])
    assert list_readers() == []
    fake.establish = scard.SCARD_E_NO_SERVICE
    with pytest.raises(ReaderUnavailableError, match="SCARD_E_NO_SERVICE"):
        list_readers()
    assert fake.all_released


def test_bad_arguments_are_refused(fake: FakePcsc) -> None:
    with pytest.raises(ValueError, match="protocol"):
        PcscTransport(READER, "T2")  # type: ignore[arg-type]
    with PcscTransport(READER) as transport, pytest.raises(ValueError, match="4 bytes"):
        transport.transmit(b"\x00\xa4")
    assert fake.all_released


def test_unknown_codes_keep_their_number() -> None:
    assert error_name(scard.SCARD_W_REMOVED_CARD) == "SCARD_W_REMOVED_CARD"
    assert error_name(0x8010FFFF) == "PC/SC error 0x8010FFFF"
