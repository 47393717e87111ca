"""The built-in demo: the virtual chip's fictitious personas and their TEST trust anchors."""

from __future__ import annotations

from functools import cache

from cccd_station.crypto.truststore import TrustAnchors, anchors_from_files
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.keys import AccessKey, CanKey, IdNumberKey

# The Vietnamese TEST CSCAs first (an administrator's imports: the second with explicit brainpoolP512r1
# parameters, as Vietnam's real CSCA), then the master list the first signs (which adds Utopia's TEST
# CSCA) and the Vietnamese TEST CRL.
DEMO_TRUST_FILES = (
    "csca-test-vnm.pem",
    "csca-test-vnm-explicit.pem",
    "masterlist-test.ml",
    "crl-test-vnm.crl",
)


def demo_trust_files() -> list[tuple[str, bytes]]:
    return [(name, (TESTPKI_DIR / name).read_bytes()) for name in DEMO_TRUST_FILES]


@cache
def demo_anchors() -> TrustAnchors:
    """The TEST anchors in memory (for the benchmark and tests; the demo station stores them)."""
    return anchors_from_files(demo_trust_files()).anchors


def demo_key(persona_name: str) -> AccessKey:
    """The least a clerk types for this persona: the ID number of a CCCD, the CAN of a passport."""
    persona = load_persona(persona_name)
    if persona.kind == "cccd" and persona.id_number:
        return IdNumberKey(persona.id_number)
    return CanKey(persona.can)


def demo_personas() -> list[tuple[str, str, str]]:
    """(persona key, display name, the key a clerk would type: ID number or CAN) for the demo chooser."""
    result = []
    for name in persona_names():
        persona = load_persona(name)
        result.append((name, persona.display_name, persona.id_number or persona.can))
    return result
