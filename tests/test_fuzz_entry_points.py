"""Hostile input through the station's verification entry points, not only its parsers: mutated EF.SODs
(genuine TEST and real ones, BER, RSA-PSS, explicit curves) through passive authentication, and mutated
master lists, certificates and CRLs through the trust rule, as an import or a row from central would bring
them. Nothing may escape as an exception: each ends in a check's status or a decision with its reason.

STATION_FUZZ_EXAMPLES sets the number of examples per test (CI default 150).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_sig_fuzz import FUZZ, mutate, mutations

from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.truststore import EntryKind, Origin, TrustInput, evaluate
from cccd_station.crypto.verdict import CheckStatus, Verdict, verdict_of
from cccd_station.reader.chip.pki import TESTPKI_DIR, sign_sod
from cccd_station.station.demo import demo_anchors

REAL = Path(__file__).resolve().parent / "data" / "real" / "sod"
GROUPS = {1: b"\x61\x03dg1", 2: b"\x75\x04face"}
SODS = [
    sign_sod({number: hashlib.sha256(data).digest() for number, data in GROUPS.items()}),
    *(path.read_bytes() for path in sorted(REAL.glob("sod-*.der"))),
]
TRUST_FILES = [
    (EntryKind.CSCA, "csca-test-vnm.pem"),
    (EntryKind.MASTER_LIST, "masterlist-test.ml"),
    (EntryKind.CRL, "crl-test-vnm.crl"),
    (EntryKind.CSCA, "csca-test-vnm-link.pem"),
]


def _der(name: str) -> bytes:
    from cccd_station.crypto.truststore import read_trust_file

    [(_kind, der)] = read_trust_file((TESTPKI_DIR / name).read_bytes(), name)
    return der


TRUST_DER = [(kind, _der(name)) for kind, name in TRUST_FILES]


@FUZZ
@given(st.integers(0, len(SODS) - 1), mutations)
def test_a_hostile_sod_ends_in_check_statuses(index: int, changes: list[tuple[str, int, bytes]]) -> None:
    result = passive_authentication(mutate(SODS[index], changes), GROUPS, demo_anchors(), issuing_state="VNM")
    assert [check.id for check in result] == ["sod.signature", "dsc.chain", "dsc.revocation", "dg.hashes"]
    assert all(isinstance(check.status, CheckStatus) and check.detail for check in result)
    assert verdict_of(result) in (Verdict.FAILED, Verdict.PARTIAL)  # no chip proof here: never verified


@FUZZ
@given(
    st.integers(0, len(TRUST_DER) - 1),
    mutations.filter(bool),
    st.sampled_from(Origin),
)
def test_a_hostile_trust_entry_ends_in_a_decision_and_never_widens_trust(
    index: int, changes: list[tuple[str, int, bytes]], origin: Origin
) -> None:
    kind, original = TRUST_DER[index]
    damaged = mutate(original, changes)
    genuine = [TrustInput(EntryKind.CSCA, TRUST_DER[0][1], Origin.ADMINISTRATOR, "csca")]
    state = evaluate([*genuine, TrustInput(kind, damaged, origin, "fuzzed")])
    decision = state.decision(TrustInput(kind, damaged, origin, "fuzzed").fingerprint)
    assert decision is not None and (decision.accepted or decision.reason)
    baseline = evaluate([*genuine, TrustInput(kind, original, Origin.ADMINISTRATOR, "original")])
    trusted = {csca.dump() for csca in state.anchors.cscas}
    # A damaged copy brings nothing the genuine file would not (a change outside the signed bytes may
    # leave it acceptable, but it cannot add a key).
    assert trusted <= {csca.dump() for csca in baseline.anchors.cscas} | {damaged}
