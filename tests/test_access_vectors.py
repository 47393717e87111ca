"""BAC and PACE over the wire, byte for byte against the ICAO 9303-11 worked examples (D.3, D.4, G.1, G.2).

The terminal talks to a scripted transport that answers with the printed responses; the chip side
is fed the printed commands. Randomness on both sides is injected from the printed values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.access import CardAccess
from cccd_station.reader.errors import AccessDeniedError, ChipDataError
from cccd_station.reader.lds.security_infos import PaceInfo
from cccd_station.reader.pace import pace

VECTORS = Path(__file__).resolve().parent / "vectors"


def load(name: str) -> dict[str, Any]:
    values: dict[str, Any] = json.loads((VECTORS / name).read_text())["values"]
    return values


BAC = load("icao_9303_11_bac.json")
PACE_ECDH = load("icao_9303_11_pace_gm_ecdh.json")
PACE_DH = load("icao_9303_11_pace_gm_dh.json")
PACE_VECTORS = pytest.mark.parametrize("vector", [PACE_ECDH, PACE_DH], ids=["G1-ECDH", "G2-DH"])


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def replay(*values: bytes) -> Callable[[int], bytes]:
    """A random source that hands out the printed values in order, checking each requested size."""
    queue: Iterator[bytes] = iter(values)

    def rng(size: int) -> bytes:
        value = next(queue)
        assert len(value) == size, f"asked for {size} random bytes, the example has {len(value)}"
        return value

    return rng


class ScriptedTransport:
    """Answers each command with the next scripted response and records the raw bytes sent."""

    def __init__(self, responses: list[bytes]) -> None:
        self.responses = list(responses)
        self.sent: list[bytes] = []

    @property
    def atr(self) -> bytes:
        return b"\x3b\x80\x80\x01\x01"

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(apdu)
        response = self.responses.pop(0)
        return response[:-2], int.from_bytes(response[-2:], "big")

    def close(self) -> None:
        pass


def pace_info(vector: dict[str, Any]) -> PaceInfo:
    return PaceInfo(vector["OID_dotted_text"], vector["version"], vector["parameter_id"])


def ga4_response(vector: dict[str, Any]) -> bytes:
    # G.2 prints its last answer with an extra CAR object and no status word; the table gives the APDU.
    return h(vector.get("GA4_response") or vector["GA4_response_data"] + "9000")


# --- BAC -----------------------------------------------------------------------------------------


def test_bac_terminal_sends_the_printed_apdus_and_gets_the_printed_session() -> None:
    transport = ScriptedTransport(
        [h(BAC["GET_CHALLENGE_response"]), h(BAC["EXTERNAL_AUTHENTICATE_response"])]
    )
    secure = bac(
        CardChannel(transport), BAC["MRZ_information_text"], replay(h(BAC["RND_IFD"]), h(BAC["K_IFD"]))
    )
    assert transport.sent == [h(BAC["GET_CHALLENGE_command"]), h(BAC["EXTERNAL_AUTHENTICATE_command"])]
    assert (secure.keys.k_enc, secure.keys.k_mac) == (h(BAC["KSEnc"]), h(BAC["KSMAC"]))
    assert secure.ssc == int(BAC["SSC"], 16)


def test_bac_session_reads_ef_com_as_in_d4() -> None:
    steps = BAC["secure_messaging"]
    transport = ScriptedTransport(
        [h(BAC["GET_CHALLENGE_response"]), h(BAC["EXTERNAL_AUTHENTICATE_response"])]
        + [h(step["response"]) for step in steps]
    )
    secure = bac(
        CardChannel(transport), BAC["MRZ_information_text"], replay(h(BAC["RND_IFD"]), h(BAC["K_IFD"]))
    )
    data = b""
    for step in steps:
        data += secure.transmit(CommandApdu.from_bytes(h(step["unprotected_command"]))).check()
    assert transport.sent[2:] == [h(step["protected_command"]) for step in steps]
    assert data == h(BAC["EF_COM"])


@pytest.mark.parametrize("status", [SW.VERIFICATION_FAILED, SW.SECURITY_STATUS_NOT_SATISFIED])
def test_bac_refused_cryptogram_means_wrong_mrz(status: SW) -> None:
    transport = ScriptedTransport([h(BAC["GET_CHALLENGE_response"]), status.to_bytes(2, "big")])
    with pytest.raises(AccessDeniedError, match="MRZ data does not open this chip"):
        bac(CardChannel(transport), BAC["MRZ_information_text"], replay(h(BAC["RND_IFD"]), h(BAC["K_IFD"])))


def test_bac_chip_answers_the_printed_apdus() -> None:
    chip = CardAccess(BAC["MRZ_information_text"], None, [], replay(h(BAC["RND_IC"]), h(BAC["K_IC"])))
    challenge = chip.handle(CommandApdu.from_bytes(h(BAC["GET_CHALLENGE_command"])))
    assert challenge is not None and challenge.to_bytes() == h(BAC["GET_CHALLENGE_response"])
    assert chip.take_session() is None
    answer = chip.handle(CommandApdu.from_bytes(h(BAC["EXTERNAL_AUTHENTICATE_command"])))
    assert answer is not None and answer.to_bytes() == h(BAC["EXTERNAL_AUTHENTICATE_response"])
    session = chip.take_session()
    assert session is not None
    keys, ssc = session
    assert (keys.k_enc, keys.k_mac, ssc) == (h(BAC["KSEnc"]), h(BAC["KSMAC"]), int(BAC["SSC"], 16))
    assert chip.take_session() is None  # handed out once


# --- PACE ----------------------------------------------------------------------------------------


def pace_transport(vector: dict[str, Any], last: bytes | None = None) -> ScriptedTransport:
    return ScriptedTransport(
        [
            h(vector["MSE_Set_AT_response"]),
            h(vector["GA1_response"]),
            h(vector["GA2_response"]),
            h(vector["GA3_response"]),
            ga4_response(vector) if last is None else last,
        ]
    )


def terminal_rng(vector: dict[str, Any]) -> Callable[[int], bytes]:
    return replay(h(vector["map_SK_IFD"]), h(vector["eph_SK_IFD"]))


@PACE_VECTORS
def test_pace_terminal_sends_the_printed_apdus_and_derives_the_printed_keys(vector: dict[str, Any]) -> None:
    transport = pace_transport(vector)
    secure = pace(
        CardChannel(transport),
        vector["MRZ_information_text"],
        "MRZ",
        [pace_info(vector)],
        terminal_rng(vector),
    )
    mse, *general_authenticate = transport.sent
    # The station names the parameter ID (DO84) as well; the example leaves it out as it may.
    printed = CommandApdu.from_bytes(h(vector["MSE_Set_AT_command"]))
    do84 = bytes([0x84, 0x01, vector["parameter_id"]])
    assert CommandApdu.from_bytes(mse) == CommandApdu(0x00, 0x22, 0xC1, 0xA4, printed.data + do84)
    assert printed.ne is None and CommandApdu.from_bytes(mse).ne is None  # MSE:Set AT carries no Le
    assert general_authenticate == [h(vector[f"GA{n}_command"]) for n in (1, 2, 3, 4)]
    assert (secure.keys.k_enc, secure.keys.k_mac) == (h(vector["KS_enc"]), h(vector["KS_mac"]))
    assert secure.ssc == 0


@PACE_VECTORS
def test_pace_terminal_refuses_a_chip_token_that_does_not_match(vector: dict[str, Any]) -> None:
    forged = bytearray(ga4_response(vector))
    forged[5] ^= 0x01  # inside T_IC
    transport = pace_transport(vector, last=bytes(forged))
    with pytest.raises(AccessDeniedError, match="MRZ data does not open this chip"):
        pace(
            CardChannel(transport),
            vector["MRZ_information_text"],
            "MRZ",
            [pace_info(vector)],
            terminal_rng(vector),
        )


@PACE_VECTORS
@pytest.mark.parametrize("status", ["6300", "63C2", "6982"])
def test_pace_wrong_password_status_is_access_denied(vector: dict[str, Any], status: str) -> None:
    transport = pace_transport(vector, last=h(status))
    with pytest.raises(AccessDeniedError):
        pace(
            CardChannel(transport),
            vector["MRZ_information_text"],
            "MRZ",
            [pace_info(vector)],
            terminal_rng(vector),
        )


def test_pace_terminal_refuses_an_echoed_or_invalid_chip_key() -> None:
    vector = PACE_ECDH
    echo = "7C438241" + vector["map_PK_IFD"] + "9000"
    transport = pace_transport(vector)
    transport.responses[2] = h(echo)
    with pytest.raises(ChipDataError, match="own public key"):
        pace(
            CardChannel(transport),
            vector["MRZ_information_text"],
            "MRZ",
            [pace_info(vector)],
            terminal_rng(vector),
        )
    off_curve = vector["GA2_response"][:-6] + "00" + vector["GA2_response"][-4:]
    transport = pace_transport(vector)
    transport.responses[2] = h(off_curve)
    with pytest.raises(ChipDataError, match="not on brainpoolP256r1"):
        pace(
            CardChannel(transport),
            vector["MRZ_information_text"],
            "MRZ",
            [pace_info(vector)],
            terminal_rng(vector),
        )


@pytest.mark.parametrize("garbage", ["9000", "7C0081109000", "7D128010" + "00" * 16 + "9000", "7C05800201"])
def test_pace_terminal_reports_garbage_as_chip_data_error(garbage: str) -> None:
    vector = PACE_ECDH
    transport = pace_transport(vector)
    transport.responses[1] = h(garbage) if garbage.endswith("9000") else h(garbage + "9000")
    with pytest.raises(ChipDataError):
        pace(
            CardChannel(transport),
            vector["MRZ_information_text"],
            "MRZ",
            [pace_info(vector)],
            terminal_rng(vector),
        )


@PACE_VECTORS
def test_pace_chip_answers_the_printed_apdus(vector: dict[str, Any]) -> None:
    rng = replay(h(vector["s"]), h(vector["map_SK_IC"]), h(vector["eph_SK_IC"]))
    chip = CardAccess(
        vector["MRZ_information_text"], None, [(vector["OID_dotted_text"], vector["parameter_id"])], rng
    )
    mse = chip.handle(CommandApdu.from_bytes(h(vector["MSE_Set_AT_command"])))
    assert mse == ResponseApdu(b"", SW.OK)
    for n in (1, 2, 3):
        answer = chip.handle(CommandApdu.from_bytes(h(vector[f"GA{n}_command"])))
        assert answer is not None and answer.to_bytes() == h(vector[f"GA{n}_response"])
        assert chip.take_session() is None
    answer = chip.handle(CommandApdu.from_bytes(h(vector["GA4_command"])))
    assert answer is not None and answer.data == h(vector["GA4_response_data"]) and answer.ok
    session = chip.take_session()
    assert session is not None
    keys, ssc = session
    assert (keys.k_enc, keys.k_mac, ssc) == (h(vector["KS_enc"]), h(vector["KS_mac"]), 0)


def test_pace_chip_answers_a_wrong_token_with_6300_and_forgets_the_run() -> None:
    vector = PACE_ECDH
    rng = replay(h(vector["s"]), h(vector["map_SK_IC"]), h(vector["eph_SK_IC"]))
    chip = CardAccess(
        vector["MRZ_information_text"], None, [(vector["OID_dotted_text"], vector["parameter_id"])], rng
    )
    for name in ("MSE_Set_AT_command", "GA1_command", "GA2_command", "GA3_command"):
        chip.handle(CommandApdu.from_bytes(h(vector[name])))
    wrong_token = CommandApdu.from_bytes(h(vector["GA4_command"].replace(vector["T_IFD"], "00" * 8)))
    answer = chip.handle(wrong_token)
    assert answer is not None and answer.sw == SW.VERIFICATION_FAILED
    assert chip.take_session() is None
    assert chip.handle(CommandApdu.from_bytes(h(vector["GA4_command"]))) is None  # no run any more


def test_pace_integrated_mapping_terminal_derives_the_keys_of_h1() -> None:
    vector = load("icao_9303_11_pace_im_ecdh.json")

    def answer(tag: int, value: bytes) -> bytes:
        inner = bytes([tag, len(value)]) + value
        return bytes([0x7C, len(inner)]) + inner + b"\x90\x00"

    transport = ScriptedTransport(
        [
            b"\x90\x00",
            answer(0x80, h(vector["z"])),
            answer(0x82, b""),
            answer(0x84, h(vector["eph_PK_IC"])),
            answer(0x86, h(vector["T_IC"])),
        ]
    )
    info = PaceInfo(vector["OID_dotted_text"], 2, vector["parameter_id"])
    rng = replay(h(vector["t"]), h(vector["eph_SK_IFD"]))
    secure = pace(CardChannel(transport), vector["password_CAN_inferred_text"], "CAN", [info], rng)
    assert (secure.keys.k_enc, secure.keys.k_mac) == (h(vector["KS_enc"]), h(vector["KS_mac"]))
    sent = [CommandApdu.from_bytes(raw) for raw in transport.sent]
    assert sent[2].data == b"\x7c\x12\x81\x10" + h(vector["t"])  # t goes to the chip in clear
    assert sent[3].data == b"\x7c\x43\x83\x41" + h(vector["eph_PK_IFD"])
    assert sent[4].data == b"\x7c\x0a\x85\x08" + h(vector["T_IFD"])


def test_pace_integrated_mapping_chip_answers_as_in_h1() -> None:
    vector = load("icao_9303_11_pace_im_ecdh.json")
    rng = replay(h(vector["s"]), h(vector["eph_SK_IC"]))
    chip = CardAccess(None, vector["password_CAN_inferred_text"], [(vector["OID_dotted_text"], 13)], rng)
    steps = [
        CommandApdu(0x00, 0x22, 0xC1, 0xA4, b"\x80\x0a" + h(vector["OID"]) + b"\x83\x01\x02"),
        CommandApdu(0x10, 0x86, 0x00, 0x00, b"\x7c\x00", 256),
        CommandApdu(0x10, 0x86, 0x00, 0x00, b"\x7c\x12\x81\x10" + h(vector["t"]), 256),
        CommandApdu(0x10, 0x86, 0x00, 0x00, b"\x7c\x43\x83\x41" + h(vector["eph_PK_IFD"]), 256),
        CommandApdu(0x00, 0x86, 0x00, 0x00, b"\x7c\x0a\x85\x08" + h(vector["T_IFD"]), 256),
    ]
    answers = [chip.handle(step) for step in steps]
    assert all(answer is not None and answer.ok for answer in answers)
    assert [answer.data for answer in answers if answer is not None] == [
        b"",
        b"\x7c\x12\x80\x10" + h(vector["z"]),
        b"\x7c\x02\x82\x00",
        b"\x7c\x43\x84\x41" + h(vector["eph_PK_IC"]),
        b"\x7c\x0a\x86\x08" + h(vector["T_IC"]),
    ]
    session = chip.take_session()
    assert session is not None and session[0].k_enc == h(vector["KS_enc"])
