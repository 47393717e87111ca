"""Chip Authentication key agreement: terminal and chip reach the same secret (9303-11 §6.2, Appendix G)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asn1crypto import core, keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_station.crypto.chipauth import (
    ChipAuthError,
    DhDomain,
    EcDomain,
    StaticPublicKey,
    chip_shared_secret,
    generate_ephemeral_key,
    named_ec_domain,
    terminal_shared_secret,
)
from cccd_station.reader.chip.pki import derive_test_ec_key

VECTORS = Path(__file__).resolve().parent / "vectors"
GM_ECDH = json.loads((VECTORS / "icao_9303_11_pace_gm_ecdh.json").read_text())["values"]
GM_DH = json.loads((VECTORS / "icao_9303_11_pace_gm_dh.json").read_text())["values"]
DH_GROUP = DhDomain(
    p=int(GM_DH["group_p"], 16), g=int(GM_DH["group_g"], 16), q=int(GM_DH["group_q"], 16)
)  # 1024-bit MODP group with 160-bit subgroup (RFC 5114 §2.1), standardised parameter 0


def ec_spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def explicit_ec_spki(domain: EcDomain, public_point: bytes) -> bytes:
    size = domain.field_bytes
    specified = keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": domain.p},
            "curve": {"a": domain.a.to_bytes(size, "big"), "b": domain.b.to_bytes(size, "big")},
            "base": domain.encode_point(domain.gx, domain.gy),
            "order": domain.n,
            "cofactor": domain.cofactor,
        }
    )
    return keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters({"specified": specified})},
            "public_key": public_point,
        }
    ).dump()


def dh_spki(domain: DhDomain, public: int) -> bytes:
    return keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "dh", "parameters": {"p": domain.p, "g": domain.g, "q": domain.q}},
            "public_key": core.Integer(public),
        }
    ).dump()


@pytest.mark.parametrize("curve", [ec.BrainpoolP256R1(), ec.SECP256R1(), ec.BrainpoolP384R1()])
def test_ecdh_secret_is_the_same_on_both_sides(curve: ec.EllipticCurve) -> None:
    chip_key = derive_test_ec_key(f"ca-{curve.name}", curve)
    chip_spki = ec_spki(chip_key)
    ephemeral = generate_ephemeral_key(chip_spki)
    assert len(ephemeral.public) == 1 + 2 * ((curve.key_size + 7) // 8) and ephemeral.public[0] == 0x04
    terminal_secret = terminal_shared_secret(chip_spki, ephemeral)
    assert terminal_secret == chip_shared_secret(chip_spki, chip_key, ephemeral.public)
    assert len(terminal_secret) == (curve.key_size + 7) // 8
    # An independent computation with the cryptography package.
    peer = ec.EllipticCurvePublicKey.from_encoded_point(curve, ephemeral.public)
    assert chip_key.exchange(ec.ECDH(), peer) == terminal_secret


def test_each_session_uses_a_fresh_ephemeral_key() -> None:
    chip_spki = ec_spki(derive_test_ec_key("ca", ec.BrainpoolP256R1()))
    assert generate_ephemeral_key(chip_spki).public != generate_ephemeral_key(chip_spki).public


def test_dh_secret_is_the_same_on_both_sides_and_padded_to_the_modulus() -> None:
    chip_private = 0x1234567890ABCDEF1234567890ABCDEF12345678
    chip_spki = dh_spki(DH_GROUP, pow(DH_GROUP.g, chip_private, DH_GROUP.p))
    ephemeral = generate_ephemeral_key(chip_spki)
    assert len(ephemeral.public) == 128
    secret = terminal_shared_secret(chip_spki, ephemeral)
    assert len(secret) == 128
    assert secret == chip_shared_secret(chip_spki, chip_private, ephemeral.public)


def test_appendix_g1_ecdh_shared_secret() -> None:
    # The key agreement step of G.1 on brainpoolP256r1; the secret depends on the curve, not the generator.
    chip_public = bytes.fromhex(GM_ECDH["eph_PK_IC"])
    spki = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters({"named": "brainpoolp256r1"}),
            },
            "public_key": chip_public,
        }
    ).dump()
    secret = chip_shared_secret(spki, int(GM_ECDH["eph_SK_IC"], 16), bytes.fromhex(GM_ECDH["eph_PK_IFD"]))
    assert secret.hex().upper() == GM_ECDH["shared_secret_K"]


def test_appendix_g2_dh_shared_secret() -> None:
    chip_public = int(GM_DH["eph_PK_IC"], 16)
    spki = dh_spki(DH_GROUP, chip_public)
    secret = chip_shared_secret(spki, int(GM_DH["eph_SK_IC"], 16), bytes.fromhex(GM_DH["eph_PK_IFD"]))
    assert secret.hex().upper() == GM_DH["shared_secret_K"]


def test_explicit_parameters_of_a_known_curve_are_recognised() -> None:
    chip_key = derive_test_ec_key("ca-explicit", ec.BrainpoolP256R1())
    point = chip_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    spki = explicit_ec_spki(named_ec_domain("brainpoolp256r1"), point)
    parsed = StaticPublicKey.from_spki(spki)
    assert isinstance(parsed.domain, EcDomain) and parsed.domain.name == "brainpoolp256r1"
    ephemeral = generate_ephemeral_key(spki)
    assert terminal_shared_secret(spki, ephemeral) == chip_shared_secret(spki, chip_key, ephemeral.public)


def test_explicit_curve_the_crypto_library_lacks_still_agrees() -> None:
    # brainpoolP320r1, given explicitly: computed with plain arithmetic on both sides.
    domain = named_ec_domain("brainpoolp320r1")
    chip_private = 0xC0FFEE
    anonymous = EcDomain(domain.p, domain.a, domain.b, domain.gx, domain.gy, domain.n, domain.cofactor)
    spki = explicit_ec_spki(
        anonymous, domain.encode_point(*domain.multiply(chip_private, domain.gx, domain.gy))
    )
    ephemeral = generate_ephemeral_key(spki)
    assert len(ephemeral.public) == 1 + 2 * 40
    assert terminal_shared_secret(spki, ephemeral) == chip_shared_secret(spki, chip_private, ephemeral.public)


def test_point_off_the_curve_is_refused() -> None:
    chip_key = derive_test_ec_key("ca", ec.BrainpoolP256R1())
    spki = ec_spki(chip_key)
    good = generate_ephemeral_key(spki).public
    bad = good[:-1] + bytes([good[-1] ^ 1])
    with pytest.raises(ChipAuthError, match="not on the curve"):
        chip_shared_secret(spki, chip_key, bad)
    with pytest.raises(ChipAuthError):
        chip_shared_secret(spki, chip_key, good[:-1])


@pytest.mark.parametrize("value", [0, 1, DH_GROUP.p - 1, DH_GROUP.p, 2])
def test_dh_public_values_outside_the_group_are_refused(value: int) -> None:
    # 2 is in range but (for this group) not in the order-q subgroup.
    chip_spki = dh_spki(DH_GROUP, pow(DH_GROUP.g, 7, DH_GROUP.p))
    with pytest.raises(ChipAuthError):
        chip_shared_secret(chip_spki, 7, value.to_bytes(129, "big"))


def test_malformed_spki_is_a_specific_error() -> None:
    with pytest.raises(ChipAuthError):
        StaticPublicKey.from_spki(b"\x30\x05garbage")
