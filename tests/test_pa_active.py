"""Active Authentication: ISO/IEC 9796-2 RSA and plain ECDSA, against ICAO 9303-11 Appendix F."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sigkit import NULL, EcKey, algorithm, bit_string, domain_parameters, ec_spki, integer, seq

from cccd_station.crypto.active import (
    ActiveAuthError,
    RecoveredMessage,
    message_representative,
    sign_active_authentication_ecdsa,
    sign_active_authentication_rsa,
    verify_active_authentication,
)
from cccd_station.crypto.ecc import named_ec_domain
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, CheckStatus
from cccd_station.reader.chip.pki import derive_test_ec_key, test_pki

VECTORS = json.loads((Path(__file__).resolve().parent / "vectors" / "icao_9303_11_aa_rsa.json").read_text())[
    "values"
]
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
ECDSA_PLAIN_SHA384 = "0.4.0.127.0.7.1.1.4.1.4"
CHALLENGE = bytes.fromhex("F173589974BF40C6")


def spki(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    key = test_pki().rsa_aa_key
    assert key is not None, "resources/testpki holds the passport persona's RSA AA key"
    return key


def test_message_representative_of_appendix_f() -> None:
    f = message_representative(bytes.fromhex(VECTORS["M1"]), bytes.fromhex(VECTORS["M2"]), "SHA-1")
    assert f.hex().upper() == VECTORS["F"]
    assert len(f) * 8 == VECTORS["k_bits"]


def test_recovery_steps_of_appendix_f() -> None:
    recovered = RecoveredMessage.from_representative(bytes.fromhex(VECTORS["F_recovered"]))
    assert recovered.m1.hex().upper() == VECTORS["M1_recovered"]
    assert recovered.digest.hex().upper() == VECTORS["D"]
    assert recovered.partial and recovered.hash_name == "sha1"
    assert recovered.matches(bytes.fromhex(VECTORS["M2"]))
    assert not recovered.matches(bytes.fromhex(VECTORS["M2"])[::-1])


def test_appendix_f_signature_does_not_verify_under_an_unrelated_key(rsa_key: rsa.RSAPrivateKey) -> None:
    # The example's key pair is not published; with any other key its S must be rejected.
    check = verify_active_authentication(spki(rsa_key), CHALLENGE, bytes.fromhex(VECTORS["S"]), None)
    assert check.status is CheckStatus.FAIL


@pytest.mark.parametrize("hash_name", ["SHA1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"])
def test_rsa_sign_and_verify_round_trip(hash_name: str) -> None:
    key = test_pki().rsa_aa_key if hash_name != "SHA-512" else rsa.generate_private_key(65537, 2048)
    assert key is not None
    signature = sign_active_authentication_rsa(key, CHALLENGE, hash_name)
    check = verify_active_authentication(spki(key), CHALLENGE, signature, None)
    assert check.id == CHIP_ACTIVE_AUTHENTICATION
    assert check.status is CheckStatus.PASS, check.detail
    assert hash_name.replace("-", "").replace("SHA", "SHA-") in check.detail


def test_rsa_signature_opens_to_the_expected_representative(rsa_key: rsa.RSAPrivateKey) -> None:
    nonce = bytes(range(106))
    signature = sign_active_authentication_rsa(rsa_key, CHALLENGE, nonce=nonce)
    numbers = rsa_key.public_key().public_numbers()
    opened = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(128, "big")
    assert opened == message_representative(nonce, CHALLENGE)
    assert opened[0] == 0x6A and opened[-1] == 0xBC


def test_rsa_signature_from_another_key_is_rejected(rsa_key: rsa.RSAPrivateKey) -> None:
    clone_key = rsa.generate_private_key(65537, 1024)
    signature = sign_active_authentication_rsa(clone_key, CHALLENGE)
    check = verify_active_authentication(spki(rsa_key), CHALLENGE, signature, None)
    assert check.status is CheckStatus.FAIL and "copy" in check.detail


def test_rsa_replayed_signature_for_another_challenge_is_rejected(rsa_key: rsa.RSAPrivateKey) -> None:
    signature = sign_active_authentication_rsa(rsa_key, CHALLENGE)
    check = verify_active_authentication(spki(rsa_key), bytes(8), signature, None)
    assert check.status is CheckStatus.FAIL


@pytest.mark.parametrize("signature", [b"", b"\x00" * 128, b"\xff" * 128, b"\x01" * 300])
def test_rsa_garbage_signature_fails_cleanly(rsa_key: rsa.RSAPrivateKey, signature: bytes) -> None:
    assert verify_active_authentication(spki(rsa_key), CHALLENGE, signature, None).status is CheckStatus.FAIL


def test_malformed_representative_is_a_specific_error() -> None:
    with pytest.raises(ActiveAuthError):
        RecoveredMessage.from_representative(b"\x6a" + b"\x00" * 20 + b"\x00")
    with pytest.raises(ActiveAuthError):
        RecoveredMessage.from_representative(b"\x00" * 40 + b"\xbc")


@pytest.mark.parametrize(
    ("curve", "hash_name", "oid"),
    [
        (ec.BrainpoolP256R1(), "SHA-256", ECDSA_PLAIN_SHA256),
        (ec.SECP256R1(), "SHA-256", "1.2.840.10045.4.3.2"),
        (ec.BrainpoolP384R1(), "SHA-384", ECDSA_PLAIN_SHA384),
    ],
)
def test_ecdsa_sign_and_verify_round_trip(curve: ec.EllipticCurve, hash_name: str, oid: str) -> None:
    key = derive_test_ec_key("aa-round-trip", curve)
    signature = sign_active_authentication_ecdsa(key, CHALLENGE, hash_name)
    assert len(signature) == 2 * ((curve.key_size + 7) // 8)
    check = verify_active_authentication(spki(key), CHALLENGE, signature, oid)
    assert check.status is CheckStatus.PASS, check.detail


def test_ecdsa_signature_from_a_cloned_chip_is_rejected() -> None:
    key = derive_test_ec_key("aa-genuine", ec.BrainpoolP256R1())
    clone = derive_test_ec_key("aa-clone", ec.BrainpoolP256R1())
    signature = sign_active_authentication_ecdsa(clone, CHALLENGE, "SHA-256")
    check = verify_active_authentication(spki(key), CHALLENGE, signature, ECDSA_PLAIN_SHA256)
    assert check.status is CheckStatus.FAIL


def test_ecdsa_with_the_wrong_hash_is_rejected() -> None:
    key = derive_test_ec_key("aa-genuine", ec.BrainpoolP256R1())
    signature = sign_active_authentication_ecdsa(key, CHALLENGE, "SHA-256")
    assert (
        verify_active_authentication(spki(key), CHALLENGE, signature, ECDSA_PLAIN_SHA384).status
        is CheckStatus.FAIL
    )


def test_ecdsa_without_a_hash_from_dg14_is_skipped_not_passed() -> None:
    key = derive_test_ec_key("aa-genuine", ec.BrainpoolP256R1())
    signature = sign_active_authentication_ecdsa(key, CHALLENGE, "SHA-256")
    check = verify_active_authentication(spki(key), CHALLENGE, signature, None)
    assert check.status is CheckStatus.SKIPPED and "DG14" in check.detail


def test_malformed_dg15_key_fails() -> None:
    assert (
        verify_active_authentication(b"\x30\x03\x02\x01\x00", CHALLENGE, b"\x00", None).status
        is CheckStatus.FAIL
    )


def _chip_rsa_signature(key: rsa.RSAPrivateKey, challenge: bytes, hash_name: str = "sha1") -> bytes:
    """What a chip computes (ISO/IEC 9796-2 scheme 1, written out here independently of active.py):
    F = 6A || M1 || H(M1 || challenge) || trailer, filling ⌊k/8⌋ bytes so that F < n."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    digest_size = hashlib.new(hash_name).digest_size
    trailer = b"\xbc" if hash_name == "sha1" else bytes([{"sha256": 0x34, "sha512": 0x35}[hash_name], 0xCC])
    m1 = os.urandom(n.bit_length() // 8 - 1 - digest_size - len(trailer))
    f = b"\x6a" + m1 + hashlib.new(hash_name, m1 + challenge).digest() + trailer
    return pow(int.from_bytes(f, "big"), numbers.d, n).to_bytes((n.bit_length() + 7) // 8, "big")


@pytest.mark.parametrize("bits", [1024, 1025, 1031, 1536, 2047, 2048, 3072])
def test_rsa_keys_of_any_bit_length_pass_and_forgeries_fail(bits: int) -> None:
    """Chips with moduli of 1025…1031 bits carry a representative one byte shorter than n."""
    key = rsa.generate_private_key(65537, bits)
    for signature in (
        _chip_rsa_signature(key, CHALLENGE),
        _chip_rsa_signature(key, CHALLENGE, "sha256"),
        sign_active_authentication_rsa(key, CHALLENGE, "SHA-512" if bits >= 1031 else "SHA-256"),
    ):
        check = verify_active_authentication(spki(key), CHALLENGE, signature, None)
        assert check.status is CheckStatus.PASS, (bits, check.detail)
        assert f"RSA-{bits}" in check.detail
        n = key.public_key().public_numbers().n
        # n - S is the same signature (ISO/IEC 9796-2 lets the signer send either).
        other_half = (n - int.from_bytes(signature, "big")).to_bytes(len(signature), "big")
        assert verify_active_authentication(spki(key), CHALLENGE, other_half, None).status is CheckStatus.PASS
        assert (
            verify_active_authentication(spki(key), CHALLENGE[::-1], signature, None).status
            is CheckStatus.FAIL
        )
        forged = bytearray(signature)
        forged[len(forged) // 2] ^= 0x01
        assert (
            verify_active_authentication(spki(key), CHALLENGE, bytes(forged), None).status is CheckStatus.FAIL
        )


def test_the_representative_fills_exactly_its_bytes() -> None:
    # For a 1025-bit key F has 128 bytes below a zero top byte of the 129-byte signature block; one
    # byte shorter is not the ISO/IEC 9796-2 layout, whatever it hashes.
    key = rsa.generate_private_key(65537, 1025)
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    for m1_length, expected in ((128 - 1 - 20 - 1, CheckStatus.PASS), (127 - 1 - 20 - 1, CheckStatus.FAIL)):
        m1 = os.urandom(m1_length)
        f = b"\x6a" + m1 + hashlib.sha1(m1 + CHALLENGE).digest() + b"\xbc"
        signature = pow(int.from_bytes(f, "big"), numbers.d, n).to_bytes(129, "big")
        assert verify_active_authentication(spki(key), CHALLENGE, signature, None).status is expected


@pytest.mark.parametrize(
    ("curve", "oid"),
    [
        ("brainpoolp256r1", ECDSA_PLAIN_SHA256),  # explicit parameters of a curve cryptography has
        ("secp256r1", "1.2.840.10045.4.3.2"),
        ("brainpoolp320r1", ECDSA_PLAIN_SHA256),  # one it lacks: plain integer arithmetic
        ("brainpoolp384t1", ECDSA_PLAIN_SHA384),
    ],
)
def test_ecdsa_with_explicit_curve_parameters_in_dg15(curve: str, oid: str) -> None:
    key = EcKey.generate(named_ec_domain(curve))
    hash_name = "sha256" if oid.endswith(("4.1.3", "4.3.2")) else "sha384"
    size = (key.domain.n.bit_length() + 7) // 8
    r, s = key.sign_digest(hashlib.new(hash_name, CHALLENGE).digest())
    signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    dg15_key = ec_spki(key)
    check = verify_active_authentication(dg15_key, CHALLENGE, signature, oid)
    assert check.status is CheckStatus.PASS, check.detail
    clone = EcKey.generate(key.domain)
    r, s = clone.sign_digest(hashlib.new(hash_name, CHALLENGE).digest())
    cloned = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    assert verify_active_authentication(dg15_key, CHALLENGE, cloned, oid).status is CheckStatus.FAIL
    assert verify_active_authentication(dg15_key, bytes(8), signature, oid).status is CheckStatus.FAIL


def test_ecdsa_dg15_key_on_invalid_parameters_fails() -> None:
    key = EcKey.generate(named_ec_domain("brainpoolp256r1"))
    broken = ec_spki(key, domain_parameters(key.domain)).replace(
        key.domain.b.to_bytes(32, "big"), (key.domain.b ^ 1).to_bytes(32, "big")
    )
    check = verify_active_authentication(broken, CHALLENGE, bytes(64), ECDSA_PLAIN_SHA256)
    assert check.status is CheckStatus.FAIL


def _rsa_dg15(modulus: int, exponent: int) -> bytes:
    return seq(algorithm("1.2.840.113549.1.1.1", NULL), bit_string(seq(integer(modulus), integer(exponent))))


def test_absurd_rsa_keys_in_dg15_never_hang() -> None:
    modulus = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
    # A 2000-bit exponent would cost seconds per check: unchecked rather than computed.
    check = verify_active_authentication(_rsa_dg15(modulus, (1 << 2000) + 1), CHALLENGE, b"\x01" * 256, None)
    assert check.status is CheckStatus.SKIPPED and "exponent" in check.detail
    huge = (1 << 16000) + 1
    check = verify_active_authentication(_rsa_dg15(huge, 65537), CHALLENGE, b"\x01" * 2000, None)
    assert check.status is CheckStatus.FAIL
