"""Each fault of the virtual chip: parsed from its command-line spelling, and its observable effect."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import cms
from cryptography import x509

from cccd_station.reader.access import IdNumberKey, MrzKey, open_document, select_application
from cccd_station.reader.apdu import SW, CommandApdu
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import CardChannel, LinkStats
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import FAULT_HELP, FaultError, Faults
from cccd_station.reader.chip.personalise import PersonalisationError, personalise
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import test_pki
from cccd_station.reader.errors import AccessDeniedError, CardRemovedError, SecureMessagingError
from cccd_station.reader.files import FileReader, LinkLimits, atr_extended_length
from cccd_station.reader.lds.files import EF_CARD_ACCESS, data_group
from cccd_station.reader.lds.mrz import parse_dg1
from cccd_station.reader.lds.security_infos import parse_dg14, parse_dg15
from cccd_station.reader.sm import SecureChannel
from cccd_station.reader.transport import InProcessTransport

NAME = "nguyen-van-an"
KEY = IdNumberKey("001085014763")


def _open(chip: VirtualChip, stats: LinkStats | None = None) -> tuple[SecureChannel, InProcessTransport]:
    transport = InProcessTransport(chip)
    return open_document(CardChannel(transport, stats), KEY).channel, transport


def _sod_signer_and_hashes(sod: bytes) -> tuple[x509.Certificate, dict[int, bytes], bool]:
    """The signer certificate, the signed DG hashes and whether the CMS signature verifies."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from cccd_station.crypto.sod import LdsSecurityObject

    content = cms.ContentInfo.load(sod[4:] if sod[1] == 0x82 else sod[2:])
    signed = content["content"]
    certificate = x509.load_der_x509_certificate(signed["certificates"][0].chosen.dump())
    lso = LdsSecurityObject.load(signed["encap_content_info"]["content"].native)
    hashes = {
        item["dataGroupNumber"].native: item["dataGroupHashValue"].native
        for item in lso["dataGroupHashValues"]
    }
    signer_info = signed["signer_infos"][0]
    public_key = certificate.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    try:
        from cryptography.hazmat.primitives import hashes as h

        public_key.verify(
            signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(), ec.ECDSA(h.SHA256())
        )
        verifies = True
    except Exception:
        verifies = False
    return certificate, hashes, verifies


def test_every_fault_spelling_parses_and_round_trips() -> None:
    for spelling in FAULT_HELP:
        text = spelling.replace("=N", "=2")
        if text.startswith("max-response"):
            text = "max-response=300"
        faults = Faults.parse([text])
        assert faults != Faults(), text
        assert Faults.parse(faults.to_strings()) == faults
    combined = Faults.parse(["tampered-dg=13, cloned-aa", "wrong-mac=3"])
    assert (combined.tampered_dg, combined.cloned_aa, combined.wrong_mac) == (13, True, 3)


@pytest.mark.parametrize(
    "bad",
    [
        "no-such-fault",
        "wrong-mac",
        "wrong-mac=x",
        "bac-only=1",
        "tampered-dg=0",
        "tampered-dg=17",
        "max-response=3",
    ],
)
def test_bad_fault_spellings_are_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(FaultError):
        Faults.parse([bad])


def test_contradictory_faults_are_refused() -> None:
    with pytest.raises(FaultError, match="bac-only"):
        Faults.parse(["bac-only", "pace-only"])
    with pytest.raises(FaultError):
        Faults.parse(["revoked-dsc", "expired-dsc"])


def test_tampered_dg_changes_the_group_after_signing_and_keeps_it_readable() -> None:
    good = personalise(NAME)
    for number in (1, 2, 13, 14, 15):
        bad = personalise(NAME, Faults(tampered_dg=number))
        assert bad.data_group(number) != good.data_group(number)
        assert bad.sod == good.sod
        _, hashes, _ = _sod_signer_and_hashes(bad.sod)
        assert hashlib.sha256(bad.data_group(number)).digest() != hashes[number]
        for other in (1, 2, 13, 14, 15):
            if other != number:
                assert hashlib.sha256(bad.data_group(other)).digest() == hashes[other]
    assert parse_dg1(personalise(NAME, Faults(tampered_dg=1)).data_group(1)).document_number
    parse_dg14(personalise(NAME, Faults(tampered_dg=14)).data_group(14))
    parse_dg15(personalise(NAME, Faults(tampered_dg=15)).data_group(15))
    with pytest.raises(PersonalisationError, match="DG11"):
        personalise(NAME, Faults(tampered_dg=11))


def test_signature_and_signer_faults_change_the_sod_as_intended() -> None:
    pki = test_pki()
    certificate, _, verifies = _sod_signer_and_hashes(personalise(NAME).sod)
    assert verifies and certificate == pki.signer("ds").certificate
    _, _, verifies = _sod_signer_and_hashes(personalise(NAME, Faults(bad_sod_signature=True)).sod)
    assert not verifies
    for fault, signer in (
        ("unknown-csca", "ds-unknown"),
        ("revoked-dsc", "ds-revoked"),
        ("expired-dsc", "ds-expired"),
    ):
        certificate, _, _ = _sod_signer_and_hashes(personalise(NAME, Faults.parse(fault)).sod)
        assert certificate == pki.signer(signer).certificate, fault
    passport, _, _ = _sod_signer_and_hashes(personalise("lindqvist-maja").sod)
    assert passport == pki.signer("ds-uto").certificate


def test_cloned_chip_keys_differ_from_the_published_ones_but_the_files_do_not() -> None:
    good = personalise(NAME)
    for name in (NAME, "lindqvist-maja"):
        genuine = personalise(name)
        cloned = personalise(name, Faults(cloned_aa=True, cloned_ca=True))
        assert cloned.files == genuine.files
        assert cloned.aa_key.public_key() != genuine.aa_key.public_key()
        assert cloned.ca_key.public_key() != genuine.ca_key.public_key()
    assert good.ca_key.public_key() == personalise(NAME).ca_key.public_key(), "deterministic per persona"


def test_wrong_mac_breaks_exactly_the_nth_protected_response() -> None:
    chip = VirtualChip(NAME, Faults(wrong_mac=3))
    secure, _ = _open(chip)  # PACE's last step and SELECT: protected response 1
    read = CommandApdu(0x00, 0xB0, 0x9E, 0, ne=4)
    assert secure.transmit(read).sw == SW.OK  # 2
    with pytest.raises(SecureMessagingError):
        secure.transmit(read)  # 3


def test_remove_after_pulls_the_card_on_the_nth_apdu_and_it_stays_out() -> None:
    chip = VirtualChip(NAME, Faults(remove_after=4))
    transport = InProcessTransport(chip)
    for _ in range(3):
        transport.transmit(bytes.fromhex("00A4000C023F00"))
    with pytest.raises(CardRemovedError):
        transport.transmit(bytes.fromhex("00A4000C023F00"))
    assert chip.removed
    with pytest.raises(CardRemovedError):
        transport.transmit(bytes.fromhex("00A4000C023F00"))
    with pytest.raises(CardRemovedError):
        chip.power_on()


class _RecordingTransport(InProcessTransport):
    """Keeps every raw command, to tell short APDUs from extended ones."""

    def __init__(self, chip: VirtualChip) -> None:
        super().__init__(chip)
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(apdu)
        return super().transmit(apdu)


def _is_extended(apdu: bytes) -> bool:
    return len(apdu) > 5 and apdu[4] == 0


def _dg2_read(faults: Faults) -> tuple[int, bool, list[bytes]]:
    """APDUs to read DG2 after PACE, whether the link looked extended, and the raw commands."""
    chip = VirtualChip(NAME, faults)
    stats = LinkStats()
    transport = _RecordingTransport(chip)
    channel = CardChannel(transport, stats)
    limits = LinkLimits(extended=atr_extended_length(transport.atr) is True)
    secure = open_document(channel, KEY).channel
    before, first_command = stats.apdus, len(transport.sent)
    assert FileReader(secure, limits).read(0x0102, 2) == chip.personalisation.data_group(2)
    return stats.apdus - before, limits.extended, transport.sent[first_command:]


def test_no_extended_length_and_max_response_make_more_chunks() -> None:
    extended, announced, extended_commands = _dg2_read(Faults())
    short, short_announced, short_commands = _dg2_read(Faults(no_extended_length=True))
    capped, _, _ = _dg2_read(Faults(max_response=2048))
    size = len(personalise(NAME).data_group(2))
    assert announced and not short_announced
    assert extended == 1 and _is_extended(extended_commands[0])
    assert short >= size // 223 and not any(_is_extended(apdu) for apdu in short_commands)
    assert size // 2048 < capped < short


def test_bac_only_has_no_card_access_and_pace_only_refuses_bac() -> None:
    bac_only = VirtualChip(NAME, Faults(bac_only=True))
    assert EF_CARD_ACCESS.fid not in bac_only.personalisation.files.master_file
    transport = InProcessTransport(bac_only)
    assert transport.transmit(bytes.fromhex("00B09C0000"))[1] == SW.FILE_NOT_FOUND
    with pytest.raises(AccessDeniedError):
        open_document(CardChannel(transport), KEY)  # the ID number opens PACE only

    mrz = load_persona(NAME).mrz
    channel = CardChannel(InProcessTransport(VirtualChip(NAME, Faults(pace_only=True))))
    select_application(channel)
    with pytest.raises(AccessDeniedError):
        bac(channel, MrzKey(mrz.document_number, mrz.birth_raw, mrz.expiry_raw).mrz_information)


def test_cloned_aa_signature_fails_and_cloned_ca_breaks_the_next_protected_answer() -> None:
    from cccd_station.reader.authenticity import active_authentication, start_chip_authentication

    for fault in ("cloned-aa", "cloned-ca"):
        chip = VirtualChip(NAME, Faults.parse(fault))
        secure, _ = _open(chip)
        reader = FileReader(secure)
        dg14 = parse_dg14(reader.read(data_group(14).fid, 14))
        dg15 = parse_dg15(reader.read(data_group(15).fid, 15))
        if fault == "cloned-aa":
            assert active_authentication(secure, dg15, dg14.active_authentication).status.value == "fail"
        # The chip accepts the key agreement either way; only the genuine one answers under the new keys.
        assert isinstance(start_chip_authentication(secure, dg14), str)
        if fault == "cloned-aa":
            assert reader.read(data_group(1).fid, 1) == chip.personalisation.data_group(1)
        else:
            with pytest.raises(SecureMessagingError):
                reader.read(data_group(1).fid, 1)
