"""The virtual chip behind the real pcscd (vpcd's second reader), read with the station's own code."""

from __future__ import annotations

import pytest

from cccd_station.reader.access import CanKey, IdNumberKey, MrzKey, open_document, select_application
from cccd_station.reader.apdu import SW
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.vpcd import VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.errors import CardRemovedError, SecureMessagingError
from cccd_station.reader.files import FileReader, LinkLimits, atr_extended_length
from cccd_station.reader.lds.files import EF_COM, EF_SOD, data_group
from cccd_station.reader.pcsc import PcscTransport, wait_for_card, wait_for_card_removal
from cccd_station.reader.sm import SecureChannel

pytestmark = pytest.mark.pcscd

READER = VPCD_SECOND_READER
WAIT = 5.0


def _insert(chip: VirtualChip, port: int) -> VpcdBridge:
    bridge = VpcdBridge(chip, port=port, reinsert_delay=None)
    bridge.start()
    assert wait_for_card(READER, WAIT) == chip.atr
    return bridge


def _remove(bridge: VpcdBridge) -> None:
    bridge.stop()
    wait_for_card_removal(READER, WAIT)


def _read_all(secure: SecureChannel, limits: LinkLimits, chip: VirtualChip) -> None:
    reader = FileReader(secure, limits)
    files = chip.personalisation
    assert reader.read(EF_COM.fid, EF_COM.sfi) == files.com
    for number in range(1, 17):
        group = data_group(number)
        if group.fid in files.files.application:
            assert reader.read(group.fid, group.sfi) == files.data_group(number), f"DG{number}"
    assert reader.read(EF_SOD.fid, EF_SOD.sfi) == files.sod


@pytest.mark.parametrize("name", persona_names())
def test_every_persona_opens_with_pace_and_bac_through_pcscd(vpcd_second_port: int, name: str) -> None:
    persona = load_persona(name)
    chip = VirtualChip(name)
    bridge = _insert(chip, vpcd_second_port)
    try:
        with PcscTransport(READER) as transport:
            channel = CardChannel(transport)
            limits = LinkLimits(extended=atr_extended_length(transport.atr) is True)
            assert limits.extended
            key = IdNumberKey(persona.id_number) if persona.id_number else CanKey(persona.can)
            opened = open_document(channel, key)
            assert opened.protocol.startswith("PACE")
            _read_all(opened.channel, limits, chip)
        with PcscTransport(READER) as transport:  # closing reset the card: a fresh session
            channel = CardChannel(transport)
            select_application(channel)
            mrz = persona.mrz
            secure = bac(channel, MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw).mrz_information)
            _read_all(secure, LinkLimits(), chip)
    finally:
        _remove(bridge)


def test_short_only_chip_is_read_in_short_apdus_through_pcscd(vpcd_second_port: int) -> None:
    chip = VirtualChip("hoang-duc-minh", Faults(no_extended_length=True))
    bridge = _insert(chip, vpcd_second_port)
    try:
        with PcscTransport(READER) as transport:
            stats = LinkStats()
            channel = CardChannel(transport, stats)
            limits = LinkLimits(extended=atr_extended_length(transport.atr) is True)
            assert not limits.extended
            opened = open_document(channel, IdNumberKey("046203117845"))
            before = stats.apdus
            FileReader(opened.channel, limits).read(0x0102, 2)
            assert stats.apdus - before >= len(chip.personalisation.data_group(2)) // 256
    finally:
        _remove(bridge)


def test_wrong_mac_and_removal_faults_through_pcscd(vpcd_second_port: int) -> None:
    chip = VirtualChip("nguyen-van-an", Faults(wrong_mac=2))
    bridge = _insert(chip, vpcd_second_port)
    try:
        with PcscTransport(READER) as transport:
            opened = open_document(CardChannel(transport), IdNumberKey("001085014763"))
            with pytest.raises(SecureMessagingError):
                FileReader(opened.channel).read(EF_COM.fid, EF_COM.sfi)
    finally:
        _remove(bridge)

    chip = VirtualChip("nguyen-van-an", Faults(remove_after=3))
    bridge = _insert(chip, vpcd_second_port)
    try:
        with PcscTransport(READER) as transport:
            assert transport.transmit(bytes.fromhex("00A4000C023F00"))[1] == SW.OK
            with pytest.raises(CardRemovedError):
                for _ in range(3):
                    transport.transmit(bytes.fromhex("00A4000C023F00"))
        assert chip.removed
    finally:
        _remove(bridge)


def test_link_attacks_through_pcscd_end_the_session_or_name_the_downgrade(vpcd_second_port: int) -> None:
    name = "nguyen-van-an"
    mrz = load_persona(name).mrz
    mrz_key = MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw)
    for fault, group in (("plain-error-dg=2", 2), ("do87-after-mac", 1)):
        chip = VirtualChip(name, Faults.parse(fault))
        bridge = _insert(chip, vpcd_second_port)
        try:
            with PcscTransport(READER) as transport:
                channel = CardChannel(transport)
                limits = LinkLimits(extended=atr_extended_length(transport.atr) is True)
                opened = open_document(channel, IdNumberKey("001085014763"))
                with pytest.raises(SecureMessagingError):
                    FileReader(opened.channel, limits).read(data_group(group).fid, group)
        finally:
            _remove(bridge)
    for fault, downgraded_from in (("pace-refused", "PACE-ECDH-GM-AES-128"), ("garbled-card-access", "PACE")):
        chip = VirtualChip(name, Faults.parse(fault))
        bridge = _insert(chip, vpcd_second_port)
        try:
            with PcscTransport(READER) as transport:
                opened = open_document(CardChannel(transport), mrz_key)
                assert (opened.protocol, opened.downgraded_from) == ("BAC", downgraded_from)
                _read_all(opened.channel, LinkLimits(), chip)
        finally:
            _remove(bridge)
