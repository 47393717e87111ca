"""Basic Access Control: key seed and mutual authentication (ICAO 9303-11 §4.3, Appendix D).

Pure computations for both ends. The terminal builds ``E.IFD || M.IFD`` from the chip's challenge
and its own randomness and checks the chip's answer; the chip checks the terminal's cryptogram and
answers. Both arrive at the same session keys and send sequence counter.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cccd_station.crypto.symmetric import (
    CipherKind,
    SmKeys,
    des3_cbc_decrypt,
    des3_cbc_encrypt,
    pad,
    retail_mac,
)

CHALLENGE_LENGTH = 8  # RND.IC and RND.IFD
KEY_MATERIAL_LENGTH = 16  # K.IFD and K.IC
CRYPTOGRAM_LENGTH = 32  # E.IFD and E.IC: two nonces and 16 bytes of key material
MAC_LENGTH = 8
AUTHENTICATION_DATA_LENGTH = CRYPTOGRAM_LENGTH + MAC_LENGTH


class BacError(Exception):
    """The other side's cryptogram fails its MAC or does not echo our challenge."""


def bac_key_seed(mrz_information: str) -> bytes:
    """K_seed: the first 16 bytes of SHA-1 over MRZ_information (9303-11 §9.7.2, D.2)."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]  # noqa: S324 - mandated by 9303-11


def bac_keys(mrz_information: str) -> SmKeys:
    """K_Enc and K_MAC (two-key 3DES) of the document's MRZ data (9303-11 §4.3.2)."""
    return SmKeys.derive(bac_key_seed(mrz_information), CipherKind.DES3)


@dataclass(frozen=True)
class BacSession:
    """What mutual authentication yields: 3DES session keys and the initial counter (9303-11 §9.8.2)."""

    keys: SmKeys
    ssc: int

    @classmethod
    def derive(cls, k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> BacSession:
        """KS_Enc/KS_MAC from K.IFD xor K.IC; SSC from the low halves of both nonces (9303-11 §9.8.2)."""
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        ssc = int.from_bytes(rnd_ic[-4:] + rnd_ifd[-4:], "big")
        return cls(SmKeys.derive(seed, CipherKind.DES3), ssc)


def _seal(keys: SmKeys, plaintext: bytes) -> bytes:
    cryptogram = des3_cbc_encrypt(keys.k_enc, plaintext)
    return cryptogram + retail_mac(keys.k_mac, pad(cryptogram, 8))


def _open(keys: SmKeys, data: bytes) -> bytes:
    if len(data) != AUTHENTICATION_DATA_LENGTH:
        raise BacError(f"authentication data must be {AUTHENTICATION_DATA_LENGTH} bytes, got {len(data)}")
    cryptogram, mac = data[:CRYPTOGRAM_LENGTH], data[CRYPTOGRAM_LENGTH:]
    if not hmac.compare_digest(retail_mac(keys.k_mac, pad(cryptogram, 8)), mac):
        raise BacError("the MAC over the cryptogram does not verify")
    return des3_cbc_decrypt(keys.k_enc, cryptogram)


def _check_lengths(**values: bytes) -> None:
    wanted = {"rnd_ic": CHALLENGE_LENGTH, "rnd_ifd": CHALLENGE_LENGTH}
    for name, value in values.items():
        if len(value) != wanted.get(name, KEY_MATERIAL_LENGTH):
            raise ValueError(f"{name} has the wrong length ({len(value)} bytes)")


def terminal_authentication_data(keys: SmKeys, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes) -> bytes:
    """E.IFD || M.IFD, the EXTERNAL AUTHENTICATE data (9303-11 §4.3.3.1, D.3)."""
    _check_lengths(rnd_ic=rnd_ic, rnd_ifd=rnd_ifd, k_ifd=k_ifd)
    return _seal(keys, rnd_ifd + rnd_ic + k_ifd)


def terminal_finish(keys: SmKeys, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes, response: bytes) -> BacSession:
    """Check the chip's E.IC || M.IC and derive the session (9303-11 §4.3.3.1 steps 6-7)."""
    plaintext = _open(keys, response)
    if plaintext[:CHALLENGE_LENGTH] != rnd_ic or plaintext[CHALLENGE_LENGTH:16] != rnd_ifd:
        raise BacError("the chip's answer does not echo the two challenges")
    return BacSession.derive(k_ifd, plaintext[16:], rnd_ic, rnd_ifd)


def chip_answer(keys: SmKeys, rnd_ic: bytes, command_data: bytes, k_ic: bytes) -> tuple[bytes, BacSession]:
    """The chip's side: check E.IFD || M.IFD against its challenge, answer E.IC || M.IC (9303-11 §4.3.3.1)."""
    _check_lengths(rnd_ic=rnd_ic, k_ic=k_ic)
    plaintext = _open(keys, command_data)
    rnd_ifd, echoed_rnd_ic, k_ifd = plaintext[:8], plaintext[8:16], plaintext[16:]
    if echoed_rnd_ic != rnd_ic:
        raise BacError("the terminal's cryptogram does not echo the chip's challenge")
    return _seal(keys, rnd_ic + rnd_ifd + k_ic), BacSession.derive(k_ifd, k_ic, rnd_ic, rnd_ifd)
