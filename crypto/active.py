"""Active Authentication (ICAO 9303-11 §6.1): the chip signs the terminal's challenge with the private key
whose public half is in DG15, proving it is not a copy.

RSA keys use ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery (9303-11 §6.1.2.1):
F = header || M1 || H(M1 || M2) || trailer, with M2 the challenge. ECDSA keys return a plain r||s
signature (BSI TR-03111 §5.2.1) over the challenge with the hash DG14's ActiveAuthenticationInfo names.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from asn1crypto import keys
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from cccd_station.crypto.ecc import CurveError, UnsupportedCurveError, ec_domain_of, verify_ecdsa
from cccd_station.crypto.sod import SignatureError, digest, ecdsa_values, hash_algorithm
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, Check

MAX_RSA_BITS = 8192  # chips hold 1024 to 4096-bit keys
MAX_EXPONENT_BITS = 64
TRAILER_IMPLICIT_SHA1 = 0xBC
TRAILER_EXPLICIT = 0xCC
HEADER_PARTIAL_RECOVERY = 0x6A

# ISO/IEC 10118-3 hash identifiers in the two-byte trailer xx CC.
HASH_BY_TRAILER_ID = {0x33: "sha1", 0x38: "sha224", 0x34: "sha256", 0x36: "sha384", 0x35: "sha512"}
TRAILER_ID_BY_HASH = {name: identifier for identifier, name in HASH_BY_TRAILER_ID.items()}

# Signature algorithms ActiveAuthenticationInfo may name: BSI TR-03111 ecdsa-plain-* and X9.62 ecdsa-with-*.
HASH_BY_SIGNATURE_OID = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


class ActiveAuthError(ValueError):
    """A signature that is not a well-formed ISO/IEC 9796-2 scheme 1 signature, or an unusable key."""


class UnsupportedKeyError(ActiveAuthError):
    """A key on a curve we cannot compute with (not the chip's fault)."""


def _hash_name(name: str) -> str:
    normalised = name.lower().replace("-", "")
    if normalised not in TRAILER_ID_BY_HASH:
        raise ActiveAuthError(f"unsupported hash {name}")
    return normalised


def _digest(name: str, data: bytes) -> bytes:
    return hashlib.new(name, data).digest()


@dataclass(frozen=True)
class RecoveredMessage:
    """The parts of an opened ISO/IEC 9796-2 message representative F (9303-11 §6.1.2.1 steps 12-17)."""

    m1: bytes
    digest: bytes  # D, the hash carried in F
    hash_name: str
    partial: bool

    @classmethod
    def from_representative(cls, representative: bytes) -> RecoveredMessage:
        """Split F = header || [padding] || M1 || D || trailer (ISO/IEC 9796-2 §8, scheme 1)."""
        if len(representative) < 4:
            raise ActiveAuthError("the message representative is too short")
        if representative[-1] == TRAILER_IMPLICIT_SHA1:
            hash_name, trailer_length = "sha1", 1
        elif representative[-1] == TRAILER_EXPLICIT:
            identifier = representative[-2]
            if identifier not in HASH_BY_TRAILER_ID:
                raise ActiveAuthError(f"unknown hash identifier {identifier:02X} in the trailer")
            hash_name, trailer_length = HASH_BY_TRAILER_ID[identifier], 2
        else:
            raise ActiveAuthError("the message representative has no ISO/IEC 9796-2 trailer")
        header = representative[0]
        if header & 0xC0 != 0x40:
            raise ActiveAuthError("the message representative has no ISO/IEC 9796-2 header")
        start = 1
        if header & 0x0F == 0x0B:  # padding nibbles B…B ending in A before M1
            while start < len(representative) and representative[start] == 0xBB:
                start += 1
            if start >= len(representative) or representative[start] != 0xBA:
                raise ActiveAuthError("the padding of the message representative is malformed")
            start += 1
        elif header & 0x0F != 0x0A:
            raise ActiveAuthError("the message representative has a malformed header")
        digest_length = hashlib.new(hash_name).digest_size
        end = len(representative) - trailer_length - digest_length
        if end < start:
            raise ActiveAuthError("the message representative is too short for its hash")
        return cls(
            m1=representative[start:end],
            digest=representative[end : end + digest_length],
            hash_name=hash_name,
            partial=bool(header & 0x20),
        )

    def matches(self, m2: bytes) -> bool:
        """Whether D is the hash of M* = M1 || M2 (partial recovery) or M1 (total recovery, M1 = M2)."""
        if self.partial:
            return _digest(self.hash_name, self.m1 + m2) == self.digest
        return self.m1 == m2 and _digest(self.hash_name, self.m1) == self.digest


def message_representative(m1: bytes, m2: bytes, hash_name: str = "SHA1") -> bytes:
    """F = 6A || M1 || H(M1 || M2) || trailer, BC for SHA-1 else xx CC (9303-11 §6.1.2.1 step 2-4)."""
    name = _hash_name(hash_name)
    trailer = (
        bytes([TRAILER_IMPLICIT_SHA1])
        if name == "sha1"
        else bytes([TRAILER_ID_BY_HASH[name], TRAILER_EXPLICIT])
    )
    return bytes([HEADER_PARTIAL_RECOVERY]) + m1 + _digest(name, m1 + m2) + trailer


def representative_length(modulus: int) -> int:
    """Bytes of F for a modulus: F starts with the header bits 01 and must stay below n, so a modulus of
    k bits carries ⌊k/8⌋ bytes (ISO/IEC 9796-2 §8.1): one bit shorter than n when k is a multiple of
    8, up to eight bits shorter otherwise (1025…1031-bit keys all carry 128 bytes)."""
    return modulus.bit_length() // 8


def sign_active_authentication_rsa(
    private_key: rsa.RSAPrivateKey, challenge: bytes, hash: str = "SHA1", nonce: bytes | None = None
) -> bytes:
    """The chip's RSA answer to INTERNAL AUTHENTICATE: ISO/IEC 9796-2 scheme 1, partial recovery.

    M1 is a fresh random nonce filling the representative (or `nonce`, for reproducible tests).
    """
    name = _hash_name(hash)
    numbers = private_key.private_numbers()
    modulus = numbers.public_numbers.n
    trailer_length = 1 if name == "sha1" else 2
    m1_length = representative_length(modulus) - 1 - hashlib.new(name).digest_size - trailer_length
    if m1_length < 1:
        raise ActiveAuthError("the RSA key is too short for this hash")
    m1 = nonce if nonce is not None else os.urandom(m1_length)
    if len(m1) != m1_length:
        raise ActiveAuthError(f"M1 must be {m1_length} bytes for this key and hash")
    representative = int.from_bytes(message_representative(m1, challenge, name), "big")
    signature = pow(representative, numbers.d, modulus)
    return signature.to_bytes((modulus.bit_length() + 7) // 8, "big")


def sign_active_authentication_ecdsa(
    private_key: ec.EllipticCurvePrivateKey, challenge: bytes, hash: str = "SHA256"
) -> bytes:
    """The chip's ECDSA answer to INTERNAL AUTHENTICATE: plain r||s, each the size of the group order."""
    name = _hash_name(hash)
    der = private_key.sign(challenge, ec.ECDSA(hash_algorithm(name)))
    r, s = decode_dss_signature(der)
    size = (private_key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _verify_rsa(modulus: int, exponent: int, challenge: bytes, signature: bytes) -> str:
    value = int.from_bytes(signature, "big")
    if not 0 < value < modulus:
        raise ActiveAuthError("the signature is not smaller than the RSA modulus")
    opened = pow(value, exponent, modulus)
    # ISO/IEC 9796-2 lets the signer send n - J instead of J; the trailer nibble C tells which it is.
    if opened & 0x0F != 0x0C:
        opened = modulus - opened
    length = representative_length(modulus)
    if opened.bit_length() > 8 * length:
        raise ActiveAuthError("the opened signature is longer than a message representative")
    recovered = RecoveredMessage.from_representative(opened.to_bytes(length, "big"))
    if not recovered.matches(challenge):
        raise ActiveAuthError("the hash in the signature does not match the challenge")
    return recovered.hash_name


def _rsa_numbers(spki: keys.PublicKeyInfo) -> tuple[int, int]:
    """Modulus and exponent of DG15's RSA key, within the bounds a chip can have."""
    numbers = spki["public_key"].parsed
    modulus, exponent = int(numbers["modulus"].native), int(numbers["public_exponent"].native)
    if modulus.bit_length() > MAX_RSA_BITS or modulus % 2 == 0 or not 3 <= exponent < modulus:
        raise ActiveAuthError("the RSA key's modulus or exponent is invalid")
    if representative_length(modulus) < 1 + 20 + 1 + 1:
        raise ActiveAuthError(f"a {modulus.bit_length()}-bit RSA key is too short for ISO/IEC 9796-2")
    if exponent.bit_length() > MAX_EXPONENT_BITS:
        # Chips use 3 or 65537; an exponent this long would cost seconds per check (unchecked, not false).
        raise UnsupportedKeyError(f"an RSA exponent of {exponent.bit_length()} bits is not supported")
    return modulus, exponent


def _verify_ecdsa(spki: keys.PublicKeyInfo, challenge: bytes, signature: bytes, hash_name: str) -> None:
    try:
        r, s = ecdsa_values(signature)  # plain r||s (TR-03111 §5.2.1); a DER one is read too
    except SignatureError as exc:
        raise ActiveAuthError(str(exc)) from exc
    try:
        domain = ec_domain_of(spki["algorithm"]["parameters"])
        valid = verify_ecdsa(domain, bytes(spki["public_key"].native), r, s, digest(hash_name, challenge))
    except UnsupportedCurveError as exc:
        raise UnsupportedKeyError(str(exc)) from exc
    except CurveError as exc:
        raise ActiveAuthError(f"the EC key of DG15 is invalid: {exc}") from exc
    if not valid:
        raise ActiveAuthError("the ECDSA signature does not verify")


def verify_active_authentication(
    public_key_spki_der: bytes, challenge: bytes, signature: bytes, hash_oid: str | None
) -> Check:
    """Check the chip's INTERNAL AUTHENTICATE answer against DG15's key (9303-11 §6.1).

    `hash_oid` is the signatureAlgorithm of DG14's ActiveAuthenticationInfo (required for ECDSA keys).
    """
    try:
        spki = keys.PublicKeyInfo.load(public_key_spki_der, strict=True)
        _ = spki.native  # parse it all now: the key comes from the card
        algorithm = spki["algorithm"]["algorithm"].native
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        return Check.failed(
            CHIP_ACTIVE_AUTHENTICATION, f"The Active Authentication key in DG15 is malformed: {exc}."
        )
    clone = "the chip does not hold the key of DG15 and may be a copy"
    if algorithm == "rsa":
        try:
            modulus, exponent = _rsa_numbers(spki)
        except UnsupportedKeyError as exc:
            return Check.skipped(CHIP_ACTIVE_AUTHENTICATION, f"Active Authentication was not checked: {exc}.")
        except ActiveAuthError as exc:
            return Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"The RSA key in DG15 is unusable: {exc}.")
        try:
            hash_name = _verify_rsa(modulus, exponent, challenge, signature)
        except ActiveAuthError as exc:
            return Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"Active Authentication failed ({exc}): {clone}.")
        detail = f"RSA-{modulus.bit_length()}, ISO/IEC 9796-2, {hash_name.upper().replace('SHA', 'SHA-')}"
        return Check.passed(
            CHIP_ACTIVE_AUTHENTICATION, f"The chip proved it holds the key of DG15 ({detail})."
        )
    if algorithm == "ec":
        ec_hash = HASH_BY_SIGNATURE_OID.get(hash_oid or "")
        if ec_hash is None:
            reason = (
                "DG14 names no hash for it" if hash_oid is None else f"its algorithm {hash_oid} is unknown"
            )
            return Check.skipped(
                CHIP_ACTIVE_AUTHENTICATION, f"ECDSA Active Authentication was not checked: {reason}."
            )
        try:
            _verify_ecdsa(spki, challenge, signature, ec_hash)
        except UnsupportedKeyError as exc:
            return Check.skipped(CHIP_ACTIVE_AUTHENTICATION, f"Active Authentication was not checked: {exc}.")
        except ActiveAuthError as exc:
            return Check.failed(CHIP_ACTIVE_AUTHENTICATION, f"Active Authentication failed ({exc}): {clone}.")
        detail = f"ECDSA, {ec_hash.upper().replace('SHA', 'SHA-')}"
        return Check.passed(
            CHIP_ACTIVE_AUTHENTICATION, f"The chip proved it holds the key of DG15 ({detail})."
        )
    return Check.skipped(
        CHIP_ACTIVE_AUTHENTICATION, f"Active Authentication with a {algorithm} key is not supported."
    )
