"""Is the chip genuine? Chip Authentication and Active Authentication, terminal side (ICAO 9303-11 §6).

Chip Authentication runs right after DG14 is read: it switches secure messaging to keys agreed with
the chip's static key from DG14, and only the genuine chip can answer under them, so the protected
answers to the READ BINARY commands that follow are the proof (no command is spent on it). A chip that
fails it fails its very next answer. Active Authentication has the chip sign a fresh challenge with the
private key whose public half is in DG15.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from asn1crypto import keys

from cccd_station.crypto.active import verify_active_authentication
from cccd_station.crypto.chipauth import ChipAuthError, generate_ephemeral_key, terminal_shared_secret
from cccd_station.crypto.pace import oid_content
from cccd_station.crypto.symmetric import CipherKind, SmKeys
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, CHIP_AUTHENTICATION, Check
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.errors import ApduError
from cccd_station.reader.lds import oids
from cccd_station.reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfos,
)
from cccd_station.reader.lds.tlv import encode_tlv
from cccd_station.reader.sm import SecureChannel, protected_size

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


def start_chip_authentication(secure: SecureChannel, dg14: SecurityInfos | None) -> Check | str:
    """Agree keys with the chip's DG14 key; the session continues under them.

    Returns the check when Chip Authentication cannot be run or the chip refused it, else the name of the
    suite run: the proof is pending until the next protected answer (:func:`chip_authentication_proved`
    when it verifies, :func:`chip_authentication_disproved` when it does not).
    """
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
    return _suite_name(protocol)


def chip_authentication_proved(suite: str) -> Check:
    return Check.passed(CHIP_AUTHENTICATION, f"The chip proved it holds its DG14 key ({suite}).")


def chip_authentication_disproved(reason: object) -> Check:
    return Check.failed(
        CHIP_AUTHENTICATION, f"The chip could not prove it holds the DG14 key: it may be a clone ({reason})."
    )


def chip_authentication_mapping(proved: bool) -> Check:
    """The check of PACE-CAM (9303-11 §4.4.3.5.2), made once passive authentication trusts DG14."""
    if proved:
        return Check.passed(
            CHIP_AUTHENTICATION,
            "The chip proved it holds its DG14 key inside PACE (chip authentication mapping).",
        )
    return Check.failed(
        CHIP_AUTHENTICATION,
        "The chip's PACE chip authentication data does not match its DG14 key: it may be a clone.",
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
    *,
    extended: bool = False,
) -> Check:
    """Have the chip sign a fresh challenge with its DG15 key, and check the signature. With ``extended``
    an answer too long for a short Le (an RSA signature of 2048 bits and more, under secure messaging) is
    asked for with an extended Le, so it needs no GET RESPONSE; shorter ones keep Le 256, since some chips
    answer an INTERNAL AUTHENTICATE that asks for 65536 bytes with none (reported of Chinese passports)."""
    if dg15_spki is None:
        return Check.skipped(
            CHIP_ACTIVE_AUTHENTICATION, "The chip offers no Active Authentication (no DG15)."
        )
    challenge = random_bytes(AA_CHALLENGE_LENGTH)
    try:
        ne = 65536 if extended and _signature_exceeds_short_answer(dg15_spki) else 256
        response = sender.transmit(CommandApdu(0x00, INS_INTERNAL_AUTHENTICATE, 0, 0, challenge, ne=ne))
        signature = response.check()
    except ApduError as error:
        return Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"The chip refused to sign the challenge ({error}).")
    return verify_active_authentication(
        dg15_spki, challenge, signature, info.signature_algorithm if info else None
    )


def _signature_exceeds_short_answer(spki: bytes) -> bool:
    """Whether the chip's signature, protected, may not fit 256 bytes: only RSA keys of ~1700 bits and more
    (ECDSA signatures stay below 140 bytes)."""
    try:
        info = keys.PublicKeyInfo.load(spki)
        if info.algorithm != "rsa":
            return False
        modulus = int(info["public_key"].parsed["modulus"].native)
    except (ValueError, TypeError, KeyError):
        return True  # unknown: let the chip send what it has
    return protected_size((modulus.bit_length() + 7) // 8, 8, odd_ins=False) > 256
