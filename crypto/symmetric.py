"""Key derivation and the block ciphers of secure messaging (ICAO 9303-11 §9.7, §9.8)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

KDF_ENC = 1
KDF_MAC = 2
KDF_PI = 3


class CipherKind(StrEnum):
    DES3 = "3DES"
    AES = "AES"


def _adjust_des_parity(key: bytes) -> bytes:
    """Set each byte's lowest bit so the byte has odd parity, as DES keys require."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) % 2) for b in key)


def derive_key(secret: bytes, counter: int, cipher: CipherKind, key_bits: int = 128) -> bytes:
    """KDF(K, c) of 9303-11 §9.7.1: SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256."""
    data = secret + counter.to_bytes(4, "big")
    if cipher is CipherKind.DES3:
        return _adjust_des_parity(hashlib.sha1(data).digest()[:16])  # noqa: S324 - mandated by 9303-11
    if key_bits == 128:
        return hashlib.sha1(data).digest()[:16]  # noqa: S324 - mandated by 9303-11
    if key_bits in (192, 256):
        return hashlib.sha256(data).digest()[: key_bits // 8]
    raise ValueError(f"no AES key size of {key_bits} bits")


def pad(data: bytes, block_size: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 80 then zeros to a whole block."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block_size)


def unpad(data: bytes) -> bytes:
    """Remove method-2 padding; ValueError when it is not there."""
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise ValueError("padding is missing or malformed")
    return stripped[:-1]


def _des3(key: bytes) -> TripleDES:
    return TripleDES(key + key[:8] if len(key) == 16 else key)  # two-key 3DES: K1 K2 K1


def des3_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    encryptor = Cipher(_des3(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def des3_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    decryptor = Cipher(_des3(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def aes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def retail_mac(key: bytes, padded_data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES: single-DES CBC, then 3DES on the last block."""
    if len(padded_data) % 8:
        raise ValueError("retail MAC input must be padded to 8 bytes")
    k1, k2 = key[:8], key[8:16]
    # Single DES is 3DES with three equal keys; cryptography offers no plain DES.
    chained = des3_cbc_encrypt(k1 * 3, padded_data)[-8:]
    return des3_cbc_encrypt(k1 * 3, des3_cbc_decrypt(k2 * 3, chained))


def aes_cmac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


@dataclass(frozen=True)
class SmKeys:
    """Session keys of one secure-messaging session (9303-11 §9.8)."""

    cipher: CipherKind
    k_enc: bytes
    k_mac: bytes

    @classmethod
    def derive(cls, secret: bytes, cipher: CipherKind, key_bits: int = 128) -> SmKeys:
        return cls(
            cipher,
            derive_key(secret, KDF_ENC, cipher, key_bits),
            derive_key(secret, KDF_MAC, cipher, key_bits),
        )

    @property
    def block_size(self) -> int:
        return 8 if self.cipher is CipherKind.DES3 else 16

    def ssc_bytes(self, ssc: int) -> bytes:
        return (ssc % (1 << (8 * self.block_size))).to_bytes(self.block_size, "big")

    def mac(self, message: bytes) -> bytes:
        """The 8-byte MAC of ``message`` (padded here): retail MAC, or AES-CMAC truncated."""
        padded = pad(message, self.block_size)
        if self.cipher is CipherKind.DES3:
            return retail_mac(self.k_mac, padded)
        return aes_cmac(self.k_mac, padded)[:8]

    def _iv(self, ssc: int) -> bytes:
        if self.cipher is CipherKind.DES3:
            return bytes(8)
        # AES: IV = E(KSenc, SSC) (9303-11 §9.8.6.1), i.e. one-block CBC with a zero IV.
        return aes_cbc_encrypt(self.k_enc, self.ssc_bytes(ssc))

    def encrypt(self, ssc: int, data: bytes) -> bytes:
        """Pad and encrypt command or response data under the current SSC."""
        padded = pad(data, self.block_size)
        if self.cipher is CipherKind.DES3:
            return des3_cbc_encrypt(self.k_enc, padded)
        return aes_cbc_encrypt(self.k_enc, padded, self._iv(ssc))

    def decrypt(self, ssc: int, data: bytes) -> bytes:
        """Decrypt and unpad; ValueError on bad length or padding."""
        if not data or len(data) % self.block_size:
            raise ValueError("encrypted data is not a whole number of blocks")
        if self.cipher is CipherKind.DES3:
            return unpad(des3_cbc_decrypt(self.k_enc, data))
        return unpad(aes_cbc_decrypt(self.k_enc, data, self._iv(ssc)))
