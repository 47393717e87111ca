"""Secure messaging and key derivation against ICAO 9303-11 Appendix D (D.1, D.3, D.4), byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cccd_station.crypto.symmetric import KDF_ENC, KDF_MAC, CipherKind, SmKeys, derive_key, pad, unpad
from cccd_station.reader.apdu import CommandApdu, ResponseApdu
from cccd_station.reader.errors import SecureMessagingError
from cccd_station.reader.sm import SecureChannel, unwrap_command, wrap_response

VECTORS = Path(__file__).resolve().parent / "vectors"


def _values(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())["values"]


BAC = _values("icao_9303_11_bac.json")
H = bytes.fromhex


def test_kdf_reproduces_d1_keys_with_des_parity() -> None:
    seed = H(BAC["D1_Kseed"])
    assert derive_key(seed, KDF_ENC, CipherKind.DES3) == H(BAC["D1_enc_Ka"] + BAC["D1_enc_Kb"])
    assert derive_key(seed, KDF_MAC, CipherKind.DES3) == H(BAC["D1_mac_Ka"] + BAC["D1_mac_Kb"])


def test_session_keys_from_d3_key_seed() -> None:
    keys = SmKeys.derive(H(BAC["session_Kseed"]), CipherKind.DES3)
    assert keys.k_enc == H(BAC["KSEnc"]) and keys.k_mac == H(BAC["KSMAC"])


class ScriptedChannel:
    """Answers with the printed responses and records what the terminal sent."""

    def __init__(self, responses: list[bytes]) -> None:
        self.responses = list(responses)
        self.sent: list[bytes] = []

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        self.sent.append(cmd.to_bytes())
        raw = self.responses.pop(0)
        return ResponseApdu(raw[:-2], int.from_bytes(raw[-2:], "big"))


def _session() -> tuple[SmKeys, int]:
    return SmKeys(CipherKind.DES3, H(BAC["KSEnc"]), H(BAC["KSMAC"])), int(BAC["SSC"], 16)


def test_d4_transcript_terminal_side() -> None:
    steps = BAC["secure_messaging"]
    keys, ssc = _session()
    plain = ScriptedChannel([H(step["response"]) for step in steps])
    secure = SecureChannel(plain, keys, ssc)
    received = b""
    for step in steps:
        response = secure.transmit(CommandApdu.from_bytes(H(step["unprotected_command"])))
        assert response.ok
        assert response.data == H(step["decrypted_data"])
        received += response.data
        assert secure.ssc == int(step["SSC_after"], 16)
    assert plain.sent == [H(step["protected_command"]) for step in steps]
    assert received == H(BAC["EF_COM"])


def test_d4_transcript_chip_side() -> None:
    keys, ssc = _session()
    for step in BAC["secure_messaging"]:
        ssc += 1
        plain = unwrap_command(keys, ssc, CommandApdu.from_bytes(H(step["protected_command"])))
        assert plain == CommandApdu.from_bytes(H(step["unprotected_command"]))
        ssc += 1
        answer = wrap_response(keys, ssc, ResponseApdu(H(step["decrypted_data"]), 0x9000))
        assert answer.to_bytes() == H(step["response"])


def test_tampered_response_mac_ends_the_session() -> None:
    step = BAC["secure_messaging"][1]
    keys, ssc = _session()
    ssc += 2  # the counter after step 1
    tampered = bytearray(H(step["response"]))
    tampered[5] ^= 0x01  # inside the cryptogram
    secure = SecureChannel(ScriptedChannel([bytes(tampered)]), keys, ssc)
    with pytest.raises(SecureMessagingError, match="MAC"):
        secure.transmit(CommandApdu.from_bytes(H(step["unprotected_command"])))
    with pytest.raises(SecureMessagingError, match="open the chip again"):
        secure.transmit(CommandApdu.from_bytes(H(step["unprotected_command"])))


def test_unprotected_success_is_never_accepted() -> None:
    keys, ssc = _session()
    secure = SecureChannel(ScriptedChannel([H("60145F019000")]), keys, ssc)
    with pytest.raises(SecureMessagingError):
        secure.transmit(CommandApdu(0, 0xB0, 0, 0, ne=4))


@pytest.mark.parametrize(
    ("cipher", "bits"),
    [(CipherKind.DES3, 128), (CipherKind.AES, 128), (CipherKind.AES, 192), (CipherKind.AES, 256)],
)
@pytest.mark.parametrize(
    "cmd",
    [
        CommandApdu(0x00, 0xA4, 0x02, 0x0C, b"\x01\x1e"),
        CommandApdu(0x00, 0xB0, 0x81, 0x00, ne=0xDF),
        CommandApdu(0x00, 0xB0, 0x00, 0x10, ne=4000),
        CommandApdu(0x00, 0xB1, 0x00, 0x00, b"\x54\x03\x00\x80\x00", ne=300),
        CommandApdu(0x00, 0x88, 0x00, 0x00, bytes(range(256)) * 2, ne=256),
    ],
)
def test_round_trip_every_cipher(cipher: CipherKind, bits: int, cmd: CommandApdu) -> None:
    keys = SmKeys.derive(b"shared secret", cipher, bits)
    data = bytes(range(200)) * 3

    class Chip:
        def transmit(self, protected: CommandApdu) -> ResponseApdu:
            wire = CommandApdu.from_bytes(protected.to_bytes())
            assert unwrap_command(keys, 1, wire) == cmd
            return wrap_response(keys, 2, ResponseApdu(data, 0x9000), odd_ins=bool(cmd.ins & 1))

    assert SecureChannel(Chip(), keys, 0).transmit(cmd) == ResponseApdu(data, 0x9000)


def test_padding_method_2() -> None:
    assert pad(b"\x01\x1e", 8) == H("011E800000000000")
    assert unpad(pad(b"", 16)) == b""
    with pytest.raises(ValueError, match="padding"):
        unpad(bytes(8))
