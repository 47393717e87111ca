"""The read path against the virtual chip in-process: the order and number of commands, how extended
length is settled without a probing read, PACE-CAM as the chip's proof, and what a clone leaves on screen."""

from __future__ import annotations

import pytest

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import CheckStatus, Verdict
from cccd_station.reader.apdu import CommandApdu, ResponseApdu
from cccd_station.reader.authenticity import active_authentication
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personalise import personalise
from cccd_station.reader.errors import ExtendedLengthError
from cccd_station.reader.lds.security_infos import parse_dg15
from cccd_station.reader.transport import InProcessTransport, Transport
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import HolderText, InspectionResult, ReadContext, inspect, read_document

PERSONA = "nguyen-van-an"
ATR_WITHOUT_HISTORICAL_BYTES = bytes.fromhex("3B80800101")  # a Type B chip behind a contactless reader


@pytest.fixture(scope="module")
def trust() -> TrustAnchors:
    return demo_anchors()


class Link(InProcessTransport):
    """The virtual chip with the ATR and reader report a test chooses; keeps every command."""

    def __init__(
        self, chip: VirtualChip, atr: bytes | None = None, reader_extended: bool | None = None
    ) -> None:
        super().__init__(chip)
        self._shown_atr = atr
        self.reader_extended_length = reader_extended
        self.sent: list[CommandApdu] = []

    @property
    def atr(self) -> bytes:
        return self._shown_atr if self._shown_atr is not None else super().atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(CommandApdu.from_bytes(apdu))
        return super().transmit(apdu)


def _names(link: Link) -> list[str]:
    names = {0xA4: "SELECT", 0x22: "MSE", 0x86: "GA", 0x88: "AA", 0xB0: "READ", 0xB1: "READ"}
    return [names.get(cmd.ins, f"{cmd.ins:02X}") for cmd in link.sent]


def test_a_cccd_is_read_in_16_commands_sod_and_dg14_first_ca_proved_by_the_next_reads(
    trust: TrustAnchors,
) -> None:
    link = Link(VirtualChip(PERSONA))
    result = inspect(link, demo_key(PERSONA), trust)
    assert result.verdict is Verdict.VERIFIED
    assert _names(link) == [
        "READ",  # EF.CardAccess (the ATR announced extended length)
        *["MSE", "GA", "GA", "GA", "GA", "SELECT"],  # PACE and the application
        "READ",  # EF.SOD
        "READ",  # DG14
        *["MSE", "GA"],  # Chip Authentication: no command of its own to prove it
        "READ",  # DG1, the proof
        "READ",  # DG13: the text is verified here
        "READ",  # DG15
        "AA",
        "READ",  # DG2, the portrait, in one command
    ]
    reads = [cmd for cmd in link.sent if cmd.ins == 0xB0]
    assert all(cmd.ne == 65536 or cmd.cla & 0x0C for cmd in reads)  # Le 0000 (inside SM: DO97)
    assert not [cmd for cmd in link.sent if cmd.ins == 0xC0]  # no GET RESPONSE


def test_pace_cam_is_the_chips_proof_and_saves_chip_authentication(trust: TrustAnchors) -> None:
    link = Link(VirtualChip(PERSONA, Faults(pace_cam=True)))
    result = inspect(link, demo_key(PERSONA), trust)
    assert result.verdict is Verdict.VERIFIED and result.access.protocol == "PACE-ECDH-CAM-AES-128"
    chip = next(check for check in result.checks if check.id == "chip.authentication")
    assert chip.status is CheckStatus.PASS and "chip authentication mapping" in chip.detail
    assert result.stats.apdus == 14 and "MSE" not in _names(link)[7:]


@pytest.mark.parametrize("faults", [("cloned-ca",), ("cloned-ca", "pace-cam")], ids=["CA", "PACE-CAM"])
def test_a_chip_that_fails_its_proof_is_read_no_further_and_shows_no_holder(
    trust: TrustAnchors, faults: tuple[str, ...]
) -> None:
    texts: list[HolderText] = []
    link = Link(VirtualChip(PERSONA, Faults.parse(list(faults))))
    result = inspect(link, demo_key(PERSONA), trust, ReadContext(text=texts.append))
    chip = next(check for check in result.checks if check.id == "chip.authentication")
    assert result.verdict is Verdict.FAILED and chip.status is CheckStatus.FAIL and "clone" in chip.detail
    assert result.holder is None and result.mrz is None and result.photo is None and not texts
    assert len(link.sent) <= 12  # nothing after the answer that failed the proof


def test_a_cloned_active_authentication_key_fails_after_the_text_was_shown(trust: TrustAnchors) -> None:
    texts: list[HolderText] = []
    result = inspect(
        Link(VirtualChip(PERSONA, Faults(cloned_aa=True))),
        demo_key(PERSONA),
        trust,
        ReadContext(text=texts.append),
    )
    assert result.verdict is Verdict.FAILED and len(texts) == 1  # CA passed: the text went out; AA fails it
    assert texts[0].chip_proven and result.holder is not None


def test_an_atr_without_capabilities_learns_extended_length_from_ef_card_access(trust: TrustAnchors) -> None:
    link = Link(VirtualChip(PERSONA), atr=ATR_WITHOUT_HISTORICAL_BYTES)
    result = inspect(link, demo_key(PERSONA), trust)
    assert result.stats.apdus == 16  # the first READ BINARY asked Le 0000 and so told, at no cost
    assert link.sent[0].ne == 65536


def test_a_short_only_chip_behind_a_silent_atr_costs_one_short_read_more(trust: TrustAnchors) -> None:
    chip = VirtualChip(PERSONA, Faults(no_extended_length=True))
    silent = Link(chip, atr=ATR_WITHOUT_HISTORICAL_BYTES)
    told = Link(VirtualChip(PERSONA, Faults(no_extended_length=True)))
    assert inspect(silent, demo_key(PERSONA), trust).verdict is Verdict.VERIFIED
    assert inspect(told, demo_key(PERSONA), trust).verdict is Verdict.VERIFIED
    assert len(silent.sent) == len(told.sent) + 1  # 6700 to the extended EF.CardAccess, then short
    assert (silent.sent[0].ne, silent.sent[1].ne) == (65536, 256)


def test_a_reader_that_says_it_carries_only_short_apdus_is_never_sent_an_extended_one(
    trust: TrustAnchors,
) -> None:
    link = Link(VirtualChip(PERSONA), reader_extended=False)
    result = inspect(link, demo_key(PERSONA), trust)
    assert result.verdict is Verdict.VERIFIED
    assert all(not cmd.needs_extended for cmd in link.sent)
    assert result.stats.apdus > 60  # the portrait in 223-byte blocks


class RefusingReader(Link):
    """A reader that cannot carry extended APDUs (``protected_only``: only the long answers of secure
    messaging), and says so only by failing them."""

    protected_only = False

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        extended = len(apdu) > 6 and apdu[4] == 0
        if extended and (apdu[0] & 0x0C or not self.protected_only):
            raise ExtendedLengthError("the reader cannot carry extended-length APDUs")
        return super().transmit(apdu)


class LongAnswersRefused(RefusingReader):
    protected_only = True


class Reconnecting:
    def __init__(self, chip: VirtualChip, link: type[Link]) -> None:
        self.chip = chip
        self.link = link
        self.links: list[Link] = []

    def connect(self) -> Transport:
        self.links.append(self.link(self.chip))
        return self.links[-1]

    def wait_for_card(self, timeout: float) -> bool:
        return True


def test_a_reader_that_refuses_the_first_extended_apdu_gets_short_ones_at_once(trust: TrustAnchors) -> None:
    source = Reconnecting(VirtualChip(PERSONA), RefusingReader)
    result = read_document(source, demo_key(PERSONA), trust)
    assert result.verdict is Verdict.VERIFIED
    # The ATR announced extended length; the reader refused the extended READ BINARY of EF.CardAccess.
    [link] = source.links
    assert link.sent[0].ne == 256 and all(not cmd.needs_extended for cmd in link.sent)


def test_a_reader_that_refuses_an_extended_apdu_under_secure_messaging_goes_on_in_short_ones(
    trust: TrustAnchors,
) -> None:
    source = Reconnecting(VirtualChip(PERSONA), LongAnswersRefused)
    result = read_document(source, demo_key(PERSONA), trust)
    assert result.verdict is Verdict.VERIFIED
    # The secure-messaging session cannot survive a command lost between reader and chip: the chip is
    # opened again (PACE, SELECT, no EF.CardAccess) and read on in short APDUs.
    first, second = source.links
    assert first.sent[0].ne == 65536 and second.sent[0].ins == 0x22
    assert all(not cmd.needs_extended for cmd in second.sent)


class Recording:
    def __init__(self) -> None:
        self.sent: list[CommandApdu] = []

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        self.sent.append(cmd)
        return ResponseApdu(bytes(64), 0x9000)


@pytest.mark.parametrize(
    ("persona", "faults", "ne"),
    [
        ("nguyen-van-an", (), 256),  # ECDSA: the signature fits a short answer
        ("lindqvist-maja", (), 256),  # RSA-1024: 128 bytes
    ],
)
def test_active_authentication_asks_an_extended_le_only_for_signatures_too_long_for_a_short_one(
    persona: str, faults: tuple[str, ...], ne: int
) -> None:
    sender = Recording()
    dg15 = parse_dg15(personalise(persona).data_group(15))
    active_authentication(sender, dg15, None, extended=True)  # type: ignore[arg-type]
    assert sender.sent[0].ne == ne


def test_an_rsa_2048_signature_is_asked_with_an_extended_le() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    sender = Recording()
    active_authentication(sender, spki, None, extended=True)  # type: ignore[arg-type]
    active_authentication(sender, spki, None, extended=False)  # type: ignore[arg-type]
    assert [cmd.ne for cmd in sender.sent] == [65536, 256]


def _read_with_text(trust: TrustAnchors, persona: str) -> tuple[InspectionResult, list[HolderText]]:
    texts: list[HolderText] = []
    result = inspect(
        InProcessTransport(VirtualChip(persona)), demo_key(persona), trust, ReadContext(text=texts.append)
    )
    return result, texts


@pytest.mark.parametrize("persona", ["nguyen-van-an", "lindqvist-maja"])
def test_the_early_text_is_the_text_of_the_verified_result(trust: TrustAnchors, persona: str) -> None:
    result, [text] = _read_with_text(trust, persona)
    assert result.verdict is Verdict.VERIFIED and result.seconds_to_text is not None
    assert result.seconds_to_text < result.seconds
    assert (text.mrz, text.holder, text.dg11, text.dg12) == (
        result.mrz,
        result.holder,
        result.dg11,
        result.dg12,
    )
    assert text.record == result.record


def test_a_reader_too_small_even_for_pace_ends_the_read_instead_of_trying_again(trust: TrustAnchors) -> None:
    # PACE on a 2048-bit DH group needs extended APDUs whatever the file reads do: nothing to fall back to.
    source = Reconnecting(VirtualChip(PERSONA, Faults(pace_parameter_id=2)), RefusingReader)
    with pytest.raises(ExtendedLengthError):
        read_document(source, demo_key(PERSONA), trust)
    assert len(source.links) == 1
