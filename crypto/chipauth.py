"""Chip Authentication key agreement (ICAO 9303-11 §6.2, BSI TR-03110-3 §A.1) and EC domain parameters.

Pure functions used by both ends: the terminal generates an ephemeral key pair on the domain parameters of
the chip's static key (from DG14's ChipAuthenticationPublicKeyInfo) and computes the shared secret; the
virtual chip computes the same secret from its static private key and the terminal's ephemeral public key.
Key derivation from the secret is done by crypto.symmetric.derive_key.

Domain parameters may be named or explicit (9303-11 and TR-03110 allow explicit EC parameters); explicit
ones are mapped to a known curve when p, a, b, G, n match, and otherwise computed with plain arithmetic.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

import ecdsa.curves
import ecdsa.ellipticcurve
from asn1crypto import core, keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


class ChipAuthError(ValueError):
    """Domain parameters or a public key that Chip Authentication cannot use."""


class UnsupportedCurveError(ChipAuthError):
    """Explicit elliptic-curve parameters that match no curve we know."""


# Curves the cryptography package implements, by asn1crypto's curve name.
_CRYPTOGRAPHY_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "secp192r1": ec.SECP192R1,
    "secp224r1": ec.SECP224R1,
    "secp256r1": ec.SECP256R1,
    "secp384r1": ec.SECP384R1,
    "secp521r1": ec.SECP521R1,
    "secp256k1": ec.SECP256K1,
    "brainpoolp256r1": ec.BrainpoolP256R1,
    "brainpoolp384r1": ec.BrainpoolP384R1,
    "brainpoolp512r1": ec.BrainpoolP512R1,
}

# The ecdsa package's names for the prime curves asn1crypto names (used for their parameters).
_ECDSA_NAMES = {
    "secp192r1": "NIST192p",
    "secp224r1": "NIST224p",
    "secp256r1": "NIST256p",
    "secp384r1": "NIST384p",
    "secp521r1": "NIST521p",
    "secp256k1": "SECP256k1",
    **{
        f"brainpoolp{bits}{kind}1": f"BRAINPOOLP{bits}{kind}1"
        for bits in (160, 192, 224, 256, 320, 384, 512)
        for kind in ("r", "t")
    },
}


@dataclass(frozen=True)
class EcDomain:
    """Prime-field curve y² = x³ + ax + b over GF(p) with base point G of order n (TR-03110-3 §A.2.1)."""

    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    cofactor: int
    name: str | None = None

    @property
    def field_bytes(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def cryptography_curve(self) -> ec.EllipticCurve | None:
        """The cryptography curve object, when that package implements this curve."""
        curve_class = _CRYPTOGRAPHY_CURVES.get(self.name or "")
        return curve_class() if curve_class else None

    def encode_point(self, x: int, y: int) -> bytes:
        """Uncompressed point encoding 04 || X || Y (TR-03110-3 §A.2.2.3)."""
        size = self.field_bytes
        return b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big")

    def decode_point(self, encoded: bytes) -> tuple[int, int]:
        """Parse an uncompressed point and check it lies on the curve (an invalid point leaks the key)."""
        size = self.field_bytes
        if len(encoded) != 1 + 2 * size or encoded[0] != 0x04:
            raise ChipAuthError(f"expected an uncompressed point of {1 + 2 * size} bytes, got {len(encoded)}")
        x = int.from_bytes(encoded[1 : 1 + size], "big")
        y = int.from_bytes(encoded[1 + size :], "big")
        if not (x < self.p and y < self.p) or (y * y - (x * x * x + self.a * x + self.b)) % self.p:
            raise ChipAuthError("the public point is not on the curve")
        return x, y

    def multiply(self, scalar: int, x: int, y: int) -> tuple[int, int]:
        """scalar·(x, y) with plain arithmetic, for curves the cryptography package lacks."""
        curve = ecdsa.ellipticcurve.CurveFp(self.p, self.a, self.b, self.cofactor)
        point = ecdsa.ellipticcurve.PointJacobi(curve, x, y, 1, self.n) * scalar
        if point == ecdsa.ellipticcurve.INFINITY:
            raise ChipAuthError("the key agreement produced the point at infinity")
        return int(point.x()), int(point.y())


@dataclass(frozen=True)
class DhDomain:
    """Finite-field group: generator g modulo prime p, optional subgroup order q (RFC 3279)."""

    p: int
    g: int
    q: int | None = None

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def check_public(self, value: int) -> None:
        if not 1 < value < self.p - 1:
            raise ChipAuthError("the DH public value is out of range")
        if self.q is not None and pow(value, self.q, self.p) != 1:
            raise ChipAuthError("the DH public value is not in the subgroup")


Domain = EcDomain | DhDomain


@cache
def named_ec_domain(name: str) -> EcDomain:
    """Parameters of a named curve (asn1crypto's name, e.g. "brainpoolp256r1")."""
    ecdsa_name = _ECDSA_NAMES.get(name)
    if ecdsa_name is None:
        raise UnsupportedCurveError(f"unsupported elliptic curve {name}")
    curve = ecdsa.curves.curve_by_name(ecdsa_name)
    generator = curve.generator
    return EcDomain(
        p=curve.curve.p(),
        a=curve.curve.a(),
        b=curve.curve.b(),
        gx=int(generator.x()),
        gy=int(generator.y()),
        n=int(curve.order),
        cofactor=curve.curve.cofactor() or 1,
        name=name,
    )


def _specified_domain(specified: keys.SpecifiedECDomain) -> EcDomain:
    if specified["field_id"]["field_type"].native != "prime_field":
        raise UnsupportedCurveError("unsupported explicit curve: only prime fields are supported")
    p = int(specified["field_id"]["parameters"].native)
    a = int.from_bytes(specified["curve"]["a"].native, "big")
    b = int.from_bytes(specified["curve"]["b"].native, "big")
    base = specified["base"].native
    size = (p.bit_length() + 7) // 8
    if len(base) != 1 + 2 * size or base[0] != 0x04:
        raise UnsupportedCurveError("unsupported explicit curve: the base point is not uncompressed")
    gx, gy = int.from_bytes(base[1 : 1 + size], "big"), int.from_bytes(base[1 + size :], "big")
    n = int(specified["order"].native)
    cofactor = int(specified["cofactor"].native or 1)
    for name in _ECDSA_NAMES:
        known = named_ec_domain(name)
        if (known.p, known.a, known.b, known.gx, known.gy, known.n) == (p, a, b, gx, gy, n):
            return known
    # Unknown but well-formed: usable for key agreement with plain arithmetic.
    return EcDomain(p=p, a=a, b=b, gx=gx, gy=gy, n=n, cofactor=cofactor)


def ec_domain_of(parameters: keys.ECDomainParameters) -> EcDomain:
    """EC domain from an AlgorithmIdentifier's parameters, named or explicit."""
    try:
        if parameters.name == "named":
            return named_ec_domain(parameters.chosen.native)
        if parameters.name == "specified":
            return _specified_domain(parameters.chosen)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        if isinstance(exc, ChipAuthError):
            raise
        raise ChipAuthError(f"malformed elliptic-curve parameters: {exc}") from exc
    raise UnsupportedCurveError("implicitly-CA curve parameters are not supported")


@dataclass(frozen=True)
class StaticPublicKey:
    """The chip's static key from a ChipAuthenticationPublicKeyInfo: domain and public value."""

    domain: Domain
    public: bytes  # EC: uncompressed point; DH: big-endian value

    @classmethod
    def from_spki(cls, spki_der: bytes) -> StaticPublicKey:
        """Parse a SubjectPublicKeyInfo of id-ecPublicKey or dhpublicnumber (TR-03110-3 §A.1.1, §D.3)."""
        try:
            info = keys.PublicKeyInfo.load(spki_der, strict=True)
            algorithm = info["algorithm"]["algorithm"].native
            if algorithm == "ec":
                ec_domain = ec_domain_of(info["algorithm"]["parameters"])
                public = bytes(info["public_key"].native)
                ec_domain.decode_point(public)
                return cls(ec_domain, public)
            if algorithm == "dh":
                params = info["algorithm"]["parameters"]
                q = params["q"].native
                dh_domain = DhDomain(
                    p=int(params["p"].native), g=int(params["g"].native), q=int(q) if q is not None else None
                )
                value = int(core.Integer.load(info["public_key"].contents[1:]).native)
                dh_domain.check_public(value)
                return cls(dh_domain, value.to_bytes(dh_domain.size, "big"))
        except (ValueError, TypeError, KeyError) as exc:
            if isinstance(exc, ChipAuthError):
                raise
            raise ChipAuthError(f"malformed chip authentication public key: {exc}") from exc
        raise ChipAuthError(f"unsupported chip authentication key algorithm {algorithm}")


@dataclass(frozen=True)
class EphemeralKeyPair:
    """The terminal's ephemeral key pair; `public` is the encoding the APDU carries."""

    domain: Domain
    private: int
    public: bytes

    def __repr__(self) -> str:  # keep the private value out of logs and tracebacks
        return f"EphemeralKeyPair(public={self.public.hex()})"


def generate_ephemeral_key(chip_spki_der: bytes) -> EphemeralKeyPair:
    """A fresh key pair on the chip's domain parameters (9303-11 §6.2.3 step 1)."""
    domain = StaticPublicKey.from_spki(chip_spki_der).domain
    if isinstance(domain, EcDomain):
        private = 1 + secrets.randbelow(domain.n - 1)
        curve = domain.cryptography_curve()
        if curve is not None:
            key = ec.derive_private_key(private, curve)
            public = key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        else:
            public = domain.encode_point(*domain.multiply(private, domain.gx, domain.gy))
        return EphemeralKeyPair(domain, private, public)
    order = domain.q if domain.q is not None else domain.p - 1
    private = 2 + secrets.randbelow(order - 2)
    return EphemeralKeyPair(domain, private, pow(domain.g, private, domain.p).to_bytes(domain.size, "big"))


def _agree(domain: Domain, private: int, peer_public: bytes) -> bytes:
    if isinstance(domain, DhDomain):
        if len(peer_public) > domain.size + 1:
            raise ChipAuthError("the DH public value is longer than the modulus")
        value = int.from_bytes(peer_public, "big")
        domain.check_public(value)
        # g^xy mod p, left-padded to the modulus length (9303-11 §9.6 / TR-03110-3 §A.2.3.1)
        return pow(value, private, domain.p).to_bytes(domain.size, "big")
    x, y = domain.decode_point(peer_public)
    curve = domain.cryptography_curve()
    if curve is not None:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(curve, peer_public)
        return ec.derive_private_key(private, curve).exchange(ec.ECDH(), peer)
    # ECDH: the x-coordinate of the shared point, field-size bytes (TR-03110-3 §A.2.3.2)
    return domain.multiply(private, x, y)[0].to_bytes(domain.field_bytes, "big")


def terminal_shared_secret(chip_spki_der: bytes, ephemeral: EphemeralKeyPair) -> bytes:
    """Shared secret K from the terminal's ephemeral private key and the chip's static public key."""
    chip = StaticPublicKey.from_spki(chip_spki_der)
    if chip.domain != ephemeral.domain:
        raise ChipAuthError("the ephemeral key was generated on other domain parameters")
    return _agree(chip.domain, ephemeral.private, chip.public)


# DH keys are plain integers: cryptography's finite-field DH is deprecated.
ChipPrivateKey = ec.EllipticCurvePrivateKey | int


def _private_value(key: ChipPrivateKey) -> int:
    if isinstance(key, int):
        return key
    return key.private_numbers().private_value


def chip_shared_secret(
    chip_spki_der: bytes, chip_private_key: ChipPrivateKey, terminal_public: bytes
) -> bytes:
    """The chip's side: K from its static private key and the terminal's ephemeral public key."""
    chip = StaticPublicKey.from_spki(chip_spki_der)
    return _agree(chip.domain, _private_value(chip_private_key), terminal_public)
