"""Elliptic curves over prime fields: domain parameters, named or explicit, and ECDSA verification.

Certificates, EF.SOD, DG14 and DG15 may name their curve by OID or spell its parameters out (SEC 1 v2
§C.2, BSI TR-03111 §4.1, 9303-12 §4.4.6: the Vietnamese and German CSCAs give brainpoolP512r1
explicitly). Explicit parameters equal to a curve we know are mapped to it, so the cryptography
package's curve object verifies quickly; any other prime curve is validated once (SEC 1 §3.1.1.2.1) and
verified with plain integer arithmetic (FIPS 186-4 §6.4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

import ecdsa.curves
import ecdsa.ellipticcurve
import ecdsa.numbertheory
from asn1crypto import keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature

# No curve in use is near this; it bounds the work a hostile key can ask for.
MAX_FIELD_BITS = 1024


class CurveError(ValueError):
    """Elliptic-curve parameters or a point that are malformed or invalid."""


class UnsupportedCurveError(CurveError):
    """A curve we cannot compute with (binary field, implicitlyCA, unknown OID, oversized): not invalid."""


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

# ECDSA uses only the value of H(m) (FIPS 186-4 §6.4), so a digest is handed to the cryptography
# package as "prehashed" with any hash of the same length.
_HASH_BY_DIGEST_SIZE: dict[int, hashes.HashAlgorithm] = {
    20: hashes.SHA1(),  # noqa: S303 - length marker only, nothing is hashed with it
    28: hashes.SHA224(),
    32: hashes.SHA256(),
    48: hashes.SHA384(),
    64: hashes.SHA512(),
}


@dataclass(frozen=True)
class EcDomain:
    """Prime-field curve y² = x³ + ax + b over GF(p) with base point G of order n (TR-03111 §2.3)."""

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

    def contains(self, x: int, y: int) -> bool:
        return (
            0 <= x < self.p and 0 <= y < self.p and (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0
        )

    def encode_point(self, x: int, y: int) -> bytes:
        """Uncompressed point encoding 04 || X || Y (TR-03111 §3.2.1)."""
        size = self.field_bytes
        return b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big")

    def decode_point(self, encoded: bytes) -> tuple[int, int]:
        """Parse an uncompressed (04), compressed (02/03) or hybrid (06/07) point (SEC 1 §2.3.4) and
        check it lies on the curve (an invalid point leaks a key in key agreement)."""
        size = self.field_bytes
        if not encoded:
            raise CurveError("the point is empty")
        form = encoded[0]
        if form in (0x02, 0x03) and len(encoded) == 1 + size:
            x = int.from_bytes(encoded[1:], "big")
            if x >= self.p:
                raise CurveError("the public point is not on the curve")
            try:
                y = ecdsa.numbertheory.square_root_mod_prime(
                    (x * x * x + self.a * x + self.b) % self.p, self.p
                )
            except ecdsa.numbertheory.Error:
                raise CurveError("the public point is not on the curve") from None
            if y & 1 != form & 1:
                y = self.p - y if y else y
        elif form in (0x04, 0x06, 0x07) and len(encoded) == 1 + 2 * size:
            x = int.from_bytes(encoded[1 : 1 + size], "big")
            y = int.from_bytes(encoded[1 + size :], "big")
            if form != 0x04 and y & 1 != form & 1:
                raise CurveError("the hybrid point's parity bit contradicts its y coordinate")
        else:
            raise CurveError(
                f"expected a point of {1 + 2 * size} (uncompressed) or {1 + size} (compressed) bytes, "
                f"got {len(encoded)} bytes starting {form:02X}"
            )
        if not self.contains(x, y):
            raise CurveError("the public point is not on the curve")
        return x, y

    def multiply(self, scalar: int, x: int, y: int) -> tuple[int, int]:
        """scalar·(x, y) with plain arithmetic, for curves the cryptography package lacks."""
        point = self._point(x, y) * scalar
        if point == ecdsa.ellipticcurve.INFINITY:
            raise CurveError("the multiplication produced the point at infinity")
        return int(point.x()), int(point.y())

    def _point(self, x: int, y: int) -> ecdsa.ellipticcurve.PointJacobi:
        curve = ecdsa.ellipticcurve.CurveFp(self.p, self.a, self.b, self.cofactor)
        return ecdsa.ellipticcurve.PointJacobi(curve, x, y, 1, self.n)


def _ecdsa_curve_names() -> dict[str, ecdsa.curves.Curve]:
    """The ecdsa package's short-Weierstrass curves by asn1crypto's name (NIST, SEC 2, Brainpool r1/t1)."""
    known = {}
    for curve in ecdsa.curves.curves:
        name = keys.NamedCurve(".".join(map(str, curve.oid))).native
        if isinstance(curve.curve, ecdsa.ellipticcurve.CurveFp) and not name[0].isdigit():
            known[name] = curve
    return known


_NAMED_CURVES = _ecdsa_curve_names()
_KNOWN_PRIMES = frozenset(curve.curve.p() for curve in _NAMED_CURVES.values())
# The prime curves we know by parameters, by asn1crypto name → OID.
CURVE_OIDS = {name: ".".join(map(str, curve.oid)) for name, curve in sorted(_NAMED_CURVES.items())}


@cache
def named_ec_domain(name: str) -> EcDomain:
    """Parameters of a named curve by asn1crypto's name, e.g. "brainpoolp256r1"."""
    curve = _NAMED_CURVES.get(name)
    if curve is None:
        raise UnsupportedCurveError(f"unsupported elliptic curve {name}")
    generator, field = curve.generator, curve.curve.p()
    return EcDomain(
        p=field,
        a=curve.curve.a() % field,  # the ecdsa package writes -3 for the NIST curves
        b=curve.curve.b() % field,
        gx=int(generator.x()),
        gy=int(generator.y()),
        n=int(curve.order),
        cofactor=curve.curve.cofactor() or 1,
        name=name,
    )


def _known_domain(p: int, a: int, b: int, gx: int, gy: int, n: int) -> EcDomain | None:
    for name in _NAMED_CURVES:
        known = named_ec_domain(name)
        if (known.p, known.a, known.b, known.gx, known.gy, known.n) == (p, a, b, gx, gy, n):
            return known
    return None


def _base_point(encoded: bytes, p: int, a: int, b: int) -> tuple[int, int]:
    """G from its encoding; a compressed G is decompressed on the curve it belongs to."""
    probe = EcDomain(p, a, b, 0, 0, 1, 1)
    return probe.decode_point(encoded)


def _specified_domain(specified: keys.SpecifiedECDomain) -> EcDomain:
    """Explicit parameters (SEC 1 §C.2): the named curve they equal, else a validated anonymous curve."""
    if specified["field_id"]["field_type"].native != "prime_field":
        raise UnsupportedCurveError("unsupported explicit curve: only prime fields are supported")
    p = int(specified["field_id"]["parameters"].native)
    if p.bit_length() > MAX_FIELD_BITS:
        raise UnsupportedCurveError(f"unsupported explicit curve: a {p.bit_length()}-bit field is too large")
    if p < 3 or p % 2 == 0:
        raise CurveError("the explicit curve's field is not an odd prime")
    a = int.from_bytes(specified["curve"]["a"].native, "big")
    b = int.from_bytes(specified["curve"]["b"].native, "big")
    n = int(specified["order"].native)
    if not (a < p and b < p and 1 < n <= p + 1 + 2 * math.isqrt(p) + 2):
        raise CurveError("the explicit curve's coefficients or order are out of range")
    if p not in _KNOWN_PRIMES and not ecdsa.numbertheory.is_prime(p):
        raise CurveError("the explicit curve's field size p is not prime")
    # The cofactor is optional and sometimes absent or wrong; it follows from p and n (Hasse bound).
    gx, gy = _base_point(bytes(specified["base"].native), p, a, b)
    known = _known_domain(p, a, b, gx, gy, n)
    if known is not None:
        return known
    domain = EcDomain(p=p, a=a, b=b, gx=gx, gy=gy, n=n, cofactor=_cofactor(p, n))
    _validate(domain)
    return domain


def _cofactor(p: int, n: int) -> int:
    """h = ⌊(√p + 1)² / n⌋ = ⌊(p + 1 + ⌊2√p⌋) / n⌋, exact when n > 4√p (SEC 1 §3.1.1.2.1 step 7)."""
    return (p + 1 + math.isqrt(4 * p)) // n


@lru_cache(maxsize=64)
def _validate(domain: EcDomain) -> None:
    """SEC 1 §3.1.1.2.1 checks for parameters no named curve vouches for (p is prime: checked before)."""
    p, a, b, n = domain.p, domain.a, domain.b, domain.n
    if (4 * a * a * a + 27 * b * b) % p == 0:
        raise CurveError("the explicit curve is singular")
    if n * n <= 16 * p or not ecdsa.numbertheory.is_prime(n):
        raise CurveError("the explicit curve's order n is not a large prime")
    if domain._point(domain.gx, domain.gy) * n != ecdsa.ellipticcurve.INFINITY:
        raise CurveError("the explicit curve's base point does not have order n")


def ec_domain_of(parameters: keys.ECDomainParameters) -> EcDomain:
    """EC domain from an AlgorithmIdentifier's parameters, named or explicit (RFC 3279 §2.3.5)."""
    try:
        if parameters.name == "named":
            return named_ec_domain(parameters.chosen.native)
        if parameters.name == "specified":
            return _specified_domain(parameters.chosen)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        if isinstance(exc, CurveError):
            raise
        raise CurveError(f"malformed elliptic-curve parameters: {exc}") from exc
    raise UnsupportedCurveError("implicitlyCA curve parameters are not supported")


def _hash_value(digest: bytes, n: int) -> int:
    """e: the leftmost bit-length-of-n bits of the digest (FIPS 186-4 §6.4, TR-03111 §4.2.1.1)."""
    value = int.from_bytes(digest, "big")
    excess = 8 * len(digest) - n.bit_length()
    return value >> excess if excess > 0 else value


def verify_ecdsa(domain: EcDomain, public_point: bytes, r: int, s: int, digest: bytes) -> bool:
    """Whether (r, s) is an ECDSA signature of `digest` by `public_point` (FIPS 186-4 §6.4.2).

    Raises CurveError when the point is not a valid public key on the domain."""
    if not (0 < r < domain.n and 0 < s < domain.n):
        return False
    x, y = domain.decode_point(public_point)
    curve = domain.cryptography_curve()
    algorithm = _HASH_BY_DIGEST_SIZE.get(len(digest))
    if curve is not None and algorithm is not None:
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(curve, domain.encode_point(x, y))
        except ValueError as exc:
            raise CurveError(f"the public point is not valid on {domain.name}: {exc}") from exc
        try:
            key.verify(encode_dss_signature(r, s), digest, ec.ECDSA(Prehashed(algorithm)))
        except InvalidSignature:
            return False
        return True
    return _verify_ecdsa_with_integers(domain, (x, y), r, s, digest)


def _verify_ecdsa_with_integers(
    domain: EcDomain, public_point: tuple[int, int], r: int, s: int, digest: bytes
) -> bool:
    q = domain._point(*public_point)
    if domain.cofactor != 1 and q * domain.n != ecdsa.ellipticcurve.INFINITY:
        raise CurveError("the public point is not in the subgroup of order n")
    w = pow(s, -1, domain.n)
    u1 = _hash_value(digest, domain.n) * w % domain.n
    u2 = r * w % domain.n
    point = domain._point(domain.gx, domain.gy).mul_add(u1, q, u2)
    if point == ecdsa.ellipticcurve.INFINITY:
        return False
    return int(point.x()) % domain.n == r
