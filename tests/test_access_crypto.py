"""BAC and PACE computations against the ICAO 9303-11 worked examples (Appendices D and G)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from cccd_station.crypto import bac, pace
from cccd_station.crypto.symmetric import CipherKind

VECTORS = Path(__file__).resolve().parent / "vectors"


def load(name: str) -> dict[str, Any]:
    values: dict[str, Any] = json.loads((VECTORS / name).read_text())["values"]
    return values


def h(text: str) -> bytes:
    return bytes.fromhex(text)


BAC = load("icao_9303_11_bac.json")
PACE_ECDH = load("icao_9303_11_pace_gm_ecdh.json")
PACE_DH = load("icao_9303_11_pace_gm_dh.json")


# --- BAC (Appendix D) ---------------------------------------------------------------------------


def test_bac_key_seed_and_keys_match_d2() -> None:
    assert bac.bac_key_seed(BAC["MRZ_information_text"]) == h(BAC["Kseed"])
    keys = bac.bac_keys(BAC["MRZ_information_text"])
    assert (keys.k_enc, keys.k_mac) == (h(BAC["KEnc"]), h(BAC["KMAC"]))
    assert keys.cipher is CipherKind.DES3


def test_bac_terminal_cryptogram_matches_d3() -> None:
    keys = bac.bac_keys(BAC["MRZ_information_text"])
    data = bac.terminal_authentication_data(keys, h(BAC["RND_IC"]), h(BAC["RND_IFD"]), h(BAC["K_IFD"]))
    assert data == h(BAC["E_IFD"]) + h(BAC["M_IFD"])


def test_bac_chip_answer_and_both_sessions_match_d3() -> None:
    keys = bac.bac_keys(BAC["MRZ_information_text"])
    answer, chip_session = bac.chip_answer(keys, h(BAC["RND_IC"]), h(BAC["cmd_data"]), h(BAC["K_IC"]))
    assert answer == h(BAC["resp_data"])
    terminal_session = bac.terminal_finish(
        keys, h(BAC["RND_IC"]), h(BAC["RND_IFD"]), h(BAC["K_IFD"]), h(BAC["resp_data"])
    )
    for session in (chip_session, terminal_session):
        assert session.keys.k_enc == h(BAC["KSEnc"])
        assert session.keys.k_mac == h(BAC["KSMAC"])
        assert session.ssc == int(BAC["SSC"], 16)


def test_bac_rejects_a_tampered_or_foreign_answer() -> None:
    keys = bac.bac_keys(BAC["MRZ_information_text"])
    tampered = bytearray(h(BAC["resp_data"]))
    tampered[0] ^= 1
    with pytest.raises(bac.BacError, match="MAC"):
        bac.terminal_finish(keys, h(BAC["RND_IC"]), h(BAC["RND_IFD"]), h(BAC["K_IFD"]), bytes(tampered))
    with pytest.raises(bac.BacError, match="challenges"):
        bac.terminal_finish(keys, h(BAC["RND_IC"]), bytes(8), h(BAC["K_IFD"]), h(BAC["resp_data"]))
    other = bac.bac_keys("L898902C<369080619406237")
    with pytest.raises(bac.BacError):
        bac.chip_answer(other, h(BAC["RND_IC"]), h(BAC["cmd_data"]), h(BAC["K_IC"]))
    with pytest.raises(bac.BacError, match="40 bytes"):
        bac.chip_answer(keys, h(BAC["RND_IC"]), h(BAC["cmd_data"])[:-1], h(BAC["K_IC"]))


# --- PACE generic mapping (Appendix G) -----------------------------------------------------------


@pytest.mark.parametrize("vector", [PACE_ECDH, PACE_DH], ids=["G1-ECDH", "G2-DH"])
def test_pace_generic_mapping_reproduces_appendix_g(vector: dict[str, Any]) -> None:
    protocol = pace.PaceProtocol.from_oid(vector["OID_dotted_text"])
    params = pace.domain_parameters(protocol, vector["parameter_id"])
    assert pace.oid_content(protocol.oid) == h(vector["OID"])

    k_pi = pace.password_key(vector["MRZ_information_text"], pace.PasswordType.MRZ, protocol)
    assert k_pi == h(vector["K_pi"])
    nonce = pace.decrypt_nonce(protocol, k_pi, h(vector["z"]))
    assert nonce == h(vector["s"])
    assert pace.encrypt_nonce(protocol, k_pi, nonce) == h(vector["z"])

    assert params.encode(params.multiply(params.generator, int(vector["map_SK_IFD"], 16))) == h(
        vector["map_PK_IFD"]
    )
    chip_map_key = params.decode_public_key(h(vector["map_PK_IC"]))
    mapped = pace.generic_mapping(params, nonce, int(vector["map_SK_IFD"], 16), chip_map_key)
    assert params.encode(mapped) == h(vector.get("mapped_G") or vector["mapped_g"])
    # The chip, with its own mapping key, arrives at the same generator.
    terminal_map_key = params.decode_public_key(h(vector["map_PK_IFD"]))
    assert pace.generic_mapping(params, nonce, int(vector["map_SK_IC"], 16), terminal_map_key) == mapped

    assert params.encode(params.multiply(mapped, int(vector["eph_SK_IFD"], 16))) == h(vector["eph_PK_IFD"])
    secret = pace.shared_secret(
        params, int(vector["eph_SK_IFD"], 16), params.decode_public_key(h(vector["eph_PK_IC"]))
    )
    assert secret == h(vector["shared_secret_K"])
    keys = pace.session_keys(protocol, secret)
    assert (keys.k_enc, keys.k_mac) == (h(vector["KS_enc"]), h(vector["KS_mac"]))

    assert pace.public_key_data_object(protocol, params, h(vector["eph_PK_IC"])) == h(vector["T_IFD_input"])
    assert pace.authentication_token(protocol, params, keys, h(vector["eph_PK_IC"])) == h(vector["T_IFD"])
    assert pace.token_matches(protocol, params, keys, h(vector["eph_PK_IFD"]), h(vector["T_IC"]))
    assert not pace.token_matches(protocol, params, keys, h(vector["eph_PK_IC"]), h(vector["T_IC"]))


def test_protocol_names_and_refusals() -> None:
    assert pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.2.2").name == "PACE-ECDH-GM-AES-128"
    assert pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.1.1").name == "PACE-DH-GM-3DES"
    assert pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.4.4").name == "PACE-ECDH-IM-AES-256"
    for oid in ("0.4.0.127.0.7.2.2.3.2.2", "0.4.0.127.0.7.2.2.4.2.5", "0.4.0.127.0.7.2.2.4.6.1", "1.2"):
        with pytest.raises(pace.UnsupportedProtocolError):
            pace.PaceProtocol.from_oid(oid)
    ecdh = pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.2.2")
    with pytest.raises(pace.UnsupportedProtocolError):
        pace.domain_parameters(ecdh, 0)  # a DH group for an ECDH protocol
    with pytest.raises(pace.UnsupportedProtocolError):
        pace.domain_parameters(ecdh, 5)  # reserved
    with pytest.raises(pace.UnsupportedProtocolError):
        pace.domain_parameters(ecdh, None)  # proprietary parameters


def test_dh_groups_are_prime_order_subgroups() -> None:
    rng = random.Random(5114)

    def probably_prime(n: int) -> bool:
        d, r = n - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(16):
            x = pow(rng.randrange(2, n - 1), d, n)
            if x in (1, n - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                return False
        return True

    sizes = {0: (1024, 160), 1: (2048, 224), 2: (2048, 256)}
    for parameter_id, (p_bits, q_bits) in sizes.items():
        group = pace.STANDARD_PARAMETERS[parameter_id]
        assert isinstance(group, pace.DhParameters)
        assert (group.p.bit_length(), group.q.bit_length()) == (p_bits, q_bits)
        assert probably_prime(group.p) and probably_prime(group.q)
        assert (group.p - 1) % group.q == 0
        assert group.g != 1 and pow(group.g, group.q, group.p) == 1


def test_every_curve_has_a_generator_on_the_curve() -> None:
    for parameter_id in range(8, 19):
        params = pace.STANDARD_PARAMETERS[parameter_id]
        encoded = params.encode(params.generator)
        assert params.decode_public_key(encoded) == params.generator


def test_public_key_checks_refuse_bad_keys() -> None:
    ecdh = pace.STANDARD_PARAMETERS[13]
    good = h(PACE_ECDH["map_PK_IC"])
    off_curve = good[:-1] + bytes([good[-1] ^ 1])
    for bad in (off_curve, good[:-1], b"\x02" + good[1:33], bytes(65), b""):
        with pytest.raises(pace.InvalidPublicKeyError):
            ecdh.decode_public_key(bad)
    dh = pace.STANDARD_PARAMETERS[0]
    assert isinstance(dh, pace.DhParameters)
    not_in_subgroup = dh.p - 2  # has order 2q or 2, never q
    for value in (0, 1, dh.p - 1, dh.p, not_in_subgroup):
        with pytest.raises(pace.InvalidPublicKeyError):
            dh.decode_public_key(value.to_bytes(129, "big"))
    with pytest.raises(pace.InvalidPublicKeyError):
        dh.decode_public_key(bytes(200))
    with pytest.raises(pace.InvalidPublicKeyError):
        pace.require_different(good, good)


def test_mapping_refuses_a_key_that_cancels_the_generator() -> None:
    params = pace.STANDARD_PARAMETERS[12]
    nonce = bytes(range(16))
    s = int.from_bytes(nonce, "big")
    # H = -s*G would make G~ the identity: a chip sending such a key must be refused.
    private_key = 7
    their_key = params.multiply(params.generator, (-s * pow(private_key, -1, params.order)) % params.order)
    with pytest.raises(pace.InvalidPublicKeyError, match="identity"):
        pace.generic_mapping(params, nonce, private_key, their_key)


def test_private_keys_stay_in_range_and_injected_keys_are_used_as_given() -> None:
    params = pace.STANDARD_PARAMETERS[13]
    given = h(PACE_ECDH["eph_SK_IFD"])
    assert params.random_private_key(lambda n: given) == int.from_bytes(given, "big")
    draws = iter([b"\xff" * 32, bytes(32), (5).to_bytes(32, "big")])
    assert params.random_private_key(lambda n: next(draws)) == 5  # out of range and zero are skipped
    with pytest.raises(pace.PaceError):
        params.random_private_key(lambda n: bytes(n))


def test_can_and_mrz_passwords_give_different_keys_for_each_cipher() -> None:
    for oid in ("0.4.0.127.0.7.2.2.4.2.1", "0.4.0.127.0.7.2.2.4.2.3", "0.4.0.127.0.7.2.2.4.2.4"):
        protocol = pace.PaceProtocol.from_oid(oid)
        can_key = pace.password_key("123456", "CAN", protocol)
        mrz_key = pace.password_key("123456", "MRZ", protocol)
        assert can_key != mrz_key
        assert len(can_key) == (16 if protocol.cipher is CipherKind.DES3 else protocol.key_bits // 8)
    with pytest.raises(ValueError):
        pace.password_key("", "CAN", protocol)
    with pytest.raises(ValueError):
        pace.password_key("123456", "PIN", protocol)
    with pytest.raises(pace.PaceError):
        pace.decrypt_nonce(protocol, can_key, bytes(15))


# --- PACE integrated mapping (Appendix H) --------------------------------------------------------

PACE_IM_ECDH = load("icao_9303_11_pace_im_ecdh.json")
PACE_IM_DH = load("icao_9303_11_pace_im_dh.json")


@pytest.mark.parametrize("vector", [PACE_IM_ECDH, PACE_IM_DH], ids=["H1-ECDH", "H2-DH"])
def test_pace_integrated_mapping_reproduces_appendix_h(vector: dict[str, Any]) -> None:
    protocol = pace.PaceProtocol.from_oid(vector["OID_dotted_text"])
    params = pace.domain_parameters(protocol, vector["parameter_id"])
    k_pi = pace.password_key(vector["password_CAN_inferred_text"], pace.PasswordType.CAN, protocol)
    assert k_pi == h(vector["K_pi"])
    nonce = pace.decrypt_nonce(protocol, k_pi, h(vector["z"]))
    assert nonce == h(vector["s"])
    assert len(nonce) == pace.nonce_length(protocol) and len(h(vector["t"])) == pace.key_length(protocol)

    assert pace.pseudo_random(protocol, nonce, h(vector["t"]), params.modulus) == int(vector["Rp_s_t"], 16)
    assert int(vector["R_s_t"], 16) % params.modulus == int(vector["Rp_s_t"], 16)
    mapped = pace.integrated_mapping(params, protocol, nonce, h(vector["t"]))
    assert params.encode(mapped) == h(vector.get("mapped_G") or vector["mapped_g"])

    # The DH example uses full-size private keys, so they are applied directly.
    assert params.encode(params.multiply(mapped, int(vector["eph_SK_IFD"], 16))) == h(vector["eph_PK_IFD"])
    assert params.encode(params.multiply(mapped, int(vector["eph_SK_IC"], 16))) == h(vector["eph_PK_IC"])
    secret = pace.shared_secret(
        params, int(vector["eph_SK_IC"], 16), params.decode_public_key(h(vector["eph_PK_IFD"]))
    )
    assert secret == h(vector["shared_secret_K"])
    keys = pace.session_keys(protocol, secret)
    assert (keys.k_enc, keys.k_mac) == (h(vector["KS_enc"]), h(vector["KS_mac"]))
    assert pace.authentication_token(protocol, params, keys, h(vector["eph_PK_IC"])) == h(vector["T_IFD"])
    assert pace.authentication_token(protocol, params, keys, h(vector["eph_PK_IFD"])) == h(vector["T_IC"])


def test_integrated_mapping_refuses_wrong_nonce_sizes_and_unsuitable_curves() -> None:
    protocol = pace.PaceProtocol.from_oid(PACE_IM_ECDH["OID_dotted_text"])
    params = pace.STANDARD_PARAMETERS[13]
    with pytest.raises(pace.PaceError, match="16-byte t"):
        pace.integrated_mapping(params, protocol, h(PACE_IM_ECDH["s"]), bytes(8))
    with pytest.raises(pace.UnsupportedProtocolError, match="3 mod 4"):
        pace.STANDARD_PARAMETERS[10].encode_field_element(12345)
    aes256 = pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.4.4")
    assert (pace.nonce_length(aes256), pace.key_length(aes256)) == (32, 32)
    aes192 = pace.PaceProtocol.from_oid("0.4.0.127.0.7.2.2.4.4.3")
    assert (pace.nonce_length(aes192), pace.key_length(aes192)) == (32, 24)
