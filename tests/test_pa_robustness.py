"""Damaged EF.SOD bytes never crash passive authentication and never verify."""

from __future__ import annotations

import contextlib
import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_station.crypto.active import verify_active_authentication
from cccd_station.crypto.chipauth import ChipAuthError, StaticPublicKey
from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import Sod
from cccd_station.crypto.truststore import anchors_from_files
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, Check, CheckStatus, Verdict, verdict_of
from cccd_station.reader.chip.pki import TESTPKI_DIR, sign_sod

DATA_GROUPS = {1: b"\x61\x03abc", 2: b"\x75\x03def", 14: b"\x6e\x01x"}
SOD = sign_sod({number: hashlib.sha256(content).digest() for number, content in DATA_GROUPS.items()})
ORIGINAL = Sod.parse(SOD)
CHIP_PROVEN = Check.passed(CHIP_ACTIVE_AUTHENTICATION, "test")
TRUST = anchors_from_files(
    [(name, (TESTPKI_DIR / name).read_bytes()) for name in ("csca-test-vnm.pem", "crl-test-vnm.crl")]
).anchors


def test_undamaged_sod_verifies() -> None:
    assert verdict_of([*passive_authentication(SOD, DATA_GROUPS, TRUST), CHIP_PROVEN]) is Verdict.VERIFIED


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(SOD) - 1), st.integers(min_value=1, max_value=255))
def test_a_changed_byte_never_crashes_and_verifies_only_if_the_signed_data_is_intact(
    position: int, flip: int
) -> None:
    damaged = bytearray(SOD)
    damaged[position] ^= flip
    checks = passive_authentication(bytes(damaged), DATA_GROUPS, TRUST)
    assert len(checks) == 4
    if verdict_of([*checks, CHIP_PROVEN]) is Verdict.VERIFIED:
        # Only bytes outside the signature's scope (e.g. SignedData's digestAlgorithms) can change unnoticed.
        assert checks.sod is not None
        assert checks.sod.cms.content == ORIGINAL.cms.content
        assert checks.sod.cms.signed_attributes == ORIGINAL.cms.signed_attributes
        assert checks.sod.cms.signature == ORIGINAL.cms.signature


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_failed_signature_check(data: bytes) -> None:
    checks = passive_authentication(b"\x77" + bytes([len(data) % 128]) + data, DATA_GROUPS, TRUST)
    assert verdict_of([*checks, CHIP_PROVEN]) is Verdict.FAILED


def _spkis() -> list[bytes]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from cccd_station.reader.chip.pki import derive_test_ec_key, test_pki

    rsa_key = test_pki().rsa_aa_key
    assert rsa_key is not None
    der, spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ec_key = derive_test_ec_key("robust", ec.BrainpoolP256R1()).public_key()
    return [ec_key.public_bytes(der, spki), rsa_key.public_key().public_bytes(der, spki)]


SPKIS = _spkis()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SPKIS),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=1, max_value=255),
    st.binary(max_size=140),
)
def test_damaged_keys_and_signatures_never_crash_the_chip_checks(
    spki: bytes, position: int, flip: int, signature: bytes
) -> None:
    damaged = bytearray(spki)
    damaged[position % len(damaged)] ^= flip
    check = verify_active_authentication(bytes(damaged), bytes(8), signature, "0.4.0.127.0.7.1.1.4.1.3")
    assert check.status is not CheckStatus.PASS
    with contextlib.suppress(ChipAuthError):
        StaticPublicKey.from_spki(bytes(damaged))
