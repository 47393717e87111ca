"""The card's side of Chip Authentication and Active Authentication (ICAO 9303-11 §6.1, §6.2).

Chip Authentication: the terminal sends its ephemeral public key, either in MSE:Set KAT
(00 22 41 A6, DO91, optional DO84 key reference; 3DES chips) or with MSE:Set AT (00 22 41 A4, DO80
protocol OID, optional DO84) followed by GENERAL AUTHENTICATE (00 86 00 00, 7C{80 key}). The chip
answers under the old session keys and then switches to keys derived from the shared secret,
with the send sequence counter at 0.

Active Authentication: INTERNAL AUTHENTICATE (00 88 00 00) with an 8-byte challenge, signed with
the chip's private key (ISO/IEC 9796-2 for RSA, plain ECDSA otherwise).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_station.crypto.active import sign_active_authentication_ecdsa, sign_active_authentication_rsa
from cccd_station.crypto.chipauth import ChipAuthError, chip_shared_secret
from cccd_station.crypto.symmetric import CipherKind, SmKeys
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds import oids
from cccd_station.reader.lds.asn1 import decode_oid
from cccd_station.reader.lds.tlv import Tlv, encode_tlv, parse_all

INS_MSE = 0x22
INS_GENERAL_AUTHENTICATE = 0x86
INS_INTERNAL_AUTHENTICATE = 0x88
MSE_SET_KAT = (0x41, 0xA6)
MSE_SET_AT = (0x41, 0xA4)
TAG_PROTOCOL = 0x80
TAG_KEY_REFERENCE = 0x84
TAG_EPHEMERAL_KEY_KAT = 0x91
TAG_DYNAMIC_AUTHENTICATION = 0x7C
TAG_EPHEMERAL_KEY_GA = 0x80
AA_CHALLENGE_LENGTH = 8
SHA1_DIGEST_LENGTH = 20

Rng = Callable[[int], bytes]


@dataclass(frozen=True)
class CardAnswer:
    """The response to send, under the current keys, and the keys to use from the next command on."""

    response: ResponseApdu
    new_keys: SmKeys | None = None


def _status(sw: SW) -> CardAnswer:
    return CardAnswer(ResponseApdu(b"", sw))


class CardAuthentication:
    """Chip and Active Authentication for one power-on session of the chip."""

    def __init__(
        self,
        ca_protocol: str,
        ca_public_key_der: bytes,
        ca_key: ec.EllipticCurvePrivateKey,
        aa_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
        aa_hash: str,
        rng: Rng = os.urandom,
    ) -> None:
        self.ca_protocol = ca_protocol
        self.ca_public_key_der = ca_public_key_der
        self.ca_key = ca_key
        self.aa_key = aa_key
        self.aa_hash = aa_hash
        self.rng = rng
        self._pending_protocol: str | None = None

    def handle(self, cmd: CommandApdu) -> CardAnswer | None:
        """Answer the commands of CA and AA; None for any other command."""
        if cmd.ins == INS_MSE and (cmd.p1, cmd.p2) == MSE_SET_KAT:
            return self._set_kat(cmd)
        if cmd.ins == INS_MSE and (cmd.p1, cmd.p2) == MSE_SET_AT:
            return self._set_at(cmd)
        if cmd.ins == INS_GENERAL_AUTHENTICATE and self._pending_protocol is not None:
            return self._general_authenticate(cmd)
        if cmd.ins == INS_INTERNAL_AUTHENTICATE:
            return self._internal_authenticate(cmd)
        return None

    def _set_kat(self, cmd: CommandApdu) -> CardAnswer:
        objects = _objects(cmd.data)
        if objects is None or TAG_EPHEMERAL_KEY_KAT not in objects:
            return _status(SW.WRONG_DATA)
        if not self._key_reference_ok(objects):
            return _status(SW.REFERENCED_DATA_NOT_FOUND)
        # MSE:Set KAT is the 3DES form of Chip Authentication (9303-11 §6.2.4.1).
        return self._agree(
            objects[TAG_EPHEMERAL_KEY_KAT].value, CipherKind.DES3, 128, ResponseApdu(b"", SW.OK)
        )

    def _set_at(self, cmd: CommandApdu) -> CardAnswer:
        self._pending_protocol = None
        objects = _objects(cmd.data)
        if objects is None or TAG_PROTOCOL not in objects:
            return _status(SW.WRONG_DATA)
        try:
            protocol = decode_oid(Tlv(0x06, objects[TAG_PROTOCOL].value))
        except ParseError:
            return _status(SW.WRONG_DATA)
        offered_family = self.ca_protocol.rsplit(".", 1)[0]
        family, _, suite = protocol.rpartition(".")
        if family != offered_family or not suite.isdigit() or int(suite) not in oids.CIPHER_SUITES:
            return _status(SW.REFERENCED_DATA_NOT_FOUND)
        if not self._key_reference_ok(objects):
            return _status(SW.REFERENCED_DATA_NOT_FOUND)
        self._pending_protocol = protocol
        return _status(SW.OK)

    def _general_authenticate(self, cmd: CommandApdu) -> CardAnswer:
        protocol, self._pending_protocol = self._pending_protocol, None
        assert protocol is not None
        if cmd.p1 or cmd.p2:
            return _status(SW.INCORRECT_P1P2)
        objects = _objects(cmd.data)
        if objects is None or TAG_DYNAMIC_AUTHENTICATION not in objects:
            return _status(SW.WRONG_DATA)
        inner = _objects(objects[TAG_DYNAMIC_AUTHENTICATION].value)
        if inner is None or TAG_EPHEMERAL_KEY_GA not in inner:
            return _status(SW.WRONG_DATA)
        cipher, bits = oids.CIPHER_SUITES[int(protocol.rsplit(".", 1)[1])]
        answer = ResponseApdu(encode_tlv(TAG_DYNAMIC_AUTHENTICATION, b""), SW.OK)
        return self._agree(inner[TAG_EPHEMERAL_KEY_GA].value, CipherKind(cipher), bits, answer)

    def _agree(
        self, terminal_public: bytes, cipher: CipherKind, bits: int, answer: ResponseApdu
    ) -> CardAnswer:
        try:
            secret = chip_shared_secret(self.ca_public_key_der, self.ca_key, terminal_public)
        except (ChipAuthError, ValueError):
            return _status(SW.WRONG_DATA)  # not a point of the chip's curve
        return CardAnswer(answer, SmKeys.derive(secret, cipher, bits))

    @staticmethod
    def _key_reference_ok(objects: dict[int, Tlv]) -> bool:
        # The chip has one CA key without a key ID; a reference can only name "that one".
        return TAG_KEY_REFERENCE not in objects

    def _internal_authenticate(self, cmd: CommandApdu) -> CardAnswer:
        if cmd.p1 or cmd.p2:
            return _status(SW.INCORRECT_P1P2)
        if len(cmd.data) != AA_CHALLENGE_LENGTH:
            return _status(SW.WRONG_LENGTH)
        if isinstance(self.aa_key, rsa.RSAPrivateKey):
            signature = sign_active_authentication_rsa(
                self.aa_key, cmd.data, self.aa_hash, nonce=self.rng(_rsa_m1_length(self.aa_key))
            )
        else:
            signature = sign_active_authentication_ecdsa(self.aa_key, cmd.data, self.aa_hash)
        return CardAnswer(ResponseApdu(signature, SW.OK))


def _rsa_m1_length(key: rsa.RSAPrivateKey) -> int:
    """M1 fills the ISO/IEC 9796-2 representative: header, M1, SHA-1 digest, trailer BC."""
    bits = key.key_size
    length = (bits + 7) // 8 - 1 - SHA1_DIGEST_LENGTH - 1
    return length - 1 if bits % 8 else length


def _objects(data: bytes) -> dict[int, Tlv] | None:
    """The data objects of a command by tag; None when they do not parse or repeat."""
    try:
        parsed = parse_all(data)
    except ParseError:
        return None
    objects = {tlv.tag: tlv for tlv in parsed}
    return objects if len(objects) == len(parsed) else None
