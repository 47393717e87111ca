"""Chip Authentication key agreement (ICAO 9303-11 §6.2, BSI TR-03110-3 §A.1) and EC domain parameters.

Pure functions used by both ends: the terminal generates an ephemeral key pair on the domain parameters of
the chip's static key (from DG14's ChipAuthenticationPublicKeyInfo) and computes the shared secret; the
virtual chip computes the same secret from its static private key and the terminal's ephemeral public key.
Key derivation from the secret is done by crypto.symmetric.derive_key.

Domain parameters may be named or explicit (9303-11 and TR-03110 allow explicit EC parameters), see
crypto.ecc; curves the cryptography package lacks are computed with plain arithmetic.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asn1crypto import core, keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cccd_station.crypto.ecc import CurveError, EcDomain, ec_domain_of
from cccd_station.crypto.ecc import named_ec_domain as named_ec_domain  # re-exported for the virtual chip


class ChipAuthError(ValueError):
    """Domain parameters or a public key that Chip Authentication cannot use."""


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
                point = ec_domain.decode_point(bytes(info["public_key"].native))
                return cls(ec_domain, ec_domain.encode_point(*point))
            if algorithm == "dh":
                params = info["algorithm"]["parameters"]
                q = params["q"].native
                dh_domain = DhDomain(
                    p=int(params["p"].native), g=int(params["g"].native), q=int(q) if q is not None else None
                )
                value = int(core.Integer.load(info["public_key"].contents[1:]).native)
                dh_domain.check_public(value)
                return cls(dh_domain, value.to_bytes(dh_domain.size, "big"))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
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
            try:
                public = domain.encode_point(*domain.multiply(private, domain.gx, domain.gy))
            except CurveError as exc:
                raise ChipAuthError(str(exc)) from exc
        return EphemeralKeyPair(domain, private, public)
    order = domain.q if domain.q is not None else domain.p - 1
    private = 2 + secrets.randbelow(order - 2)
    return EphemeralKeyPair(domain, private, pow(domain.g, private, domain.p).to_bytes(domain.size, "big"))


def _agree(domain: Domain, private: int, peer_public: bytes) -> bytes:
    try:
        return _shared_secret(domain, private, peer_public)
    except CurveError as exc:
        raise ChipAuthError(str(exc)) from exc


def _shared_secret(domain: Domain, private: int, peer_public: bytes) -> bytes:
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
