"""PACE with the chip authentication mapping, byte for byte against ICAO 9303-11 Appendix I.

The terminal talks to a scripted transport answering with the printed responses and must send the
printed commands, derive the printed keys, decrypt the printed CA_IC and find it proves the printed
static key; the chip side, given the static key the example implies, must answer with the printed bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_access_vectors import ScriptedTransport, replay

from cccd_station.crypto import pace as pc
from cccd_station.crypto.symmetric import CipherKind, SmKeys, aes_cbc_encrypt
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.access import CardAccess
from cccd_station.reader.errors import ChipDataError
from cccd_station.reader.lds.asn1 import encode_set_of
from cccd_station.reader.lds.security_infos import PaceInfo, SecurityInfos
from cccd_station.reader.pace import cam_proves_chip, pace_session, select_pace_info, static_key_point

VECTOR: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "vectors" / "icao_9303_11_pace_cam.json").read_text()
)["values"]
PARAMS = pc.STANDARD_PARAMETERS[VECTOR["parameter_id"]]


def h(name: str) -> bytes:
    return bytes.fromhex(VECTOR[name])


def info() -> PaceInfo:
    return PaceInfo(VECTOR["OID_dotted_text"], VECTOR["version"], VECTOR["parameter_id"])


def dg14_key() -> bytes:
    """The SubjectPublicKeyInfo of the example's ChipAuthenticationPublicKeyInfo, as DG14 would hold it."""
    raw = h("ChipAuthenticationPublicKeyInfo")
    [key] = SecurityInfos.from_bytes(encode_set_of([raw])).chip_authentication_keys
    assert key.key_id == VECTOR["CA_key_id"]
    return key.public_key_der


def keys() -> SmKeys:
    return SmKeys(CipherKind.AES, h("KS_enc"), h("KS_mac"))


def transport(last: bytes | None = None) -> ScriptedTransport:
    names = ("MSE_Set_AT_response", "GA1_response", "GA2_response", "GA3_response")
    return ScriptedTransport([h(name) for name in names] + [last or h("GA4_response")])


def run_terminal(scripted: ScriptedTransport) -> Any:
    return pace_session(
        CardChannel(scripted),
        VECTOR["MRZ_information_text"],
        "MRZ",
        [info()],
        replay(h("map_SK_IFD"), h("eph_SK_IFD")),
    )


def test_terminal_sends_the_printed_apdus_and_recovers_the_printed_chip_authentication_data() -> None:
    scripted = transport()
    session = run_terminal(scripted)
    mse, *general_authenticate = scripted.sent
    printed = CommandApdu.from_bytes(h("MSE_Set_AT_command"))
    assert CommandApdu.from_bytes(mse).data == printed.data + bytes([0x84, 0x01, VECTOR["parameter_id"]])
    assert general_authenticate == [h(f"GA{n}_command") for n in (1, 2, 3, 4)]
    assert (session.channel.keys.k_enc, session.channel.keys.k_mac) == (h("KS_enc"), h("KS_mac"))
    assert session.protocol.mapping is pc.Mapping.CAM and session.cam is not None
    assert session.cam.chip_map_public == h("CA_PK_MAP_IC") == h("map_PK_IC")
    assert session.cam.ca_ic == h("CA_decrypted_data")
    # After passive authentication of DG14, its key is the one the chip proved.
    assert static_key_point(dg14_key(), VECTOR["parameter_id"]) == h("CA_PK_IC")
    assert cam_proves_chip(session.cam, [dg14_key()])


def test_another_static_key_is_not_proved() -> None:
    session = run_terminal(transport())
    other = bytearray(dg14_key())
    # The generator instead of the chip's key: a point on the curve, but not the chip's.
    generator = PARAMS.encode(PARAMS.generator)
    other[-len(generator) :] = generator
    assert static_key_point(bytes(other), VECTOR["parameter_id"]) == generator
    assert not cam_proves_chip(session.cam, [bytes(other)])
    assert not cam_proves_chip(session.cam, [])
    # A key named for another group cannot be the one PACE used.
    assert static_key_point(dg14_key(), 12) is None


def test_a_changed_chip_authentication_cryptogram_fails_or_proves_nothing() -> None:
    response = bytearray(h("GA4_response"))
    response[-3] ^= 0x01  # last byte of the A_IC cryptogram: its padding no longer decrypts
    with pytest.raises(ChipDataError):
        run_terminal(transport(bytes(response)))
    response = bytearray(h("GA4_response"))
    response[16] ^= 0x01  # first block of A_IC: the padding survives, CA_IC changes
    session = run_terminal(transport(bytes(response)))
    assert session.cam.ca_ic != h("CA_decrypted_data")
    assert not cam_proves_chip(session.cam, [dg14_key()])


def test_a_cam_answer_without_the_chip_authentication_data_is_chip_data_error() -> None:
    token_only = "7C0A8608" + VECTOR["T_IC"] + "9000"
    with pytest.raises(ChipDataError):
        run_terminal(transport(bytes.fromhex(token_only)))


def test_chip_authentication_data_encrypts_to_the_printed_cryptogram() -> None:
    assert pc.encrypt_chip_authentication_data(keys(), h("CA_decrypted_data")) == h("CA_encrypted_data")
    assert pc.decrypt_chip_authentication_data(keys(), h("CA_encrypted_data")) == h("CA_decrypted_data")
    assert aes_cbc_encrypt(h("KS_enc"), b"\xff" * 16) == h("CA_IV")


def _static_private_key() -> int:
    """SK_IC is not printed; CA_IC = SK_IC^-1 * SK_Map,IC gives it: SK_IC = SK_Map,IC * CA_IC^-1 mod n."""
    n = PARAMS.order
    ca_ic = int.from_bytes(h("CA_decrypted_data"), "big")
    static = int.from_bytes(h("map_SK_IC"), "big") * pow(ca_ic, -1, n) % n
    assert PARAMS.encode(PARAMS.multiply(PARAMS.generator, static)) == h("CA_PK_IC")
    return static


def test_chip_answers_the_printed_apdus_with_its_chip_authentication_data() -> None:
    # The printed eph_SK_IC exceeds the group order; the chip draws keys below it: the same key mod n.
    eph_sk_ic = (int.from_bytes(h("eph_SK_IC"), "big") % PARAMS.order).to_bytes(32, "big")
    rng = replay(h("s"), h("map_SK_IC"), eph_sk_ic)
    chip = CardAccess(
        VECTOR["MRZ_information_text"],
        None,
        [(VECTOR["OID_dotted_text"], VECTOR["parameter_id"])],
        rng,
        cam_private_key=_static_private_key(),
    )
    assert chip.handle(CommandApdu.from_bytes(h("MSE_Set_AT_command"))) == ResponseApdu(b"", SW.OK)
    for n in (1, 2, 3, 4):
        answer = chip.handle(CommandApdu.from_bytes(h(f"GA{n}_command")))
        assert answer is not None and answer.to_bytes() == h(f"GA{n}_response")
    session = chip.take_session()
    assert session is not None and (session[0].k_enc, session[0].k_mac) == (h("KS_enc"), h("KS_mac"))


def test_a_chip_without_a_static_key_refuses_the_chip_authentication_mapping() -> None:
    chip = CardAccess(VECTOR["MRZ_information_text"], None, [(VECTOR["OID_dotted_text"], 13)])
    answer = chip.handle(CommandApdu.from_bytes(h("MSE_Set_AT_command")))
    assert answer is not None and answer.sw == SW.WRONG_DATA


def test_the_station_prefers_the_chip_authentication_mapping_when_offered() -> None:
    generic = PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    assert select_pace_info([generic, info()]) == info()
    assert select_pace_info([generic]) == generic
