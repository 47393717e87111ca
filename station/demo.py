"""The built-in demo: the virtual chip's personas and its TEST trust anchors."""

from __future__ import annotations

from pathlib import Path

from cccd_station.crypto.truststore import TrustStore
from cccd_station.reader.access import AccessKey, CanKey, IdNumberKey
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR

# The master list carries the TEST CSCAs of Vietnam and of the passport persona's country.
DEMO_TRUST_FILES = ("masterlist-test.ml", "crl-test-vnm.crl")


def demo_trust_store(directory: Path) -> TrustStore:
    """A trust store in ``directory`` holding the TEST CSCAs and CRL (for the demo, tests and bench)."""
    store = TrustStore(directory)
    if not store.entries():
        for name in DEMO_TRUST_FILES:
            store.import_path(TESTPKI_DIR / name)
    return store


def demo_key(persona_name: str) -> AccessKey:
    """The least a clerk types for this persona: the ID number of a CCCD, the CAN of a passport."""
    persona = load_persona(persona_name)
    if persona.kind == "cccd" and persona.id_number:
        return IdNumberKey(persona.id_number)
    return CanKey(persona.can)
