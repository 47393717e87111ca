"""Secure messaging to the letter (ICAO 9303-11 §9.8): what a relay may not slip past either end.

Every case builds a response or command whose MAC verifies over the bytes before DO8E, then adds,
repeats or drops one data object; the session must end instead of trusting the extra bytes.
"""

from __future__ import annotations

import pytest

from cccd_station.crypto.symmetric import CipherKind, SmKeys, pad
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.errors import SecureMessagingError
from cccd_station.reader.lds.tlv import encode_tlv
from cccd_station.reader.sm import SecureChannel, protect_command, unwrap_command, wrap_response

KEYS = {
    "3DES": SmKeys.derive(b"strict secure messaging", CipherKind.DES3),
    "AES": SmKeys.derive(b"strict secure messaging", CipherKind.AES, 128),
}
READ = CommandApdu(0x00, 0xB0, 0x82, 0x00, ne=0xDF)  # READ BINARY of DG2 by its short file identifier
READ_ODD = CommandApdu(0x00, 0xB1, 0x00, 0x00, b"\x54\x03\x00\x80\x00", ne=0xDF)
FILE_DATA = bytes.fromhex("75820100") + bytes(range(40))
FORGED = bytes.fromhex("7503") + b"BAD"


class Relay:
    """Stands between the terminal and the chip and answers with what the test gives it."""

    def __init__(self, answer: ResponseApdu) -> None:
        self.answer = answer
        self.sent: list[CommandApdu] = []

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        self.sent.append(cmd)
        return self.answer


def do87(keys: SmKeys, ssc: int, data: bytes) -> bytes:
    return encode_tlv(0x87, b"\x01" + keys.encrypt(ssc, data))


def do85(keys: SmKeys, ssc: int, data: bytes) -> bytes:
    return encode_tlv(0x85, keys.encrypt(ssc, data))


def do99(sw: int = SW.OK) -> bytes:
    return encode_tlv(0x99, sw.to_bytes(2, "big"))


def maced(keys: SmKeys, ssc: int, covered: bytes, after: bytes = b"", sw: int = SW.OK) -> ResponseApdu:
    """``covered`` with a valid DO8E over it (response counter ``ssc``), then ``after`` unprotected."""
    return ResponseApdu(covered + encode_tlv(0x8E, keys.mac(keys.ssc_bytes(ssc) + covered)) + after, sw)


def receive(keys: SmKeys, answer: ResponseApdu, cmd: CommandApdu = READ) -> ResponseApdu:
    """Send ``cmd`` on a fresh session (command counter 1, response counter 2) and get ``answer``."""
    return SecureChannel(Relay(answer), keys, 0).transmit(cmd)


@pytest.fixture(params=sorted(KEYS))
def keys(request: pytest.FixtureRequest) -> SmKeys:
    return KEYS[request.param]


# --- status words ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sw", [SW.FILE_NOT_FOUND, SW.SECURITY_STATUS_NOT_SATISFIED, SW.WRONG_LENGTH, 0x6F00])
def test_a_plain_error_status_under_secure_messaging_ends_the_session(keys: SmKeys, sw: int) -> None:
    # A relay answers the protected READ BINARY of DG2 with a bare 6A82: the file would look absent.
    channel = SecureChannel(Relay(ResponseApdu(b"", sw)), keys, 0)
    with pytest.raises(SecureMessagingError, match=f"answer {sw:04X} came without secure messaging"):
        channel.transmit(READ)
    with pytest.raises(SecureMessagingError, match="open the chip again"):
        channel.transmit(READ)


@pytest.mark.parametrize("sw", [SW.SM_DATA_MISSING, SW.SM_DATA_INCORRECT])
def test_the_chips_own_plain_sm_errors_end_the_session_too(keys: SmKeys, sw: int) -> None:
    with pytest.raises(SecureMessagingError, match="ended secure messaging"):
        receive(keys, ResponseApdu(b"", sw))


def test_a_protected_error_status_is_accepted(keys: SmKeys) -> None:
    answer = wrap_response(keys, 2, ResponseApdu(b"", SW.FILE_NOT_FOUND))
    assert receive(keys, answer) == ResponseApdu(b"", SW.FILE_NOT_FOUND)


def test_the_status_inside_the_mac_counts_not_the_one_outside(keys: SmKeys) -> None:
    answer = maced(keys, 2, do99(SW.FILE_NOT_FOUND), sw=SW.OK)
    assert receive(keys, answer).sw == SW.FILE_NOT_FOUND


# --- data objects of a response --------------------------------------------------------------------


def test_a_do87_after_the_mac_is_refused(keys: SmKeys) -> None:
    genuine = do87(keys, 2, FILE_DATA) + do99()
    forged = do87(keys, 2, FORGED)
    with pytest.raises(SecureMessagingError, match="after its MAC"):
        receive(keys, maced(keys, 2, genuine, after=forged))
    with pytest.raises(SecureMessagingError, match="after its MAC"):
        receive(keys, maced(keys, 2, do99(), after=forged))  # a status-only answer gains data


def test_a_do87_after_the_mac_cannot_win_over_do85_on_odd_reads(keys: SmKeys) -> None:
    covered = do85(keys, 2, FILE_DATA) + do99()
    with pytest.raises(SecureMessagingError):
        receive(keys, maced(keys, 2, covered, after=do87(keys, 2, FORGED)), READ_ODD)


def test_do85_and_do87_together_are_refused_even_under_the_mac(keys: SmKeys) -> None:
    covered = do85(keys, 2, FILE_DATA) + do87(keys, 2, FORGED) + do99()
    with pytest.raises(SecureMessagingError, match="both"):
        receive(keys, maced(keys, 2, covered), READ_ODD)


@pytest.mark.parametrize(
    "extra",
    [
        encode_tlv(0x97, b"\x00"),
        encode_tlv(0x53, b"data"),
        encode_tlv(0x81, b"\x01"),
        encode_tlv(0x5F01, b"1"),
    ],
    ids=["DO97", "DO53", "DO81", "DO5F01"],
)
def test_unknown_objects_are_refused_even_under_the_mac(keys: SmKeys, extra: bytes) -> None:
    with pytest.raises(SecureMessagingError, match="unexpected"):
        receive(keys, maced(keys, 2, do87(keys, 2, FILE_DATA) + extra + do99()))


def test_repeated_objects_are_refused(keys: SmKeys) -> None:
    with pytest.raises(SecureMessagingError, match="twice"):
        receive(keys, maced(keys, 2, do99() + do99()))
    twice_mac = maced(keys, 2, do99())
    with pytest.raises(SecureMessagingError):
        receive(keys, ResponseApdu(twice_mac.data + twice_mac.data[-10:], SW.OK))


def test_status_and_mac_objects_are_required(keys: SmKeys) -> None:
    with pytest.raises(SecureMessagingError, match="status"):
        receive(keys, maced(keys, 2, do87(keys, 2, FILE_DATA)))
    with pytest.raises(SecureMessagingError, match="MAC object"):
        receive(keys, ResponseApdu(do87(keys, 2, FILE_DATA) + do99(), SW.OK))


def test_the_status_object_must_be_two_bytes(keys: SmKeys) -> None:
    with pytest.raises(SecureMessagingError, match="two bytes"):
        receive(keys, maced(keys, 2, encode_tlv(0x99, b"\x90")))


def test_genuine_answers_in_either_order_of_data_and_status_still_read(keys: SmKeys) -> None:
    assert receive(keys, wrap_response(keys, 2, ResponseApdu(FILE_DATA, SW.OK))).data == FILE_DATA
    odd = wrap_response(keys, 2, ResponseApdu(FILE_DATA, SW.END_OF_FILE), odd_ins=True)
    assert receive(keys, odd, READ_ODD) == ResponseApdu(FILE_DATA, SW.END_OF_FILE)
    # The MAC covers whatever comes before DO8E; DO99 ahead of DO87 is unusual but honest.
    swapped = maced(keys, 2, do99() + do87(keys, 2, FILE_DATA))
    assert receive(keys, swapped).data == FILE_DATA


def test_a_one_bit_change_of_the_mac_is_refused(keys: SmKeys) -> None:
    genuine = wrap_response(keys, 2, ResponseApdu(FILE_DATA, SW.OK))
    broken = genuine.data[:-1] + bytes([genuine.data[-1] ^ 0x01])
    with pytest.raises(SecureMessagingError, match="MAC does not verify"):
        receive(keys, ResponseApdu(broken, SW.OK))
    with pytest.raises(SecureMessagingError, match="MAC does not verify"):
        receive(keys, ResponseApdu(genuine.data[:-10] + b"\x8e\x04" + genuine.data[-8:-4], SW.OK))


# --- data objects of a command (the chip's side) ---------------------------------------------------


def command_header(keys: SmKeys, cmd: CommandApdu) -> bytes:
    return pad(bytes([0x0C, cmd.ins, cmd.p1, cmd.p2]), keys.block_size)


def maced_command(
    keys: SmKeys, cmd: CommandApdu, covered: bytes, after: bytes = b"", ssc: int = 1
) -> CommandApdu:
    mac = keys.mac(keys.ssc_bytes(ssc) + command_header(keys, cmd) + covered)
    return CommandApdu(0x0C, cmd.ins, cmd.p1, cmd.p2, covered + encode_tlv(0x8E, mac) + after, 256)


SELECT = CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x02")


def test_the_chip_unwraps_a_genuine_command(keys: SmKeys) -> None:
    for cmd in (SELECT, READ, READ_ODD):
        assert unwrap_command(keys, 1, protect_command(keys, 1, cmd)) == cmd


def test_the_chip_refuses_objects_after_the_mac(keys: SmKeys) -> None:
    genuine = protect_command(keys, 1, SELECT)
    appended = CommandApdu(0x0C, 0xA4, 0x02, 0x0C, genuine.data + do87(keys, 1, b"\x01\x1e"), 256)
    with pytest.raises(SecureMessagingError, match="after its MAC"):
        unwrap_command(keys, 1, appended)
    le_after = maced_command(keys, READ, b"", after=encode_tlv(0x97, b"\xdf"))
    with pytest.raises(SecureMessagingError, match="after its MAC"):
        unwrap_command(keys, 1, le_after)


def test_the_chip_refuses_both_cryptograms_unknown_objects_and_repeats(keys: SmKeys) -> None:
    both = do85(keys, 1, b"\x54\x01\x00") + do87(keys, 1, b"\x01\x02")
    with pytest.raises(SecureMessagingError, match="both"):
        unwrap_command(keys, 1, maced_command(keys, READ_ODD, both))
    with pytest.raises(SecureMessagingError, match="unexpected"):
        unwrap_command(keys, 1, maced_command(keys, READ, do99() + encode_tlv(0x97, b"\xdf")))
    with pytest.raises(SecureMessagingError, match="twice"):
        unwrap_command(keys, 1, maced_command(keys, READ, encode_tlv(0x97, b"\xdf") * 2))
    with pytest.raises(SecureMessagingError, match="MAC object"):
        unwrap_command(keys, 1, CommandApdu(0x0C, 0xB0, 0x82, 0, encode_tlv(0x97, b"\xdf"), 256))
