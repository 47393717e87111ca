"""Damaged EF.SOD bytes never crash passive authentication and never verify."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.passive import passive_authentication
from crypto.sod import Sod
from crypto.truststore import TrustStore
from crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, Check, Verdict, verdict_of
from reader.chip.pki import TESTPKI_DIR, sign_sod

DATA_GROUPS = {1: b"\x61\x03abc", 2: b"\x75\x03def", 14: b"\x6e\x01x"}
SOD = sign_sod({number: hashlib.sha256(content).digest() for number, content in DATA_GROUPS.items()})
ORIGINAL = Sod.parse(SOD)
CHIP_PROVEN = Check.passed(CHIP_ACTIVE_AUTHENTICATION, "test")
_DIRECTORY = tempfile.TemporaryDirectory(prefix="pa-robustness-")
TRUST = TrustStore(Path(_DIRECTORY.name))
TRUST.import_path(TESTPKI_DIR / "csca-test-vnm.pem")
TRUST.import_path(TESTPKI_DIR / "crl-test-vnm.crl")


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
