"""Active Authentication: ISO/IEC 9796-2 RSA and plain ECDSA, against ICAO 9303-11 Appendix F."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_station.crypto.active import (
    ActiveAuthError,
    RecoveredMessage,
    message_representative,
    sign_active_authentication_ecdsa,
    sign_active_authentication_rsa,
    verify_active_authentication,
)
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
