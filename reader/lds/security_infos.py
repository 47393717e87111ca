"""SecurityInfos of EF.CardAccess and DG14 (ICAO 9303-11 §9.2, BSI TR-03110-3 §A.1) and DG15.

``SecurityInfos ::= SET OF SecurityInfo``, each ``SEQUENCE { protocol OID, requiredData,
optionalData OPTIONAL }``. Kinds the station does not use are kept as raw DER.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from asn1crypto import core

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds import oids
from cccd_station.reader.lds.asn1 import (
    INTEGER,
    OBJECT_IDENTIFIER,
    SEQUENCE,
    SET,
    decode_integer,
    decode_oid,
    encode_integer,
    encode_oid,
    encode_sequence,
    encode_set_of,
)
from cccd_station.reader.lds.tlv import parse_one

DG14_TAG = 0x6E
DG15_TAG = 0x6F
MAX_SECURITY_INFOS = 64


def _cipher(protocol: str) -> tuple[str, int] | None:
    last = protocol.rsplit(".", 1)[-1]
    return oids.CIPHER_SUITES.get(int(last)) if last.isdigit() else None


@dataclass(frozen=True)
class PaceInfo:
    """PACEInfo (ICAO 9303-11 §9.2.1): protocol, version (2) and standardized parameter ID."""

    protocol: str
    version: int
    parameter_id: int | None = None

    @property
    def key_agreement(self) -> str:  # "DH" | "ECDH"
        return oids.PACE_MAPPINGS[self.protocol.rsplit(".", 1)[0]][0]

    @property
    def mapping(self) -> str:  # "GM" | "IM" | "CAM"
        return oids.PACE_MAPPINGS[self.protocol.rsplit(".", 1)[0]][1]

    @property
    def cipher(self) -> str:  # "3DES" | "AES"
        suite = _cipher(self.protocol)
        return suite[0] if suite else ""

    @property
    def key_length(self) -> int:
        suite = _cipher(self.protocol)
        return suite[1] if suite else 0

    @property
    def parameter_name(self) -> str | None:
        if self.parameter_id is None:
            return None
        return oids.STANDARD_DOMAIN_PARAMETERS.get(self.parameter_id)

    def to_der(self) -> bytes:
        optional = encode_integer(self.parameter_id) if self.parameter_id is not None else b""
        return encode_sequence([encode_oid(self.protocol), encode_integer(self.version), optional])


@dataclass(frozen=True)
class PaceDomainParameterInfo:
    """PACEDomainParameterInfo (ICAO 9303-11 §9.2.2); the AlgorithmIdentifier is kept as DER."""

    protocol: str
    domain_parameter_der: bytes
    parameter_id: int | None = None

    def to_der(self) -> bytes:
        optional = encode_integer(self.parameter_id) if self.parameter_id is not None else b""
        return encode_sequence([encode_oid(self.protocol), self.domain_parameter_der, optional])


@dataclass(frozen=True)
class ChipAuthenticationInfo:
    """ChipAuthenticationInfo (ICAO 9303-11 §9.2.5)."""

    protocol: str
    version: int
    key_id: int | None = None

    @property
    def key_agreement(self) -> str:  # "DH" | "ECDH"
        return oids.CA_KEY_AGREEMENTS[self.protocol.rsplit(".", 1)[0]]

    @property
    def cipher(self) -> str:
        suite = _cipher(self.protocol)
        return suite[0] if suite else ""

    @property
    def key_length(self) -> int:
        suite = _cipher(self.protocol)
        return suite[1] if suite else 0

    def to_der(self) -> bytes:
        optional = encode_integer(self.key_id) if self.key_id is not None else b""
        return encode_sequence([encode_oid(self.protocol), encode_integer(self.version), optional])


@dataclass(frozen=True)
class ChipAuthenticationPublicKeyInfo:
    """ChipAuthenticationPublicKeyInfo (ICAO 9303-11 §9.2.6).

    ``public_key_der`` is the SubjectPublicKeyInfo as stored; for ECDH its algorithm parameters
    may be explicit domain parameters, which generic X.509 libraries refuse, so it stays raw.
    """

    protocol: str  # oids.ID_PK_DH | oids.ID_PK_ECDH
    public_key_der: bytes
    key_id: int | None = None

    def to_der(self) -> bytes:
        optional = encode_integer(self.key_id) if self.key_id is not None else b""
        return encode_sequence([encode_oid(self.protocol), self.public_key_der, optional])


@dataclass(frozen=True)
class ActiveAuthenticationInfo:
    """ActiveAuthenticationInfo (ICAO 9303-11 §9.2.7): the ECDSA signature algorithm of AA."""

    protocol: str
    version: int
    signature_algorithm: str

    def to_der(self) -> bytes:
        return encode_sequence(
            [encode_oid(self.protocol), encode_integer(self.version), encode_oid(self.signature_algorithm)]
        )


@dataclass(frozen=True)
class TerminalAuthenticationInfo:
    """TerminalAuthenticationInfo (ICAO 9303-11 §9.2.4, BSI TR-03110-3 §A.1.1.3)."""

    protocol: str
    version: int
    optional_der: bytes = b""

    def to_der(self) -> bytes:
        return encode_sequence([encode_oid(self.protocol), encode_integer(self.version), self.optional_der])


@dataclass(frozen=True)
class UnknownSecurityInfo:
    """A SecurityInfo of a kind the station does not use, kept as its DER SEQUENCE."""

    protocol: str
    der: bytes

    def to_der(self) -> bytes:
        return self.der


SecurityInfo = (
    PaceInfo
    | PaceDomainParameterInfo
    | ChipAuthenticationInfo
    | ChipAuthenticationPublicKeyInfo
    | ActiveAuthenticationInfo
    | TerminalAuthenticationInfo
    | UnknownSecurityInfo
)


class _SecurityInfo(core.Sequence):
    """One SecurityInfo of the module docstring, with its two data fields left as ANY."""

    _fields: ClassVar = [
        ("protocol", core.ObjectIdentifier),
        ("required_data", core.Any),
        ("optional_data", core.Any, {"optional": True}),
    ]


class _SecurityInfoSet(core.SetOf):
    _child_spec = _SecurityInfo


def _integer(value: core.Asn1Value, what: str) -> int:
    encoded = value.dump()
    if encoded[:1] != bytes([INTEGER]):
        raise ParseError(f"{what} lacks its INTEGER")
    return decode_integer(parse_one(encoded)[0])


def _optional_integer(info: _SecurityInfo, what: str) -> int | None:
    optional = info["optional_data"]
    return None if isinstance(optional, core.Void) else _integer(optional, what)


def _sequence(value: core.Asn1Value, what: str) -> bytes:
    encoded = bytes(value.dump())
    if encoded[:1] != bytes([SEQUENCE]):
        raise ParseError(f"{what} lacks its required data")
    return encoded


def _parse_info(info: _SecurityInfo) -> SecurityInfo:
    protocol = str(info["protocol"].dotted)
    family = protocol.rsplit(".", 1)[0]
    required = info["required_data"]
    if family in oids.PACE_MAPPINGS and _cipher(protocol):
        return PaceInfo(protocol, _integer(required, "PACEInfo"), _optional_integer(info, "PACEInfo"))
    if protocol in oids.PACE_MAPPINGS:
        domain = _sequence(required, "PACEDomainParameterInfo")
        return PaceDomainParameterInfo(protocol, domain, _optional_integer(info, "PACEDomainParameterInfo"))
    if family in oids.CA_KEY_AGREEMENTS and _cipher(protocol):
        version = _integer(required, "ChipAuthenticationInfo")
        return ChipAuthenticationInfo(protocol, version, _optional_integer(info, "ChipAuthenticationInfo"))
    if protocol in (oids.ID_PK_DH, oids.ID_PK_ECDH):
        key = _sequence(required, "ChipAuthenticationPublicKeyInfo")
        return ChipAuthenticationPublicKeyInfo(
            protocol, key, _optional_integer(info, "ChipAuthenticationPublicKeyInfo")
        )
    if protocol == oids.ID_AA:
        version = _integer(required, "ActiveAuthenticationInfo")
        optional = info["optional_data"]
        if optional.dump()[:1] != bytes([OBJECT_IDENTIFIER]):
            raise ParseError("ActiveAuthenticationInfo lacks its signature algorithm")
        return ActiveAuthenticationInfo(protocol, version, decode_oid(parse_one(optional.dump())[0]))
    if protocol == oids.ID_TA:
        version = _integer(required, "TerminalAuthenticationInfo")
        optional = info["optional_data"]
        return TerminalAuthenticationInfo(
            protocol, version, b"" if isinstance(optional, core.Void) else optional.dump()
        )
    return UnknownSecurityInfo(protocol, bytes(info.dump()))


@dataclass(frozen=True)
class SecurityInfos:
    """The SecurityInfos a chip announces, in the order it lists them."""

    infos: tuple[SecurityInfo, ...]

    @classmethod
    def from_bytes(cls, data: bytes) -> SecurityInfos:
        """Parse a DER SET OF SecurityInfo, ICAO 9303-11 §9.2 (EF.CardAccess content)."""
        outer, end = parse_one(data)  # bounded TLV first: length and nesting checked before asn1crypto
        outer.expect(SET)
        try:
            infos = _SecurityInfoSet.load(data[:end], strict=True)
            if len(infos) > MAX_SECURITY_INFOS:
                raise ParseError(f"more than {MAX_SECURITY_INFOS} SecurityInfos")
            return cls(tuple(_parse_info(info) for info in infos))
        except (ValueError, TypeError, KeyError) as error:
            if isinstance(error, ParseError):
                raise
            raise ParseError(f"malformed SecurityInfo: {error}") from error

    @property
    def pace(self) -> tuple[PaceInfo, ...]:
        return tuple(info for info in self.infos if isinstance(info, PaceInfo))

    @property
    def pace_domain_parameters(self) -> tuple[PaceDomainParameterInfo, ...]:
        return tuple(info for info in self.infos if isinstance(info, PaceDomainParameterInfo))

    @property
    def chip_authentication(self) -> tuple[ChipAuthenticationInfo, ...]:
        return tuple(info for info in self.infos if isinstance(info, ChipAuthenticationInfo))

    @property
    def chip_authentication_keys(self) -> tuple[ChipAuthenticationPublicKeyInfo, ...]:
        return tuple(info for info in self.infos if isinstance(info, ChipAuthenticationPublicKeyInfo))

    @property
    def active_authentication(self) -> ActiveAuthenticationInfo | None:
        return next((info for info in self.infos if isinstance(info, ActiveAuthenticationInfo)), None)

    @property
    def terminal_authentication(self) -> TerminalAuthenticationInfo | None:
        return next((info for info in self.infos if isinstance(info, TerminalAuthenticationInfo)), None)

    def to_der(self) -> bytes:
        """DER SET OF (elements sorted by encoding, X.690 §11.6)."""
        return encode_set_of(info.to_der() for info in self.infos)


def parse_security_infos(data: bytes) -> SecurityInfos:
    """EF.CardAccess (a bare SecurityInfos SET)."""
    return SecurityInfos.from_bytes(data)


parse_card_access = parse_security_infos


def parse_dg14(data: bytes) -> SecurityInfos:
    """DG14 (ICAO 9303-10 §4.7.14): tag 6E wrapping SecurityInfos."""
    outer, _ = parse_one(data)
    return SecurityInfos.from_bytes(outer.expect(DG14_TAG).value)


def parse_dg15(data: bytes) -> bytes:
    """DG15 (ICAO 9303-10 §4.7.15): tag 6F wrapping the Active Authentication SubjectPublicKeyInfo DER."""
    outer, _ = parse_one(data)
    content = outer.expect(DG15_TAG).value
    key, end = parse_one(content)
    if key.tag != SEQUENCE or len(key.children()) < 2:
        raise ParseError("DG15 does not hold a SubjectPublicKeyInfo")
    return content[:end]
