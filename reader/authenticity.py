"""Is the chip genuine? Chip Authentication and Active Authentication, terminal side (ICAO 9303-11 §6).

Both run after the data groups are read. Chip Authentication switches secure messaging to keys
agreed with the chip's static key from DG14; only the genuine chip can answer the next command
under them, so one protected READ BINARY after the switch is the proof. Active Authentication has
the chip sign a fresh challenge with the private key whose public half is in DG15.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cccd_station.crypto.active import verify_active_authentication
from cccd_station.crypto.chipauth import ChipAuthError, generate_ephemeral_key, terminal_shared_secret
from cccd_station.crypto.pace import oid_content
from cccd_station.crypto.symmetric import CipherKind, SmKeys
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, CHIP_AUTHENTICATION, Check
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.errors import ApduError, SecureMessagingError
from cccd_station.reader.lds import oids
from cccd_station.reader.lds.files import EF_COM
from cccd_station.reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfos,
)
from cccd_station.reader.lds.tlv import encode_tlv
from cccd_station.reader.sm import SecureChannel

INS_MSE = 0x22
INS_GENERAL_AUTHENTICATE = 0x86
INS_INTERNAL_AUTHENTICATE = 0x88
MSE_SET_KAT = (0x41, 0xA6)
MSE_SET_AT = (0x41, 0xA4)
AA_CHALLENGE_LENGTH = 8


def _pick(infos: SecurityInfos) -> tuple[str, ChipAuthenticationPublicKeyInfo] | None:
    """The chip's CA key and the protocol to run with it (the ChipAuthenticationInfo of the same key id)."""
    if not infos.chip_authentication_keys:
        return None
    key = infos.chip_authentication_keys[0]
    for info in infos.chip_authentication:
        if key.key_id is None or info.key_id in (None, key.key_id):
            return info.protocol, key
    # No ChipAuthenticationInfo: 9303-11 §6.2 implies 3DES with the key's agreement.
    ecdh = key.protocol == oids.ID_PK_ECDH
    return (oids.ID_CA_ECDH_3DES_CBC_CBC if ecdh else oids.ID_CA_DH_3DES_CBC_CBC), key


def _key_reference(key: ChipAuthenticationPublicKeyInfo) -> bytes:
    if key.key_id is None:
        return b""
    return encode_tlv(0x84, key.key_id.to_bytes(max(1, (key.key_id.bit_length() + 7) // 8), "big"))


def chip_authentication(secure: SecureChannel, dg14: SecurityInfos | None) -> Check:
    """Run Chip Authentication; on success ``secure`` continues under the new session keys."""
    picked = _pick(dg14) if dg14 else None
    if picked is None:
        return Check.skipped(CHIP_AUTHENTICATION, "The chip offers no Chip Authentication (no key in DG14).")
    protocol, key = picked
    cipher, bits = _cipher_of(protocol)
    try:
        ephemeral = generate_ephemeral_key(key.public_key_der)
        secret = terminal_shared_secret(key.public_key_der, ephemeral)
    except ChipAuthError as error:
        return Check.failed(CHIP_AUTHENTICATION, f"The chip's Chip Authentication key is unusable: {error}.")
    try:
        if cipher is CipherKind.DES3:
            data = encode_tlv(0x91, ephemeral.public) + _key_reference(key)
            secure.transmit(CommandApdu(0x00, INS_MSE, *MSE_SET_KAT, data)).check()
        else:
            oid = encode_tlv(0x80, oid_content(protocol))
            secure.transmit(CommandApdu(0x00, INS_MSE, *MSE_SET_AT, oid + _key_reference(key))).check()
            dynamic = encode_tlv(0x7C, encode_tlv(0x80, ephemeral.public))
            secure.transmit(CommandApdu(0x00, INS_GENERAL_AUTHENTICATE, 0, 0, dynamic, ne=256)).check()
    except ApduError as error:
        return Check.failed(CHIP_AUTHENTICATION, f"The chip refused Chip Authentication ({error}).")
    secure.restart(SmKeys.derive(secret, cipher, bits))
    try:
        # Only a chip holding the private key can protect this answer under the new keys.
        secure.transmit(CommandApdu(0x00, 0xB0, 0x80 | EF_COM.sfi, 0, ne=1)).check()
    except (SecureMessagingError, ApduError) as error:
        return Check.failed(
            CHIP_AUTHENTICATION,
            f"The chip could not prove it holds the DG14 key: it may be a clone ({error}).",
        )
    return Check.passed(
        CHIP_AUTHENTICATION, f"The chip proved it holds its DG14 key ({_suite_name(protocol)})."
    )


def _cipher_of(protocol: str) -> tuple[CipherKind, int]:
    cipher, bits = oids.CIPHER_SUITES[int(protocol.rsplit(".", 1)[1])]
    return CipherKind(cipher), bits


def _suite_name(protocol: str) -> str:
    cipher, bits = _cipher_of(protocol)
    agreement = "ECDH" if protocol.startswith(oids.ID_CA_ECDH) else "DH"
    return f"CA-{agreement}-{cipher.value}" + (f"-{bits}" if cipher is CipherKind.AES else "")


def active_authentication(
    sender: SecureChannel,
    dg15_spki: bytes | None,
    info: ActiveAuthenticationInfo | None,
    random_bytes: Callable[[int], bytes] = os.urandom,
) -> Check:
    """Have the chip sign a fresh challenge with its DG15 key, and check the signature."""
    if dg15_spki is None:
        return Check.skipped(
            CHIP_ACTIVE_AUTHENTICATION, "The chip offers no Active Authentication (no DG15)."
        )
    challenge = random_bytes(AA_CHALLENGE_LENGTH)
    try:
        response = sender.transmit(CommandApdu(0x00, INS_INTERNAL_AUTHENTICATE, 0, 0, challenge, ne=256))
        signature = response.check()
    except ApduError as error:
        return Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"The chip refused to sign the challenge ({error}).")
    return verify_active_authentication(
        dg15_spki, challenge, signature, info.signature_algorithm if info else None
    )
