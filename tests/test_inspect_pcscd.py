"""End to end through the real PC/SC stack: station -> pyscard -> pcscd -> vpcd -> virtual chip.

Every persona reads as verified with its TEST CSCA and as partial without it; a wrong key, a card
pulled mid-read and a short-only chip behave as on a real reader, and the reader stays usable.
"""

from __future__ import annotations

import pytest

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.vpcd import VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.errors import AccessDeniedError, CardRemovedError
from cccd_station.reader.keys import IdNumberKey, MrzKey
from cccd_station.reader.pcsc import PcscTransport, wait_for_card, wait_for_card_removal
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import inspect

WAIT = 10.0


@pytest.fixture(scope="module")
def trust() -> TrustAnchors:
    return demo_anchors()


class CardOnReader:
    """A virtual chip laid on the reader for the duration of a ``with`` block."""

    def __init__(self, port: int, persona: str, *faults: str) -> None:
        self.bridge = VpcdBridge(
            VirtualChip(persona, Faults.parse(list(faults))), port=port, reinsert_delay=None
        )

    def __enter__(self) -> CardOnReader:
        self.bridge.start()
        wait_for_card(VPCD_SECOND_READER, WAIT)
        return self

    def __exit__(self, *exc: object) -> None:
        self.bridge.stop()
        wait_for_card_removal(VPCD_SECOND_READER, WAIT)


def read(key: IdNumberKey | MrzKey | object, trust: TrustAnchors) -> Verdict:
    with PcscTransport(VPCD_SECOND_READER) as transport:
        return inspect(transport, key, trust).verdict  # type: ignore[arg-type]


@pytest.mark.parametrize("persona", persona_names())
def test_every_persona_verified_through_pcscd_and_partial_without_its_csca(
    persona: str, vpcd_second_port: int, trust: TrustAnchors
) -> None:
    with CardOnReader(vpcd_second_port, persona):
        assert read(demo_key(persona), trust) is Verdict.VERIFIED
        assert read(demo_key(persona), TrustAnchors()) is Verdict.PARTIAL


def test_a_can_cuoc_reads_verified_through_pcscd_and_says_so(
    vpcd_second_port: int, trust: TrustAnchors
) -> None:
    persona = "vo-thi-thanh-huong"  # issued 15/08/2024, under the Law on Identification 2023
    with CardOnReader(vpcd_second_port, persona), PcscTransport(VPCD_SECOND_READER) as transport:
        result = inspect(transport, demo_key(persona), trust)
    assert result.verdict is Verdict.VERIFIED
    holder = result.to_json()["holder"]
    assert holder["card_generation"] == "can_cuoc_2024"
    assert holder["extra_fields"] == [{"number": 16, "text": "5C3E9A0B17D2486F"}]


def test_bac_and_short_only_chip_through_pcscd(vpcd_second_port: int, trust: TrustAnchors) -> None:
    persona = "nguyen-van-an"
    mrz = load_persona(persona).mrz
    key = MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)
    with (
        CardOnReader(vpcd_second_port, persona, "bac-only", "no-extended-length"),
        PcscTransport(VPCD_SECOND_READER) as transport,
    ):
        result = inspect(transport, key, trust)
    assert result.access.protocol == "BAC" and result.verdict is Verdict.VERIFIED
    assert result.stats.apdus > 40  # the portrait alone takes dozens of short reads


def test_wrong_key_then_right_key_on_the_same_card(vpcd_second_port: int, trust: TrustAnchors) -> None:
    persona = "nguyen-van-an"
    with CardOnReader(vpcd_second_port, persona):
        with pytest.raises(AccessDeniedError):
            read(IdNumberKey("000000000000"), trust)
        assert read(demo_key(persona), trust) is Verdict.VERIFIED


def test_card_pulled_mid_read_then_the_next_card_reads(vpcd_second_port: int, trust: TrustAnchors) -> None:
    with CardOnReader(vpcd_second_port, "nguyen-van-an", "remove-after=14"), pytest.raises(CardRemovedError):
        read(demo_key("nguyen-van-an"), trust)
    with CardOnReader(vpcd_second_port, "pham-thi-dao"):
        assert read(demo_key("pham-thi-dao"), trust) is Verdict.VERIFIED
