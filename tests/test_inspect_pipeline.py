"""The inspection pipeline against the virtual chip, in-process: verdicts, faults, errors, figures."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from cccd_station.crypto.truststore import TrustAnchors
from cccd_station.crypto.verdict import CheckStatus, Verdict
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import AccessDeniedError, Cancelled, CardRemovedError
from cccd_station.reader.keys import IdNumberKey, MrzKey
from cccd_station.reader.transport import InProcessTransport
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import ReadContext, Step, inspect

PERSONAS = persona_names()


@pytest.fixture(scope="module")
def trust() -> TrustAnchors:
    return demo_anchors()


@pytest.fixture(scope="module")
def empty_trust() -> TrustAnchors:
    return TrustAnchors()


def chip(persona: str, *faults: str) -> InProcessTransport:
    return InProcessTransport(VirtualChip(persona, Faults.parse(list(faults))))


best_key = demo_key


def mrz_key(persona: str) -> MrzKey:
    mrz = load_persona(persona).mrz
    return MrzKey(
        mrz.document_number[:9] if mrz.format == "TD1" else mrz.document_number, mrz.birth_raw, mrz.expiry_raw
    )


def status(result: object, check_id: str) -> CheckStatus:
    return next(c.status for c in result.checks if c.id == check_id)  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_is_verified_with_its_csca(persona: str, trust: TrustAnchors) -> None:
    result = inspect(chip(persona), best_key(persona), trust)
    assert result.verdict is Verdict.VERIFIED, [(c.id, c.status, c.detail) for c in result.checks]
    assert result.access.protocol == "PACE-ECDH-GM-AES-128"
    assert result.photo is not None and result.photo.width > 0
    holder = load_persona(persona)
    assert result.record.id_number == (holder.id_number if holder.kind == "cccd" else result.record.id_number)
    if holder.kind == "cccd":
        assert holder.vn_details is not None and result.holder is not None
        assert result.holder.full_name == holder.vn_details.full_name
    else:
        assert result.mrz is not None and result.mrz.format == "TD3"


@pytest.mark.parametrize(
    ("persona", "generation"), [("nguyen-van-an", "cccd_2021"), ("vo-thi-thanh-huong", "can_cuoc_2024")]
)
def test_both_card_generations_read_verified_and_say_which_they_are(
    persona: str, generation: str, trust: TrustAnchors
) -> None:
    result = inspect(chip(persona), best_key(persona), trust)
    assert result.verdict is Verdict.VERIFIED
    holder = json.loads(json.dumps(result.to_json()))["holder"]
    assert holder["card_generation"] == generation
    details = load_persona(persona).vn_details
    assert details is not None and details.extra_fields  # field 16, which no source explains
    assert holder["extra_fields"] == [
        {"number": raw.number, "text": raw.text} for raw in details.extra_fields
    ]
    assert holder["place_of_origin"] == details.place_of_origin  # the key stays; its label changes


@pytest.mark.parametrize("persona", PERSONAS)
def test_without_its_csca_a_genuine_card_is_only_partial(persona: str, empty_trust: TrustAnchors) -> None:
    result = inspect(chip(persona), best_key(persona), empty_trust)
    assert result.verdict is Verdict.PARTIAL
    assert status(result, "dsc.chain") is CheckStatus.SKIPPED
    assert status(result, "dg.hashes") is CheckStatus.PASS


@pytest.mark.parametrize(
    ("fault", "failing_check"),
    [
        ("tampered-dg=13", "dg.hashes"),
        ("tampered-dg=2", "dg.hashes"),
        ("bad-sod-signature", "sod.signature"),
        ("revoked-dsc", "dsc.revocation"),
        ("expired-dsc", "dsc.chain"),
        ("unknown-csca", "dsc.chain"),
        ("cloned-ca", "chip.authentication"),
        ("cloned-aa", "chip.active_authentication"),
    ],
)
def test_each_fault_fails_the_right_check(fault: str, failing_check: str, trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    result = inspect(chip(persona, fault), best_key(persona), trust)
    assert result.verdict is Verdict.FAILED
    assert status(result, failing_check) is CheckStatus.FAIL


def test_a_chip_that_cannot_prove_itself_genuine_is_partial(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    result = inspect(chip(persona, "no-chip-auth"), best_key(persona), trust)
    assert result.verdict is Verdict.PARTIAL
    assert status(result, "chip.authentication") is CheckStatus.SKIPPED
    assert status(result, "chip.active_authentication") is CheckStatus.SKIPPED
    assert {status(result, check) for check in ("sod.signature", "dsc.chain", "dg.hashes")} == {
        CheckStatus.PASS
    }


def test_bac_only_chip_opens_with_mrz_data(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    result = inspect(chip(persona, "bac-only"), mrz_key(persona), trust)
    assert result.access.protocol == "BAC" and result.verdict is Verdict.VERIFIED


def test_pace_with_mrz_password(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    result = inspect(chip(persona, "pace-only"), mrz_key(persona), trust)
    assert (result.access.protocol, result.access.password) == ("PACE-ECDH-GM-AES-128", "MRZ")


def test_wrong_id_number_is_access_denied_and_the_card_still_opens(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    right = best_key(persona)
    assert isinstance(right, IdNumberKey)
    wrong = IdNumberKey(right.id_number[:-1] + str((int(right.id_number[-1]) + 1) % 10))
    transport = chip(persona)
    with pytest.raises(AccessDeniedError):
        inspect(transport, wrong, trust)
    assert inspect(transport, right, trust).verdict is Verdict.VERIFIED


def test_card_removed_mid_read() -> None:
    persona = PERSONAS[0]
    with pytest.raises(CardRemovedError):
        inspect(chip(persona, "remove-after=12"), best_key(persona), None)


def test_short_only_chip_reads_in_more_apdus(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    extended = inspect(chip(persona), best_key(persona), trust)
    short = inspect(chip(persona, "no-extended-length"), best_key(persona), trust)
    assert short.verdict is Verdict.VERIFIED
    assert short.stats.apdus > extended.stats.apdus
    assert short.photo is not None and extended.photo is not None and short.photo.data == extended.photo.data


def test_progress_steps_and_cancel(trust: TrustAnchors) -> None:
    persona = PERSONAS[0]
    seen: list[Step] = []
    inspect(chip(persona), best_key(persona), trust, ReadContext(progress=lambda p: seen.append(p.step)))
    assert seen[0] is Step.CONNECTING and Step.PHOTO in seen and seen[-1] is Step.VERIFYING
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        inspect(chip(persona), best_key(persona), trust, ReadContext(cancel=cancel))


def test_station_read_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cccd_station.station.cli import main

    persona = PERSONAS[0]
    key = best_key(persona)
    assert isinstance(key, IdNumberKey)
    photo = tmp_path / "portrait.jpg"
    code = main(
        [
            "read",
            "--virtual",
            persona,
            "--id",
            key.id_number,
            "--trust",
            str(TESTPKI_DIR / "csca-test-vnm.pem"),
            "--no-audit",
            "--json",
            "--photo",
            str(photo),
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "verified"  # no CRL given: revocation is "no CRL known", which may verify
    assert {c["id"] for c in report["checks"]} >= {
        "sod.signature",
        "dsc.chain",
        "dsc.revocation",
        "dg.hashes",
        "chip.authentication",
        "chip.active_authentication",
        "mrz.consistency",
    }
    assert report["holder"]["id_number"] == key.id_number
    assert report["access"] == {
        "protocol": "PACE-ECDH-GM-AES-128",
        "password": "CAN",
        "downgraded_from": None,
    }
    assert photo.read_bytes() == load_persona(persona).portrait_bytes()
    assert report["stats"]["apdus"] > 0


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["read", "--virtual", PERSONAS[0], "--id", "12345"], 2),
        (["read", "--virtual", PERSONAS[0], "--id", "000000000000"], 3),
        (["read", "--reader", "No Such Reader 00 00", "--can", "123456"], 4),
    ],
)
def test_station_read_exit_codes(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    from cccd_station.station.cli import main

    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert err.startswith("station read:") and "\n" not in err


def test_traffic_log_shows_every_apdu_but_no_personal_data(
    trust: TrustAnchors, caplog: pytest.LogCaptureFixture
) -> None:
    from cccd_station.reader.channel import TRAFFIC

    persona = "nguyen-van-an"
    holder = load_persona(persona)
    assert holder.id_number is not None
    with caplog.at_level(TRAFFIC, logger="reader"):
        result = inspect(chip(persona), best_key(persona), trust)
    log_text = caplog.text
    assert log_text.count("> ") >= result.stats.apdus  # one line per command sent
    flat = log_text.replace(" ", "").upper()
    name = holder.vn_details.full_name if holder.vn_details else None
    assert name is not None
    for secret in (holder.id_number, holder.mrz.document_number, name, holder.mrz.surname):
        assert secret not in log_text
        assert secret.encode().hex().upper() not in flat  # nor as a hex dump of the decrypted data
