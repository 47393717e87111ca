"""Secure messaging (ICAO 9303-11 §9.8): protecting commands and checking responses.

Both ends live here: :class:`SecureChannel` is the terminal's side; :func:`unwrap_command` and
:func:`wrap_response` are the chip's side, used by the virtual chip. The send sequence counter
is incremented once before each command MAC and once before each response MAC.
"""

from __future__ import annotations

import hmac

from cccd_station.crypto.symmetric import SmKeys, pad
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu, describe_sw
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import ParseError, SecureMessagingError
from cccd_station.reader.lds.tlv import encode_length, encode_tlv, parse_one

CLA_SM = 0x0C
TAG_CRYPTOGRAM = 0x87  # padding-content indicator 01 + cryptogram
TAG_CRYPTOGRAM_ODD = 0x85  # odd INS (e.g. READ BINARY B1): cryptogram only
TAG_LE = 0x97
TAG_STATUS = 0x99
TAG_MAC = 0x8E
PADDING_INDICATOR = b"\x01"
SM_SESSION_ENDED = (SW.SM_DATA_MISSING, SW.SM_DATA_INCORRECT)
SM_STATUS_AND_MAC = 4 + 10  # DO99 (status) and DO8E (8-byte MAC) around every protected response


def protected_size(plain_length: int, block_size: int, odd_ins: bool) -> int:
    """Bytes of a protected response carrying ``plain_length`` bytes of data (9303-11 §9.8.5)."""
    if not plain_length:
        return SM_STATUS_AND_MAC
    padded = (plain_length // block_size + 1) * block_size
    value = padded + (0 if odd_ins else 1)  # DO87 starts with the padding-content indicator
    return 1 + len(encode_length(value)) + value + SM_STATUS_AND_MAC


def _header_block(keys: SmKeys, cmd: CommandApdu) -> bytes:
    return pad(bytes([cmd.cla | CLA_SM, cmd.ins, cmd.p1, cmd.p2]), keys.block_size)


def _le_bytes(ne: int, extended: bool) -> bytes:
    return (ne % 65536).to_bytes(2, "big") if extended else bytes([ne % 256])


def protect_command(keys: SmKeys, ssc: int, cmd: CommandApdu) -> CommandApdu:
    """Build the protected APDU for ``cmd`` using counter value ``ssc`` (already incremented)."""
    extended = cmd.needs_extended
    body = b""
    if cmd.data:
        cryptogram = keys.encrypt(ssc, cmd.data)
        body += (
            encode_tlv(TAG_CRYPTOGRAM_ODD, cryptogram)
            if cmd.ins & 1
            else encode_tlv(TAG_CRYPTOGRAM, PADDING_INDICATOR + cryptogram)
        )
    if cmd.ne is not None:
        body += encode_tlv(TAG_LE, _le_bytes(cmd.ne, extended))
    mac = keys.mac(keys.ssc_bytes(ssc) + _header_block(keys, cmd) + body)
    body += encode_tlv(TAG_MAC, mac)
    wrapped_ne = 65536 if extended or len(body) > 255 else 256
    return CommandApdu(cmd.cla | CLA_SM, cmd.ins, cmd.p1, cmd.p2, body, wrapped_ne)


CRYPTOGRAMS = frozenset({TAG_CRYPTOGRAM, TAG_CRYPTOGRAM_ODD})
RESPONSE_OBJECTS = CRYPTOGRAMS | {TAG_STATUS}  # what may precede DO8E in a response
COMMAND_OBJECTS = CRYPTOGRAMS | {TAG_LE}  # what may precede DO8E in a command


def _objects(data: bytes, allowed: frozenset[int], what: str) -> tuple[dict[int, bytes], bytes, bytes]:
    """The data objects before DO8E by tag, the bytes the MAC covers, and the MAC.

    Every byte must be accounted for: only the ``allowed`` objects, each once, at most one
    cryptogram, and DO8E last, so nothing the MAC does not cover can reach the caller.
    """
    objects: dict[int, bytes] = {}
    offset = 0
    while offset < len(data):
        tlv, next_offset = parse_one(data, offset)
        if tlv.tag == TAG_MAC:
            if next_offset != len(data):
                raise SecureMessagingError(f"protected {what} carries data after its MAC object")
            if objects.keys() >= CRYPTOGRAMS:
                raise SecureMessagingError(f"protected {what} carries both DO85 and DO87")
            return objects, data[:offset], tlv.value
        if tlv.tag not in allowed:
            raise SecureMessagingError(f"protected {what} carries an unexpected object {tlv.tag:02X}")
        if tlv.tag in objects:
            raise SecureMessagingError(f"secure-messaging object {tlv.tag:02X} appears twice")
        objects[tlv.tag] = tlv.value
        offset = next_offset
    raise SecureMessagingError(f"protected {what} lacks its MAC object")


def _decrypt(keys: SmKeys, ssc: int, objects: dict[int, bytes]) -> bytes:
    if TAG_CRYPTOGRAM in objects:
        value = objects[TAG_CRYPTOGRAM]
        if not value.startswith(PADDING_INDICATOR):
            raise SecureMessagingError("protected data has an unknown padding indicator")
        return keys.decrypt(ssc, value[1:])
    if TAG_CRYPTOGRAM_ODD in objects:
        return keys.decrypt(ssc, objects[TAG_CRYPTOGRAM_ODD])
    return b""


def _mac_matches(keys: SmKeys, message: bytes, mac: bytes) -> bool:
    return hmac.compare_digest(keys.mac(message), mac)


def unprotect_response(keys: SmKeys, ssc: int, response: ResponseApdu) -> ResponseApdu:
    """Check and decrypt a protected response under counter value ``ssc`` (already incremented).

    Under secure messaging a status word counts only inside a protected response whose MAC
    verifies (9303-11 §9.8): a bare status word is either the chip reporting an SM error (6987,
    6988), after which it has deleted its session keys, or a forgery, such as a relay's 6A82 that
    would make a data group look absent. Either way the session ends.
    """
    if not response.data:
        if response.sw in SM_SESSION_ENDED:
            raise SecureMessagingError(
                f"the chip ended secure messaging ({response.sw:04X}: {describe_sw(response.sw)})"
            )
        raise SecureMessagingError(
            f"the answer {response.sw:04X} came without secure messaging and cannot be trusted: "
            "the link is broken or someone is tampering with it"
        )
    try:
        objects, covered, mac = _objects(response.data, RESPONSE_OBJECTS, "response")
        if TAG_STATUS not in objects:
            raise SecureMessagingError("protected response lacks its status object")
        if not _mac_matches(keys, keys.ssc_bytes(ssc) + covered, mac):
            raise SecureMessagingError("response MAC does not verify: the session is no longer trusted")
        status = objects[TAG_STATUS]
        if len(status) != 2:
            raise SecureMessagingError("protected status object is not two bytes")
        return ResponseApdu(_decrypt(keys, ssc, objects), int.from_bytes(status, "big"))
    except (ParseError, ValueError) as error:
        raise SecureMessagingError(f"malformed protected response: {error}") from error


class SecureChannel:
    """A secure-messaging session over a plain channel; any failure ends it for good."""

    def __init__(self, channel: ApduSender, keys: SmKeys, ssc: int) -> None:
        self.plain = channel
        self.keys = keys
        self.ssc = ssc
        self.verified_answers = 0  # protected answers whose MAC verified, over the whole session
        self._broken: str | None = None

    def restart(self, keys: SmKeys) -> None:
        """Continue under new session keys with the counter at zero (after Chip Authentication)."""
        self.keys, self.ssc = keys, 0

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        if self._broken:
            raise SecureMessagingError(
                f"secure messaging ended earlier ({self._broken}); open the chip again"
            )
        self.ssc += 1
        protected = protect_command(self.keys, self.ssc, cmd)
        response = self.plain.transmit(protected)
        self.ssc += 1
        try:
            answer = unprotect_response(self.keys, self.ssc, response)
        except SecureMessagingError as error:
            self._broken = str(error)
            raise
        self.verified_answers += 1
        return answer


def unwrap_command(keys: SmKeys, ssc: int, cmd: CommandApdu) -> CommandApdu:
    """Chip side: check a protected command's MAC and recover the plain command."""
    if cmd.cla & CLA_SM != CLA_SM:
        raise SecureMessagingError("command is not protected")
    try:
        objects, covered, mac = _objects(cmd.data, COMMAND_OBJECTS, "command")
        if not _mac_matches(keys, keys.ssc_bytes(ssc) + _header_block(keys, cmd) + covered, mac):
            raise SecureMessagingError("command MAC does not verify")
        ne = None
        if TAG_LE in objects:
            le = int.from_bytes(objects[TAG_LE], "big")
            ne = le or (65536 if len(objects[TAG_LE]) == 2 else 256)
        return CommandApdu(
            cmd.cla & ~CLA_SM & 0xFF, cmd.ins, cmd.p1, cmd.p2, _decrypt(keys, ssc, objects), ne
        )
    except (ParseError, ValueError) as error:
        raise SecureMessagingError(f"malformed protected command: {error}") from error


def wrap_response(keys: SmKeys, ssc: int, response: ResponseApdu, odd_ins: bool = False) -> ResponseApdu:
    """Chip side: protect a response under counter value ``ssc`` (already incremented)."""
    body = b""
    if response.data:
        cryptogram = keys.encrypt(ssc, response.data)
        body += (
            encode_tlv(TAG_CRYPTOGRAM_ODD, cryptogram)
            if odd_ins
            else encode_tlv(TAG_CRYPTOGRAM, PADDING_INDICATOR + cryptogram)
        )
    body += encode_tlv(TAG_STATUS, response.sw.to_bytes(2, "big"))
    body += encode_tlv(TAG_MAC, keys.mac(keys.ssc_bytes(ssc) + body))
    return ResponseApdu(body, response.sw)
