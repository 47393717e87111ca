"""PACE computations for both ends (ICAO 9303-11 §4.4, Appendix G; BSI TR-03110-3 §A.3).

Pure functions: protocol OIDs, standardized domain parameters (9303-11 §9.5.1), the password key
K_pi, nonce encryption, the generic mapping (9303-11 §4.4.3.3.1), key agreement, session keys and
the authentication tokens over the ``7F49`` public-key data object (TR-03110-3 §D.3.4). Elliptic-curve
arithmetic comes from the ``ecdsa`` package; randomness is a ``Callable[[int], bytes]`` so tests can
replay the worked examples. The generic and the integrated mapping (Appendix H) are implemented;
the chip authentication mapping is not.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from asn1crypto.core import ObjectIdentifier
from ecdsa import curves
from ecdsa.ellipticcurve import INFINITY, PointJacobi

from cccd_station.crypto.der import encode_tlv
from cccd_station.crypto.symmetric import (
    KDF_PI,
    CipherKind,
    SmKeys,
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    derive_key,
    des3_cbc_decrypt,
    des3_cbc_encrypt,
    pad,
    retail_mac,
    unpad,
)

Rng = Callable[[int], bytes]

TOKEN_LENGTH = 8
MAX_NONCE_LENGTH = 64
MAX_KEY_TRIES = 64  # rejection sampling; a sound random source needs one or two

ID_PACE = "0.4.0.127.0.7.2.2.4"
TAG_PUBLIC_KEY_TEMPLATE = 0x7F49
TAG_OID = 0x06
TAG_EC_POINT = 0x86
TAG_DH_VALUE = 0x84


class PaceError(Exception):
    """PACE cannot go on: bad key material from the other side, or an unknown protocol."""


class InvalidPublicKeyError(PaceError):
    """A public key or mapped generator fails the validity checks of 9303-11 §4.4."""


class UnsupportedProtocolError(PaceError):
    """The OID or parameter ID is not one this station can run."""


class PasswordType(StrEnum):
    """Which printed secret the clerk entered; the value is the reference sent in DO83 (9303-11 §4.4.4.1)."""

    MRZ = "MRZ"
    CAN = "CAN"

    @property
    def reference(self) -> int:
        return 0x01 if self is PasswordType.MRZ else 0x02


class KeyAgreement(StrEnum):
    DH = "DH"
    ECDH = "ECDH"


class Mapping(StrEnum):
    GM = "GM"  # generic mapping
    IM = "IM"  # integrated mapping
    CAM = "CAM"  # chip authentication mapping


_FAMILIES: dict[str, tuple[KeyAgreement, Mapping]] = {
    "1": (KeyAgreement.DH, Mapping.GM),
    "2": (KeyAgreement.ECDH, Mapping.GM),
    "3": (KeyAgreement.DH, Mapping.IM),
    "4": (KeyAgreement.ECDH, Mapping.IM),
    "6": (KeyAgreement.ECDH, Mapping.CAM),
}
_SUITES: dict[str, tuple[CipherKind, int]] = {
    "1": (CipherKind.DES3, 112),
    "2": (CipherKind.AES, 128),
    "3": (CipherKind.AES, 192),
    "4": (CipherKind.AES, 256),
}


@dataclass(frozen=True)
class PaceProtocol:
    """One PACE protocol OID, taken apart (9303-11 §9.2.1, id-PACE-<KA>-<mapping>-<cipher>)."""

    oid: str
    key_agreement: KeyAgreement
    mapping: Mapping
    cipher: CipherKind
    key_bits: int

    @classmethod
    def from_oid(cls, oid: str) -> PaceProtocol:
        """Decode ``id-PACE-*`` (9303-11 §9.2.1); UnsupportedProtocolError for anything else."""
        prefix, _, arcs = oid.partition(ID_PACE + ".")
        family, _, suite = arcs.partition(".")
        if prefix or family not in _FAMILIES or suite not in _SUITES:
            raise UnsupportedProtocolError(f"{oid} is not a PACE protocol OID")
        key_agreement, mapping = _FAMILIES[family]
        cipher, key_bits = _SUITES[suite]
        if mapping is Mapping.CAM and cipher is CipherKind.DES3:
            raise UnsupportedProtocolError("PACE-CAM has no 3DES variant")
        return cls(oid, key_agreement, mapping, cipher, key_bits)

    @property
    def name(self) -> str:
        """A short name for the clerk, such as ``PACE-ECDH-GM-AES-128``."""
        cipher = "3DES" if self.cipher is CipherKind.DES3 else f"AES-{self.key_bits}"
        return f"PACE-{self.key_agreement}-{self.mapping}-{cipher}"

    @property
    def block_size(self) -> int:
        return 8 if self.cipher is CipherKind.DES3 else 16


E = TypeVar("E")


class DomainParameters(ABC, Generic[E]):
    """A group PACE runs in; elements are ecdsa points (ECDH) or integers mod p (DH)."""

    parameter_id: int
    name: str
    key_agreement: KeyAgreement
    public_key_tag: int  # inside 7F49: 86 for an EC point, 84 for a DH value

    @property
    @abstractmethod
    def generator(self) -> E: ...

    @property
    @abstractmethod
    def order(self) -> int: ...

    @abstractmethod
    def multiply(self, element: E, scalar: int) -> E: ...

    @abstractmethod
    def combine(self, first: E, second: E) -> E:
        """The group operation: point addition, or multiplication mod p."""

    @abstractmethod
    def is_identity(self, element: E) -> bool: ...

    @abstractmethod
    def encode(self, element: E) -> bytes:
        """The public-key encoding of 9303-11 §4.4.3.3 / TR-03110-3 §D.3.4 (fixed length)."""

    @abstractmethod
    def decode_public_key(self, data: bytes) -> E:
        """Parse and validate the other side's public key; InvalidPublicKeyError when unusable."""

    @abstractmethod
    def shared_secret_bytes(self, element: E) -> bytes:
        """K of the key agreement: the x-coordinate (ECDH) or the value itself (DH), fixed length."""

    @property
    @abstractmethod
    def modulus(self) -> int:
        """p: the field prime (ECDH) or the group modulus (DH)."""

    @abstractmethod
    def encode_field_element(self, value: int) -> E:
        """f_G / f_g of the integrated mapping: a field element to a group element (9303-11 §4.4.3.3.2)."""

    def random_private_key(self, rng: Rng) -> int:
        """A uniformly chosen key in [1, order - 1]; rejection sampling keeps injected keys as given."""
        bits = self.order.bit_length()
        for _ in range(MAX_KEY_TRIES):
            candidate = int.from_bytes(rng((bits + 7) // 8), "big") & ((1 << bits) - 1)
            if 1 <= candidate < self.order:
                return candidate
        raise PaceError("the random source keeps giving unusable private keys")


@dataclass(frozen=True)
class EcParameters(DomainParameters[Any]):
    """Standardized elliptic-curve domain parameters; all of them have cofactor 1."""

    parameter_id: int
    name: str
    curve: curves.Curve
    key_agreement: KeyAgreement = KeyAgreement.ECDH
    public_key_tag: int = TAG_EC_POINT

    @property
    def generator(self) -> Any:
        return self.curve.generator

    @property
    def order(self) -> int:
        return int(self.curve.order)

    @property
    def field_bytes(self) -> int:
        return (int(self.curve.curve.p()).bit_length() + 7) // 8

    def multiply(self, element: Any, scalar: int) -> Any:
        return element * scalar

    def combine(self, first: Any, second: Any) -> Any:
        return first + second

    def is_identity(self, element: Any) -> bool:
        return bool(element == INFINITY)

    def encode(self, element: Any) -> bytes:
        if self.is_identity(element):
            raise InvalidPublicKeyError("the point at infinity has no public-key encoding")
        size = self.field_bytes
        return b"\x04" + int(element.x()).to_bytes(size, "big") + int(element.y()).to_bytes(size, "big")

    def decode_public_key(self, data: bytes) -> Any:
        size = self.field_bytes
        if len(data) != 1 + 2 * size or data[0] != 0x04:
            raise InvalidPublicKeyError(f"not an uncompressed point on {self.name}")
        x, y = int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big")
        field = self.curve.curve
        if x >= field.p() or y >= field.p() or not field.contains_point(x, y):
            raise InvalidPublicKeyError(f"the point is not on {self.name}")
        return PointJacobi(field, x, y, 1, self.curve.order)

    def shared_secret_bytes(self, element: Any) -> bytes:
        if self.is_identity(element):
            raise InvalidPublicKeyError("the key agreement gave the point at infinity")
        return int(element.x()).to_bytes(self.field_bytes, "big")

    @property
    def modulus(self) -> int:
        return int(self.curve.curve.p())

    def encode_field_element(self, value: int) -> Any:
        """Point encoding of 9303-11 Appendix B.2 (affine, for p = 3 mod 4; all curves have cofactor 1)."""
        p, a, b = self.modulus, int(self.curve.curve.a()), int(self.curve.curve.b())
        if p % 4 != 3:
            raise UnsupportedProtocolError(
                f"the integrated mapping needs p = 3 mod 4, which {self.name} lacks"
            )
        t = value % p
        alpha = -t * t % p
        denominator = (alpha + alpha * alpha) % p
        if t == 0 or denominator == 0:
            raise InvalidPublicKeyError("the nonces map to an exceptional field element")
        x2 = -b * pow(a, -1, p) * (1 + pow(denominator, -1, p)) % p
        x3 = alpha * x2 % p
        h2 = (x2 * x2 * x2 + a * x2 + b) % p
        root = pow(h2, p - 1 - (p + 1) // 4, p)  # 1/sqrt(h2) when h2 is a square
        if root * root * h2 % p == 1:
            x, y = x2, root * h2 % p
        else:
            x, y = x3, root * (t * t * t * h2) % p
        return PointJacobi(self.curve.curve, x, y, 1, self.curve.order)


@dataclass(frozen=True)
class DhParameters(DomainParameters[int]):
    """A MODP group with a prime-order subgroup (RFC 5114 §2.1-2.3)."""

    parameter_id: int
    name: str
    p: int
    g: int
    q: int
    key_agreement: KeyAgreement = KeyAgreement.DH
    public_key_tag: int = TAG_DH_VALUE

    @property
    def generator(self) -> int:
        return self.g

    @property
    def order(self) -> int:
        return self.q

    @property
    def value_bytes(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def multiply(self, element: int, scalar: int) -> int:
        return pow(element, scalar, self.p)

    def combine(self, first: int, second: int) -> int:
        return first * second % self.p

    def is_identity(self, element: int) -> bool:
        return element == 1

    def encode(self, element: int) -> bytes:
        return element.to_bytes(self.value_bytes, "big")

    def decode_public_key(self, data: bytes) -> int:
        # One extra leading zero byte is tolerated: some encoders write the value as a signed INTEGER.
        if not data or len(data) > self.value_bytes + 1:
            raise InvalidPublicKeyError(f"a {self.name} public value must be {self.value_bytes} bytes")
        value = int.from_bytes(data, "big")
        if not 1 < value < self.p - 1 or pow(value, self.q, self.p) != 1:
            raise InvalidPublicKeyError(f"the value is not in the prime-order subgroup of {self.name}")
        return value

    def shared_secret_bytes(self, element: int) -> bytes:
        if element in (0, 1, self.p - 1):
            raise InvalidPublicKeyError("the key agreement gave a degenerate value")
        return self.encode(element)

    @property
    def modulus(self) -> int:
        return self.p

    def encode_field_element(self, value: int) -> int:
        """f_g(x) = x^((p-1)/q) mod p (9303-11 §4.4.3.3.2)."""
        return pow(value, (self.p - 1) // self.q, self.p)


def _hex(text: str) -> int:
    return int("".join(text.split()), 16)


_MODP_1024_160 = DhParameters(
    0,
    "MODP-1024-160",
    p=_hex(
        "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C0"
        "13ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0"
        "A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371"
    ),
    g=_hex(
        "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213"
        "160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28A"
        "D662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5"
    ),
    q=_hex("F518AA8781A8DF278ABA4E7D64B7CB9D49462353"),
)
_MODP_2048_224 = DhParameters(
    1,
    "MODP-2048-224",
    p=_hex(
        "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15"
        "EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207"
        "C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330"
        "278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8"
        "BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71"
        "CF9DE5384E71B81C0AC4DFFE0C10E64F"
    ),
    g=_hex(
        "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFA"
        "AB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98A"
        "E247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EF"
        "BB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381"
        "B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC0179"
        "81BC087F2A7065B384B890D3191F2BFA"
    ),
    q=_hex("801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB"),
)
_MODP_2048_256 = DhParameters(
    2,
    "MODP-2048-256",
    p=_hex(
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30"
        "16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B"
        "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E"
        "F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026"
        "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F"
        "693877FAD7EF09CADB094AE91E1A1597"
    ),
    g=_hex(
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555"
        "BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B"
        "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55"
        "A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915"
        "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451"
        "5E2327CFEF98C582664B4C0F6CC41659"
    ),
    q=_hex("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3"),
)

# Standardized domain parameters, 9303-11 §9.5.1 (IDs 3-7 are reserved, 0-2 are RFC 5114 groups).
STANDARD_PARAMETERS: dict[int, DomainParameters[Any]] = {
    0: _MODP_1024_160,
    1: _MODP_2048_224,
    2: _MODP_2048_256,
    8: EcParameters(8, "secp192r1", curves.NIST192p),
    9: EcParameters(9, "brainpoolP192r1", curves.BRAINPOOLP192r1),
    10: EcParameters(10, "secp224r1", curves.NIST224p),
    11: EcParameters(11, "brainpoolP224r1", curves.BRAINPOOLP224r1),
    12: EcParameters(12, "secp256r1", curves.NIST256p),
    13: EcParameters(13, "brainpoolP256r1", curves.BRAINPOOLP256r1),
    14: EcParameters(14, "brainpoolP320r1", curves.BRAINPOOLP320r1),
    15: EcParameters(15, "secp384r1", curves.NIST384p),
    16: EcParameters(16, "brainpoolP384r1", curves.BRAINPOOLP384r1),
    17: EcParameters(17, "brainpoolP512r1", curves.BRAINPOOLP512r1),
    18: EcParameters(18, "secp521r1", curves.NIST521p),
}


def domain_parameters(protocol: PaceProtocol, parameter_id: int | None) -> DomainParameters[Any]:
    """The standardized group for ``parameter_id``, checked against the protocol's key agreement."""
    if parameter_id is None or parameter_id not in STANDARD_PARAMETERS:
        raise UnsupportedProtocolError(f"domain parameter ID {parameter_id} is not a standardized one")
    params = STANDARD_PARAMETERS[parameter_id]
    if params.key_agreement is not protocol.key_agreement:
        raise UnsupportedProtocolError(f"{params.name} cannot serve {protocol.name}")
    return params


def password_key(password: str | bytes, password_type: PasswordType | str, protocol: PaceProtocol) -> bytes:
    """K_pi = KDF_pi(f(pi)) (9303-11 §4.4.3.1, §9.7.3): f is SHA-1 of MRZ_information, or the CAN itself."""
    raw = password.encode("ascii") if isinstance(password, str) else password
    if not raw:
        raise ValueError("the PACE password is empty")
    if PasswordType(password_type) is PasswordType.CAN:
        return derive_key(raw, KDF_PI, protocol.cipher, protocol.key_bits)
    secret = hashlib.sha1(raw).digest()  # noqa: S324 - mandated by 9303-11
    return derive_key(secret, KDF_PI, protocol.cipher, protocol.key_bits)


def _check_nonce_length(protocol: PaceProtocol, data: bytes) -> None:
    if not data or len(data) % protocol.block_size or len(data) > MAX_NONCE_LENGTH:
        raise PaceError(f"the encrypted nonce has an unusable length ({len(data)} bytes)")


def encrypt_nonce(protocol: PaceProtocol, k_pi: bytes, nonce: bytes) -> bytes:
    """z = E(K_pi, s), CBC with a zero IV and no padding (9303-11 §4.4.3.1)."""
    _check_nonce_length(protocol, nonce)
    if protocol.cipher is CipherKind.DES3:
        return des3_cbc_encrypt(k_pi, nonce)
    return aes_cbc_encrypt(k_pi, nonce)


def decrypt_nonce(protocol: PaceProtocol, k_pi: bytes, encrypted: bytes) -> bytes:
    """s = D(K_pi, z) (9303-11 §4.4.3.1); a wrong password gives a different s, found out at the tokens."""
    _check_nonce_length(protocol, encrypted)
    if protocol.cipher is CipherKind.DES3:
        return des3_cbc_decrypt(k_pi, encrypted)
    return aes_cbc_decrypt(k_pi, encrypted)


def require_different(own_public_key: bytes, their_public_key: bytes) -> None:
    """9303-11 §4.4.3.3: a public key echoed back by the other side must be refused."""
    if hmac.compare_digest(own_public_key, their_public_key):
        raise InvalidPublicKeyError("the other side sent our own public key back")


def generic_mapping(
    params: DomainParameters[E], nonce: bytes, own_private_key: int, their_public_key: E
) -> E:
    """The mapped generator G~ = s*G + H with H = SK * PK (9303-11 §4.4.3.3.1; DH: g~ = g^s * h)."""
    shared = params.multiply(their_public_key, own_private_key)
    if params.is_identity(shared):
        raise InvalidPublicKeyError("the mapping key agreement gave the identity")
    mapped = params.combine(params.multiply(params.generator, int.from_bytes(nonce, "big")), shared)
    if params.is_identity(mapped):
        raise InvalidPublicKeyError("the mapped generator is the identity")
    return mapped


# Constants of the pseudo-random function R(s, t), 9303-11 §4.4.3.3.2, by output block length l.
_PRF_CONSTANTS: dict[int, tuple[bytes, bytes]] = {
    16: (
        bytes.fromhex("a668892a7c41e3ca739f40b057d85904"),
        bytes.fromhex("a4e136ac725f738b01c1f60217c188ad"),
    ),
    32: (
        bytes.fromhex("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676"),
        bytes.fromhex("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517"),
    ),
}


def nonce_length(protocol: PaceProtocol) -> int:
    """Bytes of the chip's nonce s: the fewest whole blocks that cover the key (9303-11 §4.4.3.3)."""
    return 16 if protocol.cipher is CipherKind.DES3 or protocol.key_bits == 128 else 32


def key_length(protocol: PaceProtocol) -> int:
    """Bytes of the terminal's nonce t of the integrated mapping: the key size (3DES counts as 128 bits)."""
    return 16 if protocol.cipher is CipherKind.DES3 else protocol.key_bits // 8


def _cbc_encrypt(protocol: PaceProtocol, key: bytes, data: bytes) -> bytes:
    if protocol.cipher is CipherKind.DES3:
        return des3_cbc_encrypt(key, data)
    return aes_cbc_encrypt(key, data)


def pseudo_random(protocol: PaceProtocol, s: bytes, t: bytes, modulus: int) -> int:
    """R_p(s, t) of the integrated mapping (9303-11 §4.4.3.3.2): k0 = E(t, s), x_i = E(k_i-1, c1),
    k_i = E(k_i-1, c0), each k truncated to the key size; int(x1 || ... || xn) mod p."""
    block, key_size = nonce_length(protocol), key_length(protocol)
    if len(s) != block or len(t) != key_size:
        raise PaceError(f"the integrated mapping needs a {block}-byte s and a {key_size}-byte t")
    c0, c1 = _PRF_CONSTANTS[block]
    rounds = -(-(modulus.bit_length() + 64) // (8 * block))  # smallest n with n*l >= log2 p + 64
    key = _cbc_encrypt(protocol, t, s)[:key_size]
    output = b""
    for _ in range(rounds):
        output += _cbc_encrypt(protocol, key, c1)
        key = _cbc_encrypt(protocol, key, c0)[:key_size]
    return int.from_bytes(output, "big") % modulus


def integrated_mapping(params: DomainParameters[E], protocol: PaceProtocol, s: bytes, t: bytes) -> E:
    """The mapped generator f_G(R_p(s, t)) (9303-11 §4.4.3.3.2); never the identity."""
    mapped = params.encode_field_element(pseudo_random(protocol, s, t, params.modulus))
    if params.is_identity(mapped):
        raise InvalidPublicKeyError("the integrated mapping gave the identity")
    return mapped


def key_pair(params: DomainParameters[E], generator: E, rng: Rng) -> tuple[int, E]:
    """A private key and its public key on ``generator`` (the standard one, or a mapped one)."""
    private_key = params.random_private_key(rng)
    return private_key, params.multiply(generator, private_key)


def shared_secret(params: DomainParameters[E], own_private_key: int, their_public_key: E) -> bytes:
    """K of the ephemeral key agreement (9303-11 §4.4.3.4)."""
    return params.shared_secret_bytes(params.multiply(their_public_key, own_private_key))


def session_keys(protocol: PaceProtocol, secret: bytes) -> SmKeys:
    """KS_enc and KS_mac from the shared secret (9303-11 §4.4.3.4, §9.7.1)."""
    return SmKeys.derive(secret, protocol.cipher, protocol.key_bits)


def oid_content(dotted: str) -> bytes:
    """The content octets of an OBJECT IDENTIFIER (X.690 §8.19)."""
    return bytes(ObjectIdentifier(dotted).contents or b"")


def public_key_data_object(protocol: PaceProtocol, params: DomainParameters[Any], public_key: bytes) -> bytes:
    """``7F49 { 06 OID, 86 point | 84 value }``, the MAC input of the tokens (TR-03110-3 §D.3.4)."""
    body = encode_tlv(TAG_OID, oid_content(protocol.oid)) + encode_tlv(params.public_key_tag, public_key)
    return encode_tlv(TAG_PUBLIC_KEY_TEMPLATE, body)


def authentication_token(
    protocol: PaceProtocol, params: DomainParameters[Any], keys: SmKeys, their_public_key: bytes
) -> bytes:
    """T = MAC(KS_mac, PK of the other side) (9303-11 §4.4.3.4): AES-CMAC or padded retail MAC, 8 bytes."""
    data = public_key_data_object(protocol, params, their_public_key)
    if protocol.cipher is CipherKind.DES3:
        return retail_mac(keys.k_mac, pad(data, 8))
    return aes_cmac(keys.k_mac, data)[:TOKEN_LENGTH]


def token_matches(
    protocol: PaceProtocol, params: DomainParameters[Any], keys: SmKeys, own_public_key: bytes, token: bytes
) -> bool:
    """Whether the other side's token was computed over our public key with the same KS_mac."""
    expected = authentication_token(protocol, params, keys, own_public_key)
    return hmac.compare_digest(expected, token)


# --- chip authentication mapping (9303-11 §4.4.3.5, Appendix I) ---------------------------------------

AES_BLOCK = 16


def _cam_iv(keys: SmKeys) -> bytes:
    """IV = E(KS_enc, -1): the all-ones block encrypted under KS_enc (9303-11 §9.8.6.2)."""
    return aes_cbc_encrypt(keys.k_enc, b"\xff" * AES_BLOCK)


def _order_bytes(params: DomainParameters[Any]) -> int:
    return (params.order.bit_length() + 7) // 8


def chip_authentication_data(params: DomainParameters[Any], static_private: int, map_private: int) -> bytes:
    """CA_IC = SK_IC^-1 * SK_Map,IC mod n, the chip's proof that it holds its static key (§4.4.3.5.1)."""
    n = params.order
    if not 0 < static_private < n or not 0 < map_private < n:
        raise PaceError("private keys out of range for the chip authentication mapping")
    return (pow(static_private, -1, n) * map_private % n).to_bytes(_order_bytes(params), "big")


def encrypt_chip_authentication_data(keys: SmKeys, data: bytes) -> bytes:
    """A_IC = E(KS_enc, CA_IC): AES-CBC with IV = E(KS_enc, -1) and method-2 padding (§4.4.3.5.1)."""
    if keys.cipher is not CipherKind.AES:
        raise UnsupportedProtocolError("PACE-CAM runs with AES only")
    return aes_cbc_encrypt(keys.k_enc, pad(data, AES_BLOCK), _cam_iv(keys))


def decrypt_chip_authentication_data(keys: SmKeys, encrypted: bytes) -> bytes:
    """CA_IC from A_IC; PaceError when the cryptogram cannot be one (length, padding)."""
    if keys.cipher is not CipherKind.AES:
        raise UnsupportedProtocolError("PACE-CAM runs with AES only")
    if not encrypted or len(encrypted) % AES_BLOCK or len(encrypted) > MAX_NONCE_LENGTH * 2:
        raise PaceError(f"the chip authentication data has an unusable length ({len(encrypted)} bytes)")
    try:
        return unpad(aes_cbc_decrypt(keys.k_enc, encrypted, _cam_iv(keys)))
    except ValueError as error:
        raise PaceError(f"the chip authentication data is not padded: {error}") from error


def chip_authentication_mapping_holds(
    params: DomainParameters[Any], ca_ic: bytes, static_public: bytes, map_public: bytes
) -> bool:
    """Whether PK_Map,IC = CA_IC * PK_IC (§4.4.3.5.2): the chip that ran the mapping holds the private
    key of ``static_public`` (DG14's key, trusted only after passive authentication). Keys are
    uncompressed points; InvalidPublicKeyError when one is not a point of ``params``."""
    if not isinstance(params, EcParameters):
        raise UnsupportedProtocolError("the chip authentication mapping is defined for ECDH only")
    factor = int.from_bytes(ca_ic, "big")
    if not ca_ic or len(ca_ic) > _order_bytes(params) or not 0 < factor < params.order:
        return False
    expected = params.decode_public_key(map_public)
    product = params.multiply(params.decode_public_key(static_public), factor)
    return not params.is_identity(product) and hmac.compare_digest(
        params.encode(product), params.encode(expected)
    )
