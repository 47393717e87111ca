"""Basic Access Control, terminal side (ICAO 9303-11 §4.3): GET CHALLENGE, EXTERNAL AUTHENTICATE."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from cccd_station.crypto.bac import (
    AUTHENTICATION_DATA_LENGTH,
    CHALLENGE_LENGTH,
    KEY_MATERIAL_LENGTH,
    BacError,
    bac_keys,
    terminal_authentication_data,
    terminal_finish,
)
from cccd_station.reader.apdu import SW, CommandApdu
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import AccessDeniedError, ApduError, ChipDataError
from cccd_station.reader.sm import SecureChannel

INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82
# What chips answer when the cryptogram was made with other MRZ data (9303-11 §4.3.3.1).
WRONG_KEY_STATUS = (SW.VERIFICATION_FAILED, SW.SECURITY_STATUS_NOT_SATISFIED)
WRONG_MRZ_MESSAGE = "the MRZ data does not open this chip"


def bac(
    channel: ApduSender, mrz_information: str, rng: Callable[[int], bytes] = secrets.token_bytes
) -> SecureChannel:
    """Run BAC with ``MRZ_information`` and return the secure-messaging session over ``channel``.

    AccessDeniedError when the chip refuses the key; ChipDataError when its answers break the protocol.
    """
    keys = bac_keys(mrz_information)
    challenge = channel.transmit(CommandApdu(0x00, INS_GET_CHALLENGE, 0x00, 0x00, ne=CHALLENGE_LENGTH))
    rnd_ic = challenge.check()
    if len(rnd_ic) != CHALLENGE_LENGTH:
        raise ChipDataError(f"GET CHALLENGE gave {len(rnd_ic)} bytes instead of {CHALLENGE_LENGTH}")
    rnd_ifd, k_ifd = rng(CHALLENGE_LENGTH), rng(KEY_MATERIAL_LENGTH)
    command = CommandApdu(
        0x00,
        INS_EXTERNAL_AUTHENTICATE,
        0x00,
        0x00,
        terminal_authentication_data(keys, rnd_ic, rnd_ifd, k_ifd),
        ne=AUTHENTICATION_DATA_LENGTH,
    )
    response = channel.transmit(command)
    if response.sw in WRONG_KEY_STATUS:
        raise AccessDeniedError(WRONG_MRZ_MESSAGE)
    try:
        session = terminal_finish(keys, rnd_ic, rnd_ifd, k_ifd, response.check())
    except ApduError as error:
        raise ChipDataError(f"EXTERNAL AUTHENTICATE failed: {error}") from error
    except BacError as error:
        raise ChipDataError(f"the chip's BAC answer is not valid: {error}") from error
    return SecureChannel(channel, session.keys, session.ssc)
